"""The superior scores a cell's signed minutes beside the cell's self-score
(oversight/review.py meeting_score, meetings.services.score_minutes): kept apart from
the sealed minutes, refused on minutes not signed, shown in the queue and on the
meeting page, at a fixed number of queries."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services
from meetings.models import Meeting, MeetingStatus, Speech, SuperiorScore
from meetings.rules import QUALITY_LEVEL_LABELS, meeting_setting
from tests.factories import MemberFactory
from tests.helpers import complete, signed

CRITERIA = meeting_setting("QUALITY_CRITERIA")
FULL = {f"score_{item['code']}": item["max"] for item in CRITERIA}


def score_url(meeting):
    return reverse("oversight:score", args=[meeting.pk])


def test_the_reviewer_scores_beside_the_self_score_and_nothing_sealed_changes(
    world, login, make_meeting, roster
):
    draft = complete(make_meeting(), roster)
    draft.quality_scores = {"time": 4, "attendance": 5}
    draft.save()
    meeting = services.finalize_minutes(draft, user=world.secretary)
    from tests.helpers import sign_both

    meeting = sign_both(meeting, world, roster)
    sealed = (meeting.signed_content, meeting.fingerprint, meeting.version, meeting.status)
    client = login(world.reviewer)
    page = client.get(score_url(meeting))
    assert page.status_code == 200
    rows = {row["line"]["code"]: row for row in page.context["rows"]}
    assert rows["time"]["self_points"] == 4 and rows["chairing"]["self_points"] is None
    assert rows["attendance"]["line"]["suggested"] == 5
    assert page.context["committee"] == world.commune
    data = {**FULL, "score_conduct": 20}
    response = client.post(score_url(meeting), data)
    assert response.status_code == 302
    assert response["Location"].endswith("#superior-score")
    score = SuperiorScore.objects.get(meeting=meeting)
    assert (score.organization, score.scored_by, score.total) == (
        world.commune,
        world.reviewer,
        90,
    )
    assert score.scores["conduct"] == 20
    assert score.level_label == QUALITY_LEVEL_LABELS["good"]
    meeting.refresh_from_db()
    assert (
        meeting.signed_content,
        meeting.fingerprint,
        meeting.version,
        meeting.status,
    ) == sealed
    assert meeting.quality_scores == {"time": 4, "attendance": 5}
    # Scoring again replaces the committee's score; the history keeps the first.
    client.post(score_url(meeting), {**FULL, "score_conduct": 10})
    score.refresh_from_db()
    assert score.total == 80 and score.history.count() == 2
    # The meeting page and the queue show it beside the self-score.
    detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert 'id="superior-score"' in detail and "80/100" in detail
    queue = client.get(reverse("oversight:review_queue")).content.decode()
    assert "cấp trên: 80/100" in queue and "9/100" in queue  # the self-score: 4 + 5
    # The cell sees it too, beside its self-score (not in the minutes).
    seen = login(world.secretary).get(reverse("meetings:detail", args=[meeting.pk]))
    page = seen.content.decode()
    assert 'class="superior-score-line' in page and "80/100" in page
    assert f"{world.commune.name} chấm: 80/100" in page


@pytest.mark.parametrize(
    "status", [MeetingStatus.DRAFT, MeetingStatus.FINALIZED, MeetingStatus.RETURNED]
)
def test_minutes_not_signed_cannot_be_scored(world, login, status):
    meeting = signed(world.cell, status=status)
    client = login(world.reviewer)
    assert client.get(score_url(meeting)).status_code == 302
    response = client.post(score_url(meeting), FULL)
    assert response.status_code == 302
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert "Cấp trên chỉ chấm điểm biên bản đã ký." in said
    assert not SuperiorScore.objects.exists()
    with pytest.raises(services.MeetingError):
        services.score_minutes(
            meeting,
            organization=world.commune,
            user=world.reviewer,
            scores={key.removeprefix("score_"): value for key, value in FULL.items()},
        )


def test_a_superseded_version_cannot_be_scored(world):
    old = signed(world.cell, status=MeetingStatus.SIGNED, is_current=False)
    with pytest.raises(services.MeetingError):
        services.score_minutes(old, organization=world.commune, user=world.reviewer, scores={})


def test_bad_points_come_back_with_the_entries(world, login):
    meeting = signed(world.cell)
    client = login(world.reviewer)
    data = {**FULL, "score_time": "99", "score_conduct": "ba mươi", "score_chairing": ""}
    response = client.post(score_url(meeting), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert {"score_time", "score_conduct", "score_chairing"} <= set(form.errors)
    page = response.content.decode()
    assert 'value="ba mươi"' in page and 'value="99"' in page
    assert not SuperiorScore.objects.exists()


def test_the_service_refuses_points_outside_the_form(world):
    meeting = signed(world.cell)
    scores = {item["code"]: item["max"] for item in CRITERIA}
    with pytest.raises(services.MeetingError):
        services.score_minutes(
            meeting,
            organization=world.commune,
            user=world.reviewer,
            scores={**scores, "time": 6},
        )
    with pytest.raises(services.MeetingError):
        services.score_minutes(meeting, organization=world.cell, user=world.admin, scores=scores)
    assert not SuperiorScore.objects.exists()


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_score_page_keeps_its_queries_whatever_the_cell_size(world, login):
    def meeting_with(size, month):
        meeting = signed(world.cell, month=month, status=MeetingStatus.DRAFT)
        for _n in range(size):
            member = MemberFactory(organization=world.cell)
            meeting.attendances.create(member=member, status="present")
            Speech.objects.create(meeting=meeting, speaker=member, summary="Ý kiến")
        Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.SIGNED)
        return meeting

    small, large = meeting_with(2, 10), meeting_with(60, 11)
    client = login(world.reviewer)
    client.get(score_url(small))
    few = queries(client, score_url(small))
    assert queries(client, score_url(large)) == few
    rows = client.get(score_url(large)).context["rows"]
    assert {row["line"]["code"]: row["line"]["suggested"] for row in rows}["conduct"] == 30


def test_the_queue_costs_the_same_with_every_meeting_scored(world, login):
    meetings = [signed(world.cell, month=month) for month in range(1, 6)]
    client = login(world.reviewer)
    queue = reverse("oversight:review_queue")
    client.get(queue)
    unscored = queries(client, queue)
    scores = {item["code"]: item["max"] for item in CRITERIA}
    for meeting in meetings:
        services.score_minutes(
            meeting, organization=world.commune, user=world.reviewer, scores=scores
        )
    assert queries(client, queue) == unscored
    rows = client.get(queue).context["rows"]
    assert all([score.total for score in row.superior_scores] == [100] for row in rows)

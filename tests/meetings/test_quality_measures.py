"""The quality form's measurable lines, read off the record (meetings/quality_measures.py):
each measure against a hand count, the mapping held in the criteria data, and the
closing step showing the suggestions beside the boxes."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.models import Meeting, MeetingKind, MeetingStatus, QualityScheme, Speech
from meetings.quality_measures import measure_meeting, suggested_lines
from meetings.rules import meeting_setting
from tests.helpers import at, complete, review, signed

DEFAULT = meeting_setting("QUALITY_CRITERIA")


def by_code(lines):
    return {line["code"]: line for line in lines}


@pytest.fixture
def october(world, roster, make_meeting, adopt):
    """September adopts three tasks; the October draft (7 present, 95 minutes) reviews
    two of them, and two of the members present spoke."""
    official = roster["official"]
    september = make_meeting(when=at(2026, 9, 5))
    _, tasks = adopt(
        september,
        [(f"Việc {n}", official[n], date(2026, 9, 30)) for n in range(3)],
    )
    meeting = complete(make_meeting(when=at(2026, 10, 5)), roster)
    review(tasks[0], meeting, "done")
    review(tasks[1], meeting, "done")
    for member in official[:2]:
        Speech.objects.create(meeting=meeting, speaker=member, summary="Ý kiến.")
    Speech.objects.create(meeting=meeting, guest_name="Khách", summary="Phát biểu.")
    return meeting


def test_each_measure_matches_a_hand_count(october):
    lines = by_code(suggested_lines(october, DEFAULT))
    # 95 minutes of the regular meeting's 90: the whole 5 points.
    assert lines["time"]["measured"].share == 1.0 and lines["time"]["suggested"] == 5
    assert "95" in lines["time"]["measured"].evidence
    # 7 summoned (6 official + 1 probationary; exempt and away not summoned), 7 present.
    assert lines["attendance"]["suggested"] == 5
    assert "7" in lines["attendance"]["measured"].evidence
    # No committee meeting in the 45 days before: nothing for preparation.
    assert lines["preparation"]["suggested"] == 0
    # 2 of the 7 present spoke (the guest does not count): round(30 × 2/7) = 9.
    assert lines["conduct"]["measured"].share == pytest.approx(2 / 7)
    assert lines["conduct"]["suggested"] == 9
    # 2 of the 3 open tasks reviewed: 20 of 30.
    assert lines["results"]["suggested"] == 20
    # Not signed yet: measured later, nothing suggested.
    assert lines["closing"]["measured"].share is None and lines["closing"]["suggested"] is None
    # The judgement lines are left to the person scoring.
    assert lines["chairing"]["measured"] is None and lines["principles"]["measured"] is None


def test_a_committee_meeting_before_fills_the_preparation_line(world, october):
    Meeting.objects.create(
        organization=world.cell,
        kind=MeetingKind.COMMITTEE,
        scheduled_at=october.scheduled_at - timedelta(days=10),
        status=MeetingStatus.FINALIZED,
    )
    line = by_code(suggested_lines(october, DEFAULT))["preparation"]
    assert line["suggested"] == 10 and "25/09/2026" in line["measured"].evidence


def test_a_committee_meeting_still_in_draft_or_too_early_does_not_count(world, october):
    for days, status in [(10, MeetingStatus.DRAFT), (46, MeetingStatus.FINALIZED)]:
        Meeting.objects.create(
            organization=world.cell,
            kind=MeetingKind.COMMITTEE,
            scheduled_at=october.scheduled_at - timedelta(days=days),
            status=status,
        )
    assert by_code(suggested_lines(october, DEFAULT))["preparation"]["suggested"] == 0


def test_length_is_a_share_of_the_minimum(october):
    october.ended_at = october.started_at + timedelta(minutes=45)
    line = by_code(suggested_lines(october, DEFAULT))["time"]
    assert line["measured"].share == 0.5 and line["suggested"] == 2  # round(2.5): even


@pytest.mark.parametrize(("days", "points"), [(0, 5), (2, 5), (3, 0)])
def test_signed_within_two_days_at_the_boundary(world, days, points):
    meeting = signed(world.cell, signed_days_ago=0)
    meeting.signed_at = meeting.started_at + timedelta(days=days, hours=1)
    line = by_code(suggested_lines(meeting, DEFAULT))["closing"]
    assert line["suggested"] == points


def test_which_line_is_measured_is_in_the_criteria_data(world, october):
    """A superior's own form maps its own codes to the measures: no code is special."""
    criteria = [
        {"code": "hien-dien", "label": "Tỷ lệ dự họp", "max": 40, "measure": "attendance"},
        {"code": "phat-bieu", "label": "Phát biểu", "max": 60, "measure": "speakers"},
    ]
    QualityScheme.objects.create(organization=world.commune, criteria=criteria)
    measured = measure_meeting(october, criteria)
    assert set(measured) == {"hien-dien", "phat-bieu"}
    assert measured["hien-dien"].suggested(40) == 40
    assert measured["phat-bieu"].suggested(60) == 17  # round(60 × 2/7)
    # The default's codes now measure nothing: they are not on this form; a measure
    # that is not a name measures nothing either (never an error on the page).
    assert measure_meeting(october, [{"code": "time", "label": "x", "max": 100}]) == {}
    odd = [{"code": "a", "label": "A", "max": 100, "measure": ["speakers"]}]
    assert measure_meeting(october, odd) == {}


def test_a_scheme_naming_an_unknown_measure_is_refused(world):
    scheme = QualityScheme(
        organization=world.commune,
        criteria=[{"code": "a", "label": "A", "max": 100, "measure": "vibes"}],
    )
    with pytest.raises(ValidationError, match="vibes"):
        scheme.clean()
    scheme.criteria = [{"code": "a", "label": "A", "max": 100, "measure": ["speakers"]}]
    with pytest.raises(ValidationError):
        scheme.clean()
    scheme.criteria = [{"code": "a", "label": "A", "max": 100, "measure": "speakers"}]
    scheme.clean()


def test_the_sealed_minutes_keep_no_measure_key(world, roster, signed_meeting):
    """The measures are suggestions: the seal keeps the form's code, label and maximum."""
    import json

    content = json.loads(signed_meeting.signed_content)
    assert content["quality_criteria"]
    assert all(set(item) == {"code", "label", "max"} for item in content["quality_criteria"])


def test_the_closing_step_shows_the_suggestions_beside_the_boxes(world, login, october):
    response = login(world.secretary).get(
        reverse("meetings:record_step", args=[october.pk, "closing"])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="form-text quality-suggestion" data-code="conduct"' in page
    assert "2/7 đảng viên có mặt đã phát biểu." in page
    assert 'data-code="chairing"' not in page  # a judgement: nothing suggested
    # Suggested, never filled in for her: the boxes stay empty.
    assert 'name="quality_conduct" value' not in page

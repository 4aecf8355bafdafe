"""The cell's review as a vote at one of its meetings (rating.services.review_vote_error,
CellReviewForm): the tally checked by the vote engine's rule of who votes, the list
adopted by more than half of the official members summoned."""

from datetime import date

import pytest
from django.urls import reverse

from meetings.models import Meeting, MeetingStatus
from rating import services
from rating.models import RatingLevel, RoundStatus
from tests.helpers import at, complete


@pytest.fixture
def review_setup(world, roster, make_meeting):
    """The 2026 round, and the December meeting: 6 official members summoned and
    present (and one probationary, who does not vote)."""
    rating_round = services.open_round(
        world.cell, year=2026, deadline=date(2026, 12, 20), user=world.secretary
    )
    meeting = complete(make_meeting(when=at(2026, 12, 5)), roster)
    proposals = {a.pk: (RatingLevel.GOOD, "") for a in rating_round.assessments.all() if a.is_rated}
    return rating_round, meeting, proposals


def vote(meeting, votes_for, against=0, other=0):
    return services.ReviewVote(meeting, "hands", votes_for, against, other)


@pytest.mark.parametrize(
    ("votes_for", "against", "adopted"),
    [(4, 2, True), (3, 3, False), (6, 0, True)],
)
def test_the_list_needs_more_than_half_of_the_official_members(
    world, review_setup, votes_for, against, adopted
):
    rating_round, meeting, proposals = review_setup
    if not adopted:
        with pytest.raises(services.RatingError, match="3"):
            services.record_cell_review(
                rating_round, proposals, user=world.secretary, vote=vote(meeting, 3, 3)
            )
        assert rating_round.status == RoundStatus.OPEN
        return
    services.record_cell_review(
        rating_round, proposals, user=world.secretary, vote=vote(meeting, votes_for, against)
    )
    rating_round.refresh_from_db()
    assert rating_round.status == RoundStatus.COMPILED
    assert (rating_round.review_meeting, rating_round.votes_for) == (meeting, votes_for)


def test_a_tally_over_the_official_members_present_is_refused(world, review_setup):
    rating_round, meeting, proposals = review_setup
    with pytest.raises(services.RatingError, match="6"):
        services.record_cell_review(
            rating_round, proposals, user=world.secretary, vote=vote(meeting, 7)
        )


def test_only_a_meeting_the_cell_held_can_vote(world, review_setup):
    rating_round, _meeting, proposals = review_setup
    elsewhere = Meeting.objects.create(
        organization=world.sibling_cell,
        kind="extraordinary",
        topic="Khác",
        scheduled_at=at(2026, 12, 6),
        status=MeetingStatus.DRAFT,
    )
    planned = Meeting.objects.create(
        organization=world.cell,
        kind="extraordinary",
        topic="Sắp họp",
        scheduled_at=at(2026, 12, 28),
        status=MeetingStatus.PLANNED,
    )
    for meeting in (elsewhere, planned):
        with pytest.raises(services.RatingError):
            services.record_cell_review(
                rating_round, proposals, user=world.secretary, vote=vote(meeting, 6)
            )
    assert planned not in services.meetings_for_review(rating_round)
    assert elsewhere not in services.meetings_for_review(rating_round)


def levels_data(rating_round):
    return {f"level_{a.pk}": RatingLevel.GOOD for a in rating_round.assessments.all() if a.is_rated}


def test_the_review_page_records_the_vote(world, review_setup, login):
    rating_round, meeting, _proposals = review_setup
    client = login(world.secretary)
    url = reverse("rating:cell_review", args=[rating_round.pk])
    page = client.get(url)
    assert list(page.context["form"].fields["review_meeting"].queryset) == [meeting]
    data = {
        **levels_data(rating_round),
        "review_meeting": meeting.pk,
        "vote_method": "hands",
        "votes_for": "5",
        "votes_against": "1",
        "votes_other": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    rating_round.refresh_from_db()
    assert (rating_round.votes_for, rating_round.votes_against) == (5, 1)
    shown = client.get(reverse("rating:round", args=[rating_round.pk])).content.decode()
    assert 'id="review-vote"' in shown and reverse("meetings:detail", args=[meeting.pk]) in shown


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"review_meeting": "MEETING", "votes_for": "9"}, "votes_for"),
        ({"review_meeting": "MEETING", "votes_for": "2"}, "votes_for"),
        ({"review_meeting": "MEETING", "votes_for": "nhiều"}, "votes_for"),
        ({"votes_for": "5"}, "review_meeting"),
        ({"review_meeting": "999999", "votes_for": "5"}, "review_meeting"),
    ],
)
def test_a_bad_vote_comes_back_with_the_entries(world, review_setup, login, extra, field):
    rating_round, meeting, _proposals = review_setup
    extra = {k: str(meeting.pk) if v == "MEETING" else v for k, v in extra.items()}
    response = login(world.secretary).post(
        reverse("rating:cell_review", args=[rating_round.pk]),
        {**levels_data(rating_round), **extra},
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert f'value="{extra["votes_for"]}"' in response.content.decode()
    rating_round.refresh_from_db()
    assert rating_round.status == RoundStatus.OPEN and rating_round.review_meeting is None


def test_without_a_meeting_the_list_is_compiled_as_before(world, review_setup, login):
    rating_round, _meeting, _proposals = review_setup
    response = login(world.secretary).post(
        reverse("rating:cell_review", args=[rating_round.pk]), levels_data(rating_round)
    )
    assert response.status_code == 302
    rating_round.refresh_from_db()
    assert rating_round.status == RoundStatus.COMPILED and rating_round.review_meeting is None

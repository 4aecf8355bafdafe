"""The vote and attendance rules of DOMAIN.md."""

import pytest
from django.utils import translation

from meetings import services
from meetings.models import AttendanceStatus, vote_count_for
from meetings.rules import VoteCount, quality_level
from tests.helpers import mark

P, E, U = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.ABSENT_EXCUSED,
    AttendanceStatus.ABSENT_UNEXCUSED,
)


def test_majority_is_more_than_half_of_the_denominator_not_of_those_present():
    count = VoteCount(denominator=10, eligible_present=7)
    assert count.majority == 6
    assert not count.is_adopted(5)  # 5 of 7 present, but not more than half of 10
    assert count.is_adopted(6)
    assert VoteCount(denominator=9, eligible_present=9).majority == 5


def test_a_tally_larger_than_the_official_members_present_is_refused():
    count = VoteCount(denominator=10, eligible_present=7)
    assert count.tally_error(5, 2, 0) is None
    assert count.tally_error(6, 2, 0) is not None
    assert count.tally_error(-1, 0, 0) is not None


def test_probationary_members_are_never_counted_as_voters(make_meeting, roster):
    meeting = make_meeting()
    everyone = roster["official"] + [roster["probationary"]]
    mark(meeting, dict.fromkeys(everyone, P))
    count = vote_count_for(list(meeting.attendances.all()))
    assert count.eligible_present == 6
    assert count.denominator == 6


def test_exempt_and_away_members_are_outside_the_denominator(make_meeting, roster):
    meeting = make_meeting()
    mark(meeting, dict.fromkeys(roster["official"], P))
    count = vote_count_for(list(meeting.attendances.all()))
    assert count.denominator == 6  # not the exempt one who stayed home, not the away one


def test_an_exempt_member_who_attends_is_counted(make_meeting, roster):
    meeting = make_meeting()
    mark(meeting, dict.fromkeys([*roster["official"], roster["exempt"]], P))
    count = vote_count_for(list(meeting.attendances.all()))
    assert (count.denominator, count.eligible_present) == (7, 7)
    summary = services.summarize_attendance(meeting)
    assert (summary.present, summary.summoned) == (7, 8)  # the probationary member is summoned


def test_absent_members_stay_in_the_denominator(make_meeting, roster):
    official = roster["official"]
    meeting = make_meeting()
    mark(meeting, {official[0]: P, official[1]: P, official[2]: (E, "ốm"), official[3]: U})
    count = vote_count_for(list(meeting.attendances.all()))
    assert (count.denominator, count.eligible_present) == (6, 2)


@pytest.mark.parametrize(
    ("total", "level"),
    [
        (100, "good"),
        (90, "good"),
        (89, "fair"),
        (70, "fair"),
        (69, "average"),
        (50, "average"),
        (49, "poor"),
        (0, "poor"),
    ],
)
def test_quality_levels(total, level):
    assert quality_level(total) == level


def test_attendance_under_the_target_warns(make_meeting, roster):
    official = roster["official"]
    meeting = make_meeting()
    mark(
        meeting,
        {
            **dict.fromkeys(official[:4], P),
            official[4]: (E, "đi công tác"),
            official[5]: U,
            roster["probationary"]: P,
        },
    )
    with translation.override("en"):
        summary = services.summarize_attendance(meeting)
    assert summary.percent_present == pytest.approx(71.4)
    assert any("85" in warning for warning in summary.warnings)
    assert any("without reason" in warning for warning in summary.warnings)


def test_third_absence_with_reason_in_a_row_warns(make_meeting, roster, world):
    from tests.helpers import at, complete

    often_away = roster["official"][5]
    for month in (8, 9):
        earlier = make_meeting(when=at(2026, month, 5))
        complete(earlier, roster)
        mark(earlier, {often_away: (E, "ốm")})
    meeting = make_meeting(when=at(2026, 10, 5))
    mark(meeting, {often_away: (E, "ốm")})
    warnings = services.summarize_attendance(meeting).warnings
    assert any(often_away.full_name in warning for warning in warnings)


def test_two_absences_with_reason_do_not_warn(make_meeting, roster):
    from tests.helpers import at

    often_away = roster["official"][5]
    earlier = make_meeting(when=at(2026, 9, 5))
    mark(earlier, {often_away: (E, "ốm")})
    meeting = make_meeting(when=at(2026, 10, 5))
    mark(meeting, {often_away: (E, "ốm")})
    warnings = services.summarize_attendance(meeting).warnings
    assert not any(often_away.full_name in warning for warning in warnings)

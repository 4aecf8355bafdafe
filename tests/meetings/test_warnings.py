"""One rule for the warnings of the minutes (meetings.warnings): the recording and
finalizing pages and the superior's review queue show the same ones."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from meetings import services, steps
from meetings.kinds import MeetingKind
from meetings.models import AttendanceStatus
from meetings.rules import meeting_setting
from meetings.warnings import ATTENDANCE_LOW, TOO_SHORT, warnings_for
from tests.factories import MemberFactory
from tests.helpers import at, complete, mark, sign_both, signed

P, E, U = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.ABSENT_EXCUSED,
    AttendanceStatus.ABSENT_UNEXCUSED,
)
QUEUE = reverse("oversight:review_queue")


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def kinds(warnings):
    return [warning.kind for warning in warnings]


def with_target(settings, target):
    settings.CELLMEET_MEETINGS = {**settings.CELLMEET_MEETINGS, "ATTENDANCE_TARGET_PERCENT": target}


@pytest.fixture
def twenty_summoned(world, roster, make_meeting):
    """A meeting of 20 summoned members (19 official, 1 probationary), 17 present and 3
    absent with reason: exactly 85 %."""
    extra = [
        MemberFactory(organization=world.cell, admitted_on=date(1990, 1, 1)) for _ in range(13)
    ]
    meeting = make_meeting()
    summoned = roster["official"] + [roster["probationary"]] + extra
    mark(meeting, {**dict.fromkeys(summoned[:17], P), **dict.fromkeys(summoned[17:], (E, "ốm"))})
    meeting.summoned = summoned
    return meeting


def test_attendance_at_exactly_the_target_is_not_warned(twenty_summoned):
    assert meeting_setting("ATTENDANCE_TARGET_PERCENT") == 85
    summary = services.summarize_attendance(twenty_summoned)
    assert (summary.present, summary.summoned, summary.unmarked) == (17, 20, 0)
    assert ATTENDANCE_LOW not in kinds(summary.warnings)


def test_attendance_just_under_the_target_is_warned(twenty_summoned, settings):
    with_target(settings, 85.1)
    warnings = services.summarize_attendance(twenty_summoned).warnings
    assert ATTENDANCE_LOW in kinds(warnings)
    assert "Attendance is 85.0%, under the target of 85.1%." in warnings


def test_one_member_fewer_than_the_target_is_warned(twenty_summoned):
    mark(twenty_summoned, {twenty_summoned.summoned[0]: (E, "ốm")})
    assert ATTENDANCE_LOW in kinds(services.summarize_attendance(twenty_summoned).warnings)


def test_attendance_is_not_judged_while_a_summoned_member_is_unmarked(make_meeting, roster):
    """ "All rows marked" means every summoned member: 4 of the 6 others present would
    be 57 %, but one summoned member has no mark yet."""
    meeting = make_meeting()
    official = roster["official"]
    mark(meeting, {**dict.fromkeys(official[:4], P), official[4]: (E, "ốm")})
    summary = services.summarize_attendance(meeting)
    assert summary.unmarked == 2  # official[5] and the probationary member
    assert ATTENDANCE_LOW not in kinds(summary.warnings)
    mark(meeting, {official[5]: (E, "ốm")})
    assert ATTENDANCE_LOW not in kinds(services.summarize_attendance(meeting).warnings)


def test_rows_of_members_not_summoned_may_stay_unmarked(make_meeting, roster):
    """The away and the exempt member are not summoned: their empty marks do not keep
    the warning back."""
    meeting = make_meeting()
    official = roster["official"]
    mark(
        meeting,
        {
            **dict.fromkeys(official[:4], P),
            **dict.fromkeys([*official[4:], roster["probationary"]], (E, "ốm")),
        },
    )
    summary = services.summarize_attendance(meeting)
    unmarked = [row for row in summary.rows if row.status == AttendanceStatus.UNMARKED]
    assert {row.member for row in unmarked} == {roster["away"], roster["exempt"]}
    assert summary.unmarked == 0
    assert "Attendance is 57.1%, under the target of 85%." in summary.warnings


# -- the queue shows the workflow's warnings -----------------------------------------


def test_the_queue_shows_the_warnings_of_the_finalizing_page(make_meeting, roster, world, login):
    meeting = complete(make_meeting(), roster, votes_for=4)
    mark(meeting, {roster["official"][4]: U, roster["official"][5]: U})
    meeting.minutes_adopted_votes = 5
    meeting.ended_at = meeting.started_at + timedelta(minutes=60)
    meeting.save()
    client = login(world.secretary)
    page = client.get(reverse("meetings:record_step", args=[meeting.pk, steps.REVIEW]))
    on_the_finalizing_page = page.context["summary"].warnings
    assert kinds(on_the_finalizing_page) == [ATTENDANCE_LOW, "absent_unexcused", TOO_SHORT]

    services.finalize_minutes(meeting, user=world.secretary)
    sign_both(meeting, world, roster)
    response = login(world.reviewer).get(QUEUE)
    [row] = response.context["rows"]
    assert row.warnings == on_the_finalizing_page
    assert (row.attendance_low, row.too_short) == (True, True)
    html = response.content.decode()
    assert all(warning in html for warning in on_the_finalizing_page)


def queue_row_of(meeting, client):
    [row] = [row for row in client.get(QUEUE).context["rows"] if row.meeting == meeting]
    return row


def test_the_queue_judges_a_thematic_meeting_by_its_own_minimum(world, login):
    client = login(world.reviewer)

    def thematic(minutes, month):
        return signed(
            world.cell,
            month=month,
            kind=MeetingKind.THEMATIC,
            ended_at=at(2026, month, 5) + timedelta(minutes=minutes),
        )

    long_enough = thematic(40, month=9)  # over its own 30, under a regular meeting's 90
    assert not queue_row_of(long_enough, client).too_short
    short = thematic(20, month=10)
    row = queue_row_of(short, client)
    assert row.too_short and kinds(row.warnings) == [TOO_SHORT]
    assert row.warnings == warnings_for(short)


def test_the_queue_does_not_call_minutes_without_an_end_time_too_short(world, login):
    meeting = signed(world.cell, ended_at=None)
    row = queue_row_of(meeting, login(world.reviewer))
    assert row.duration_minutes is None
    assert not row.too_short

"""One rule for "summoned": the Python property and the database filter agree."""

import itertools

from meetings.models import SUMMONED_Q, Attendance, AttendanceStatus
from meetings.record import AttendanceEntry, record_of, summarize_rows
from members.models import ActivityStatus, MembershipStatus
from tests.factories import MemberFactory

COMBINATIONS = list(
    itertools.product(AttendanceStatus.values, ActivityStatus.values, MembershipStatus.values)
)


def test_the_property_and_the_filter_agree_on_every_combination(world, make_meeting):
    meeting = make_meeting()
    meeting.attendances.all().delete()
    rows = [
        Attendance.objects.create(
            meeting=meeting,
            member=MemberFactory(organization=world.cell),
            status=status,
            membership_at_meeting=membership,
            activity_at_meeting=activity,
        )
        for status, activity, membership in COMBINATIONS
    ]
    in_database = set(meeting.attendances.filter(SUMMONED_Q).values_list("pk", flat=True))
    in_python = {row.pk for row in rows if row.is_summoned}
    assert in_database == in_python
    # Sealed rows read the same facts the same way.
    sealed = {entry.member_id for entry in record_of(meeting).attendance if entry.is_summoned}
    assert sealed == {row.member_id for row in rows if row.is_summoned}
    # And the rule itself: away members never, exempt ones only when present.
    by_key = {(r.status, r.activity_at_meeting, r.membership_at_meeting): r for r in rows}
    for (status, activity, membership), row in by_key.items():
        expected = activity != ActivityStatus.AWAY and (
            activity != ActivityStatus.EXEMPT or status == AttendanceStatus.PRESENT
        )
        assert row.is_summoned == expected, (status, activity, membership)


def test_a_sealed_entry_follows_the_rule_without_a_database():
    entry = AttendanceEntry(
        {
            "member": {"id": 1, "name": "Bùi Văn Hậu"},
            "status": AttendanceStatus.PRESENT,
            "membership": MembershipStatus.OFFICIAL,
            "activity": ActivityStatus.EXEMPT,
        }
    )
    assert entry.is_summoned
    entry.status = AttendanceStatus.ABSENT_EXCUSED
    assert not entry.is_summoned


def test_the_live_counter_adds_up_to_the_servers_summary_on_every_combination():
    """static/js/minutes.js counts a row in x when marked present and counts_if_present,
    in y then or when summoned_whatever_the_mark: for every mark of every kind of
    member, that is the summary's present/summoned (an away member in neither)."""

    for status, activity, membership in COMBINATIONS:
        row = Attendance(
            status=status, membership_at_meeting=membership, activity_at_meeting=activity
        )
        counted = status == AttendanceStatus.PRESENT and row.counts_if_present
        in_y = counted or row.summoned_whatever_the_mark
        summary = summarize_rows([row])
        assert (int(counted), int(in_y)) == (summary.present, summary.summoned), (
            status,
            activity,
        )
    away = Attendance(
        status=AttendanceStatus.PRESENT,
        membership_at_meeting=MembershipStatus.OFFICIAL,
        activity_at_meeting=ActivityStatus.AWAY,
    )
    assert not away.counts_if_present and not away.summoned_whatever_the_mark

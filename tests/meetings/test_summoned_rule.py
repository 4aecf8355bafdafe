"""One rule for "summoned": the Python property and the database filter agree."""

import itertools

from meetings.models import SUMMONED_Q, Attendance, AttendanceStatus
from meetings.record import AttendanceEntry, record_of
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

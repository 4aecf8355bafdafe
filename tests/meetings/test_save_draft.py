"""meetings.services.save_draft: what the recording page submitted, applied as one."""

import pytest

from cellmeet.forms import RowChanges, StaleRecordError
from cellmeet.sealed import MinutesFrozenError
from meetings import services
from meetings.changes import DraftChanges
from meetings.models import Attendance, AttendanceStatus, Guest
from tests.helpers import at

PRESENT = AttendanceStatus.PRESENT


def marks(*rows, status=PRESENT, reason=""):
    return {row.pk: {"status": status, "reason": reason} for row in rows}


def test_only_the_rows_she_changed_are_logged_with_her_name(world, roster, make_meeting):
    meeting = make_meeting()
    first, second = meeting.attendances.order_by("pk")[:2]
    unchanged = {second.pk: {"status": second.status, "reason": second.reason}}
    changes = DraftChanges(
        version=meeting.version,
        meeting={"conclusion": "Thống nhất."},
        attendance={**marks(first, status="absent_excused", reason="Ốm"), **unchanged},
    )

    services.save_draft(meeting, changes, user=world.secretary)

    first.refresh_from_db()
    assert (first.status, first.reason) == ("absent_excused", "Ốm")
    logged = Attendance.history.filter(meeting_id=meeting.pk, history_type="~")
    assert list(logged.values_list("id", "status", "reason", "history_user")) == [
        (first.pk, "absent_excused", "Ốm", world.secretary.pk)
    ]
    assert meeting.history.first().history_user == world.secretary
    meeting.refresh_from_db()
    assert meeting.conclusion == "Thống nhất."


def test_a_stale_version_saves_nothing(world, roster, make_meeting):
    meeting = make_meeting()
    row = meeting.attendances.first()
    changes = DraftChanges(
        version=meeting.version - 1, meeting={"conclusion": "Cũ."}, attendance=marks(row)
    )

    with pytest.raises(StaleRecordError):
        services.save_draft(meeting, changes, user=world.secretary)

    row.refresh_from_db()
    assert row.status == AttendanceStatus.UNMARKED
    stored = type(meeting).objects.get(pk=meeting.pk)
    assert stored.conclusion == ""


def test_signed_minutes_refuse_a_draft_save(world, signed_meeting):
    row = signed_meeting.attendances.exclude(status=AttendanceStatus.ABSENT_UNEXCUSED).first()
    changes = DraftChanges(
        version=signed_meeting.version,
        meeting={},
        attendance=marks(row, status=AttendanceStatus.ABSENT_UNEXCUSED),
    )
    with pytest.raises(MinutesFrozenError):
        services.save_draft(signed_meeting, changes, user=world.secretary)
    row.refresh_from_db()
    assert row.status != AttendanceStatus.ABSENT_UNEXCUSED


def test_a_row_of_another_meeting_is_left_alone(world, roster, make_meeting):
    meeting = make_meeting()
    other = make_meeting(when=at(2026, 9, 5))
    foreign = other.attendances.first()
    changes = DraftChanges(version=meeting.version, meeting={}, attendance=marks(foreign))

    services.save_draft(meeting, changes, user=world.secretary)

    foreign.refresh_from_db()
    assert foreign.status == AttendanceStatus.UNMARKED


def test_guests_are_updated_added_after_the_others_and_deleted_with_history(
    world, roster, make_meeting
):
    meeting = make_meeting()
    kept = Guest.objects.create(meeting=meeting, name="Khách cũ", order=1)
    removed = Guest.objects.create(meeting=meeting, name="Khách bỏ", order=2)
    guests = RowChanges(
        new=[{"name": "Khách mới 1"}, {"name": "Khách mới 2", "unit": "Đoàn xã"}],
        changed={kept.pk: {"name": "Khách cũ (sửa)"}},
        deleted=[removed.pk],
    )
    changes = DraftChanges(version=meeting.version, meeting={}, guests=guests)

    services.save_draft(meeting, changes, user=world.secretary)

    assert list(meeting.guests.values_list("name", "order")) == [
        ("Khách cũ (sửa)", 1),
        ("Khách mới 1", 3),
        ("Khách mới 2", 4),
    ]
    logged = Guest.history.filter(meeting_id=meeting.pk, history_user=world.secretary)
    assert sorted(logged.values_list("name", "history_type")) == [
        ("Khách bỏ", "-"),
        ("Khách cũ (sửa)", "~"),
        ("Khách mới 1", "+"),
        ("Khách mới 2", "+"),
    ]

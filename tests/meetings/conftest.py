from datetime import date, datetime

import pytest
from django.utils import timezone

from meetings import services
from meetings.models import AttendanceStatus, Meeting, MeetingKind
from tests.factories import MemberFactory


def at(year, month, day, hour=19, minute=30):
    return timezone.make_aware(datetime(year, month, day, hour, minute))


@pytest.fixture
def roster(world):
    """world.cell with 6 official active members (world.member among them), one
    probationary, one exempt and one temporarily away."""
    cell = world.cell
    official = [world.member] + [
        MemberFactory(organization=cell, full_name=name, admitted_on=date(1990, 1, 1))
        for name in ["Trần Văn An", "Lê Thị Bình", "Phạm Văn Cường", "Hoàng Thị Dung", "Vũ Văn Em"]
    ]
    probationary = MemberFactory(
        organization=cell,
        full_name="Đỗ Thị Gấm",
        status="probationary",
        admitted_on=date(2026, 3, 1),
    )
    exempt = MemberFactory(organization=cell, full_name="Bùi Văn Hậu", activity_status="exempt")
    away = MemberFactory(organization=cell, full_name="Ngô Thị Kim", activity_status="away")
    return {"official": official, "probationary": probationary, "exempt": exempt, "away": away}


@pytest.fixture
def make_meeting(world, roster):
    def _make(kind=MeetingKind.REGULAR, when=None, topic="", start=True):
        meeting = Meeting(
            organization=world.cell,
            kind=kind,
            scheduled_at=when or at(2026, 10, 5),
            topic=topic
            or ("Học tập và làm theo tư tưởng Hồ Chí Minh" if kind == "thematic" else ""),
            location="Nhà văn hóa thôn",
        )
        services.save_planned_meeting(meeting, user=world.secretary)
        if start:
            meeting = services.start_recording(meeting, user=world.secretary)
        return meeting

    return _make


def mark(meeting, statuses):
    """statuses: {member: status or (status, reason)}; others stay as they are."""
    for row in meeting.attendances.select_related("member"):
        if row.member in statuses:
            value = statuses[row.member]
            row.status, row.reason = value if isinstance(value, tuple) else (value, "")
            row.save()


def complete(meeting, roster, *, votes_for=5):
    """Fill what finalizing needs: everyone present but the away member is not summoned."""
    everyone = roster["official"] + [roster["probationary"]]
    mark(meeting, dict.fromkeys(everyone, AttendanceStatus.PRESENT))
    meeting.refresh_from_db()
    meeting.chair = roster["official"][0]
    meeting.note_taker = roster["official"][1]
    meeting.started_at = meeting.scheduled_at
    meeting.ended_at = meeting.scheduled_at + timezone.timedelta(minutes=95)
    meeting.news_briefing = "Thông tin thời sự tháng 10."
    meeting.conclusion = "Chi bộ thống nhất các nhiệm vụ tháng 11."
    meeting.vote_method = "hands"
    meeting.votes_for, meeting.votes_against, meeting.votes_other = votes_for, 0, 0
    meeting.minutes_adopted_votes = 7
    if meeting.kind == MeetingKind.THEMATIC:
        meeting.presenter = roster["official"][2]
        meeting.lead_report_title = "Báo cáo đề dẫn chuyên đề quý IV"
    meeting.save()
    return meeting

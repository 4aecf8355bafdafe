"""Plain helpers shared by the test packages: the world of tests/conftest.py as
builders (for fixtures of any scope), and the steps of the minutes workflow that many
tests take. Fixtures live in conftest.py files; nothing here is a fixture."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from meetings import services
from meetings.models import AttendanceStatus, Meeting, MeetingKind, MeetingStatus
from members.models import OrganizationKind, RoleKind
from resolutions import services as resolution_services
from resolutions.models import Resolution, Task, TaskUpdate
from tests.factories import (
    CellFactory,
    CommitteeFactory,
    MemberFactory,
    OrganizationFactory,
    RoleFactory,
)


def at(year, month, day, hour=19, minute=30):
    return timezone.make_aware(datetime(year, month, day, hour, minute))


# ---------------------------------------------------------------- the world


@dataclass
class World:
    """Two communes under one superior committee, and a user for each role.

    superior
    ├── commune            (reviewer, admin over superior)
    │   ├── cell           (secretary, viewer)   ← the cell most tests act on
    │   └── sibling_cell   (its own secretary: an outsider to `cell`)
    └── other_commune
        └── far_cell
    """

    superior: object
    commune: object
    cell: object
    sibling_cell: object
    other_commune: object
    far_cell: object
    secretary: object
    viewer: object
    reviewer: object
    admin: object
    outsider: object
    far_reviewer: object
    member: object
    sibling_member: object

    def user(self, role):
        return None if role == "anonymous" else getattr(self, role)


def build_world():
    superior = OrganizationFactory(name="Tỉnh ủy Sơn Nguyên")
    commune = CommitteeFactory(name="Đảng bộ xã Yên Hòa", parent=superior)
    cell = CellFactory(name="Chi bộ thôn Đông", parent=commune)
    sibling_cell = CellFactory(name="Chi bộ thôn Tây", parent=commune)
    other_commune = CommitteeFactory(name="Đảng bộ xã Bình Minh", parent=superior)
    far_cell = CellFactory(name="Chi bộ thôn Bắc", parent=other_commune)
    assert other_commune.kind == OrganizationKind.GRASSROOTS_COMMITTEE
    return World(
        superior=superior,
        commune=commune,
        cell=cell,
        sibling_cell=sibling_cell,
        other_commune=other_commune,
        far_cell=far_cell,
        secretary=RoleFactory(organization=cell, kind=RoleKind.CELL_SECRETARY).user,
        viewer=RoleFactory(organization=cell, kind=RoleKind.CELL_VIEWER).user,
        reviewer=RoleFactory(organization=commune, kind=RoleKind.SUPERIOR_REVIEWER).user,
        admin=RoleFactory(organization=superior, kind=RoleKind.ADMIN).user,
        outsider=RoleFactory(organization=sibling_cell, kind=RoleKind.CELL_SECRETARY).user,
        far_reviewer=RoleFactory(organization=other_commune, kind=RoleKind.SUPERIOR_REVIEWER).user,
        member=MemberFactory(organization=cell, full_name="Nguyễn Thị Lan"),
        sibling_member=MemberFactory(organization=sibling_cell, full_name="Trần Văn Hùng"),
    )


def build_roster(world):
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


def meeting_maker(world):
    """make_meeting(kind, when, topic, start): a meeting of world.cell, planned through
    the workflow and, unless start=False, being recorded."""

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


def adopt(meeting, tasks, number=None, title="Nghị quyết lãnh đạo tháng"):
    """Adopt a resolution at a meeting with tasks given as (title, lead, due)."""
    resolution = resolution_services.save_resolution(
        Resolution(
            meeting=meeting,
            number=number
            or resolution_services.next_resolution_number(meeting.organization, "2025–2030"),
            title=title,
        )
    )
    created = [
        Task.objects.create(
            resolution=resolution, title=task_title, lead=lead, due_on=due, order=order
        )
        for order, (task_title, lead, due) in enumerate(tasks, start=1)
    ]
    return resolution, created


# ---------------------------------------------------------------- the minutes workflow


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


def sign_both(meeting, world, roster):
    """The chair signs with her account (the secretary's), the note-taker on paper."""
    chair, note_taker = roster["official"][0], roster["official"][1]
    chair.user = world.secretary
    chair.save()
    services.sign_minutes(meeting, user=world.secretary, role="chair")
    services.sign_minutes(meeting, user=world.secretary, role="note_taker", on_paper=True)
    assert note_taker.user is None
    meeting.refresh_from_db()
    return meeting


def sign(meeting, world, roster):
    """Finalize complete minutes, then sign them both ways."""
    services.finalize_minutes(meeting, user=world.secretary)
    return sign_both(meeting, world, roster)


def signed(cell, *, signed_days_ago=1, month=10, kind="regular", **fields):
    """Signed minutes with the counts finalizing stores, created without the workflow."""
    scheduled_at = at(2026, month, 5)
    fields = {
        "started_at": scheduled_at,
        "ended_at": scheduled_at + timedelta(minutes=95),
        "present_count": 9,
        "summoned_count": 10,
        "votes_for": 6,
        "votes_against": 0,
        "votes_other": 0,
        "signed_at": timezone.now() - timedelta(days=signed_days_ago),
        "status": MeetingStatus.SIGNED,
        **fields,
    }
    return Meeting.objects.create(organization=cell, kind=kind, scheduled_at=scheduled_at, **fields)


def review(task, meeting, result, decision="", closed_reason="", evaluation="", new_due_on=None):
    """Review a task at a meeting, as the recording page does."""
    update = TaskUpdate(
        task=task,
        meeting=meeting,
        result=result,
        decision=decision,
        closed_reason=closed_reason,
        evaluation=evaluation,
        new_due_on=new_due_on,
    )
    resolution_services.save_task_review(update, reviewed=True)
    return update

"""Each kind of message reaches the right people through a real SMTP server, in
Vietnamese, as plain text and HTML, with a link back and (for invitations) a calendar
entry that icalendar reads; nobody without an address or who said no gets anything."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, MeetingKind
from members.models import DelegateAssignment, RoleKind
from notifications.models import Kind, Message, MessageStatus, NotificationSettings
from oversight.guidance import publish_guidance
from oversight.models import Guidance
from tests.factories import MemberFactory, RoleFactory
from tests.helpers import complete
from tests.notifications.conftest import SENDER, calendar_of, html_of, subject_of, text_of

# Calendar entries keep whole seconds.
FUTURE = (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)


@pytest.fixture
def reachable(roster):
    """Addresses for the roster: everyone agrees but Lê Thị Bình (address, said no);
    Phạm Văn Cường has no address; the away member has one (and is not summoned)."""
    people = {member.full_name: member for member in roster["official"]}
    people[roster["probationary"].full_name] = roster["probationary"]
    people[roster["exempt"].full_name] = roster["exempt"]
    people[roster["away"].full_name] = roster["away"]
    for number, member in enumerate(people.values(), start=1):
        member.email = f"dangvien{number}@example.org"
        member.wants_messages = True
    people["Lê Thị Bình"].wants_messages = False
    people["Phạm Văn Cường"].email = ""
    for member in people.values():
        member.save()
    return people


def plan(world, when=FUTURE, **fields):
    meeting = Meeting(
        organization=world.cell,
        kind=fields.pop("kind", MeetingKind.REGULAR),
        scheduled_at=when,
        location=fields.pop("location", "Nhà văn hóa thôn Đông"),
        agenda=fields.pop("agenda", "1. Thông tin thời sự\n2. Kiểm điểm nghị quyết tháng trước"),
        **fields,
    )
    return services.save_planned_meeting(meeting, user=world.secretary)


def addresses(people, *names):
    return sorted(people[name].email for name in names)


SUMMONED_WITH_CONSENT = [
    "Nguyễn Thị Lan",
    "Trần Văn An",
    "Hoàng Thị Dung",
    "Vũ Văn Em",
    "Đỗ Thị Gấm",
    "Bùi Văn Hậu",
]


def test_planning_a_meeting_invites_each_summoned_member_with_a_calendar_entry(
    world, reachable, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = plan(
            world,
            kind=MeetingKind.THEMATIC,
            topic="Học tập tư tưởng Hồ Chí Minh",
            lead_report_title="Báo cáo đề dẫn chuyên đề quý IV",
        )

    # Not the member who said no, not the one without an address, not the one away.
    assert smtp.recipients() == addresses(reachable, *SUMMONED_WITH_CONSENT)
    message = smtp.to("dangvien1@example.org")[0]
    assert message["From"] == SENDER
    assert subject_of(message).startswith("Giấy mời: Sinh hoạt chuyên đề")
    assert "Chi bộ thôn Đông" in subject_of(message)
    text, html = text_of(message), html_of(message)
    local = timezone.localtime(meeting.scheduled_at)
    for body in (text, html):
        assert "Kính gửi đồng chí Nguyễn Thị Lan" in body
        assert local.strftime("%d/%m/%Y") in body
        assert local.strftime("%H:%M") in body
        assert "Nhà văn hóa thôn Đông" in body
        assert "Học tập tư tưởng Hồ Chí Minh" in body
        assert "Báo cáo đề dẫn chuyên đề quý IV" in body
        assert "Kiểm điểm nghị quyết tháng trước" in body
        assert f"https://chibo.example.org/meetings/{meeting.pk}/" in body
    assert "<html" in html

    calendar = calendar_of(message)
    assert calendar["METHOD"] == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{meeting.pk}@chibo.example.org"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == meeting.scheduled_at
    assert str(event["LOCATION"]) == "Nhà văn hóa thôn Đông"
    assert "Học tập tư tưởng Hồ Chí Minh" in str(event["DESCRIPTION"])
    assert [str(a) for a in [event["ATTENDEE"]]] == ["mailto:dangvien1@example.org"]

    log = Message.objects.filter(kind=Kind.INVITATION)
    assert log.count() == len(SUMMONED_WITH_CONSENT)
    assert set(log.values_list("status", flat=True)) == {MessageStatus.DELIVERED}


def test_moving_a_meeting_sends_the_entry_again_with_the_same_uid_and_a_higher_sequence(
    world, reachable, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = plan(world)
    with django_capture_on_commit_callbacks(execute=True):
        meeting.topic = "Chủ đề mới"  # not a move: nobody is written to again
        services.save_planned_meeting(meeting, user=world.secretary)
    assert len(smtp.to("dangvien1@example.org")) == 1

    with django_capture_on_commit_callbacks(execute=True):
        meeting.scheduled_at += timedelta(days=1)
        meeting.location = "Hội trường xã"
        services.save_planned_meeting(meeting, user=world.secretary)

    first, moved = smtp.to("dangvien1@example.org")
    assert subject_of(moved).startswith("Đổi lịch họp:")
    assert "Hội trường xã" in text_of(moved)
    old, new = calendar_of(first).walk("VEVENT")[0], calendar_of(moved).walk("VEVENT")[0]
    assert str(old["UID"]) == str(new["UID"])
    assert (old["SEQUENCE"], new["SEQUENCE"]) == (0, 1)
    assert new.decoded("DTSTART") == meeting.scheduled_at


def test_no_invitation_for_a_meeting_recorded_after_it_took_place(
    world, reachable, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plan(world, when=timezone.now() - timedelta(days=3))
    assert smtp.received == []
    assert not Message.objects.exists()


def test_an_organisation_can_switch_invitations_off_for_its_subtree(
    world, reachable, smtp, django_capture_on_commit_callbacks
):
    NotificationSettings.objects.create(organization=world.commune, invitation=False)
    with django_capture_on_commit_callbacks(execute=True):
        plan(world)
    assert smtp.received == []


def test_finalized_minutes_ask_the_chair_and_the_note_taker_to_sign(
    world, roster, reachable, smtp, make_meeting, django_capture_on_commit_callbacks
):
    meeting = complete(make_meeting(), roster)  # chair Nguyễn Thị Lan, note-taker Trần Văn An
    with django_capture_on_commit_callbacks(execute=True):
        services.finalize_minutes(meeting, user=world.secretary)
    assert smtp.recipients() == addresses(reachable, "Nguyễn Thị Lan", "Trần Văn An")
    chair = smtp.to(reachable["Nguyễn Thị Lan"].email)[0]
    assert subject_of(chair).startswith("Đề nghị ký biên bản:")
    assert "chủ trì" in text_of(chair)
    note_taker = text_of(smtp.to(reachable["Trần Văn An"].email)[0])
    assert "thư ký" in note_taker
    assert f"https://chibo.example.org/meetings/{meeting.pk}/" in note_taker
    assert calendar_of(chair) is None


def test_returned_minutes_bring_the_reviewers_comment_to_the_secretary(
    world, roster, signed_meeting, smtp, django_capture_on_commit_callbacks
):
    # The secretary's account is linked to her member record (the chair's, in
    # sign_both): the member's address and choice count, not the account's.
    world.secretary.email = "tai-khoan@example.org"
    world.secretary.save()
    chair = roster["official"][0]
    assert chair.user == world.secretary
    chair.email, chair.wants_messages = "bithu@example.org", True
    chair.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.return_minutes(
            signed_meeting, user=world.reviewer, comment="Ghi rõ số đảng viên vắng mặt."
        )
    (message,) = smtp.messages
    assert smtp.recipients() == ["bithu@example.org"]
    assert subject_of(message).startswith("Biên bản bị trả lại để sửa:")
    for body in (text_of(message), html_of(message)):
        assert "Ghi rõ số đảng viên vắng mặt." in body


def test_published_guidance_reaches_the_secretaries_of_the_cells_below(
    world, smtp, django_capture_on_commit_callbacks
):
    world.secretary.email = "bithu@example.org"
    world.secretary.save()
    world.outsider.email = "bithu-tay@example.org"  # the sibling cell's secretary
    world.outsider.save()
    far = RoleFactory(organization=world.far_cell, kind=RoleKind.CELL_SECRETARY).user
    far.email = "bithu-bac@example.org"
    far.save()
    guidance = Guidance.objects.create(
        organization=world.commune, year=2026, month=12, orientation="Tập trung thu đảng phí."
    )
    with django_capture_on_commit_callbacks(execute=True):
        publish_guidance(guidance, user=world.reviewer)
    assert smtp.recipients() == ["bithu-tay@example.org", "bithu@example.org"]
    message = smtp.to("bithu@example.org")[0]
    assert subject_of(message) == "Hướng dẫn tháng 12/2026 của Đảng bộ xã Yên Hòa"
    assert "Tập trung thu đảng phí." in text_of(message)
    assert f"https://chibo.example.org/guidance/{guidance.pk}/" in html_of(message)


# ---------------------------------------------------------------- reminders


def test_send_reminders_sends_each_kind_once_however_often_it_runs(
    world, roster, reachable, smtp, make_meeting, adopt
):
    today = timezone.localdate()
    world.secretary.email = "bithu@example.org"
    world.secretary.save()
    lan, an = reachable["Nguyễn Thị Lan"], reachable["Trần Văn An"]
    # A meeting of three days ago, still a draft; its tasks: one due in two days
    # (lead Lan), one overdue (lead An).
    meeting = make_meeting(when=timezone.now() - timedelta(days=3))
    adopt(
        meeting,
        [
            ("Vận động đóng góp xây nhà văn hóa", lan, today + timedelta(days=2)),
            ("Nộp báo cáo quý", an, today - timedelta(days=1)),
        ],
    )
    # A delegate of the commune follows the cell; the cell meets again in four days.
    delegate = RoleFactory(organization=world.commune, kind=RoleKind.SUPERIOR_REVIEWER).user
    delegate.email = "uyvien@example.org"
    delegate.save()
    DelegateAssignment.objects.create(
        superior=world.commune, delegate=delegate, cell=world.cell, started_on=date(2026, 1, 1)
    )
    Meeting.objects.create(
        organization=world.cell,
        kind="extraordinary",
        topic="Chuẩn bị đại hội",
        scheduled_at=timezone.now() + timedelta(days=4),
    )

    call_command("send_reminders")

    (due,) = smtp.to(lan.email)
    assert subject_of(due).startswith("Nhiệm vụ đến hạn ngày")
    assert "Vận động đóng góp xây nhà văn hóa" in text_of(due)
    assert "Vận động đóng góp xây nhà văn hóa" in html_of(due)
    assert smtp.to(an.email) == []  # his task is overdue: the secretary hears of it
    secretary = {subject_of(message): message for message in smtp.to("bithu@example.org")}
    overdue = secretary["Chi bộ thôn Đông: 1 nhiệm vụ quá hạn"]
    assert "Nộp báo cáo quý" in text_of(overdue)
    assert any(subject.startswith("Biên bản chưa ký:") for subject in secretary)
    (digest,) = smtp.to("uyvien@example.org")
    assert "Chuẩn bị đại hội" in text_of(digest)
    assert "Chi bộ thôn Đông" in html_of(digest)
    kinds = set(Message.objects.values_list("kind", flat=True))
    assert {Kind.TASK_DUE, Kind.TASKS_OVERDUE, Kind.MINUTES_UNSIGNED, Kind.DELEGATE_WEEK} <= kinds

    count = len(smtp.received)
    call_command("send_reminders")
    call_command("send_reminders")
    assert len(smtp.received) == count


def test_the_secretary_is_reminded_to_plan_the_months_meeting_from_the_set_day(world, smtp):
    world.secretary.email = "bithu@example.org"
    world.secretary.save()
    NotificationSettings.objects.create(organization=world.commune, unplanned_day=20)
    call_command("send_reminders", "--date", "2026-12-19")
    assert smtp.received == []
    call_command("send_reminders", "--date", "2026-12-20")
    (message,) = smtp.to("bithu@example.org")
    assert subject_of(message) == "Chi bộ thôn Đông: lập kế hoạch sinh hoạt tháng 12/2026"
    assert f"https://chibo.example.org/orgs/{world.cell.pk}/meetings/new/" in text_of(message)
    call_command("send_reminders", "--date", "2026-12-21")
    assert len(smtp.received) == 1


def test_members_without_an_address_or_consent_are_never_prepared_a_message(
    world, roster, smtp, django_capture_on_commit_callbacks
):
    lan = roster["official"][0]
    lan.email = "lan@example.org"  # an address, but she did not agree
    lan.save()
    MemberFactory(organization=world.cell, full_name="Mai Văn Phúc", wants_messages=True)
    with django_capture_on_commit_callbacks(execute=True):
        plan(world)
    assert smtp.received == []
    assert not Message.objects.exists()


def test_without_the_digest_a_delegate_gets_one_message_per_meeting(world, smtp):
    delegate = RoleFactory(organization=world.commune, kind=RoleKind.SUPERIOR_REVIEWER).user
    delegate.email = "uyvien@example.org"
    delegate.save()
    DelegateAssignment.objects.create(
        superior=world.commune, delegate=delegate, cell=world.cell, started_on=date(2026, 1, 1)
    )
    NotificationSettings.objects.create(organization=world.commune, delegate_digest=False)
    soon = timezone.now() + timedelta(days=2)
    for topic in ("Chuẩn bị đại hội", "Kết nạp đảng viên"):
        Meeting.objects.create(
            organization=world.cell, kind="extraordinary", topic=topic, scheduled_at=soon
        )
    call_command("send_reminders")
    texts = sorted(text_of(message) for message in smtp.to("uyvien@example.org"))
    assert len(texts) == 2
    assert "Chuẩn bị đại hội" in texts[0] and "Kết nạp đảng viên" in texts[1]


def test_a_reminder_switched_off_for_an_organisation_is_not_sent(
    world, roster, reachable, smtp, make_meeting, adopt
):
    lan = reachable["Nguyễn Thị Lan"]
    meeting = make_meeting(when=timezone.now() - timedelta(days=1))
    adopt(meeting, [("Vận động đóng góp", lan, timezone.localdate() + timedelta(days=1))])
    NotificationSettings.objects.create(organization=world.cell, task_due=False)
    call_command("send_reminders")
    assert smtp.to(lan.email) == []
    # Switched on again, the reminder goes out.
    NotificationSettings.objects.filter(organization=world.cell).update(task_due=True)
    call_command("send_reminders")
    assert len(smtp.to(lan.email)) == 1

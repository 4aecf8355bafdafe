"""The Party dues warnings of send_reminders, through a real SMTP server: two months
unpaid in the year warn the cell's secretary and treasurer; three bring them the
proposal to consider (xóa tên), linked to the member's record. Once per member and
month, however often the reminders run; only months already over count."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from dues import services
from members.roles import RoleKind
from notifications.models import Kind, Message, NotificationSettings
from tests.factories import MemberFactory, RoleFactory
from tests.notifications.conftest import html_of, subject_of, text_of

SECRETARY = "bithu@example.org"
TREASURER = "thuquy@example.org"
SITE = "https://chibo.example.org"


@pytest.fixture
def arrears(world):
    """In world.cell: Lan pays every month; An misses March and April; Bình pays only
    January. Recorded for January to April 2026 by the secretary."""
    world.secretary.email = SECRETARY
    world.secretary.save()
    treasurer = RoleFactory(organization=world.cell, kind=RoleKind.CELL_TREASURER).user
    treasurer.email = TREASURER
    treasurer.save()
    lan = world.member
    an = MemberFactory(organization=world.cell, full_name="Trần Văn An")
    binh = MemberFactory(organization=world.cell, full_name="Lê Thị Bình")
    for member in (lan, an, binh):
        member.admitted_on = date(2001, 3, 2)
        member.save()
    unpaid = {3: {an, binh}, 4: {an, binh}, 2: {binh}}
    for month in (1, 2, 3, 4):
        services.record_month(
            world.cell,
            2026,
            month,
            {
                member: {
                    "category": "other",
                    "base_amount": None,
                    "paid": member not in unpaid.get(month, set()),
                    "paid_on": date(2026, month, 5),
                    "paid_amount": Decimal("5000"),
                }
                for member in (lan, an, binh)
            },
            user=world.secretary,
        )
    return {"lan": lan, "an": an, "binh": binh, "treasurer": treasurer}


def test_two_months_warn_and_three_bring_the_proposal_once_a_month(world, arrears, smtp):
    an, binh = arrears["an"], arrears["binh"]
    call_command("send_reminders", "--date", "2026-05-04")

    assert smtp.recipients() == [SECRETARY, SECRETARY, TREASURER, TREASURER]
    secretary = {subject_of(message): message for message in smtp.to(SECRETARY)}
    warning = secretary["Chi bộ thôn Đông: đồng chí Trần Văn An chưa nộp đảng phí 2 tháng"]
    assert "03/2026, 04/2026" in text_of(warning)
    ledger = reverse("dues:ledger", args=[world.cell.pk, 2026, 4])
    assert f"{SITE}{ledger}" in text_of(warning)
    proposal = secretary[
        "Chi bộ thôn Đông: đồng chí Lê Thị Bình chưa nộp đảng phí 3 tháng, "
        "chi bộ xem xét đề nghị xóa tên"
    ]
    assert "02/2026, 03/2026, 04/2026" in text_of(proposal)
    assert "xóa tên" in html_of(proposal)
    record = f"{SITE}{reverse('members:member_detail', args=[binh.pk])}"
    assert record in text_of(proposal) and record in html_of(proposal)
    # The treasurer does not open the cell's records: her proposal links to the ledger.
    treasurer = {subject_of(message): message for message in smtp.to(TREASURER)}
    assert len(treasurer) == 2
    assert all(f"{SITE}{ledger}" in text_of(message) for message in treasurer.values())
    kinds = sorted(Message.objects.values_list("kind", "object_id"))
    assert kinds == sorted([(Kind.DUES_REMOVAL, binh.pk)] * 2 + [(Kind.DUES_UNPAID, an.pk)] * 2)

    # Again the same day and later in the month: nothing more, even after Bình paid
    # February (two months left: the warning would be news, but she was the subject of
    # this month's message already).
    call_command("send_reminders", "--date", "2026-05-04")
    services.record_month(
        world.cell,
        2026,
        2,
        {binh: {"category": "other", "paid": True, "paid_on": date(2026, 5, 10)}},
        user=world.secretary,
    )
    call_command("send_reminders", "--date", "2026-05-15")
    assert len(smtp.received) == 4

    # Bình pays April too: in June, with May over and not recorded, she has March and
    # May unpaid (a warning); An, with March, April and May, the proposal.
    services.record_month(
        world.cell,
        2026,
        4,
        {binh: {"category": "other", "paid": True, "paid_on": date(2026, 5, 20)}},
        user=world.secretary,
    )
    call_command("send_reminders", "--date", "2026-06-03")
    june = [subject_of(message) for message in smtp.messages[4:]]
    assert sorted(june) == [
        "Chi bộ thôn Đông: đồng chí Lê Thị Bình chưa nộp đảng phí 2 tháng",
        "Chi bộ thôn Đông: đồng chí Lê Thị Bình chưa nộp đảng phí 2 tháng",
        "Chi bộ thôn Đông: đồng chí Trần Văn An chưa nộp đảng phí 3 tháng, "
        "chi bộ xem xét đề nghị xóa tên",
        "Chi bộ thôn Đông: đồng chí Trần Văn An chưa nộp đảng phí 3 tháng, "
        "chi bộ xem xét đề nghị xóa tên",
    ]


def test_only_months_already_over_count(world, arrears, smtp):
    # In April (recorded unpaid already), April is not over: An has only March unpaid,
    # Bình February and March.
    call_command("send_reminders", "--date", "2026-04-15")
    assert [subject_of(message) for message in smtp.to(SECRETARY)] == [
        "Chi bộ thôn Đông: đồng chí Lê Thị Bình chưa nộp đảng phí 2 tháng"
    ]


def test_the_dues_warnings_can_be_switched_off(world, arrears, smtp):
    NotificationSettings.objects.create(
        organization=world.commune, dues_unpaid=False, dues_removal=False
    )
    call_command("send_reminders", "--date", "2026-05-04")
    assert smtp.received == []
    NotificationSettings.objects.filter(organization=world.commune).update(dues_removal=True)
    call_command("send_reminders", "--date", "2026-05-04")
    assert sorted(subject_of(message) for message in smtp.to(SECRETARY)) == [
        "Chi bộ thôn Đông: đồng chí Lê Thị Bình chưa nộp đảng phí 3 tháng, "
        "chi bộ xem xét đề nghị xóa tên"
    ]


def test_a_warning_the_server_held_back_is_sent_on_the_next_run_and_only_once(world, arrears, smtp):
    smtp.refuse(1)  # 451: the secretary's or the treasurer's, whichever goes first
    call_command("send_reminders", "--date", "2026-04-15")
    assert len(smtp.received) == 1
    call_command("send_reminders", "--date", "2026-04-16")
    call_command("send_reminders", "--date", "2026-04-17")
    assert smtp.recipients() == [SECRETARY, TREASURER]
    assert set(Message.objects.values_list("status", flat=True)) == {"delivered"}

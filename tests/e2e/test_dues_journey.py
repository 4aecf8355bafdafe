"""The month's Party dues, in a real browser: the secretary records the payments in
the ledger (a forgotten date comes back with every entry kept), one member is three
months behind and the proposal to consider appears, linked to her record; the
commune's reviewer sees the cell's totals in the roll-up, and no salary."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dues import services
from dues.models import DuesEntry, MemberDuesProfile
from tests.factories import MemberFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SALARY = Decimal("8000000")  # Lan's insured salary: 1 % is 80,000 đ


def journey_month():
    """This month, with two months of the year before it; in January and February,
    last December (three months behind needs three months of one year)."""
    today = timezone.localdate()
    return (today.year, today.month) if today.month >= 3 else (today.year - 1, 12)


def test_the_secretary_records_the_month_and_the_removal_proposal_appears(
    page, live_server, log_in, world
):
    year, month = journey_month()
    lan = world.member
    an = MemberFactory(organization=world.cell, full_name="Trần Văn An")
    binh = MemberFactory(organization=world.cell, full_name="Lê Thị Bình")
    for member, category, base in (
        (lan, "insured", SALARY),
        (an, "student", None),
        (binh, "other", None),
    ):
        member.admitted_on = date(2001, 3, 2)
        member.save()
        MemberDuesProfile.objects.create(member=member, category=category, base_amount=base)
    # The months before, recorded: everyone paid, but Bình the last two.
    for earlier in range(1, month):
        services.record_month(
            world.cell,
            year,
            earlier,
            {
                member: {
                    "category": member.dues_profile.category,
                    "base_amount": member.dues_profile.base_amount,
                    "paid": not (member == binh and earlier >= month - 2),
                    "paid_on": date(year, earlier, 5),
                }
                for member in (lan, an, binh)
            },
            user=world.secretary,
        )

    log_in(page, world.secretary.username)
    page.goto(f"{live_server.url}/dues/cells/{world.cell.pk}/{year}/{month}/")
    expect(page.locator("h1")).to_contain_text(f"{month:02d}/{year}")
    lan_row, an_row = f"#id_m{lan.pk}", f"#id_m{an.pk}"
    page.check(f"{lan_row}-paid")
    page.fill(f"{lan_row}-paid_on", f"03/{month:02d}/{year}")
    page.fill(f"{lan_row}-receipt", "BL-0042")
    page.check(f"{an_row}-paid")  # and forgets An's date
    page.get_by_role("button", name="Lưu sổ của tháng").click()
    expect(page.get_by_text("Có dòng cần sửa (đánh dấu bên dưới): chưa lưu gì.")).to_be_visible()
    expect(page.get_by_text("Hãy ghi ngày nộp.")).to_be_visible()
    # Nothing typed is lost.
    expect(page.locator(f"{lan_row}-paid")).to_be_checked()
    expect(page.locator(f"{lan_row}-paid_on")).to_have_value(f"03/{month:02d}/{year}")
    expect(page.locator(f"{lan_row}-receipt")).to_have_value("BL-0042")
    expect(page.locator(f"{an_row}-paid")).to_be_checked()
    assert not DuesEntry.objects.filter(year=year, month=month).exists()

    page.fill(f"{an_row}-paid_on", f"04/{month:02d}/{year}")
    page.get_by_role("button", name="Lưu sổ của tháng").click()
    expect(page.get_by_text("Đã ghi sổ đảng phí của tháng.")).to_be_visible()
    expect(page.locator("#dues-collected")).to_have_text("85.000 đ")
    warnings = page.locator("#dues-warnings")
    expect(warnings.locator("li")).to_have_count(1)
    expect(warnings.locator("li")).to_contain_text("Lê Thị Bình")
    expect(warnings.locator(".proposal")).to_contain_text("xóa tên")

    warnings.get_by_role("link", name="Lê Thị Bình").click()
    expect(page).to_have_url(re.compile(rf"/members/{binh.pk}/$"))
    expect(page.locator("h1")).to_have_text("Lê Thị Bình")
    expect(page.locator("#member-dues")).to_be_visible()

    # The commune's reviewer: the cell's totals for the month, no salary.
    page.context.clear_cookies()
    log_in(page, world.reviewer.username)
    page.goto(f"{live_server.url}/dues/organizations/{world.commune.pk}/{year}/{month}/")
    row = page.locator("tr", has_text="Chi bộ thôn Đông")
    expect(row).to_contain_text("85.000")
    expect(page.locator("#rollup-collected")).to_have_text("85.000")
    assert "8.000.000" not in page.content()

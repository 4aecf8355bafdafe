"""A superior sets the month's registration deadline, a secretary registers her cell's
meeting from the cell's page, the superior's month calendar shows it registered. In a
real browser, at a laptop's and a phone's width."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from meetings.models import Meeting
from oversight.models import ScheduleRegistration

# Set CELLMEET_SCREENSHOTS to a folder to keep the pages seen (to look at them).
SHOTS = os.environ.get("CELLMEET_SCREENSHOTS")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in_as(page, log_in, username):
    page.context.clear_cookies()
    log_in(page, username)
    expect(page.locator("nav form[action$='/logout/']")).to_have_count(1)


def no_sideways_scrolling(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_superior_sets_deadline_secretary_registers_superior_sees_it(
    world, page, live_server, log_in, tmp_path
):
    today = timezone.localdate()
    upcoming = today.replace(day=1) + timedelta(days=32)  # next month
    year, month = upcoming.year, upcoming.month
    deadline = today + timedelta(days=3)
    meeting_day = upcoming.replace(day=6)

    # 1. The commune's reviewer opens next month's schedule from the commune's page
    # and sets the deadline.
    log_in_as(page, log_in, world.reviewer.username)
    page.goto(f"{live_server.url}/orgs/{world.commune.pk}/")
    page.get_by_role("link", name="Lịch sinh hoạt các chi bộ").click()
    page.get_by_role("link", name="Tháng sau").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{month}/{year}")
    page.get_by_label("Hạn đăng ký").fill(deadline.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Lưu hạn đăng ký").click()
    expect(page.get_by_text("Đã lưu hạn đăng ký lịch sinh hoạt.")).to_be_visible()
    expect(page.locator(".schedule-row-waiting")).to_have_count(2)

    # 2. The secretary sees the deadline on her cell's page and registers.
    log_in_as(page, log_in, world.secretary.username)
    page.goto(f"{live_server.url}/orgs/{world.cell.pk}/")
    panel = page.locator(".schedule-panel")
    expect(panel).to_contain_text(deadline.strftime("%d/%m/%Y"))
    panel.get_by_role("link", name="Đăng ký lịch sinh hoạt").click()
    page.get_by_label("Ngày").fill(meeting_day.strftime("%d/%m/%Y"))
    page.get_by_label("Giờ").fill("19:30")
    page.get_by_label("Địa điểm").fill("Nhà văn hóa thôn Đông")
    page.set_viewport_size({"width": 390, "height": 844})
    no_sideways_scrolling(page)
    shot(page, "schedule-register-390")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(page.get_by_text("Đã đăng ký lịch sinh hoạt với cấp ủy cấp trên.")).to_be_visible()
    expect(page.locator(".schedule-panel")).to_contain_text("Nhà văn hóa thôn Đông")
    shot(page, "cell-page-1366")

    registration = ScheduleRegistration.objects.get(cell=world.cell, year=year, month=month)
    meeting = Meeting.objects.get(organization=world.cell, year=year, month=month)
    assert registration.meeting == meeting and meeting.location == "Nhà văn hóa thôn Đông"

    # 3. The reviewer's month calendar shows the cell registered, the sibling not yet.
    log_in_as(page, log_in, world.reviewer.username)
    page.goto(f"{live_server.url}/orgs/{world.commune.pk}/schedule/{year}/{month}/")
    row = page.locator(".schedule-row-registered")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(world.cell.name)
    expect(row).to_contain_text("Đã đăng ký")
    expect(row).to_contain_text(meeting_day.strftime("%d/%m/%Y"))
    expect(page.locator(".schedule-grid")).to_contain_text(world.cell.name)
    expect(page.locator(".schedule-row-waiting")).to_contain_text(world.sibling_cell.name)
    shot(page, "schedule-month-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    no_sideways_scrolling(page)
    shot(page, "schedule-month-390")

    # 4. Printed, the month fits one A4 landscape page.
    page.set_viewport_size({"width": 1366, "height": 768})
    printed = tmp_path / "month.pdf"
    page.pdf(path=str(printed), prefer_css_page_size=True)
    pages = PdfReader(printed).pages
    assert len(pages) == 1
    width, height = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    assert world.cell.name in pages[0].extract_text()


def test_secretary_creates_the_cells_calendar_address_and_revokes_it(
    world, page, live_server, log_in, browser
):
    from icalendar import Calendar

    meeting = Meeting.objects.create(
        organization=world.cell,
        kind="extraordinary",
        topic="Kết nạp đảng viên mới",
        location="Nhà văn hóa thôn Đông",
        scheduled_at=timezone.now() + timedelta(days=4),
        status="planned",
    )
    log_in_as(page, log_in, world.secretary.username)
    page.goto(f"{live_server.url}/orgs/{world.cell.pk}/")
    page.get_by_role("link", name="Lịch sinh hoạt của chi bộ").click()
    expect(page.get_by_text("Chưa có địa chỉ lịch nào.")).to_be_visible()
    page.get_by_role("button", name="Tạo địa chỉ lịch").click()
    address = page.get_by_label("Địa chỉ lịch").input_value()
    assert address.startswith(live_server.url) and address.endswith(".ics")
    page.set_viewport_size({"width": 390, "height": 844})
    no_sideways_scrolling(page)
    shot(page, "cell-calendar-390")
    page.set_viewport_size({"width": 1366, "height": 768})

    # A phone's calendar app: no cookies, no session.
    phone = browser.new_context(service_workers="block")
    answer = phone.request.get(address)
    assert answer.status == 200
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(answer.body()).walk("VEVENT")
    assert [str(event["uid"]).split("@")[0] for event in events] == [f"meeting-{meeting.pk}"]
    assert "Kết nạp đảng viên mới" in str(events[0]["description"])

    page.get_by_role("button", name="Thu hồi địa chỉ này").click()
    expect(page.get_by_text("Đã thu hồi địa chỉ lịch")).to_be_visible()
    expect(page.get_by_text("Chưa có địa chỉ lịch nào.")).to_be_visible()
    assert phone.request.get(address).status == 404
    phone.close()

"""A whole monthly meeting recorded through the recording flow (meetings/steps.py), on a
phone-sized and on a desktop window: step by step, finalized from the review step, signed.

Each step is checked with axe-core when it is installed (`cd /tmp/axe && npm install
axe-core`; the permanent accessibility test is tests/e2e/test_accessibility.py), must
not scroll sideways, and is photographed into docs/screenshots/ when
CELLMEET_SCREENSHOTS=1 (the README shows one of them).
"""

import json
import os
import re
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from meetings.models import AttendanceStatus, MeetingStatus
from members.models import Position, PositionRole
from resolutions.models import Task
from tests.e2e.journeys import secretary_chairs, sign_both
from tests.e2e.test_meetings_journey import attendance_index
from tests.helpers import at

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WINDOWS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}
CONTINUE = "Lưu và tiếp tục"


def serious_axe_violations(page, axe_source):
    page.add_script_tag(content=axe_source)
    return page.evaluate(
        # The recording page itself: the menu's colours are the a11y branch's.
        """async () => (await axe.run(document.querySelector("main") || document)).violations
            .filter(v => v.impact === "critical" || v.impact === "serious")
            .map(v => v.id + ": " + v.nodes.map(n => n.html).slice(0, 3).join(" | "))"""
    )


def look_at(page, window, axe_source, name):
    """The checks every step passes, and its picture."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WINDOWS[window]["width"], f"{name} scrolls sideways: {width} px"
    # axe-core is injected as a script: the context bypasses the page's CSP for it.
    assert serious_axe_violations(page, axe_source) == [], name
    if os.environ.get("CELLMEET_SCREENSHOTS") and (window == "phone" or name == "1-opening"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"record-{window}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        # Small files for the repository: 64 colours are plenty for a form.
        Image.open(path).convert("RGB").quantize(colors=64).save(path, optimize=True)


@pytest.fixture
def cell_with_officers(world, roster):
    chair = secretary_chairs(world, roster)
    deputy = roster["official"][1]
    for member, role in [(chair, PositionRole.SECRETARY), (deputy, PositionRole.DEPUTY_SECRETARY)]:
        Position.objects.create(
            member=member, organization=world.cell, role=role, started_on=date(2025, 1, 1)
        )
    return chair, deputy


@pytest.mark.parametrize("window", WINDOWS)
def test_a_monthly_meeting_recorded_step_by_step(
    window,
    world,
    roster,
    cell_with_officers,
    make_meeting,
    browser,
    live_server,
    log_in,
    axe_source,
):
    chair, deputy = cell_with_officers
    absent, speaker, helper = roster["official"][5], roster["official"][2], roster["official"][3]
    meeting = make_meeting(when=at(2026, 10, 5), start=False)
    context = browser.new_context(
        viewport=WINDOWS[window],
        locale="en-US",
        bypass_csp=True,
        reduced_motion="reduce",
        service_workers="block",
    )
    page = context.new_page()
    log_in(page, "bithu-e2e")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    page.locator(f"form[action$='/meetings/{meeting.pk}/start/'] button").click()

    # 1. Opening: the chair, note-taker, time and place come from the cell and the plan.
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/record/opening/$"))
    expect(page.locator("[aria-current=step]")).to_contain_text("1. Mở đầu")
    expect(page.locator("#id_chair")).to_have_value(chair.full_name)
    expect(page.locator("#id_note_taker")).to_have_value(deputy.full_name)
    expect(page.locator("#id_start_time")).to_have_value("19:30")
    expect(page.locator("#id_location")).to_have_value("Nhà văn hóa thôn")
    page.fill("#id_guests-0-name", "Đinh Văn Quang")
    page.fill("#id_guests-0-title", "Đảng ủy viên")
    look_at(page, window, axe_source, "1-opening")
    page.get_by_role("button", name=CONTINUE).click()

    # 2. Attendance: everyone present first, then one member absent with reason.
    expect(page).to_have_url(re.compile(r"/record/attendance/$"))
    page.locator("#all-present").click()
    row = attendance_index(meeting, absent)
    page.locator(f"label[for=id_attendance-{row}-status_1]").click()
    page.get_by_label(f"Lý do vắng — {absent.full_name}").fill("Đi công tác")
    expect(page.locator("#present-count")).to_have_text(re.compile(r"^Có mặt 6/7 "))
    look_at(page, window, axe_source, "2-attendance")
    page.get_by_role("button", name=CONTINUE).click()

    # 3. Proceedings
    expect(page).to_have_url(re.compile(r"/record/proceedings/$"))
    page.fill("#id_news_briefing", "Thông tin thời sự tháng này theo tài liệu của Đảng ủy xã.")
    look_at(page, window, axe_source, "3-proceedings")
    page.get_by_role("button", name=CONTINUE).click()

    # 4. Discussion
    expect(page).to_have_url(re.compile(r"/record/discussion/$"))
    page.fill("#id_speeches-0-speaker", speaker.full_name)
    page.fill("#id_speeches-0-summary", "Đề nghị sửa đường liên thôn trước Tết.")
    look_at(page, window, axe_source, "4-discussion")
    page.get_by_role("button", name=CONTINUE).click()

    # 5. Closing, with a task whose helper is found by name in the picker.
    expect(page).to_have_url(re.compile(r"/record/closing/$"))
    page.fill("#id_conclusion", "Chi bộ thống nhất sửa đường liên thôn trong tháng tới.")
    page.fill("#id_resolution-title", "Nghị quyết tháng 10")
    page.fill("#id_tasks-0-title", "Sửa đường liên thôn")
    page.fill("#id_tasks-0-lead", speaker.full_name)
    page.fill("#id_tasks-0-due_on", "30/11/2026")
    search = page.locator("#id_tasks-0-assignees_search")
    search.fill(helper.full_name.split()[-1])
    page.get_by_role("button", name=f"+ {helper.full_name}").click()
    expect(page.get_by_role("button", name=f"Bỏ {helper.full_name}")).to_be_visible()
    page.select_option("#id_vote_method", "hands")
    page.fill("#id_votes_for", "5")
    page.fill("#id_votes_against", "0")
    page.fill("#id_votes_other", "0")
    page.fill("#id_minutes_adopted_votes", "6")
    page.fill("#id_end_time", "21:15")
    look_at(page, window, axe_source, "5-closing")
    page.get_by_role("button", name=CONTINUE).click()

    # 6. Review: nothing missing, every step marked complete; finalize, then sign.
    expect(page).to_have_url(re.compile(r"/record/review/$"))
    expect(page.locator("#nothing-missing")).to_be_visible()
    expect(page.locator(".record-steps li.has-missing")).to_have_count(0)
    expect(page.locator(".record-steps li.done")).to_have_count(5)  # discussion: optional
    look_at(page, window, axe_source, "6-review")
    page.get_by_role("button", name="Hoàn tất biên bản").click()
    sign_both(page, meeting)

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SIGNED
    assert (meeting.chair, meeting.note_taker) == (chair, deputy)
    assert meeting.attendances.get(member=absent).status == AttendanceStatus.ABSENT_EXCUSED
    task = Task.objects.get(resolution__meeting=meeting)
    assert list(task.assignees.all()) == [helper]
    assert json.loads(meeting.signed_content)["speeches"]  # sealed with the minutes
    context.close()


def test_a_missing_item_on_the_review_leads_to_its_box(
    world, roster, cell_with_officers, make_meeting, browser, live_server, log_in
):
    meeting = make_meeting(when=at(2026, 10, 5))
    context = browser.new_context(
        viewport=WINDOWS["phone"], locale="en-US", service_workers="block"
    )
    page = context.new_page()
    log_in(page, "bithu-e2e")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/record/review/")
    expect(page.locator("#still-missing")).to_be_visible()
    page.locator("#still-missing").get_by_role("link", name="Kết luận của chủ trì").click()
    expect(page).to_have_url(re.compile(r"/record/closing/#id_conclusion$"))
    expect(page.locator("#id_conclusion")).to_be_in_viewport()
    context.close()

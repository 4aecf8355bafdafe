"""The live "present x/y" counter of the attendance step shows what the server counts
(AttendanceFacts; static/js/minutes.js only adds up each row's data-* attributes)."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from cellmeet.text import name_sort_key
from meetings import services
from meetings.attendance_pages import ATTENDANCE_PAGE_SIZE
from members.models import Member
from tests.e2e.journeys import secretary_chairs
from tests.e2e.test_accessibility import RUN_AXE, SERIOUS
from tests.e2e.test_meetings_journey import attendance_index
from tests.helpers import at

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOWN = re.compile(r"Có mặt (\d+)/(\d+) ")


def shown_counts(page):
    present, summoned = SHOWN.match(page.locator("#present-count").inner_text()).groups()
    return int(present), int(summoned)


def mark_present(page, meeting, member):
    row = attendance_index(meeting, member)
    choice = page.locator(f"input[name='attendance-{row}-status'][value='present']")
    page.locator(f"label[for='{choice.get_attribute('id')}']").click()


def test_an_away_member_ticked_present_counts_as_the_server_counts(
    world,
    roster,
    make_meeting,
    page,
    live_server,
    log_in,
    axe_source,  # noqa: F811
):
    secretary_chairs(world, roster)
    meeting = make_meeting(when=at(2026, 10, 5))
    log_in(page, "bithu-e2e")
    url = f"{live_server.url}/meetings/{meeting.pk}/record/attendance/"
    page.goto(url)
    page.locator("#all-present").click()
    expect(page.locator("#present-count")).to_have_text(re.compile(r"^Có mặt 7/7 "))

    # Temporarily active elsewhere: she came, but counts neither in x nor in y
    # (the counter once showed 8/7).
    mark_present(page, meeting, roster["away"])
    expect(page.locator("#present-count")).to_have_text(re.compile(r"^Có mặt 7/7 "))
    # Exempt: counted in both once he comes.
    mark_present(page, meeting, roster["exempt"])
    expect(page.locator("#present-count")).to_have_text(re.compile(r"^Có mặt 8/8 "))
    before_saving = shown_counts(page)

    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page).to_have_url(re.compile(r"/record/proceedings/$"))
    summary = services.summarize_attendance(meeting)
    assert (summary.present, summary.summoned) == before_saving == (8, 8)
    page.goto(url)
    present, summoned = shown_counts(page)
    assert (present, summoned) == (summary.present, summary.summoned)
    assert present <= summoned

    # A larger cell's attendance is shown a page at a time: the counter adds the other
    # pages as saved, and "everyone present" saves and marks the members of every page.
    names = [f"Thành viên {number:03d}" for number in range(ATTENDANCE_PAGE_SIZE)]
    Member.objects.bulk_create(
        Member(
            organization=world.cell,
            full_name=name,
            sort_key=name_sort_key(name),
            admitted_on=date(2000, 1, 1),
        )
        for name in names
    )
    large = make_meeting(when=at(2026, 11, 5))
    rows = large.attendances.count()
    page.add_init_script(script=axe_source)
    page.goto(f"{live_server.url}/meetings/{large.pk}/record/attendance/")
    expect(page.locator(".attendance-row")).to_have_count(ATTENDANCE_PAGE_SIZE)
    expect(page.locator("#present-count")).to_have_text(re.compile(r"^Có mặt 0/\d+ "))
    serious = [v for v in page.evaluate(RUN_AXE) if v["impact"] in SERIOUS]
    assert not serious, serious
    page.locator("#all-present").click()
    expect(page.get_by_text("Đã lưu bản nháp")).to_be_visible()
    summary = services.summarize_attendance(large)
    assert summary.unmarked == 0 and summary.present == summary.summoned
    assert shown_counts(page) == (summary.present, summary.summoned)
    first = Member.objects.get(full_name=names[0])  # on the first page
    row = attendance_index(large, first)
    assert row < ATTENDANCE_PAGE_SIZE
    page.locator(f"input[name='attendance-{row}-status'][value='absent_unexcused'] + label").click()
    assert shown_counts(page) == (summary.present - 1, summary.summoned)
    page.locator("button[name=attendance_page][value='2']").click()
    expect(page).to_have_url(re.compile(r"\?page=2#attendance$"))
    expect(page.locator(".attendance-row")).to_have_count(rows - ATTENDANCE_PAGE_SIZE)
    assert shown_counts(page) == (summary.present - 1, summary.summoned)

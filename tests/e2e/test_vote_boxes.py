"""The closing vote on a phone, with one probationary member present: the boxes say how
many official members are present, "For" starts at that number, and one vote too many
is refused naming both numbers, beside the box, with her entries kept."""

import re

import pytest
from playwright.sync_api import expect

from meetings.models import AttendanceStatus
from tests.helpers import at, mark

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_the_closing_vote_shows_and_suggests_the_official_members_present(
    world, roster, make_meeting, browser, live_server, log_in
):
    world.secretary.username = "bithu-e2e"
    world.secretary.save()
    meeting = make_meeting(when=at(2026, 10, 5))
    present = [*roster["official"], roster["probationary"]]  # 7 present, 6 of them vote
    mark(meeting, dict.fromkeys(present, AttendanceStatus.PRESENT))
    context = browser.new_context(viewport=PHONE, locale="en-US", service_workers="block")
    page = context.new_page()
    log_in(page, "bithu-e2e")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/record/closing/")

    votes_for = page.locator("#id_votes_for")
    expect(page.locator("#id_votes_for_helptext")).to_have_text("Đảng viên chính thức có mặt: 6")
    expect(votes_for).to_have_attribute("aria-describedby", re.compile("id_votes_for_helptext"))
    expect(votes_for).to_have_value("6")
    expect(page.locator("#id_votes_against")).to_have_value("0")
    expect(page.locator("#id_votes_other")).to_have_value("0")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # "Everyone present" counted once more, as the probationary member raised her hand.
    page.fill("#id_conclusion", "Chi bộ thống nhất.")
    page.fill("#id_votes_against", "1")
    page.get_by_role("button", name="Lưu", exact=True).click()
    message = "Tổng số phiếu (7) nhiều hơn số đảng viên chính thức có mặt (6)."
    expect(page.locator("#errors")).to_contain_text(f"Tán thành: {message}")
    expect(page.locator("#id_votes_for_error")).to_have_text(message)
    expect(page.locator("#id_votes_against")).to_have_value("1")
    expect(page.locator("#id_conclusion")).to_have_value("Chi bộ thống nhất.")
    page.locator("#errors").get_by_role("link", name=re.compile("^Tán thành")).click()
    expect(page).to_have_url(re.compile(r"#id_votes_for$"))

    page.fill("#id_votes_against", "0")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator("#errors")).to_have_count(0)
    meeting.refresh_from_db()
    assert (meeting.votes_for, meeting.votes_against, meeting.votes_other) == (6, 0, 0)
    context.close()

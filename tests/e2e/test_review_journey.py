"""A superior's reviewer returns signed minutes; the secretary corrects and signs them
again; the reviewer accepts the corrected version. In a real browser."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings import services
from meetings.models import Meeting, MeetingStatus, ReviewVerdict
from tests.e2e.journeys import all_parts_on_one_page, secretary_chairs
from tests.e2e.journeys import sign_both as sign_both_in_the_browser
from tests.helpers import complete

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RETURN_COMMENT = "Bổ sung ý kiến phát biểu của đảng viên."
ACCEPT_COMMENT = "Biên bản đã sửa đầy đủ, đúng quy định."


@pytest.fixture
def signed_minutes(world, roster, make_meeting):
    """Minutes of October signed the usual way: the secretary chairs and confirms
    with her account, the note-taker signed on paper."""
    chair = secretary_chairs(world, roster)
    meeting = complete(make_meeting(), roster)
    services.finalize_minutes(meeting, user=world.secretary)
    services.sign_minutes(meeting, user=world.secretary, role="chair")
    services.sign_minutes(meeting, user=world.secretary, role="note_taker", on_paper=True)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SIGNED and meeting.chair == chair
    return meeting


def log_in_as(page, log_in, username):
    page.context.clear_cookies()
    log_in(page, username)
    expect(page.locator("nav form[action$='/logout/']")).to_have_count(1)


def test_reviewer_returns_minutes_and_accepts_the_corrected_version(
    world, roster, signed_minutes, page, live_server, log_in
):
    world.reviewer.username = "canbo-e2e"
    world.reviewer.save()
    first = signed_minutes
    speaker = roster["official"][2]

    # 1. The reviewer finds the minutes in her queue and returns them.
    log_in_as(page, log_in, "canbo-e2e")
    page.goto(f"{live_server.url}/review/")
    row = page.locator(f"#queue-{first.pk}")
    expect(row).to_contain_text(world.cell.name)
    expect(row).to_contain_text("7/7")
    expect(row.locator("td").nth(4)).to_have_text("0")  # nobody's speech recorded
    page.screenshot(path="/tmp/cellmeet-review-queue.png", full_page=True)
    row.locator(f"a[href$='/meetings/{first.pk}/']").first.click()
    expect(page).to_have_url(re.compile(rf"/meetings/{first.pk}/$"))
    expect(page.locator("#accept-form")).to_be_visible()
    page.locator("#return-form textarea[name=comment]").fill(RETURN_COMMENT)
    page.locator("#return-form button[type=submit]").click()
    expect(page.get_by_text("Biên bản đã được trả lại chi bộ để sửa.")).to_be_visible()
    expect(page.locator("#meeting-status")).to_have_text("Trả lại để sửa")
    page.goto(f"{live_server.url}/review/")
    expect(page.locator(f"#queue-{first.pk}")).to_have_count(0)

    # 2. The secretary sees the comment on her cell page and corrects the minutes.
    log_in_as(page, log_in, "bithu-e2e")
    page.goto(f"{live_server.url}/orgs/{world.cell.pk}/")
    notice = page.locator("#returned-minutes")
    expect(notice).to_contain_text(RETURN_COMMENT)
    page.screenshot(path="/tmp/cellmeet-returned-notice.png")
    notice.locator(f"a[href$='/meetings/{first.pk}/']").click()
    page.locator(f"form[action$='/meetings/{first.pk}/correct/'] button").click()
    second = Meeting.objects.get(organization=world.cell, is_current=True)
    assert second.pk != first.pk and second.revision == 2
    all_parts_on_one_page(page, second)

    page.fill("#id_speeches-0-speaker", speaker.full_name)
    page.fill("#id_speeches-0-summary", "Đề nghị chi bộ vận động bà con hiến đất làm đường.")
    page.locator("button[name=finalize]").click()
    sign_both_in_the_browser(page, second)
    page.goto(f"{live_server.url}/orgs/{world.cell.pk}/")
    expect(page.locator("#returned-minutes")).to_have_count(0)

    # 3. The reviewer finds version 2 in her queue and accepts it.
    log_in_as(page, log_in, "canbo-e2e")
    page.goto(f"{live_server.url}/review/")
    row = page.locator(f"#queue-{second.pk}")
    expect(row.locator(".badge")).to_contain_text("2")  # version 2
    expect(row.locator("td").nth(4)).to_have_text("1")
    row.locator(f"a[href$='/meetings/{second.pk}/']").first.click()
    expect(page.locator("#earlier-reviews")).to_contain_text(RETURN_COMMENT)
    page.fill("#id_accept_comment", ACCEPT_COMMENT)
    page.locator("#accept-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/meetings/{second.pk}/$"))

    # 4. The record shows all of it.
    accepted = page.locator("#accepted")
    expect(accepted).to_contain_text(ACCEPT_COMMENT)
    page.locator("#review").screenshot(path="/tmp/cellmeet-accepted.png")
    expect(page.locator("#accept-form")).to_have_count(0)
    expect(page.locator("#return-form")).to_have_count(0)
    expect(page.locator("#meeting-status")).to_have_text("Đã ký")
    earlier = page.locator("#earlier-reviews")
    expect(earlier).to_contain_text(RETURN_COMMENT)
    earlier.locator(f"a[href$='/meetings/{first.pk}/']").click()

    expect(page).to_have_url(re.compile(rf"/meetings/{first.pk}/$"))
    expect(page.locator("#meeting-status")).to_have_text("Đã được thay bằng bản sửa")
    expect(page.locator(".alert-danger")).to_contain_text(RETURN_COMMENT)
    page.locator(f".alert-secondary a[href$='/meetings/{second.pk}/']").click()
    expect(page).to_have_url(re.compile(rf"/meetings/{second.pk}/$"))
    page.goto(f"{live_server.url}/review/")
    expect(page.locator("#review-queue")).to_have_count(0)

    # 5. On the commune's compliance board, October is held and signed, and opens version 2.
    page.goto(f"{live_server.url}/orgs/{world.commune.pk}/board/2026/")
    october = page.locator(f"#board-cell-{world.cell.pk} td.s").nth(9)
    expect(october).to_have_class(re.compile(r"\bs-signed\b"))
    expect(october).to_have_text("✔")
    expect(page.locator(f"#board-cell-{world.sibling_cell.pk}")).to_have_count(1)
    expect(page.locator(f"#board-cell-{world.far_cell.pk}")).to_have_count(0)
    page.screenshot(path="/tmp/cellmeet-board.png", full_page=True)
    october.locator("a").click()
    expect(page).to_have_url(re.compile(rf"/meetings/{second.pk}/$"))

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.is_current, first.superseded_by) == (
        MeetingStatus.SUPERSEDED,
        False,
        second,
    )
    assert second.status == MeetingStatus.SIGNED and second.accepted_at is not None
    assert second.accepted_at <= timezone.now()
    assert [(r.verdict, r.comment, r.reviewer) for r in first.reviews.all()] == [
        (ReviewVerdict.RETURNED, RETURN_COMMENT, world.reviewer)
    ]
    assert [(r.verdict, r.comment, r.reviewer) for r in second.reviews.all()] == [
        (ReviewVerdict.ACCEPTED, ACCEPT_COMMENT, world.reviewer)
    ]
    assert [speech.speaker for speech in second.speeches.all()] == [speaker]
    assert first.speeches.count() == 0
    assert dict(second.signatures.values_list("role", "method")) == {
        "chair": "account",
        "note_taker": "paper",
    }

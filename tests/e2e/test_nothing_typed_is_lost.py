"""What the secretary typed survives a lost session and a server that went away."""

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from meetings.models import Meeting

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HER_TEXT = "Chi bộ thống nhất sửa đường liên thôn trước Tết; đồng chí An phụ trách."
SHOTS = "/tmp/cellmeet-typed-shots"


@pytest.fixture
def browser_context_args(browser_context_args):
    # Without the service worker: it would keep a Save that cannot reach the server as
    # an offline capture (issue 24, tests/e2e/test_offline_recording.py), and its own
    # requests pass by page.route. Here the browser's copy of typed text is tested.
    return {**browser_context_args, "service_workers": "block"}


@pytest.fixture
def secretary(world):
    world.secretary.username = "bithu-e2e"
    world.secretary.save()
    return world.secretary


def test_a_save_after_the_session_was_deleted_comes_back_after_signing_in(
    page, live_server, log_in, secretary, make_meeting
):
    meeting = make_meeting()
    log_in(page, "bithu-e2e")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/record/")
    page.fill("#id_conclusion", HER_TEXT)
    Session.objects.all().delete()

    page.get_by_role("button", name="Lưu bản nháp").click()

    expect(page.get_by_text("được giữ lại")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill("bithu-e2e")
    page.get_by_label("Mật khẩu").fill("secret-pass-123")
    page.get_by_role("button", name="Đăng nhập").click()
    banner = page.locator("#kept-on-server")
    expect(banner).to_be_visible()
    banner.get_by_role("link", name="Khôi phục").click()
    expect(page.locator("#id_conclusion")).to_have_value(HER_TEXT)
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.get_by_text("Đã lưu bản nháp")).to_be_visible()
    meeting.refresh_from_db()
    assert meeting.conclusion == HER_TEXT


def test_text_typed_while_the_server_is_unreachable_is_offered_back_from_the_browser(
    page, live_server, log_in, secretary, make_meeting
):
    meeting = make_meeting()
    record = f"{live_server.url}/meetings/{meeting.pk}/record/"
    log_in(page, "bithu-e2e")
    page.goto(record)
    page.fill("#id_conclusion", HER_TEXT)
    page.locator("[data-add-row=speeches]").click()
    page.fill("#id_speeches-1-guest_name", "Đồng chí Bình")
    page.fill("#id_speeches-1-summary", "Đồng chí Bình đề nghị làm rõ kinh phí.")

    # The server goes away: every request now fails as a network error in the browser.
    page.route("**/*", lambda route: route.abort("connectionrefused"))
    page.get_by_role("button", name="Lưu bản nháp").click()
    page.wait_for_url("chrome-error://**")  # the browser's own "can't reach" page
    page.unroute("**/*")

    page.goto(record)  # later, when the server is back
    banner = page.locator("#browser-copy")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Bản chưa lưu từ")
    expect(page.locator("#id_conclusion")).to_have_value("")
    for width, height in ((1366, 768), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"{SHOTS}/restore-banner-{width}x{height}.png")
    banner.get_by_role("button", name="Khôi phục").click()
    expect(page.locator("#id_conclusion")).to_have_value(HER_TEXT)
    expect(page.locator("#id_speeches-1-summary")).to_have_value(
        "Đồng chí Bình đề nghị làm rõ kinh phí."
    )
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.get_by_text("Đã lưu bản nháp")).to_be_visible()
    assert Meeting.objects.get(pk=meeting.pk).conclusion == HER_TEXT
    assert meeting.speeches.filter(summary__startswith="Đồng chí Bình").count() == 1
    # Saved: the copy is gone, nothing is offered again.
    page.goto(record)
    expect(page.locator("#browser-copy")).to_be_hidden()


def test_the_draft_is_saved_in_the_background_and_never_over_a_newer_save(
    page, live_server, log_in, secretary, make_meeting, settings
):
    settings.CELLMEET_AUTOSAVE_IDLE_SECONDS = 1
    meeting = make_meeting()
    log_in(page, "bithu-e2e")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/record/")
    page.fill("#id_conclusion", HER_TEXT)
    expect(page.locator("#autosave-status")).to_contain_text("Đã tự động lưu")
    meeting.refresh_from_db()
    assert meeting.conclusion == HER_TEXT

    # Someone else saves; her next background save must not overwrite theirs.
    Meeting.objects.filter(pk=meeting.pk).update(
        conclusion="Của người kia", version=meeting.version + 1
    )
    page.fill("#id_conclusion", HER_TEXT + " Bổ sung.")
    expect(page.locator("#autosave-status")).to_contain_text("Người khác đã lưu")
    assert Meeting.objects.get(pk=meeting.pk).conclusion == "Của người kia"

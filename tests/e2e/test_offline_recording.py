"""Recording with no connection (issue 24): the secretary prepares the meeting while
online, loses the connection, records every step (each "Save" kept in the browser),
reloads a page with no connection (the service worker's copy, with what she typed),
and once back online her captures reach the server's draft."""

import re

import pytest
from django.core.signals import request_started
from playwright.sync_api import expect

from meetings.models import AttendanceStatus, Meeting
from tests.e2e.journeys import secretary_chairs
from tests.e2e.test_accessibility import RUN_AXE, SERIOUS
from tests.helpers import at

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CONTINUE = "Lưu và tiếp tục"
AGENDA = "Sửa đường liên thôn; kết nạp quần chúng ưu tú"
NEWS = "Thông tin thời sự tháng này theo tài liệu của Đảng ủy xã."
SPEECH = "Đề nghị sửa đường liên thôn trước Tết."
CONCLUSION = "Chi bộ thống nhất sửa đường liên thôn trong tháng tới."


def test_a_meeting_recorded_offline_reaches_the_server_once_back_online(
    world, roster, make_meeting, browser, live_server, log_in, axe_source
):
    secretary_chairs(world, roster)
    speaker = roster["official"][2]
    meeting = make_meeting(when=at(2026, 10, 5))
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    context.add_init_script(script=axe_source)
    page = context.new_page()
    log_in(page, "bithu-e2e")
    # Online: opening the meeting keeps its recording pages on this phone.
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    expect(page.locator("html[data-offline-ready='1']")).to_have_count(1, timeout=20_000)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/record/opening/")

    reached_server = []

    def count(sender, environ, **kwargs):
        path = environ["PATH_INFO"]
        reached_server.append(path)
        if path != "/sw.js":
            # No network: Playwright's offline mode now and then lets a page's request out
            # just after a page the worker served; the server is unreachable for it too.
            raise ConnectionAbortedError("offline")

    context.set_offline(True)
    request_started.connect(count)
    try:
        page.fill("#id_agenda", AGENDA)
        page.get_by_role("button", name=CONTINUE).click()
        expect(page).to_have_url(re.compile(r"/record/attendance/$"))
        banner = page.locator("#offline-banner")
        expect(banner.locator("h2")).to_have_text("Chưa gửi — 1 phần đang chờ")
        page.locator("#all-present").click()
        summoned = page.locator(".attendance-row[data-summoned='1']").count()
        page.get_by_role("button", name=CONTINUE).click()

        expect(page).to_have_url(re.compile(r"/record/proceedings/$"))
        page.fill("#id_news_briefing", NEWS)
        page.get_by_role("button", name=CONTINUE).click()

        expect(page).to_have_url(re.compile(r"/record/discussion/$"))
        page.fill("#id_speeches-0-speaker", speaker.full_name)
        page.fill("#id_speeches-0-summary", SPEECH)
        # Here the phone believes it is online (a signal but no data): the Save goes
        # out, fails, and the service worker keeps it instead.
        expect(banner.locator("h2")).to_have_text("Chưa gửi — 3 phần đang chờ")  # page ready
        page.evaluate("Object.defineProperty(navigator, 'onLine', {get: () => true})")
        page.get_by_role("button", name=CONTINUE).click()

        expect(page).to_have_url(re.compile(r"/record/closing/$"))
        page.fill("#id_conclusion", CONCLUSION)
        page.get_by_role("button", name=CONTINUE).click()

        # The review: finalizing needs the connection, and says so.
        expect(page).to_have_url(re.compile(r"/record/review/$"))
        expect(page.get_by_role("button", name="Hoàn tất biên bản")).to_be_disabled()
        expect(page.get_by_text("Hoàn tất và ký biên bản cần có kết nối.").first).to_be_visible()
        expect(banner.locator("h2")).to_have_text("Chưa gửi — 5 phần đang chờ")
        serious = [v for v in page.evaluate(RUN_AXE) if v["impact"] in SERIOUS]
        assert serious == [], serious  # the banner, on the worker's copy of the page

        # Back to the closing step, and a reload: the worker's copy, with what she typed.
        page.goto(f"{live_server.url}/meetings/{meeting.pk}/record/closing/")
        response = page.reload()
        assert response is not None and response.from_service_worker
        expect(page.locator("#id_conclusion")).to_have_value(CONCLUSION)
        expect(banner).to_contain_text("chưa gửi")
        # No Save went to the server: each was kept on the phone. What got out at all
        # was the browser's own check for a newer worker script (Playwright's offline
        # mode does not cover it) and, now and then, a sync attempt, refused above.
        sync = f"/meetings/{meeting.pk}/offline-sync/"
        assert set(reached_server) <= {"/sw.js", sync}, reached_server
        assert Meeting.objects.get(pk=meeting.pk).conclusion == ""
    finally:
        request_started.disconnect(count)

    context.set_offline(False)  # the browser says "online": the captures go
    expect(banner).to_be_hidden(timeout=20_000)
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting.agenda == AGENDA
    assert meeting.news_briefing == NEWS
    assert meeting.conclusion == CONCLUSION
    assert list(meeting.speeches.values_list("speaker", "summary")) == [(speaker.pk, SPEECH)]
    assert meeting.attendances.filter(status=AttendanceStatus.PRESENT).count() == summoned > 0
    context.close()

"""Benchmark: the whole monthly-meeting journey through the recording flow, in chromium.

    .venv/bin/python -m tests.bench.monthly_journey [--members 36] [--windows desktop,phone]

In a throwaway test database with a live server, a secretary of a cell of --members
members (the secretary and deputy in office, one earlier task to review) signs in,
starts recording a planned monthly meeting, goes through the five steps and the review,
finalizes and signs (her own signature and the note-taker's on paper). Playwright drives
Debian's chromium at 1366×768 and again at 390×844. Printed for each: page loads, clicks,
fields filled and the screens of recording pages she scrolls through (each recording
page's height over the window's, summed). Figures, not assertions; merged into
bench-results.json under monthly_journey_<window>_*. The one-page form of before this
flow took 13 page loads, 28 clicks, 39 fields and 14 desktop screens.
"""

import argparse
import json
import os
import shutil
import sys
from datetime import date, datetime
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent.parent
RESULTS_FILE = REPOSITORY / "bench-results.json"
WINDOWS = {"desktop": (1366, 768), "phone": (390, 844)}
PASSWORD = "bench-journey-pass-1"


class Counted:
    """The page, with every action she takes counted."""

    def __init__(self, page):
        self.page = page
        self.loads = self.clicks = self.fields = 0
        self.screens = 0.0
        self.screens_per_page = []
        page.on("load", self._loaded)

    def _loaded(self, _page):
        self.loads += 1

    def click(self, locator):
        self.clicks += 1
        locator.click()

    def fill(self, selector, value):
        self.fields += 1
        self.page.fill(selector, value)

    def select(self, selector, value):
        self.fields += 1
        self.page.select_option(selector, value)

    def look(self):
        """A recording page: the screens she scrolls through to see all of it."""
        self.page.wait_for_load_state()
        height, window = self.page.evaluate(
            "[document.documentElement.scrollHeight, window.innerHeight]"
        )
        self.screens += height / window
        self.screens_per_page.append(round(height / window, 1))


def build(members, index):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from cellmeet.text import name_sort_key
    from meetings import services
    from meetings.models import Meeting, MeetingKind
    from members.models import (
        Member,
        Organization,
        OrganizationKind,
        Position,
        PositionRole,
        Role,
        RoleKind,
    )
    from resolutions import services as resolution_services
    from resolutions.models import Resolution, Task

    commune = Organization.objects.create(
        name=f"Đảng bộ xã {index}", kind=OrganizationKind.GRASSROOTS_COMMITTEE, place="Yên Hòa"
    )
    cell = Organization.objects.create(
        name="Chi bộ thôn Đông",
        kind=OrganizationKind.CELL,
        cell_type="village",
        parent=commune,
        place="Nhà văn hóa thôn",
    )
    names = [f"Nguyễn Văn Đảng viên {n:04d}" for n in range(members)]
    Member.objects.bulk_create(
        [
            Member(
                organization=cell,
                full_name=name,
                sort_key=name_sort_key(name),
                admitted_on=date(2000, 1, 1),
            )
            for name in names
        ]
    )
    roster = list(Member.objects.filter(organization=cell).order_by("pk"))
    user = get_user_model().objects.create_user(f"bench-journey-{index}", password=PASSWORD)
    Role.objects.create(user=user, organization=cell, kind=RoleKind.CELL_SECRETARY)
    chair, deputy = roster[0], roster[1]
    chair.user = user
    chair.save()
    for member, role in [(chair, PositionRole.SECRETARY), (deputy, PositionRole.DEPUTY_SECRETARY)]:
        Position.objects.create(
            member=member, organization=cell, role=role, started_on=date(2025, 1, 1)
        )

    def plan(month, start):
        meeting = Meeting(
            organization=cell,
            kind=MeetingKind.REGULAR,
            scheduled_at=timezone.make_aware(datetime(2026, month, 5, 19, 30)),
            location="Nhà văn hóa thôn",
        )
        services.save_planned_meeting(meeting, user=user)
        return services.start_recording(meeting, user=user) if start else meeting

    earlier = plan(9, start=True)
    resolution = resolution_services.save_resolution(
        Resolution(meeting=earlier, number=1, title="Nghị quyết tháng 9")
    )
    task = Task.objects.create(
        resolution=resolution, title="Sửa đường", lead=roster[2], due_on=date(2026, 9, 30)
    )
    return user, plan(10, start=False), roster, task


def journey(page, base, user, meeting, roster, task):
    """What she does, from signing in to the signed minutes."""
    counted = Counted(page)
    page.goto(f"{base}/accounts/login/")
    counted.fill("#id_username", user.username)
    counted.fill("#id_password", PASSWORD)
    counted.click(page.get_by_role("button", name="Đăng nhập"))
    page.wait_for_load_state()
    counted.page.goto(f"{base}/meetings/{meeting.pk}/")  # from her cell's list, in real life
    counted.click(page.locator(f"form[action$='/meetings/{meeting.pk}/start/'] button"))
    next_step = page.get_by_role("button", name="Lưu và tiếp tục")

    counted.look()  # 1. opening: officers, time and place are suggested
    counted.fill("#id_guests-0-name", "Đinh Văn Quang")
    counted.fill("#id_guests-0-title", "Đảng ủy viên")
    counted.click(next_step)

    counted.look()  # 2. attendance
    counted.click(page.locator("#all-present"))
    absent = page.locator(".attendance-row").nth(5)
    counted.click(absent.locator("label").nth(1))
    counted.fill(f"#{absent.locator('input[type=text]').get_attribute('id')}", "Đi công tác")
    counted.click(next_step)

    counted.look()  # 3. proceedings: the news and last month's task
    counted.fill("#id_news_briefing", "Thông tin thời sự tháng này.")
    counted.click(page.locator(f"label[for=id_review-{task.pk}-result_0]"))
    counted.click(next_step)

    counted.look()  # 4. discussion
    counted.fill("#id_speeches-0-speaker", roster[3].full_name)
    counted.fill("#id_speeches-0-summary", "Đề nghị sửa đường liên thôn trước Tết.")
    counted.click(next_step)

    counted.look()  # 5. closing
    counted.fill("#id_conclusion", "Chi bộ thống nhất sửa đường liên thôn.")
    counted.fill("#id_resolution-title", "Nghị quyết tháng 10")
    counted.fill("#id_tasks-0-title", "Sửa đường liên thôn")
    counted.fill("#id_tasks-0-lead", roster[3].full_name)
    counted.fill("#id_tasks-0-due_on", "30/11/2026")
    counted.select("#id_vote_method", "hands")
    counted.fill("#id_votes_for", str(len(roster) - 1))
    counted.fill("#id_votes_against", "0")
    counted.fill("#id_votes_other", "0")
    counted.fill("#id_minutes_adopted_votes", str(len(roster) - 1))
    counted.fill("#id_end_time", "21:15")
    counted.click(next_step)

    counted.look()  # 6. review
    counted.click(page.get_by_role("button", name="Hoàn tất biên bản"))
    page.wait_for_load_state()
    for role in ("chair", "note_taker"):
        form = page.locator(f"form[action$='/sign/']:has(input[name=role][value={role}])")
        # The last signature seals the minutes: she ticks that she understands it is final.
        final = form.locator("input[name=understood_final]")
        if final.count():
            counted.click(final)
        counted.click(form.locator("button"))
        page.wait_for_load_state()
    page.get_by_text("Biên bản đã được ký").first.wait_for()
    return counted


def run(members, windows=tuple(WINDOWS)):
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread
    from django.test.utils import override_settings
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    # The test database is a file (cellmeet/settings/test.py): the server's own
    # connection sees what this thread builds.
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    results = {}
    with override_settings(ALLOWED_HOSTS=["*"]):
        server.start()
        server.is_ready.wait()
        base = f"http://127.0.0.1:{server.port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
                )
                print(f"monthly-meeting journey, {members} members, through the recording flow")
                print(
                    f"{'window':<8} {'page loads':>10} {'clicks':>7} {'fields':>7} {'screens':>8}"
                )
                for index, window in enumerate(windows):
                    width, height = WINDOWS[window]
                    user, meeting, roster, task = build(members, index)
                    context = browser.new_context(viewport={"width": width, "height": height})
                    counted = journey(context.new_page(), base, user, meeting, roster, task)
                    context.close()
                    print(
                        f"{window:<8} {counted.loads:>10} {counted.clicks:>7} "
                        f"{counted.fields:>7} {counted.screens:>8.1f}"
                        f"  (steps 1–6: {', '.join(map(str, counted.screens_per_page))})"
                    )
                    key = f"monthly_journey_{window}"
                    results[f"{key}_page_loads"] = counted.loads
                    results[f"{key}_clicks"] = counted.clicks
                    results[f"{key}_fields"] = counted.fields
                    results[f"{key}_screens"] = round(counted.screens, 1)
                    results[f"{key}_most_screens_of_a_step"] = max(counted.screens_per_page)
                browser.close()
        finally:
            server.terminate()
    print(
        "before the flow (one-page form): 13 page loads, 28 clicks, 39 fields, 14 desktop screens"
    )
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.monthly_journey", description=__doc__
    )
    parser.add_argument("--members", type=int, default=36, help="members of the cell (default 36)")
    parser.add_argument(
        "--windows", default=",".join(WINDOWS), help="desktop, phone or both (the default)"
    )
    args = parser.parse_args(argv)
    windows = args.windows.split(",")
    if unknown := set(windows) - set(WINDOWS):
        parser.error(f"unknown window: {', '.join(sorted(unknown))}")

    from tests.bench.__main__ import django_setup

    django_setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        results = run(args.members, windows)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    merged = {}
    if RESULTS_FILE.exists():
        try:
            merged = json.loads(RESULTS_FILE.read_text())
        except ValueError:
            merged = {}
    merged.update(results)
    RESULTS_FILE.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n")
    print(f"figures merged into {RESULTS_FILE.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

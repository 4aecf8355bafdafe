"""Benchmark: the reviewer pages of a province (issue 13), on PostgreSQL or SQLite.

Builds, in a throwaway test database, a superior committee with COMMUNES communes of
CELLS_PER_COMMUNE cells, MEMBERS_PER_CELL members each, two years of regular and
thematic meetings (their folded search text set; attendance rows for the current
year's held meetings), then times with the test client, as a reviewer of the
province:

- the province board (one row per commune) and one commune's cell grid, cold and
  cached, with the HTML size;
- the reviewer's meeting list and the review queue (first page);
- a search for a common phrase, at ×1 and ×10 of the data (×1: a tenth of the
  communes, ×10: all of them);
- issue 23: the statistics, delegates and month's schedule pages of the province
  (one row per commune), and the committee's subtree calendar feed (cold: its
  cached entries dropped before each run; its size as a phone downloads it, gzipped,
  and unzipped), with their sizes.

Then tests/bench/province_live.py times what needs a live server and the real worker
(`board_cold_concurrent_8_ms`, `book_wait_behind_bulk_s`).

Prints a table and merges the figures into bench-results.json at the top of the
repository (keys `board_province_*`, `reviewer_meeting_list_province_ms`,
`review_queue_province_ms`, `search_province_*`, `province_statistics_*`,
`province_delegates_*`, `province_schedule_*`, `province_feed_*`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python -m tests.bench.province
    BENCH_PROVINCE_COMMUNES=10 .venv/bin/python -m tests.bench.province   # a quick run
"""

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
RESULTS_FILE = REPOSITORY / "bench-results.json"
COMMUNES = int(os.environ.get("BENCH_PROVINCE_COMMUNES", "100"))
CELLS_PER_COMMUNE = 20
MEMBERS_PER_CELL = 20
REPEAT = int(os.environ.get("BENCH_PROVINCE_REPEAT", "5"))
COMMON = "nong thon moi"
PHRASES = [
    "xay dung nong thon moi o thon",
    "thu nop dang phi day du dung han",
    "ve sinh moi truong khu dan cu",
    "phat trien dang vien tre trong chi bo",
    "hoc tap va lam theo tu tuong dao duc phong cach ho chi minh",
    "giu gin an ninh trat tu tren dia ban",
    "cham lo gia dinh chinh sach va nguoi co cong",
    "tieu thu nong san cho ba con",
]


def median_ms(function, repeat=REPEAT):
    timings = []
    result = None
    for _round in range(repeat):
        started = time.perf_counter()
        result = function()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), result


def set_search_text(meetings, seed=3):
    chooser = random.Random(seed)
    for meeting in meetings:
        words = chooser.sample(PHRASES, 3)
        if chooser.random() < 0.3:
            words.append(COMMON)
        meeting.search_text = " ".join(words)


def build(superior, communes, today):
    """A province of `communes` communes; returns (cells, meetings)."""
    from django.db import transaction

    from meetings.models import Attendance, AttendanceStatus, Meeting, MeetingStatus
    from members.models import Member
    from oversight import month_figures
    from tests.bench import board

    with transaction.atomic():
        cells = board.build_tree(superior, communes=communes, cells_per_commune=CELLS_PER_COMMUNE)
        board.build_members(cells, MEMBERS_PER_CELL)
        chooser = random.Random(2)
        meetings = []
        for cell in cells:
            for year in (today.year - 1, today.year):
                meetings.extend(board.meetings_for(cell, year, today, chooser))
        set_search_text(meetings)
        Meeting.objects.bulk_create(meetings, batch_size=board.BATCH)
        members = {}
        for member_id, organization_id in Member.objects.filter(organization__in=cells).values_list(
            "pk", "organization_id"
        ):
            members.setdefault(organization_id, []).append(member_id)
        held = Meeting.objects.filter(
            organization__in=cells,
            year=today.year,
            status__in=[MeetingStatus.FINALIZED, MeetingStatus.SIGNED],
        ).values_list("pk", "organization_id", "present_count")
        rows = []
        for meeting_id, organization_id, present in held:
            for index, member_id in enumerate(members[organization_id]):
                rows.append(
                    Attendance(
                        meeting_id=meeting_id,
                        member_id=member_id,
                        status=AttendanceStatus.PRESENT
                        if index < (present or 0)
                        else AttendanceStatus.ABSENT_EXCUSED,
                        membership_at_meeting="official",
                        activity_at_meeting="active",
                    )
                )
            if len(rows) >= 20000:
                Attendance.objects.bulk_create(rows, batch_size=board.BATCH)
                rows = []
        Attendance.objects.bulk_create(rows, batch_size=board.BATCH)
        # Bulk-created meetings pass by the receivers that keep the statistics' figures.
        month_figures.rebuild()
    return cells, len(meetings)


def page(client, url, params=None, headers=None):
    response = client.get(url, params or {}, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return response


def measure(client, label, url, params=None, *, cached=False, headers=None):
    """Median ms and bytes of a page; the cache is cleared before each run unless
    `cached` (then the first request fills it)."""
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    def fetch():
        if not cached:
            cache.clear()
        return page(client, url, params, headers)

    fetch()
    reset_queries()  # each request empties the log: start the count from nothing
    with CaptureQueriesContext(connection) as queries:
        fetch()
    # Count at once: the next request empties the log the count is read from.
    query_count = len(queries)
    ms, response = median_ms(fetch)
    size = len(response.content)
    print(f"{label:<44} {ms:>9.0f} {size / 1024:>9.0f} {query_count:>8}")
    return ms, size


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cellmeet.settings.test")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from members.models import Organization, OrganizationKind, Role, RoleKind

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite":
        # Its own database, dropped at the end: never another one.
        connection.settings_dict["TEST"]["NAME"] = f"province_bench_{os.getpid()}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    figures = {}
    try:
        today = timezone.localdate()
        year = today.year
        superior = Organization(name="Tỉnh ủy Sơn Nguyên", kind=OrganizationKind.SUPERIOR_COMMITTEE)
        superior.save()
        user = get_user_model().objects.create_user("bench-reviewer", password="bench-pass-123")
        Role.objects.create(user=user, organization=superior, kind=RoleKind.SUPERIOR_REVIEWER)
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        print(f"database: {connection.vendor}")
        print(f"{'page':<44} {'ms':>9} {'KiB':>9} {'queries':>8}")

        # ×1 for search: a tenth of the communes.
        tenth = max(1, COMMUNES // 10)
        started = time.perf_counter()
        cells, meetings = build(superior, tenth, today)
        analyze(connection)
        built(cells, meetings, started)
        search_url = reverse("oversight:search")
        figures["search_province_x1_ms"], _size = measure(
            client, f"search '{COMMON}', {len(cells)} cells", search_url, {"q": COMMON}
        )

        started = time.perf_counter()
        more, more_meetings = build(superior, COMMUNES - tenth, today)
        cells += more
        meetings += more_meetings
        analyze(connection)
        built(cells, meetings, started)
        figures["province_cells"] = len(cells)
        figures["province_meetings"] = meetings
        figures["search_province_ms"], _size = measure(
            client, f"search '{COMMON}', {len(cells)} cells", search_url, {"q": COMMON}
        )
        figures["search_province_x10_ms"] = figures["search_province_ms"]

        board_url = reverse("oversight:board", args=[superior.pk, year])
        ms, size = measure(client, f"province board, {COMMUNES} communes", board_url)
        figures["board_province_page_ms"], figures["board_province_page_bytes"] = ms, size
        ms, _size = measure(client, "province board, cached", board_url, cached=True)
        figures["board_province_cached_ms"] = ms
        commune = cells[0].parent
        commune_url = reverse("oversight:board", args=[commune.pk, year])
        ms, size = measure(client, f"one commune's grid, {CELLS_PER_COMMUNE} cells", commune_url)
        figures["board_commune_grid_ms"], figures["board_commune_grid_bytes"] = ms, size
        ms, _size = measure(client, "one commune's grid, cached", commune_url, cached=True)
        figures["board_commune_grid_cached_ms"] = ms

        figures["reviewer_meeting_list_province_ms"], _size = measure(
            client, "reviewer's meeting list, page 1", reverse("meetings:list")
        )
        figures["review_queue_province_ms"], _size = measure(
            client, "review queue, page 1", reverse("oversight:review_queue")
        )
        figures["review_queue_province_page_10_ms"], _size = measure(
            client, "review queue, page 10", reverse("oversight:review_queue"), {"page": 10}
        )
        figures.update(province_pages(client, superior, user, today))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    figures = {key: round(value, 1) for key, value in figures.items()}
    figures["province_database"] = connection.vendor
    merged = json.loads(RESULTS_FILE.read_text()) if RESULTS_FILE.exists() else {}
    merged.update(figures)
    RESULTS_FILE.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n")
    print(f"figures merged into {RESULTS_FILE.name}")
    return 0


def province_pages(client, superior, user, today):
    """Issue 23: the province's statistics, delegates and schedule (one row per
    commune), and the committee's subtree calendar feed."""
    from django.urls import reverse

    from notifications.models import CalendarFeed, FeedKind

    figures = {}
    pages = [
        ("statistics", "statistics", [superior.pk, today.year]),
        ("delegates", "delegates", [superior.pk]),
        ("schedule", "schedule_month", [superior.pk, today.year, today.month]),
    ]
    for key, name, args in pages:
        ms, size = measure(client, f"province {key}", reverse(f"oversight:{name}", args=args))
        figures[f"province_{key}_ms"], figures[f"province_{key}_bytes"] = ms, size
    feed = CalendarFeed.objects.create(
        kind=FeedKind.SUBTREE, organization=superior, created_by=user
    )
    feed_url = reverse("notifications:calendar_feed", args=[feed.pk, feed.token])
    # As a phone asks: gzip accepted (the bytes it downloads); and the text unzipped.
    gzip = {"Accept-Encoding": "gzip"}
    ms, size = measure(client, "the province's calendar feed, cold", feed_url, headers=gzip)
    figures["province_feed_ms"], figures["province_feed_bytes"] = ms, size
    _ms, size = measure(client, "the province's calendar feed, not gzipped", feed_url)
    figures["province_feed_uncompressed_bytes"] = size
    ms, _size = measure(
        client, "the province's calendar feed, entries cached", feed_url, cached=True, headers=gzip
    )
    figures["province_feed_cached_ms"] = ms
    return figures


def built(cells, meetings, started):
    seconds = time.perf_counter() - started
    print(f"(built {len(cells)} cells, {meetings} meetings in {seconds:.0f} s)")


def analyze(connection):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


if __name__ == "__main__":
    sys.exit(main())

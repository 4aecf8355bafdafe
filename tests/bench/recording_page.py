"""Benchmark: the recording flow's steps (meetings/steps.py) as the cell grows.

    .venv/bin/python -m tests.bench.recording_page [--sizes 36,500,2000] [--runs 5]

In a throwaway test database (never the real one), builds a cell of each size with a
secretary, an earlier resolution with open tasks to review and a draft being recorded,
then opens every step (and the one-page form) with Django's test client as the
secretary. Prints, per step: the median server time of --runs requests, the HTML size
and the number of queries; then saves the one-page form once with every member marked
(its time and queries). No assertions; the figures are merged into bench-results.json
at the top of the repository under recording_<step>_<size>_{ms,kb,queries}, and
record_attendance_<size>_members_bytes, record_onepage_<size>_members_ms,
record_save_<size>_members_{ms,queries} (issue 23).
"""

import argparse
import json
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent.parent
RESULTS_FILE = REPOSITORY / "bench-results.json"
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Ngô", "Đặng"]
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Thu", "Quang"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Khánh", "Lan", "Sơn", "Tùng"]
STEPS = ["opening", "attendance", "proceedings", "discussion", "closing", "review"]


def build_cell(size, index):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from cellmeet.text import name_sort_key
    from meetings import services
    from meetings.models import Meeting, MeetingKind
    from members.models import Member, Organization, OrganizationKind, Role, RoleKind
    from resolutions import services as resolution_services
    from resolutions.models import Resolution, Task

    commune = Organization.objects.create(
        name=f"Đảng bộ xã {index}", kind=OrganizationKind.GRASSROOTS_COMMITTEE, place="Yên Hòa"
    )
    cell = Organization.objects.create(
        name=f"Chi bộ {size} đảng viên",
        kind=OrganizationKind.CELL,
        cell_type="village",
        parent=commune,
        place="Nhà văn hóa thôn",
    )
    names = [
        f"{FAMILY[n % 10]} {MIDDLE[(n // 10) % 6]} {GIVEN[(n // 60) % 10]} {n}" for n in range(size)
    ]
    Member.objects.bulk_create(
        [
            Member(
                organization=cell,
                full_name=name,
                sort_key=name_sort_key(name),
                admitted_on=date(2000, 1, 1),
            )
            for name in names
        ],
        batch_size=1000,
    )
    members = list(Member.objects.filter(organization=cell).order_by("pk"))
    user = get_user_model().objects.create_user(f"bench-recording-{index}", password="x-pass-1")
    Role.objects.create(user=user, organization=cell, kind=RoleKind.CELL_SECRETARY)

    def meeting(month):
        planned = Meeting(
            organization=cell,
            kind=MeetingKind.REGULAR,
            scheduled_at=timezone.make_aware(datetime(2026, month, 5, 19, 30)),
            location="Nhà văn hóa thôn",
        )
        services.save_planned_meeting(planned, user=user)
        return services.start_recording(planned, user=user)

    earlier = meeting(9)
    resolution = resolution_services.save_resolution(
        Resolution(meeting=earlier, number=1, title="Nghị quyết tháng 9")
    )
    for order in range(1, 6):
        task = Task.objects.create(
            resolution=resolution,
            title=f"Nhiệm vụ {order}",
            lead=members[order],
            due_on=date(2026, 9, 30) + timedelta(days=30 * (order % 2)),
            order=order,
        )
        task.assignees.set(members[order + 1 : order + 3])
    draft = meeting(10)
    return user, draft


def measure(client, url, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), len(response.content), len(queries)


def run(sizes, runs):
    from django.test import Client
    from django.urls import reverse

    results = {}
    print("cellmeet recording benchmark: each step as the secretary, median of", runs, "runs")
    print(f"{'members':>7}  {'step':<12} {'server ms':>9} {'HTML kB':>8} {'queries':>7}")
    for index, size in enumerate(sizes):
        user, draft = build_cell(size, index)
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        pages = [(step, reverse("meetings:record_step", args=[draft.pk, step])) for step in STEPS]
        pages.append(("one-page", reverse("meetings:record", args=[draft.pk])))
        for step, url in pages:
            seconds, size_bytes, queries = measure(client, url, runs)
            kilobytes = size_bytes / 1000
            print(f"{size:>7}  {step:<12} {seconds * 1000:>9.0f} {kilobytes:>8.1f} {queries:>7}")
            key = f"recording_{step.replace('-', '_')}_{size}"
            results[f"{key}_ms"] = round(seconds * 1000, 1)
            results[f"{key}_kb"] = round(size_bytes / 1000, 1)
            results[f"{key}_queries"] = queries
            if step == "attendance":
                results[f"record_attendance_{size}_members_bytes"] = size_bytes
            if step == "one-page":
                results[f"record_onepage_{size}_members_ms"] = round(seconds * 1000, 1)
        seconds, queries = measure_save(client, pages[-1][1])
        print(f"{size:>7}  {'save (all)':<12} {seconds * 1000:>9.0f} {'':>8} {queries:>7}")
        results[f"record_save_{size}_members_ms"] = round(seconds * 1000, 1)
        results[f"record_save_{size}_members_queries"] = queries
    return results


def measure_save(client, url):
    """Save the one-page form once as the browser sends it, with "mark everyone not yet
    marked as present": every attendance row of the cell changes (issue 23)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.meetings.formdata import record_post_data

    page = client.get(url)
    data = record_post_data(page, all_present="1", conclusion="Chi bộ thống nhất.")
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.post(url, data)
        seconds = time.perf_counter() - started
    assert response.status_code == 302, (url, response.status_code)
    return seconds, len(queries)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.recording_page", description=__doc__
    )
    parser.add_argument("--sizes", default="36,500,2000", help="cell sizes (default 36,500,2000)")
    parser.add_argument("--runs", type=int, default=5, help="timed requests per step (default 5)")
    args = parser.parse_args(argv)

    from tests.bench.__main__ import django_setup

    django_setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        results = run([int(size) for size in args.sizes.split(",")], args.runs)
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

"""Benchmark: the compliance board over a province.

Builds, in a throwaway test database, one superior committee with 2,000 cells under
100 communes, 40,000 members and five years of monthly and quarterly thematic
meetings (about 160,000), then times `compliance_board` and the board page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python -c \
      "import django,os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','cellmeet.settings.test'); \
       django.setup(); from tests.bench.board import main; main()"

(SQLite without DATABASE_URL). BENCH_BOARD_COMMUNES=2 BENCH_BOARD_REPEAT=1 make it quick.

The builders below are shared with tests/oversight/test_board.py and
tests/bench/board_queries.py.
"""

import os
import random
import statistics
import time
import uuid
from datetime import datetime, timedelta

from django.utils import timezone

from cellmeet.text import name_sort_key
from meetings.models import Meeting, MeetingKind, MeetingStatus
from members.models import (
    PATH_DIGITS,
    CellType,
    Member,
    MembershipStatus,
    Organization,
    OrganizationKind,
)

COMMUNES = int(os.environ.get("BENCH_BOARD_COMMUNES", "100"))
CELLS_PER_COMMUNE = 20
MEMBERS_PER_CELL = 20
YEARS = 5
REPEAT = int(os.environ.get("BENCH_BOARD_REPEAT", "5"))
BATCH = 2000

FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE_NAMES = ["Văn", "Thị", "Hữu", "Minh", "Đức", "Thu"]
GIVEN_NAMES = ["An", "Bình", "Cường", "Dung", "Em", "Giang", "Hà", "Khánh", "Lan", "Tùng"]


# ---------------------------------------------------------------- fast builders


def _insert_with_paths(organizations, parents):
    """bulk_create skips Organization.save(), which sets the materialised path from
    the new id: insert with unique placeholders, then write the real paths."""
    token = uuid.uuid4().hex[:12]
    for index, organization in enumerate(organizations):
        organization.path = f"~{token}/{index}"
    created = Organization.objects.bulk_create(organizations, batch_size=BATCH)
    for organization in created:
        parent = parents[organization.parent_id]
        organization.path = f"{parent.path}{organization.pk:0{PATH_DIGITS}d}/"
        organization.depth = organization.path.count("/") - 2
    Organization.objects.bulk_update(created, ["path", "depth"], batch_size=BATCH)
    return created


def build_tree(superior, *, communes, cells_per_commune, cell_types=None):
    """Grassroots committees under `superior`, cells under each; returns the cells."""
    cell_types = cell_types or [CellType.VILLAGE, CellType.RESIDENTIAL, CellType.SCHOOL]
    committees = _insert_with_paths(
        [
            Organization(
                parent=superior,
                name=f"Đảng bộ xã số {number + 1}",
                kind=OrganizationKind.GRASSROOTS_COMMITTEE,
            )
            for number in range(communes)
        ],
        {superior.pk: superior},
    )
    return _insert_with_paths(
        [
            Organization(
                parent=committee,
                name=f"Chi bộ {number + 1} — {committee.name}",
                kind=OrganizationKind.CELL,
                cell_type=cell_types[number % len(cell_types)],
            )
            for committee in committees
            for number in range(cells_per_commune)
        ],
        {committee.pk: committee for committee in committees},
    )


def build_members(cells, per_cell, seed=1):
    chooser = random.Random(seed)
    members = []
    for cell in cells:
        for _number in range(per_cell):
            full_name = " ".join(
                [
                    chooser.choice(FAMILY_NAMES),
                    chooser.choice(MIDDLE_NAMES),
                    chooser.choice(GIVEN_NAMES),
                ]
            )
            members.append(
                Member(
                    organization=cell,
                    full_name=full_name,
                    sort_key=name_sort_key(full_name),
                    status=MembershipStatus.OFFICIAL
                    if chooser.random() < 0.9
                    else MembershipStatus.PROBATIONARY,
                )
            )
    Member.objects.bulk_create(members, batch_size=BATCH)
    return len(members)


def _at(year, month, day, hour=19, minute=30):
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def meetings_for(cell, year, today, chooser):
    """A cell's regular and thematic meetings of a year, mostly held and signed.

    Statuses, attendance and the delay before signing vary at random; months
    after `today` are planned or empty.
    """
    meetings = []
    slots = [(MeetingKind.REGULAR, month, 5) for month in range(1, 13)]
    slots += [(MeetingKind.THEMATIC, quarter * 3 - 1, 20) for quarter in range(1, 5)]
    for kind, month, day in slots:
        scheduled_at = _at(year, month, day)
        draw = chooser.random()
        if scheduled_at.date() > today:
            if draw < 0.5:
                continue
            status = MeetingStatus.PLANNED
        elif draw < 0.05:
            continue  # missing
        else:
            status = (
                MeetingStatus.PLANNED
                if draw < 0.08
                else MeetingStatus.DRAFT
                if draw < 0.11
                else MeetingStatus.FINALIZED
                if draw < 0.16
                else MeetingStatus.SIGNED
            )
        meeting = Meeting(
            organization=cell,
            kind=kind,
            year=year,
            month=month,
            scheduled_at=scheduled_at,
            status=status,
            topic="Học tập và làm theo tư tưởng Hồ Chí Minh"
            if kind == MeetingKind.THEMATIC
            else "",
        )
        if status != MeetingStatus.PLANNED:
            meeting.started_at = scheduled_at
            meeting.ended_at = scheduled_at + timedelta(minutes=chooser.choice([80, 95, 120]))
        if status in (MeetingStatus.FINALIZED, MeetingStatus.SIGNED):
            meeting.summoned_count = chooser.randint(12, 20)
            meeting.present_count = meeting.summoned_count - chooser.randint(0, 4)
        if status == MeetingStatus.SIGNED:
            meeting.signed_at = meeting.ended_at + timedelta(hours=chooser.choice([1, 20, 40, 80]))
        meetings.append(meeting)
    return meetings


def build_meetings(cells, years, today, seed=2):
    """Every cell's regular and thematic meetings for the given years, in batches."""
    chooser = random.Random(seed)
    batch, count = [], 0
    for cell in cells:
        for year in years:
            batch.extend(meetings_for(cell, year, today, chooser))
            if len(batch) >= BATCH:
                Meeting.objects.bulk_create(batch, batch_size=BATCH)
                count += len(batch)
                batch = []
    Meeting.objects.bulk_create(batch, batch_size=BATCH)
    return count + len(batch)


# ---------------------------------------------------------------- the benchmark


def _median_time(function, repeat=REPEAT):
    timings = []
    for _round in range(repeat):
        started = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), result


def main():
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import (
        CaptureQueriesContext,
        setup_test_environment,
        teardown_test_environment,
    )
    from django.urls import reverse

    from members.models import Role, RoleKind
    from oversight.board import compliance_board

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite":
        # A name of our own: other suites and benchmarks may be using test_<name> now.
        connection.settings_dict["TEST"]["NAME"] = f"test_cellmeet_bench_board_{os.getpid()}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
        today = timezone.localdate()
        years = list(range(today.year - YEARS + 1, today.year + 1))

        started = time.perf_counter()
        with transaction.atomic():
            superior = Organization(
                name="Tỉnh ủy Sơn Nguyên", kind=OrganizationKind.SUPERIOR_COMMITTEE
            )
            superior.save()
            cells = build_tree(superior, communes=COMMUNES, cells_per_commune=CELLS_PER_COMMUNE)
            members = build_members(cells, MEMBERS_PER_CELL)
            meetings = build_meetings(cells, years, today)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE")
        built = time.perf_counter() - started
        print(
            f"built {len(cells)} cells under {COMMUNES} communes, {members} members, "
            f"{meetings} meetings over {years[0]}–{years[-1]} in {built:.1f} s"
        )

        year = today.year
        # Count at once: a later request clears the log the count is read from.
        with CaptureQueriesContext(connection) as queries:
            board = compliance_board(superior, year)
        function_queries = len(queries)
        seconds, board = _median_time(lambda: compliance_board(superior, year))
        print(
            f"compliance_board(superior, {year}): median {seconds * 1000:.0f} ms of {REPEAT}, "
            f"{function_queries} queries, {board.tally.cells} rows, "
            f"{sum(row.tally.held_months for row in board.rows)} monthly meetings held"
        )
        seconds, _board = _median_time(lambda: compliance_board(superior, year - 1))
        print(f"compliance_board(superior, {year - 1}): median {seconds * 1000:.0f} ms")

        user = get_user_model().objects.create_user("bench-admin", password="bench-pass-123")
        Role.objects.create(user=user, organization=superior, kind=RoleKind.ADMIN)
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        url = reverse("oversight:board", args=[superior.pk, year])
        client.get(url)  # warm the template cache
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        page_queries = len(queries)
        assert response.status_code == 200, response.status_code
        seconds, response = _median_time(lambda: client.get(url))
        print(
            f"GET {url}: median {seconds * 1000:.0f} ms of {REPEAT}, {page_queries} queries, "
            f"{len(response.content) / 1024 / 1024:.1f} MiB of HTML"
        )
        commune = cells[0].parent
        url = reverse("oversight:board", args=[commune.pk, year])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        page_queries = len(queries)
        seconds, response = _median_time(lambda: client.get(url))
        print(
            f"GET {url} (one commune, {CELLS_PER_COMMUNE} cells): median "
            f"{seconds * 1000:.0f} ms, {page_queries} queries"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

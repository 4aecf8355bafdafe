"""Benchmark: the compliance board's queries do not grow with the subtree.

Formerly a test (tests/oversight/test_board.py keeps a small version, 2 and 40 cells):
two provinces, 13 cells and 500 cells under 25 communes, with five years of monthly
and quarterly meetings (over 30,000 for the large one), in a throwaway test database
(SQLite, or DATABASE_URL). Prints the queries and the time of `compliance_board` and
of the board page for each; exits non-zero if the query counts differ.

    .venv/bin/python -m tests.bench.board_queries
    BENCH_BOARD_LARGE_COMMUNES=2 .venv/bin/python -m tests.bench.board_queries   # quick
"""

import os
import sys
import time
from datetime import date

LARGE_COMMUNES = int(os.environ.get("BENCH_BOARD_LARGE_COMMUNES", "25"))
PROVINCES = {"small": (1, 13), "large": (LARGE_COMMUNES, 20)}  # communes, cells per commune
TODAY = date(2026, 6, 15)
YEARS = range(2022, 2027)


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cellmeet.settings.test")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import (
        CaptureQueriesContext,
        setup_test_environment,
        teardown_test_environment,
    )
    from django.urls import reverse

    from meetings.models import Meeting
    from members.models import Organization, OrganizationKind, Role, RoleKind
    from oversight.board import compliance_board
    from tests.bench.board import build_meetings, build_tree

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite":
        # A name of our own: other suites and benchmarks may be using test_<name> now.
        connection.settings_dict["TEST"]["NAME"] = f"test_cellmeet_bench_queries_{os.getpid()}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    figures = {}
    try:
        print(f"database: {connection.vendor}")
        user = get_user_model().objects.create_user("bench-admin", password="bench-pass-123")
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        for label, (communes, per_commune) in PROVINCES.items():
            started = time.perf_counter()
            superior = Organization(
                name=f"Tỉnh ủy {label}", kind=OrganizationKind.SUPERIOR_COMMITTEE
            )
            superior.save()
            cells = build_tree(superior, communes=communes, cells_per_commune=per_commune)
            build_meetings(cells, YEARS, TODAY)
            meetings = Meeting.objects.filter(organization__in=cells).count()
            built = time.perf_counter() - started
            Role.objects.create(user=user, organization=superior, kind=RoleKind.ADMIN)

            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                board = compliance_board(superior, 2026, today=TODAY)
                function_ms = (time.perf_counter() - started) * 1000
            function_queries = len(queries)
            url = reverse("oversight:board", args=[superior.pk, 2026])
            client.get(url)  # warm the template cache
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                page_ms = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, response.status_code
            figures[label] = (function_queries, len(queries))
            print(
                f"{label}: {len(cells)} cells, {meetings} meetings (built in {built:.1f} s); "
                f"compliance_board {function_queries} queries, {function_ms:.0f} ms, "
                f"{len(board.rows)} rows; page {len(queries)} queries, {page_ms:.0f} ms"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    if figures["small"] != figures["large"]:
        print(f"query counts differ: {figures}")
        sys.exit(1)
    print(f"same queries for both: {figures['small']} (function, page)")


if __name__ == "__main__":
    main()

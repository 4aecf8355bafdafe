"""Benchmark: what a province asks of a live server and of the real worker (issue 23).
`python -m tests.bench.province_live` (part of `make bench` and `make bench-smoke`).

In a throwaway SQLite database in a temporary folder (migrate, then the province of
tests/bench/province.py: COMMUNES communes of 20 cells, two years of meetings), it
times:

1. `board_cold_concurrent_8_ms`: gunicorn serves the site (one process, 8 threads:
   they share its in-memory cache, as several processes share Redis when REDIS_URL is
   set; then 3 processes of 4 threads). Eight reviewers of the province are signed in
   and the board is cached; one of them accepts signed minutes (a status change: the
   board is stale), and right after, the eight open the province's board at the same
   moment. The figure is the time until the last of the eight has its page (the
   median and the single cold request are printed too). The stampede guard
   (oversight/board_cache.py) has one of them compute the board, the others wait.
2. `book_wait_behind_bulk_s`: BULK_JOBS bulk jobs (committee zips) are queued, then a
   cell's minutes book is asked for, then the real worker (`manage.py worker`)
   starts: the seconds from the request until the book is stored (the worker's start
   included; printed apart), and how many bulk jobs ran before it. Jobs go by
   priority (cellmeet/jobs.py): the book does not wait for the queue.

Prints the figures and merges them into bench-results.json. No assertions.

    .venv/bin/python -m tests.bench.province_live --communes 100
    .venv/bin/python -m tests.bench.province_live --communes 2 --bulk 50   # smoke
"""

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tests.bench.concurrent_saves import (
    Browser,
    fresh_copy,
    server_environment,
    start_server,
    stop_server,
)

REPOSITORY = Path(__file__).resolve().parent.parent.parent
RESULTS_FILE = REPOSITORY / "bench-results.json"
COMMUNES = int(os.environ.get("BENCH_PROVINCE_COMMUNES", "100"))
CONCURRENT = 8
BULK_JOBS = 500
USERNAME = "bench-reviewer"
PASSWORD = "bench-reviewer-pass-1"
GIVE_UP_SECONDS = 600


# ---------------------------------------------------------------- in subprocesses


def build(communes):
    """The province and a reviewer; prints what the timing needs, as JSON."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from meetings.models import Meeting, MeetingStatus
    from members.models import Organization, OrganizationKind, Role, RoleKind
    from tests.bench import province

    today = timezone.localdate()
    superior = Organization.objects.create(
        name="Tỉnh ủy Sơn Nguyên", kind=OrganizationKind.SUPERIOR_COMMITTEE
    )
    user = get_user_model().objects.create_user(USERNAME, password=PASSWORD)
    Role.objects.create(user=user, organization=superior, kind=RoleKind.SUPERIOR_REVIEWER)
    cells, meetings = province.build(superior, communes, today)
    # Signed minutes awaiting review, to accept: the status change.
    to_accept = list(
        Meeting.objects.filter(
            organization__in=cells,
            status=MeetingStatus.SIGNED,
            accepted_at__isnull=True,
            is_current=True,
        ).values_list("pk", flat=True)[:5]
    )
    # A cell without minutes: its book is a cover and a contents page, so the wait
    # measured is the queue's, not the printing's.
    book_cell = Organization.objects.create(
        name="Chi bộ thôn Sổ", kind=OrganizationKind.CELL, parent=cells[0].parent
    )
    print(
        json.dumps(
            {
                "superior": superior.pk,
                "year": today.year,
                "cells": len(cells),
                "meetings": meetings,
                "to_accept": to_accept,
                "book_cell": book_cell.pk,
            }
        )
    )


def enqueue_bulk(count):
    import django

    django.setup()
    from oversight.books import build_committee_books

    for number in range(count):
        # Archives that do not exist: each job looks, and ends (the queue is the point).
        build_committee_books.enqueue(10_000_000 + number)


def enqueue_book(cell_pk, year):
    import django

    django.setup()
    from members.models import Organization
    from printing.tasks import prepare_minutes_book

    cell = Organization.objects.get(pk=cell_pk)
    asked = time.time()
    book = prepare_minutes_book(cell, year)
    print(json.dumps({"book": book.pk, "asked": asked}))


# ---------------------------------------------------------------- the board


def log_in(browser):
    browser.request("GET", "/accounts/login/")
    status, _location, _content = browser.request(
        "POST",
        "/accounts/login/",
        {
            "csrfmiddlewaretoken": browser.cookies.get("csrftoken", ""),
            "username": USERNAME,
            "password": PASSWORD,
        },
    )
    if status != 302:
        raise RuntimeError(f"log-in failed with {status}")


def accepted(database, meeting):
    with sqlite3.connect(database, timeout=30) as connection:
        row = connection.execute(
            "SELECT accepted_at FROM meetings_meeting WHERE id = ?", (meeting,)
        ).fetchone()
    return bool(row and row[0])


def board_cold_concurrent(port, database, facts, concurrent):
    """Milliseconds of each of `concurrent` simultaneous board requests made right
    after a status change, and of a single cold request after another change."""
    board = f"/orgs/{facts['superior']}/board/{facts['year']}/"
    browsers = [Browser(port) for _ in range(concurrent)]
    for browser in browsers:
        log_in(browser)
    status, _location, _content = browsers[0].request("GET", board)
    if status != 200:
        raise RuntimeError(f"the board answered {status} at {board}")

    def change_status(browser):
        if not facts["to_accept"]:
            raise RuntimeError("no signed minutes to accept in the data set")
        meeting = facts["to_accept"].pop(0)
        status, _location, _content = browser.request(
            "POST",
            f"/meetings/{meeting}/accept/",
            {
                "csrfmiddlewaretoken": browser.cookies.get("csrftoken", ""),
                "comment": "Đã kiểm tra, đồng ý.",
            },
        )
        if status != 302 or not accepted(database, meeting):
            raise RuntimeError(f"minutes {meeting} were not accepted ({status})")

    timings = [0.0] * concurrent
    start = threading.Barrier(concurrent)

    def open_board(number):
        start.wait()
        started = time.perf_counter()
        status, _location, _content = browsers[number].request("GET", board)
        timings[number] = (time.perf_counter() - started) * 1000
        if status != 200:
            raise RuntimeError(f"the board answered {status}")

    change_status(browsers[0])
    threads = [threading.Thread(target=open_board, args=(n,)) for n in range(concurrent)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    change_status(browsers[0])
    started = time.perf_counter()
    browsers[1].request("GET", board)
    single = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    browsers[1].request("GET", board)
    cached = (time.perf_counter() - started) * 1000
    return timings, single, cached


# ---------------------------------------------------------------- the worker


def run(python_args, env, *, capture=True):
    return subprocess.run(
        [sys.executable, *python_args],
        cwd=REPOSITORY,
        env=env,
        check=True,
        capture_output=capture,
        text=True,
    ).stdout


def book_status(database, book_pk):
    with sqlite3.connect(database, timeout=30) as connection:
        row = connection.execute(
            "SELECT status FROM meetings_minutesbook WHERE id = ?", (book_pk,)
        ).fetchone()
    return row[0] if row else None


def jobs_done(database):
    with sqlite3.connect(database, timeout=30) as connection:
        (count,) = connection.execute(
            "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'SUCCESSFUL'"
        ).fetchone()
    return count


def book_wait_behind_bulk(database, facts, bulk, log_path):
    """Seconds from asking for a cell's book, queued behind `bulk` bulk jobs, until
    the real worker, started then, has stored it; and how many bulk jobs it ran first."""
    env = server_environment(database)
    asked = json.loads(
        run(
            [
                "-m",
                "tests.bench.province_live",
                "--enqueue-bulk",
                str(bulk),
                "--enqueue-book",
                f"{facts['book_cell']},{facts['year']}",
            ],
            env,
        )
        .strip()
        .splitlines()[-1]
    )
    log = open(log_path, "wb")  # noqa: SIM115 - closed by stop_server
    worker = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "worker",
            "--no-startup-delay",
            "--no-reload",
            "--worker-id",
            "bench-province",
            "--interval",
            "0.2",
        ],
        cwd=REPOSITORY,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    worker.log = log
    worker_started = time.time()
    try:
        deadline = time.monotonic() + GIVE_UP_SECONDS
        while (status := book_status(database, asked["book"])) == "pending":
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the book was not stored; see {log_path}")
            time.sleep(0.05)
        stored = time.time()
        bulk_done = jobs_done(database) - 1  # the book's own job
        if status != "ready":
            raise RuntimeError(f"the book's job ended {status}; see {log_path}")
        return stored - asked["asked"], stored - worker_started, bulk_done
    finally:
        stop_server(worker)


# ---------------------------------------------------------------- main


def record(figures):
    merged = json.loads(RESULTS_FILE.read_text()) if RESULTS_FILE.exists() else {}
    merged.update(figures)
    RESULTS_FILE.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n")
    print(f"figures merged into {RESULTS_FILE.name}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=COMMUNES)
    parser.add_argument("--concurrent", type=int, default=CONCURRENT)
    parser.add_argument("--bulk", type=int, default=BULK_JOBS)
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--enqueue-bulk", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--enqueue-book", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build is not None:
        return build(args.build)
    if args.enqueue_bulk is not None:
        enqueue_bulk(args.enqueue_bulk)
    if args.enqueue_book is not None:
        cell, year = args.enqueue_book.split(",")
        return enqueue_book(int(cell), int(year))

    figures = {}
    with tempfile.TemporaryDirectory(prefix="cellmeet-province-live-") as folder:
        folder = Path(folder)
        template = folder / "template.sqlite3"
        env = server_environment(template)
        started = time.perf_counter()
        run(["manage.py", "migrate", "--noinput", "-v0"], env)
        output = run(["-m", "tests.bench.province_live", "--build", str(args.communes)], env)
        facts = json.loads(output.strip().splitlines()[-1])
        seconds = time.perf_counter() - started
        print(
            f"(built {facts['cells']} cells, {facts['meetings']} meetings in {seconds:.0f} s;"
            f" SQLite in {folder})"
        )

        servers = [("1 process × 8 threads", ["--workers", "1", "--threads", "8"])]
        if os.environ.get("REDIS_URL"):
            servers.append(("3 processes × 4 threads", ["--workers", "3", "--threads", "4"]))
        for label, options in servers:
            database = fresh_copy(template, "board")
            process, port = start_gunicorn(database, folder / "gunicorn.log", options)
            try:
                timings, single, cached = board_cold_concurrent(
                    port, database, dict(facts, to_accept=list(facts["to_accept"])), args.concurrent
                )
            finally:
                stop_server(process)
            print(
                f"province board after a status change, gunicorn {label}: "
                f"{args.concurrent} at once: last {max(timings):.0f} ms, "
                f"median {statistics.median(timings):.0f} ms; alone {single:.0f} ms; "
                f"cached {cached:.0f} ms"
            )
            if "figures_board" not in figures:
                figures["figures_board"] = True
                figures[f"board_cold_concurrent_{args.concurrent}_ms"] = max(timings)
                figures[f"board_cold_concurrent_{args.concurrent}_median_ms"] = statistics.median(
                    timings
                )
                figures["board_cold_single_live_ms"] = single
        figures.pop("figures_board", None)

        database = fresh_copy(template, "worker")
        waited, since_worker, bulk_done = book_wait_behind_bulk(
            database, facts, args.bulk, folder / "worker.log"
        )
        print(
            f"minutes book queued behind {args.bulk} bulk jobs: stored {waited:.1f} s after"
            f" it was asked for ({since_worker:.1f} s after the worker started),"
            f" {bulk_done} bulk jobs run before it"
        )
        figures["book_wait_behind_bulk_s"] = waited
        figures["book_wait_after_worker_start_s"] = since_worker
        figures["book_wait_bulk_jobs"] = args.bulk
        figures["book_wait_bulk_jobs_run_first"] = bulk_done
    record({key: round(value, 2) for key, value in figures.items()})
    return 0


def start_gunicorn(database, log_path, options):
    """gunicorn with threads (start_server runs it with processes)."""
    import tests.bench.concurrent_saves as saves

    original = saves.GUNICORN_WORKERS
    # start_server builds the command; its worker count is the only knob: threads are
    # added through GUNICORN_CMD_ARGS, which gunicorn reads from the environment.
    os.environ["GUNICORN_CMD_ARGS"] = " ".join(options[2:])
    saves.GUNICORN_WORKERS = int(options[1])
    try:
        return start_server("gunicorn", database, log_path)
    finally:
        saves.GUNICORN_WORKERS = original
        os.environ.pop("GUNICORN_CMD_ARGS", None)


if __name__ == "__main__":
    sys.exit(main())

"""Concurrent saves of the recording page: `python -m tests.bench.concurrent_saves`
(part of `make bench`).

Builds a throwaway SQLite database in a temporary folder (migrate, one cell of 30
members, a secretary account and one draft meeting per worker), then serves it on
127.0.0.1 on a free port, twice, each time from a fresh copy of that database:

1. `manage.py runserver` (the server of `make run`; without the autoreloader, which
   only watches files);
2. gunicorn with 3 workers.

Against each server, WORKERS threads log in, then for ROUNDS rounds all of them at
once open their draft's recording page (for the CSRF token and the form's current
values) and post it back with one section changed, as a secretary pressing "Save
draft" does. It prints the errors (any answer other than the redirect of a saved
draft; expected 0), how many of them were "database is locked", and the latencies
of the saves (median, p95, max). No assertions.

The figures are merged into bench-results.json at the top of the repository
(created if absent) under concurrent_saves_{runserver,gunicorn}_{errors,p95_ms}.
"""

import argparse
import http.client
import json
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent.parent
RESULTS_FILE = REPOSITORY / "bench-results.json"
WORKERS = 20
ROUNDS = 5
MEMBERS = 30
USERNAME = "bench-secretary"
PASSWORD = "bench-secret-pass-1"
GUNICORN_WORKERS = 3

GIVEN = [
    "An", "Bình", "Cường", "Dung", "Em", "Gấm", "Hậu", "Kim", "Lan", "Mạnh",
    "Nga", "Oanh", "Phúc", "Quý", "Sơn", "Thủy", "Uyên", "Vinh", "Xuân", "Yến",
    "Hùng", "Hương", "Tuấn", "Hằng", "Long", "Nhung", "Dũng", "Trang", "Khánh", "Liên",
]  # fmt: skip
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Ngô", "Đặng"]


# ---------------------------------------------------------------- the data


def build(workers):
    """Runs inside a subprocess set up for the throwaway database; prints the ids."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from meetings import services
    from meetings.models import Meeting, MeetingKind
    from members.models import Member, Organization, OrganizationKind, Role, RoleKind

    commune = Organization.objects.create(
        name="Đảng bộ xã Yên Hòa", kind=OrganizationKind.GRASSROOTS_COMMITTEE, place="Yên Hòa"
    )
    cell = Organization.objects.create(
        name="Chi bộ thôn Đông Hòa",
        kind=OrganizationKind.CELL,
        cell_type="village",
        parent=commune,
        place="Yên Hòa",
    )
    for index, given in enumerate(GIVEN[:MEMBERS]):
        Member.objects.create(
            organization=cell,
            full_name=f"{FAMILY[index % 10]} Văn {given}",
            gender="male",
            admitted_on=date(1990 + index % 20, 3, 2),
            status="official",
        )
    user = get_user_model().objects.create_user(USERNAME, password=PASSWORD)
    Role.objects.create(user=user, organization=cell, kind=RoleKind.CELL_SECRETARY)
    meetings = []
    for number in range(workers):
        # One regular meeting a month, in the past: 2023-01, 2023-02, ...
        year, month = 2023 + number // 12, number % 12 + 1
        meeting = Meeting(
            organization=cell,
            kind=MeetingKind.REGULAR,
            scheduled_at=timezone.make_aware(datetime(year, month, 5, 19, 30)),
            location="Nhà văn hóa thôn Đông Hòa",
        )
        services.save_planned_meeting(meeting, user=user)
        meetings.append(services.start_recording(meeting, user=user).pk)
    print(json.dumps({"meetings": meetings}))


def server_environment(database):
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="cellmeet.settings.dev",
        DATABASE_URL=f"sqlite:///{database}",
        MEDIA_ROOT=str(database.parent / "media"),
        ALLOWED_HOSTS="127.0.0.1",
        DJANGO_ALLOW_ASYNC_UNSAFE="true",
        PYTHONUNBUFFERED="1",
    )
    return env


def make_database(folder, workers):
    database = folder / "template.sqlite3"
    env = server_environment(database)
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=REPOSITORY, env=env, check=True
    )
    output = subprocess.run(
        [python, "-m", "tests.bench.concurrent_saves", "--build", str(workers)],
        cwd=REPOSITORY,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return database, json.loads(output.strip().splitlines()[-1])["meetings"]


def fresh_copy(template, name):
    database = template.with_name(f"{name}.sqlite3")
    shutil.copyfile(template, database)
    return database


# ---------------------------------------------------------------- the servers


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(kind, database, log_path):
    port = free_port()
    env = server_environment(database)
    if kind == "runserver":
        command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    else:
        env["DEBUG"] = "false"
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "cellmeet.wsgi:application",
            "--workers",
            str(GUNICORN_WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
        ]
    log = open(log_path, "wb")  # noqa: SIM115 - closed in stop_server
    process = subprocess.Popen(
        command,
        cwd=REPOSITORY,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    process.log = log
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{kind} exited early; see {log_path}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/accounts/login/")
            if connection.getresponse().status == 200:
                connection.close()
                return process, port
        except OSError:
            time.sleep(0.3)
    stop_server(process)
    raise RuntimeError(f"{kind} did not answer within 60 s; see {log_path}")


def stop_server(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    process.log.close()


# ---------------------------------------------------------------- a browser, roughly


class MinutesFormParser(HTMLParser):
    """The values a browser would submit from <form id="minutes-form">."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields = []
        self.in_form = False
        self.in_template = 0
        self.textarea = None
        self.select = None
        self.option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "minutes-form":
            self.in_form = True
        if not self.in_form:
            return
        if tag == "template":  # rows added by script: never submitted as they are
            self.in_template += 1
        if self.in_template or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "button", "file", "reset", "image"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value", "on")))
                return
            self.fields.append((name, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self.select is not None:
            self.option = [attrs.get("value"), "selected" in attrs, ""]
            self.select["options"].append(self.option)

    def handle_endtag(self, tag):
        if not self.in_form:
            return
        if tag == "template":
            self.in_template -= 1
        elif tag == "form":
            self.in_form = False
        elif tag == "textarea" and self.textarea:
            self.fields.append(tuple(self.textarea))
            self.textarea = None
        elif tag == "select" and self.select:
            chosen = [
                value if value is not None else text
                for value, selected, text in self.select["options"]
                if selected
            ]
            if not chosen and not self.select["multiple"] and self.select["options"]:
                value, _, text = self.select["options"][0]
                chosen = [value if value is not None else text]
            self.fields.extend((self.select["name"], value) for value in chosen)
            self.select = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data
        elif self.option is not None:
            self.option[2] += data


class Browser:
    """One signed-in secretary: cookies kept, one keep-alive connection."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}
        self.connection = None

    def request(self, method, path, fields=None):
        body, headers = None, {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if fields is not None:
            body = urllib.parse.urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        return response.status, response.getheader("Location", ""), content

    def log_in(self):
        self.request("GET", "/accounts/login/")
        status, location, _ = self.request(
            "POST",
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": self.cookies.get("csrftoken", ""),
                "username": USERNAME,
                "password": PASSWORD,
            },
        )
        if status != 302:
            raise RuntimeError(f"log-in failed with {status}")

    def save_draft(self, meeting, text):
        """(ok, seconds of the save, what went wrong)."""
        path = f"/meetings/{meeting}/record/"
        status, _, content = self.request("GET", path)
        if status != 200:
            return False, None, f"GET {status}{locked(content)}"
        parser = MinutesFormParser()
        parser.feed(content.decode("utf-8"))
        fields = [(name, value) for name, value in parser.fields if name != "dues_report"]
        fields += [("dues_report", text), ("save", "1")]
        started = time.perf_counter()
        status, location, content = self.request("POST", path, fields)
        elapsed = time.perf_counter() - started
        if status == 302 and location.endswith(path):
            return True, elapsed, ""
        return False, elapsed, f"POST {status}{locked(content)}"


def locked(content):
    return " database is locked" if b"database is locked" in content else ""


# ---------------------------------------------------------------- the load


def run_load(port, meetings, rounds):
    browsers = [Browser(port) for _ in meetings]
    for browser in browsers:
        browser.log_in()
    barrier = threading.Barrier(len(browsers))
    results = []
    lock = threading.Lock()

    def worker(browser, meeting, number):
        for round_number in range(rounds):
            barrier.wait()
            try:
                outcome = browser.save_draft(
                    meeting, f"Đã thu đủ đảng phí (lượt {round_number + 1}, máy {number + 1})."
                )
            except OSError as error:
                outcome = (False, None, f"{type(error).__name__}: {error}")
            with lock:
                results.append(outcome)

    threads = [
        threading.Thread(target=worker, args=(browser, meeting, number))
        for number, (browser, meeting) in enumerate(zip(browsers, meetings, strict=True))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def percentile(values, share):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def summarise(kind, results):
    errors = [problem for ok, _, problem in results if not ok]
    latencies = [seconds * 1000 for _, seconds, _ in results if seconds is not None]
    return {
        "server": kind,
        "requests": len(results),
        "errors": len(errors),
        "locked": sum("database is locked" in problem for problem in errors),
        "kinds": sorted(set(errors)),
        "median_ms": statistics.median(latencies) if latencies else None,
        "p95_ms": percentile(latencies, 0.95) if latencies else None,
        "max_ms": max(latencies) if latencies else None,
    }


def record(summaries):
    results = {}
    if RESULTS_FILE.exists():
        try:
            results = json.loads(RESULTS_FILE.read_text())
        except ValueError:
            results = {}
    for summary in summaries:
        key = f"concurrent_saves_{summary['server']}"
        results[f"{key}_errors"] = summary["errors"]
        results[f"{key}_p95_ms"] = round(summary["p95_ms"], 1) if summary["p95_ms"] else None
    RESULTS_FILE.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.concurrent_saves", description=__doc__
    )
    parser.add_argument("--workers", type=int, default=WORKERS, help="simultaneous saves")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="rounds of saves")
    parser.add_argument(
        "--servers", default="runserver,gunicorn", help="comma-separated: runserver,gunicorn"
    )
    parser.add_argument("--build", type=int, metavar="N", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build:
        build(args.build)
        return 0

    folder = Path(tempfile.mkdtemp(prefix="cellmeet-bench-saves-"))
    try:
        started = time.perf_counter()
        template, meetings = make_database(folder, args.workers)
        print(
            f"cellmeet concurrent saves — {args.workers} at once × {args.rounds} rounds, "
            f"SQLite in {folder} (built in {time.perf_counter() - started:.1f} s)"
        )
        summaries = []
        for kind in args.servers.split(","):
            database = fresh_copy(template, kind)
            log_path = folder / f"{kind}.log"
            process, port = start_server(kind, database, log_path)
            try:
                results = run_load(port, meetings, args.rounds)
            finally:
                stop_server(process)
            summary = summarise(kind, results)
            summary["mode"] = journal_mode(database)
            # Without DEBUG the page says nothing; the server's log has the traceback.
            summary["locked"] = max(summary["locked"], logged_locks(log_path))
            summaries.append(summary)
            print_summary(summary)
        record(summaries)
        print(f"figures merged into {RESULTS_FILE.name}")
        return 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def logged_locks(log_path):
    text = log_path.read_text(errors="replace")
    return text.count("django.db.utils.OperationalError: database is locked")


def journal_mode(database):
    import sqlite3

    with sqlite3.connect(database) as connection:
        return connection.execute("PRAGMA journal_mode").fetchone()[0]


def print_summary(summary):
    label = "runserver" if summary["server"] == "runserver" else f"gunicorn ×{GUNICORN_WORKERS}"

    def ms(value):
        return "—" if value is None else f"{value:.0f} ms"

    print(
        f"{label:<12} journal={summary['mode']:<6} errors {summary['errors']:>3}/"
        f"{summary['requests']} (database is locked: {summary['locked']})  "
        f"save latency median {ms(summary['median_ms'])}, p95 {ms(summary['p95_ms'])}, "
        f"max {ms(summary['max_ms'])}"
    )
    for problem in summary["kinds"]:
        print(f"    {problem}")


if __name__ == "__main__":
    sys.exit(main())

"""Browser tests: Debian's chromium driven by Playwright against a live server."""

import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE_DIR = Path(os.environ.get("CELLMEET_AXE_DIR") or Path.home() / ".cache" / "cellmeet-axe")
BROWSER_CONTEXT = {
    "viewport": {"width": 1280, "height": 800},
    "locale": "en-US",
    "reduced_motion": "reduce",
    "service_workers": "block",
}
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian chromium is needed for the browser tests: apt-get install chromium")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A cheap laptop's screen, and an English browser: the app must still speak Vietnamese.
    # Reduced motion: no button is caught mid-transition by axe's colour-contrast check.
    # No service worker (only tests/e2e/test_offline_recording.py, in its own context,
    # has one): after a recording page it fetches the meeting's other pages in the
    # background, and a request still running when the test ends deadlocked the
    # PostgreSQL database's emptying (TRUNCATE) after it.
    return {**browser_context_args, **BROWSER_CONTEXT}


@pytest.fixture
def log_in(live_server):
    def _log_in(page, username, password="secret-pass-123"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()

    return _log_in


@pytest.fixture(scope="session")
def axe_source():
    """axe-core 4 from the npm registry, into a cache folder outside the repository."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail(
            "npm is needed to install axe-core for the accessibility tests: apt-get install npm"
        )
    AXE_DIR.mkdir(parents=True, exist_ok=True)
    command = [
        npm,
        "install",
        "--no-save",
        "--no-audit",
        "--no-fund",
        "--prefix",
        str(AXE_DIR),
        "axe-core@4",
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=AXE_DIR)
    except subprocess.TimeoutExpired:
        pytest.fail("npm could not install axe-core within 5 minutes (is the registry reachable?)")
    script = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if result.returncode != 0 or not script.exists():
        pytest.fail(
            f"npm could not install axe-core (is the registry reachable?): {' '.join(command)}\n"
            f"{result.stdout[-1500:]}\n{result.stderr[-1500:]}"
        )
    return script.read_text()


# The rules the migrations seed as data, in the order they run. A browser test's
# database is emptied after it (transaction=True), so the next one finds no rules.
SEEDED_RULES = [
    ("rating.migrations.0002_rules_qd124_qd366", "add_rules", "rating", "RatingRules"),
    ("dues.migrations.0002_seed_rules", "seed", "dues", "DuesRule"),
    ("dues.migrations.0003_rules_sources", "update", "dues", "DuesRule"),
]


@pytest.fixture
def seeded_rules():
    """The rating and dues rules as the migrations leave them, whatever ran before."""
    from importlib import import_module

    from django.apps import apps

    emptied = set()
    for module, function, app_label, model in SEEDED_RULES:
        table = apps.get_model(app_label, model)
        if (app_label, model) not in emptied and table.objects.exists():
            continue
        emptied.add((app_label, model))
        getattr(import_module(module), function)(apps, None)


@pytest.fixture(autouse=True)
def _requests_finished_before_the_database_is_emptied():
    """After a browser test, wait (at most 10 s) until the live server has answered every
    request already started, before the database is emptied: a request still reading
    while PostgreSQL empties the tables (TRUNCATE) deadlocks with it. Autouse here, so
    set up after pytest-django's database fixture and torn down before it, after the
    browser's page and context are closed."""
    from django.core.signals import request_finished, request_started

    running = {"count": 0}
    lock = threading.Lock()

    def started(**kwargs):
        with lock:
            running["count"] += 1

    def finished(**kwargs):
        with lock:
            running["count"] -= 1

    request_started.connect(started, weak=False, dispatch_uid="e2e-request-started")
    request_finished.connect(finished, weak=False, dispatch_uid="e2e-request-finished")
    yield
    deadline = time.monotonic() + 10
    while running["count"] > 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    request_started.disconnect(dispatch_uid="e2e-request-started")
    request_finished.disconnect(dispatch_uid="e2e-request-finished")

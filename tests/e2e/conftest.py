"""Browser tests: Debian's chromium driven by Playwright against a live server."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE_DIR = Path(os.environ.get("CELLMEET_AXE_DIR") or Path.home() / ".cache" / "cellmeet-axe")
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
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800}, "locale": "en-US"}


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

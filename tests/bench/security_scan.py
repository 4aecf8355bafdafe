"""A security scan you can repeat: wapiti against a local production-settings server.

    python -m tests.bench.security_scan [--minutes 4] [--user bithu]

Starts gunicorn on 127.0.0.1 with cellmeet.settings.prod (DEBUG off, a throwaway
SQLite with the demo data, SECURE_SSL_REDIRECT off for the plain-HTTP local run),
signs wapiti in as a demo account and lets it crawl and attack for a bounded time,
scope limited to that address. Prints the findings and the security headers of a
few pages. Not part of `make test`: wapiti lives in its own virtualenv (.venv-security,
made on the first run from PyPI), never in the project's dependencies.
"""

import argparse
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNER_VENV = ROOT / ".venv-security"
WAPITI_VERSION = "3.2.3"
# The share of the time spent crawling; the rest goes to the attack modules, about
# this many with the default --modules ("common" is wapiti's usual set).
CRAWL_SHARE = 0.4
ATTACK_MODULES = 14
HEADERS = [
    "Content-Security-Policy",
    "Cross-Origin-Opener-Policy",
    "Permissions-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Cache-Control",
]


def wapiti():
    executable = SCANNER_VENV / "bin" / "wapiti"
    if not executable.exists():
        print(f"Installing wapiti3 {WAPITI_VERSION} into {SCANNER_VENV} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(SCANNER_VENV)], check=True)
        subprocess.run(
            [str(SCANNER_VENV / "bin" / "pip"), "install", "-q", f"wapiti3=={WAPITI_VERSION}"],
            check=True,
        )
    return executable


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(workdir, port):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="cellmeet.settings.prod",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{workdir / 'scan.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        STATIC_ROOT=str(workdir / "static"),
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",  # plain HTTP: secure cookies would never come back
        SECURE_HSTS_SECONDS="0",
        CSRF_TRUSTED_ORIGINS=f"http://127.0.0.1:{port}",
        AXES_FAILURE_LIMIT="1000",
        LOG_LEVEL="ERROR",
    )
    return environment


def manage(environment, *arguments):
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=environment, check=True)


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"The server did not answer at {url}")


def sign_in(base, username, password):
    """The session and CSRF cookies of a signed-in user, as one Cookie header value.

    Signing in ourselves is simpler than teaching the scanner Django's CSRF token."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/accounts/login/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"csrfmiddlewaretoken": token, "username": username, "password": password}
    opener.open(base + "/accounts/login/", urllib.parse.urlencode(form).encode(), timeout=10)
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise SystemExit(f"Could not sign in as {username}.")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def print_headers(base):
    print("\nSecurity headers:")
    for path in ["/accounts/login/", "/verify/", "/static/css/cellmeet.css"]:
        with urllib.request.urlopen(base + path, timeout=5) as response:
            print(f"  {path}")
            for name in HEADERS:
                print(f"    {name}: {response.headers.get(name, '(none)')}")


def print_findings(report_path):
    report = json.loads(report_path.read_text())
    found = 0
    for section in ("vulnerabilities", "anomalies", "additionals"):
        for category, items in sorted(report.get(section, {}).items()):
            for item in items:
                if item.get("info", "").strip().endswith(":"):
                    continue  # a heuristic that found nothing
                found += 1
                where = f"{item.get('method', '')} {item.get('path', '')}".strip()
                parameter = item.get("parameter") or ""
                print(f"- [{section}] {category}: {where} {parameter}".rstrip())
                print(f"    {item.get('info', '').strip()[:300]}")
    crawled = report.get("infos", {}).get("crawled_pages_nbr") or len(
        report.get("infos", {}).get("crawled_pages", [])
    )
    print(f"\n{found} finding(s); {crawled} page(s) crawled.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=4, help="scan time (default 4)")
    parser.add_argument("--user", default="bithu", help="demo account to scan as")
    parser.add_argument("--modules", default="common,csrf,methods,crlf")
    options = parser.parse_args()

    scanner = wapiti()
    workdir = Path(tempfile.mkdtemp(prefix="cellmeet-scan-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    environment = server_environment(workdir, port)
    print(f"Preparing a throwaway database in {workdir} ...", flush=True)
    manage(environment, "migrate", "--noinput", "-v0")
    manage(environment, "collectstatic", "--noinput", "-v0")
    # The demo app is installed by the dev settings only; the data lands in the same
    # throwaway database and media folder that the production-settings server reads.
    seeding = {**environment, "DJANGO_SETTINGS_MODULE": "cellmeet.settings.dev"}
    manage(seeding, "seed_demo", "--force")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cellmeet.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--timeout",
            "120",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=(workdir / "server.log").open("w"),
    )
    try:
        wait_for(base + "/accounts/login/")
        print_headers(base)
        report_path = workdir / "wapiti.json"
        seconds = int(options.minutes * 60)
        command = [
            str(scanner),
            "-u",
            base + "/",
            "--scope",
            "folder",
            "-m",
            options.modules,
            "-C",
            sign_in(base, options.user, "demo-cellmeet"),
            # Never sign out, switch language or import: the scan would lose its session.
            "-x",
            base + "/accounts/logout/",
            "-x",
            base + "/i18n/setlang/",
            # wapiti bounds the crawl and each attack module separately: share the time.
            "--max-scan-time",
            str(int(seconds * CRAWL_SHARE)),
            "--max-attack-time",
            str(max(5, int(seconds * (1 - CRAWL_SHARE) / ATTACK_MODULES))),
            "--tasks",
            "4",
            "--flush-session",
            "--no-bugreport",
            "-f",
            "json",
            "-o",
            str(report_path),
            "-v",
            "0",
        ]
        print(f"\nScanning {base} as {options.user} for at most {options.minutes} min ...")
        scan = subprocess.Popen(command, cwd=workdir)
        try:
            scan.wait(timeout=seconds + 120)
        except subprocess.TimeoutExpired:
            print("Time is up: asking wapiti to stop and write its report ...", flush=True)
            scan.send_signal(signal.SIGINT)
            try:
                scan.wait(timeout=90)
            except subprocess.TimeoutExpired:
                scan.kill()
        if report_path.exists():
            print_findings(report_path)
            errors = (workdir / "server.log").read_text().count("Traceback")
            print(f"Server errors (tracebacks) during the scan: {errors}")
        else:
            print("wapiti wrote no report.")
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

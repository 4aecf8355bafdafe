"""Background jobs run by the real worker: `manage.py worker`, a separate process on the
test database (a file on SQLite; the PostgreSQL test database otherwise), with the
database backend the deployment uses. Everywhere else the suite runs jobs at once
(cellmeet/settings/test.py)."""

import os
import signal
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from meetings.models import Meeting
from printing.models import MinutesBook, MinutesBookStatus
from tests.helpers import at, complete, sign
from tests.printing.pdftools import flat, pdf_metadata, pdf_text, toc_entries

pytestmark = pytest.mark.django_db(transaction=True)

WORKER_ID = "test-worker"
# Not a timing assertion: how long to wait for a worker before declaring it stuck.
GIVE_UP_AFTER_SECONDS = 120


def database_url():
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    credentials = quote(database["USER"] or "")
    if database.get("PASSWORD"):
        credentials += ":" + quote(database["PASSWORD"])
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{database['NAME']}"


def worker_command(*arguments, worker_id=WORKER_ID):
    command = [sys.executable, "manage.py", "worker", "--no-startup-delay", "--no-reload"]
    return [*command, "--worker-id", worker_id, "--interval", "0.2", *arguments]


def worker_environment(*, lease_seconds=None):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cellmeet.settings.test",
        "DATABASE_URL": database_url(),
        "CELLMEET_TEST_WORKER": "1",
        "CELLMEET_TEST_MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
    }
    if lease_seconds is not None:
        environment["CELLMEET_WORKER_LEASE_SECONDS"] = str(lease_seconds)
    return environment


def signal_worker_once_it_runs(job, signal_number, *, worker_id=WORKER_ID, lease_seconds=None):
    """Start a worker, send it the signal as soon as it has claimed the job, and return
    its exit code once it has stopped."""
    worker = subprocess.Popen(
        worker_command(worker_id=worker_id),
        cwd=django_settings.BASE_DIR,
        env=worker_environment(lease_seconds=lease_seconds),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + GIVE_UP_AFTER_SECONDS
        while job.status == TaskResultStatus.READY and time.monotonic() < deadline:
            time.sleep(0.02)
            job.refresh_from_db()
        worker.send_signal(signal_number)
        return worker.wait(timeout=GIVE_UP_AFTER_SECONDS)
    finally:
        if worker.poll() is None:
            worker.kill()


def run_worker_until_the_queue_is_empty():
    result = subprocess.run(
        worker_command("--batch"),
        cwd=django_settings.BASE_DIR,
        env=worker_environment(),
        capture_output=True,
        text=True,
        timeout=GIVE_UP_AFTER_SECONDS * 2,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture
def database_jobs(settings):
    """Jobs go to the database, as in production, until the test ends."""
    settings.TASKS = settings.DATABASE_TASKS


def test_signing_leaves_a_job_that_the_worker_renders_and_stores(
    world, roster, make_meeting, database_jobs
):
    meeting = sign(complete(make_meeting(), roster), world, roster)
    job = DBTaskResult.objects.get(task_path="printing.tasks.store_signed_minutes")
    assert job.status == TaskResultStatus.READY
    assert job.args_kwargs["args"] == [meeting.pk]
    meeting.refresh_from_db()
    assert not meeting.minutes_pdf  # nothing printed in the request that signed

    run_worker_until_the_queue_is_empty()

    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL, job.traceback
    assert job.worker_ids == [WORKER_ID]
    meeting.refresh_from_db()
    assert meeting.minutes_pdf
    with meeting.minutes_pdf.open("rb") as handle:
        stored = handle.read()
    assert pdf_metadata(stored)["/Keywords"] == meeting.fingerprint


def test_the_minutes_book_is_prepared_by_the_worker_then_offered(
    book_year,
    world,
    login,
    database_jobs,
):
    client = login(world.reviewer)
    response = client.get(reverse("printing:minutes_book", args=[world.cell.pk, 2026]))
    book = MinutesBook.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("printing:minutes_book_status", args=[book.pk])
    waiting = client.get(response["Location"])
    page = waiting.content.decode()
    assert book.status == MinutesBookStatus.PENDING
    assert '<meta http-equiv="refresh" content="3">' in page
    assert reverse("printing:minutes_book_download", args=[book.pk]) not in page
    # Asking again joins the job already waiting instead of starting another.
    again = client.get(reverse("printing:minutes_book", args=[world.cell.pk, 2026]))
    assert again["Location"] == response["Location"]
    assert DBTaskResult.objects.filter(task_path="printing.tasks.build_minutes_book").count() == 1

    run_worker_until_the_queue_is_empty()

    ready = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in ready
    download_url = reverse("printing:minutes_book_download", args=[book.pk])
    assert download_url in ready
    content = client.get(download_url).content
    titles = [title for _, title, _, _, _ in toc_entries(content)]
    assert titles == [f"Sinh hoạt chi bộ thường kỳ tháng {m}/2026" for m in (3, 6, 9)]
    # The same records: the stored book is served at once, no new job.
    direct = client.get(reverse("printing:minutes_book", args=[world.cell.pk, 2026]))
    assert direct.status_code == 200
    assert direct.content == content
    assert DBTaskResult.objects.filter(task_path="printing.tasks.build_minutes_book").count() == 1


def test_newly_signed_minutes_make_a_new_book(book_year, world, roster, make_meeting, login):
    client = login(world.secretary)
    url = reverse("printing:minutes_book", args=[world.cell.pk, 2026])
    first = client.get(url).content  # the ImmediateBackend: printed at once
    assert client.get(url).content == first
    assert MinutesBook.objects.count() == 1
    sign(complete(make_meeting(when=at(2026, 11, 5)), roster), world, roster)
    second = client.get(url).content
    assert "tháng 11/2026" in flat(pdf_text(second))
    # The earlier book is gone with its file.
    assert MinutesBook.objects.count() == 1


def test_a_job_survives_its_worker_being_killed(book_year, world, login, database_jobs):
    client = login(world.secretary)
    client.get(reverse("printing:minutes_book", args=[world.cell.pk, 2026]))
    book = MinutesBook.objects.get()
    job = DBTaskResult.objects.get(task_path="printing.tasks.build_minutes_book")

    # Killed while printing: no chance to finish or to tidy up.
    signal_worker_once_it_runs(job, signal.SIGKILL)
    job.refresh_from_db()
    book.refresh_from_db()
    assert job.status == TaskResultStatus.RUNNING, "the worker finished before it was killed"
    assert book.status == MinutesBookStatus.PENDING

    restarted = run_worker_until_the_queue_is_empty()

    assert "back in the queue" in restarted.stderr
    job.refresh_from_db()
    book.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL, job.traceback
    assert job.worker_ids == [WORKER_ID, WORKER_ID]
    assert book.status == MinutesBookStatus.READY
    content = client.get(reverse("printing:minutes_book_download", args=[book.pk])).content
    assert len(toc_entries(content)) == 3


def test_a_worker_stopped_politely_finishes_its_job_first(
    world, roster, make_meeting, database_jobs
):
    meeting = sign(complete(make_meeting(), roster), world, roster)
    job = DBTaskResult.objects.get(task_path="printing.tasks.store_signed_minutes")
    # SIGTERM: what systemd sends on stop and restart.
    assert signal_worker_once_it_runs(job, signal.SIGTERM) == 0
    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL, job.traceback
    assert Meeting.objects.get(pk=meeting.pk).minutes_pdf

"""The job queue as the real worker runs it: most urgent first, and the jobs of a worker
that was killed taken back by another one (cellmeet/jobs.py, `manage.py worker`)."""

import signal
import subprocess
import time

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cellmeet import jobs
from oversight.books import build_committee_books
from printing.models import MinutesBook, MinutesBookStatus
from tests.helpers import complete, sign
from tests.printing.test_background_jobs import (
    GIVE_UP_AFTER_SECONDS,
    signal_worker_once_it_runs,
    worker_command,
    worker_environment,
)

pytestmark = pytest.mark.django_db(transaction=True)

BULK_JOBS = 500
LEASE_SECONDS = 1


def worker(worker_id, *arguments, lease_seconds=None):
    return {
        "args": worker_command(*arguments, worker_id=worker_id),
        "cwd": django_settings.BASE_DIR,
        "env": worker_environment(lease_seconds=lease_seconds),
    }


@pytest.fixture
def database_jobs(settings):
    settings.TASKS = settings.DATABASE_TASKS


def test_signed_minutes_are_stored_before_the_bulk_work_queued_earlier(
    make_meeting, roster, world, database_jobs
):
    for missing_archive in range(BULK_JOBS):
        build_committee_books.enqueue(10_000_000 + missing_archive)
    meeting = sign(complete(make_meeting(), roster), world, roster)
    stored = DBTaskResult.objects.get(task_path="printing.tasks.store_signed_minutes")
    assert stored.priority == jobs.URGENT
    # The messages of the workflow (sign requests) are as urgent as the printout.
    urgent = DBTaskResult.objects.filter(priority=jobs.URGENT).count()

    result = subprocess.run(
        **worker("urgent-first", "--batch", "--max-tasks", str(urgent)),
        capture_output=True,
        text=True,
        timeout=GIVE_UP_AFTER_SECONDS,
    )

    assert result.returncode == 0, result.stderr
    stored.refresh_from_db()
    assert stored.status == TaskResultStatus.SUCCESSFUL, stored.traceback
    bulk = DBTaskResult.objects.filter(task_path="oversight.books.build_committee_books")
    assert bulk.filter(status=TaskResultStatus.READY).count() == BULK_JOBS
    meeting.refresh_from_db()
    assert meeting.minutes_pdf


def test_a_killed_workers_job_is_run_by_another_worker(world, login, book_year, database_jobs):
    client = login(world.secretary)
    client.get(reverse("printing:minutes_book", args=[world.cell.pk, 2026]))
    book = MinutesBook.objects.get()
    job = DBTaskResult.objects.get(task_path="printing.tasks.build_minutes_book")

    signal_worker_once_it_runs(
        job, signal.SIGKILL, worker_id="first-host", lease_seconds=LEASE_SECONDS
    )
    job.refresh_from_db()
    assert job.status == TaskResultStatus.RUNNING, "the worker finished before it was killed"
    # Not a timing assertion: the killed worker's lease must lapse before anyone may
    # take its job (a live worker renews it four times a lease).
    time.sleep(LEASE_SECONDS * 2)

    other = subprocess.run(
        **worker("second-host", "--batch", lease_seconds=LEASE_SECONDS),
        capture_output=True,
        text=True,
        timeout=GIVE_UP_AFTER_SECONDS * 2,
    )

    assert other.returncode == 0, other.stderr
    assert "stopped answering" in other.stderr
    job.refresh_from_db()
    book.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL, job.traceback
    assert job.worker_ids == ["first-host", "second-host"]
    assert book.status == MinutesBookStatus.READY


def test_a_live_workers_job_is_left_alone(make_meeting, roster, world, database_jobs):
    sign(complete(make_meeting(), roster), world, roster)
    job = DBTaskResult.objects.get(task_path="printing.tasks.store_signed_minutes")
    job.claim("busy-host")
    DBTaskResult.objects.filter(pk=job.pk).update(started_at=job.started_at.replace(year=2020))
    jobs.renew_lease("busy-host")

    assert jobs.jobs_of_lost_workers(job.backend_name) == []
    jobs.end_lease("busy-host")
    assert jobs.jobs_of_lost_workers(job.backend_name) == [job.pk]


def test_what_seed_demo_queued_waits_behind_everyone(make_meeting, roster, world, database_jobs):
    started = timezone.now()
    sign(complete(make_meeting(), roster), world, roster)

    queued = DBTaskResult.objects.filter(enqueued_at__gte=started)
    assert queued.filter(priority=jobs.URGENT).exists()

    assert jobs.make_bulk(enqueued_since=started) == queued.count()
    assert set(queued.values_list("priority", flat=True)) == {jobs.BULK}

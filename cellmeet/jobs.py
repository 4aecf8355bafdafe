"""How urgent each background job is, and the leases that let any worker take back the
jobs of a worker that died.

The database backend hands out the ready job of highest priority first (then the
oldest): a person waiting for her signed minutes or a message never waits behind a
committee's year of books or the demo's backlog.

A worker holds a lease it renews every `heartbeat_seconds()` from a thread of its own
(cellmeet/management/commands/worker.py). A job still marked running whose worker's
lease has not been renewed for `lease_seconds()` was left by a worker that was killed
(SIGKILL, out of memory, a power cut, a host that never came back): any worker puts it
back in the queue. Every job may therefore run twice, and each one checks what is
already done before doing it.
"""

import os
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cellmeet.models import WorkerLease

# A person is waiting: signed minutes to store, messages to send.
URGENT = 50
# Asked for by a person who can come back for it: a cell's minutes book.
NORMAL = 0
# Whole-committee exports, re-rendering, the demo's backlog.
BULK = -50

DEFAULT_LEASE_SECONDS = 60


def lease_seconds():
    """CELLMEET_WORKER_LEASE_SECONDS: how long a silent worker keeps its jobs."""
    return max(1.0, float(os.environ.get("CELLMEET_WORKER_LEASE_SECONDS", DEFAULT_LEASE_SECONDS)))


def heartbeat_seconds():
    return lease_seconds() / 4


def renew_lease(worker_id, *, now=None):
    now = now or timezone.now()
    WorkerLease.objects.update_or_create(worker_id=worker_id, defaults={"renewed_at": now})


def end_lease(worker_id):
    WorkerLease.objects.filter(worker_id=worker_id).delete()


def requeue(job_ids):
    if job_ids:
        DBTaskResult.objects.filter(pk__in=job_ids, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
    return job_ids


def jobs_of_lost_workers(backend_name, *, now=None):
    """The running jobs whose worker's lease has lapsed (or that never held one)."""
    now = now or timezone.now()
    expired_before = now - timedelta(seconds=lease_seconds())
    alive = set(
        WorkerLease.objects.filter(renewed_at__gte=expired_before).values_list(
            "worker_id", flat=True
        )
    )
    running = DBTaskResult.objects.running().filter(backend_name=backend_name)
    # A job started within the lease may belong to a worker about to renew its first lease.
    running = running.filter(Q(started_at__lt=expired_before) | Q(started_at__isnull=True))
    return [job.pk for job in running.only("pk", "worker_ids") if _last_worker(job) not in alive]


def jobs_left_by(worker_id, backend_name):
    """The running jobs of this worker id: when a worker of that id starts, no process can
    still be running them."""
    running = DBTaskResult.objects.running().filter(backend_name=backend_name)
    return [job.pk for job in running.only("pk", "worker_ids") if _last_worker(job) == worker_id]


def _last_worker(job):
    return job.worker_ids[-1] if job.worker_ids else None


def make_bulk(enqueued_since):
    """Whatever was queued since then waits behind every person's job (seed_demo's
    hundreds of printouts and messages)."""
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, enqueued_at__gte=enqueued_since, priority__gt=BULK
    ).update(priority=BULK)

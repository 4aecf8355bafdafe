"""`manage.py worker`: the background-job worker (django-tasks-db's db_worker), with a
lease so that any worker takes back the jobs of one that died (cellmeet/jobs.py).

db_worker stops cleanly on SIGTERM or Ctrl-C (it finishes the job in hand). A worker
that is killed (SIGKILL, out of memory, a power cut) leaves its job marked running, and
db_worker alone never runs a running job again. So each worker renews a lease from a
thread of its own; the jobs of a worker whose lease lapsed go back in the queue, taken
back by whichever worker notices first (every worker looks at each renewal). A worker
that starts under the id of one that stopped takes back that id's jobs at once. Jobs
are handed out by priority (cellmeet.jobs: URGENT before NORMAL before BULK).
"""

import socket
import threading

from django.db import close_old_connections, connection
from django_tasks_db.management.commands import db_worker

from cellmeet import jobs

WORKER_ID_LENGTH = 64


def default_worker_id():
    return socket.gethostname()[:WORKER_ID_LENGTH] or "worker"


class Lease(threading.Thread):
    """Renews the worker's lease and takes back lost workers' jobs until stopped."""

    def __init__(self, worker_id, backend_name, report):
        super().__init__(name=f"lease-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.backend_name = backend_name
        self.report = report
        self.stopped = threading.Event()

    def run(self):
        try:
            while not self.stopped.wait(jobs.heartbeat_seconds()):
                close_old_connections()
                take_back_lost_jobs(self.worker_id, self.backend_name, self.report)
        finally:
            connection.close()

    def stop(self):
        self.stopped.set()
        self.join(timeout=jobs.heartbeat_seconds() + 5)


def take_back_lost_jobs(worker_id, backend_name, report):
    jobs.renew_lease(worker_id)
    lost = jobs.requeue(jobs.jobs_of_lost_workers(backend_name))
    if lost:
        report(
            f"Worker {worker_id}: {len(lost)} job(s) of a worker that stopped answering "
            "are back in the queue."
        )


class Command(db_worker.Command):
    help = (
        "Run background jobs (django-tasks-db's db_worker), most urgent first, taking back "
        "the jobs of workers that were killed."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=default_worker_id())

    def handle(self, *args, **options):
        worker_id, backend_name = options["worker_id"], options["backend_name"]
        left = jobs.requeue(jobs.jobs_left_by(worker_id, backend_name))
        if left:
            self.stderr.write(
                f"Worker {worker_id}: {len(left)} job(s) left running when it "
                "last stopped are back in the queue."
            )
        take_back_lost_jobs(worker_id, backend_name, self.stderr.write)
        lease = Lease(worker_id, backend_name, self.stderr.write)
        lease.start()
        try:
            super().handle(*args, **options)
        finally:
            lease.stop()
            jobs.end_lease(worker_id)

"""`manage.py worker`: the background-job worker (django-tasks-db's db_worker) that,
when it starts, first takes back the jobs it left running when it last stopped.

db_worker stops cleanly on SIGTERM or Ctrl-C (it finishes the job in hand). A worker
that is killed (SIGKILL, out of memory, a power cut) leaves its job marked running, and
db_worker never runs a running job again. A worker is named by a stable id (by default
the host name; give each worker on one host its own `--worker-id`), so when a worker of
that id starts, no other process can still be running that job: it goes back in the
queue. Every job of printing/tasks.py may safely run twice.
"""

import socket

from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

WORKER_ID_LENGTH = 64


def default_worker_id():
    return socket.gethostname()[:WORKER_ID_LENGTH] or "worker"


def requeue_abandoned_jobs(worker_id, backend_name):
    """Put back in the queue the jobs this worker id had claimed and not finished."""
    running = DBTaskResult.objects.running().filter(backend_name=backend_name)
    abandoned = [job.pk for job in running if job.worker_ids and job.worker_ids[-1] == worker_id]
    if abandoned:
        DBTaskResult.objects.filter(pk__in=abandoned, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
    return abandoned


class Command(db_worker.Command):
    help = (
        "Run background jobs (django-tasks-db's db_worker), after putting back in the "
        "queue the jobs a worker of the same id left running when it was killed."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=default_worker_id())

    def handle(self, *args, **options):
        abandoned = requeue_abandoned_jobs(options["worker_id"], options["backend_name"])
        if abandoned:
            self.stderr.write(
                f"Worker {options['worker_id']}: {len(abandoned)} job(s) left running when it "
                "last stopped are back in the queue."
            )
        super().handle(*args, **options)

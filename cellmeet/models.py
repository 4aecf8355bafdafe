"""Models shared by every app: forms kept when they could not be saved, the leases of
the background-job workers."""

from django.conf import settings
from django.db import models


class KeptSubmission(models.Model):
    """A form a person sent that could not be saved (signed out, stale page, the
    minutes no longer a draft), kept for a while to offer back on that form.

    Never replayed: the form is shown again filled in, and she saves it herself.
    """

    token = models.CharField(max_length=64, unique=True)
    # Empty until somebody signs in with the browser that sent it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    # The account that last opened the form in that browser, when known: only it may claim.
    expected_user_id = models.IntegerField(null=True, blank=True)
    path = models.CharField(max_length=500)
    fields = models.JSONField()
    files_dropped = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["user", "path"])]

    def __str__(self):
        return f"{self.path} ({self.created_at:%Y-%m-%d %H:%M})"


class WorkerLease(models.Model):
    """A background-job worker that is alive: renewed every few seconds while it runs
    (cellmeet/jobs.py). The jobs of a worker whose lease lapsed go back in the queue."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    renewed_at = models.DateTimeField()

    def __str__(self):
        return f"{self.worker_id} ({self.renewed_at:%Y-%m-%d %H:%M:%S})"

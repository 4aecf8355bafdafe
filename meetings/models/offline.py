"""Captures made offline (issue 24): each save of a recording step made with no
connection reaches the server once, keyed by the browser's client id.

One row per capture the server has answered, whatever the answer: sent again (the
answer was lost on the way back), it gets the same answer and is never applied twice.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetings.models.minutes import Meeting


class CaptureOutcome(models.TextChoices):
    SAVED = "saved", _("saved")
    CONFLICT = "conflict", _("conflict")
    REFUSED = "refused", _("refused")


class OfflineCapture(models.Model):
    client_id = models.UUIDField(unique=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="offline_captures")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    step = models.CharField(max_length=20)
    outcome = models.CharField(max_length=10, choices=CaptureOutcome.choices)
    # Saved: the minutes' version the save made. Otherwise: the version it was checked
    # against, which the captures made after it on the same page start from.
    version = models.PositiveIntegerField(null=True)
    messages = models.JSONField(default=list)
    # Where she sees it again to resolve it (the step with her entries kept), if not saved.
    resolve_url = models.CharField(max_length=300, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("offline capture")
        verbose_name_plural = _("offline captures")

    def __str__(self):
        return f"{self.client_id} ({self.outcome})"

    def answer(self):
        return {
            "client_id": str(self.client_id),
            "status": self.outcome,
            "messages": self.messages,
            "resolve": self.resolve_url,
            # Saved: the version her next save on the page starts from.
            "version": self.version if self.outcome == CaptureOutcome.SAVED else None,
        }

"""A superior's verdict on signed minutes (accept or return)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cellmeet.fields import PARAGRAPH_MAX_LENGTH
from meetings.models.minutes import Meeting, now


class ReviewVerdict(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for correction")


class Review(models.Model):
    """A superior's check of signed minutes (kiểm tra, nhận xét biên bản)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="minutes_reviews"
    )
    verdict = models.CharField(_("verdict"), max_length=20, choices=ReviewVerdict.choices)
    comment = models.TextField(_("comment"), max_length=PARAGRAPH_MAX_LENGTH)
    created_at = models.DateTimeField(default=now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("review of minutes")
        verbose_name_plural = _("reviews of minutes")

    def __str__(self):
        return f"{self.meeting}: {self.get_verdict_display()}"

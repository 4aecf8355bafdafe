"""What printing/ keeps: minutes books printed by a background job and stored."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cellmeet.private_storage import private_storage
from meetings.models.minutes import now
from members.models import Organization

# ---------------------------------------------------------------- prepared minutes books


class MinutesBookStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class MinutesBook(models.Model):
    """A cell's minutes book for a year, printed by a background job and stored.

    The book is assembled from the stored signed PDFs (printing.books): `fingerprints`
    are those of the signed minutes it holds, in book order, and `content_key` a
    digest of everything it prints (those fingerprints, the reviews, the cover): the
    same key means the same book, so it is assembled once and served until minutes
    are signed, returned, superseded or reviewed (a book with drafts is a working
    copy, assembled anew on every request)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="minutes_books"
    )
    year = models.PositiveSmallIntegerField()
    include_drafts = models.BooleanField(default=False)
    content_key = models.CharField(max_length=64)
    fingerprints = models.JSONField(default=list, blank=True)
    page_count = models.PositiveIntegerField(default=0)
    # Progress of the job, for the "being prepared" page: minutes put in so far.
    minutes_total = models.PositiveIntegerField(default=0)
    minutes_done = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=MinutesBookStatus.choices, default=MinutesBookStatus.PENDING
    )
    file = models.FileField(storage=private_storage, upload_to="minutes-books/%Y/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "meetings_minutesbook"  # moved from meetings: the table keeps its name
        verbose_name = _("minutes book")
        verbose_name_plural = _("minutes books")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "include_drafts", "content_key"],
                name="one_minutes_book_per_content",
            )
        ]

    def __str__(self):
        return f"{self.organization} {self.year}"

    @property
    def is_ready(self):
        return self.status == MinutesBookStatus.READY and bool(self.file)


# ---------------------------------------------------------------- countersigned tree heads


class TreeHead(models.Model):
    """A superior's countersignature, once a month, over the head of every chain under
    it: each cell's last sequence and fingerprint then, and the RFC 6962 root over
    them (printing.heads). A later rewrite of a cell's records must then also rewrite
    what the superior countersigned: two levels would have to collude."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="tree_heads"
    )
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    # [{"cell": id, "sequence": n, "fingerprint": hex}] in cell order.
    heads = models.JSONField(default=list)
    root = models.CharField(max_length=64)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    countersigned_at = models.DateTimeField(default=now)
    # An RFC 3161 timestamp token over the root, when a timestamp authority is set.
    timestamp_token = models.BinaryField(blank=True, default=b"")

    class Meta:
        verbose_name = _("countersigned tree head")
        verbose_name_plural = _("countersigned tree heads")
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "month"], name="one_tree_head_per_month"
            )
        ]

    def __str__(self):
        return f"{self.organization} {self.month:02d}/{self.year}"


# ---------------------------------------------------------------- the national app (HD 42)


class NationalAppStage(models.TextChoices):
    BEFORE = "before", _("Before the meeting")
    AFTER = "after", _("After the meeting")


class NationalAppUpload(models.Model):
    """The secretary's mark that a meeting's documents of one stage are in the national
    "Sổ tay đảng viên" app (HD 42): when she marked them, and who did. The time is the
    mark's own, never typed, so the compliance board can trust it."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="national_app_uploads"
    )
    stage = models.CharField(_("stage"), max_length=10, choices=NationalAppStage.choices)
    uploaded_at = models.DateTimeField(_("uploaded to the app at"), default=now)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("upload to the national app")
        verbose_name_plural = _("uploads to the national app")
        ordering = ["meeting", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "stage"], name="one_national_app_upload_per_stage"
            )
        ]

    def __str__(self):
        return f"{self.meeting_id} {self.stage}"

"""What superior committees keep of their own: the monthly guidance they publish to
the cells below them, with its documents."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cellmeet.fields import PARAGRAPH_MAX_LENGTH, SECTION_MAX_LENGTH
from cellmeet.private_storage import private_storage
from members.models import Organization


class Guidance(models.Model):
    """Monthly guidance a superior committee publishes to every cell below it."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="guidance",
        verbose_name=_("published by"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    news_material = models.TextField(
        _("news briefing material"), max_length=SECTION_MAX_LENGTH, blank=True
    )
    orientation = models.TextField(_("task orientation"), max_length=SECTION_MAX_LENGTH, blank=True)
    thematic_suggestions = models.TextField(
        _("suggested thematic topics"), max_length=PARAGRAPH_MAX_LENGTH, blank=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(table_name="meetings_historicalguidance")

    class Meta:
        # Moved from meetings without moving data (migration 0001 of oversight).
        db_table = "meetings_guidance"
        ordering = ["-year", "-month", "organization__path"]
        verbose_name = _("monthly guidance")
        verbose_name_plural = _("monthly guidance")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "month"], name="one_guidance_per_month"
            )
        ]

    def __str__(self):
        return f"{self.organization} {self.month}/{self.year}"

    @property
    def is_published(self):
        return self.published_at is not None


class GuidanceDocument(models.Model):
    guidance = models.ForeignKey(Guidance, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("document title"), max_length=300)
    file = models.FileField(_("file"), storage=private_storage, upload_to="guidance/%Y/%m/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "meetings_guidancedocument"
        ordering = ["pk"]
        verbose_name = _("guidance document")
        verbose_name_plural = _("guidance documents")

    def __str__(self):
        return self.title


class CommitteeBooksStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class CommitteeBooks(models.Model):
    """All the minutes books of a committee's cells for a year, as one zip built by a
    background job (oversight.books). `content_key` is a digest of what the books
    print (oversight.books.committee_key): the same key, the same zip."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="committee_books"
    )
    year = models.PositiveSmallIntegerField()
    content_key = models.CharField(max_length=64)
    status = models.CharField(
        max_length=10, choices=CommitteeBooksStatus.choices, default=CommitteeBooksStatus.PENDING
    )
    cells_total = models.PositiveIntegerField(default=0)
    cells_done = models.PositiveIntegerField(default=0)
    file = models.FileField(
        storage=private_storage, upload_to="minutes-books/committees/%Y/", blank=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("committee's minutes books")
        verbose_name_plural = _("committees' minutes books")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "content_key"],
                name="one_committee_books_per_content",
            )
        ]

    def __str__(self):
        return f"{self.organization} {self.year}"

    @property
    def is_ready(self):
        return self.status == CommitteeBooksStatus.READY and bool(self.file)


class ScheduleDeadline(models.Model):
    """The day by which the cells below a committee register one month's meeting
    (date, time, place): oversight/schedule.py. The nearest committee above a cell
    that set one for the month is the one the cell follows."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="schedule_deadlines",
        verbose_name=_("set by"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    deadline = models.DateField(_("register by"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("schedule registration deadline")
        verbose_name_plural = _("schedule registration deadlines")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "month"], name="schedule_deadline_once_a_month"
            ),
        ]

    def __str__(self):
        return f"{self.organization}: {self.month:02d}/{self.year} ≤ {self.deadline}"


class ScheduleRegistration(models.Model):
    """A cell's registered meeting for one month; the planned Meeting carries the
    same date, time and place (oversight/schedule.py, register_schedule)."""

    cell = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="schedule_registrations",
        verbose_name=_("party cell"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    scheduled_at = models.DateTimeField(_("date and time"))
    location = models.CharField(_("place"), max_length=200)
    registered_at = models.DateTimeField(_("registered at"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("schedule registration")
        verbose_name_plural = _("schedule registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["cell", "year", "month"], name="schedule_registration_once_a_month"
            ),
        ]

    def __str__(self):
        return f"{self.cell}: {self.scheduled_at}"


class MonthFigures(models.Model):
    """A cell's month as the statistics count it, kept as its minutes change
    (oversight/month_figures.py): a province's statistics add up 24,000 narrow rows
    instead of scanning every meeting and review of every year.

    Meetings count when held (recording started), in their current version, by kind;
    attendance as counted when the minutes were finalized; thematic meetings held and
    signed for the quarter's state; minutes returned by a superior (any version)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    regular = models.PositiveIntegerField(default=0)
    thematic = models.PositiveIntegerField(default=0)
    committee = models.PositiveIntegerField(default=0)
    extraordinary = models.PositiveIntegerField(default=0)
    party_group = models.PositiveIntegerField(default=0)
    thematic_signed = models.PositiveIntegerField(default=0)
    present = models.PositiveIntegerField(default=0)
    summoned = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "month"], name="one_figures_row_per_cell_month"
            )
        ]
        indexes = [models.Index(fields=["year", "organization"])]

    def __str__(self):
        return f"{self.organization_id} {self.month}/{self.year}"

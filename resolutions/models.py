"""Resolutions, their tasks, and the review of each task at later meetings."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cellmeet.fields import PARAGRAPH_MAX_LENGTH, SECTION_MAX_LENGTH
from cellmeet.sealed import (
    SEALED_STATUSES,
    FrozenWithMeetingQuerySet,
    MinutesFrozenError,
    PartOfMinutes,
)
from members.models import Member, Organization, VisibleThroughOrganizationQuerySet


def term_of(day):
    """The Party term a day falls in, e.g. "2025–2030" (terms restart numbering)."""
    first = settings.CELLMEET_TERMS["FIRST_YEAR"]
    length = settings.CELLMEET_TERMS["YEARS"]
    start = first + length * ((day.year - first) // length)
    return f"{start}–{start + length}"


class ResolutionKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly leadership resolution")
    THEMATIC = "thematic", _("Thematic resolution")
    OTHER = "other", _("Other resolution")
    # Prepared by the cell committee for the coming regular meeting, which adopts it:
    # it takes no number of the term and its tasks are not followed up.
    DRAFT = "draft", _("Draft resolution for the coming regular meeting")


# Resolutions in force: numbered in the term, their tasks followed up.
ADOPTED_KINDS = {ResolutionKind.MONTHLY, ResolutionKind.THEMATIC, ResolutionKind.OTHER}


class ResolutionQuerySet(FrozenWithMeetingQuerySet):
    def current(self):
        return self.filter(meeting__is_current=True)

    def numbered(self):
        """The resolutions that take a number of the term (not the committee's drafts)."""
        return self.filter(kind__in=ADOPTED_KINDS)


class Resolution(PartOfMinutes):
    """What a meeting decided; its tasks are followed up at the next meetings."""

    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="resolution"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="resolutions", editable=False
    )
    term = models.CharField(_("term"), max_length=20, editable=False)
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(
        _("kind of resolution"),
        max_length=20,
        choices=ResolutionKind.choices,
        default=ResolutionKind.MONTHLY,
    )
    title = models.CharField(_("resolution title"), max_length=300)
    body = models.TextField(_("content"), max_length=SECTION_MAX_LENGTH, blank=True)

    history = HistoricalRecords()
    objects = ResolutionQuerySet.as_manager()

    class Meta:
        ordering = ["-meeting__scheduled_at", "-pk"]
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        # Numbers are unique per cell and term among the live minutes; a corrected
        # version of the minutes carries the same number (resolutions.services).
        indexes = [models.Index(fields=["organization", "term", "number"])]

    def __str__(self):
        return f"{self.document_number} {self.title}"

    def save(self, *args, **kwargs):
        self.organization_id = self.meeting.organization_id
        self.term = term_of(self.meeting.meeting_date)
        super().save(*args, **kwargs)

    @property
    def document_number(self):
        """As printed: "Số 05-NQ/CB"."""
        return f"{self.number:02d}-NQ/CB"


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    CARRIED_OVER = "carried_over", _("Carried over")
    DONE = "done", _("Done")
    NOT_DONE = "not_done", _("Not done (closed)")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_TASK_STATUSES = {TaskStatus.OPEN, TaskStatus.IN_PROGRESS, TaskStatus.CARRIED_OVER}
# What later meetings may still change on a task of signed minutes: its progress.
TASK_PROGRESS_FIELDS = {"status", "closed_reason", "current_due_on", "version"}


class TaskQuerySet(VisibleThroughOrganizationQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_TASK_STATUSES)

    def overdue(self, today=None):
        return self.open().filter(current_due_on__lt=today or timezone.localdate())

    def update(self, **kwargs):
        if set(kwargs) - TASK_PROGRESS_FIELDS and self._of_frozen_minutes().exists():
            raise MinutesFrozenError
        return super().update(**kwargs)

    def _of_frozen_minutes(self):
        return self.filter(resolution__meeting__status__in=SEALED_STATUSES)

    def of_current_minutes(self):
        """Tasks of resolutions whose minutes are the live version."""
        return self.filter(resolution__meeting__is_current=True)

    def in_force(self):
        """Tasks of adopted resolutions (a draft's tasks are only proposed)."""
        return self.filter(resolution__kind__in=ADOPTED_KINDS)


class Task(models.Model):
    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="tasks")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="tasks", editable=False
    )
    title = models.CharField(_("task"), max_length=300)
    description = models.TextField(_("description"), max_length=PARAGRAPH_MAX_LENGTH, blank=True)
    lead = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="led_tasks",
        verbose_name=_("lead assignee"),
    )
    assignees = models.ManyToManyField(
        Member, related_name="tasks", blank=True, verbose_name=_("other assignees")
    )
    due_on = models.DateField(_("deadline"))
    # The deadline in force: the original one, or the new one set when carried over.
    current_due_on = models.DateField(_("current deadline"), editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    closed_reason = models.CharField(_("reason for closing"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[assignees])
    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "order", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [models.Index(fields=["organization", "status", "due_on"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.organization_id = self.resolution.organization_id
        if self.current_due_on is None:
            self.current_due_on = self.due_on
        if self.pk:
            self._refuse_changes_to_signed_assignment()
        elif self.resolution.meeting.is_frozen_in_database():
            raise MinutesFrozenError
        super().save(*args, **kwargs)

    def _refuse_changes_to_signed_assignment(self):
        """What, who and by when are part of the signed minutes; progress is not."""
        stored = Task.objects.filter(pk=self.pk).select_related("resolution__meeting").first()
        if stored is None or not stored.resolution.meeting.is_frozen:
            return
        for field in self._meta.concrete_fields:
            if field.name in TASK_PROGRESS_FIELDS:
                continue
            if field.value_from_object(self) != field.value_from_object(stored):
                raise MinutesFrozenError

    @property
    def is_open(self):
        return self.status in OPEN_TASK_STATUSES

    def is_overdue(self, today=None):
        return self.is_open and self.current_due_on < (today or timezone.localdate())

    def everyone_assigned(self):
        others = [member for member in self.assignees.all() if member.pk != self.lead_id]
        return [self.lead, *others]


class TaskResult(models.TextChoices):
    DONE = "done", _("Done")
    IN_PROGRESS = "in_progress", _("Under way, not yet due")
    PARTLY = "partly", _("Partly done")
    NOT_DONE = "not_done", _("Not done")


class TaskDecision(models.TextChoices):
    CARRY_OVER = "carry_over", _("Carry over to next month")
    CLOSE = "close", _("Close it")


class Evaluation(models.TextChoices):
    NONE = "", _("No evaluation")
    PRAISE = "praise", _("Praise")
    REMINDER = "reminder", _("Reminder")


class TaskUpdate(PartOfMinutes):
    """The review of one task at a later meeting ("review of last month's resolution")."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="task_updates"
    )
    result = models.CharField(_("result"), max_length=20, choices=TaskResult.choices)
    note = models.TextField(
        _("difficulties and fixes"), max_length=PARAGRAPH_MAX_LENGTH, blank=True
    )
    evaluation = models.CharField(
        _("evaluation of the assignees"),
        max_length=20,
        choices=Evaluation.choices,
        blank=True,
        default="",
    )
    decision = models.CharField(
        _("if not done"), max_length=20, choices=TaskDecision.choices, blank=True
    )
    new_due_on = models.DateField(_("new deadline"), null=True, blank=True)
    closed_reason = models.CharField(_("reason for closing"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["task__due_on", "task__pk"]
        verbose_name = _("task review")
        verbose_name_plural = _("task reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "meeting"], name="one_review_per_task_and_meeting"
            )
        ]

    def __str__(self):
        return f"{self.task}: {self.get_result_display()}"

    def clean(self):
        if self.result in {TaskResult.DONE, TaskResult.IN_PROGRESS}:
            return
        if not self.decision:
            raise ValidationError({"decision": _("Carry the task over or close it.")})
        if self.decision == TaskDecision.CLOSE and not self.closed_reason.strip():
            raise ValidationError({"closed_reason": _("Write why the task is closed.")})
        if self.decision == TaskDecision.CARRY_OVER and not self.new_due_on:
            raise ValidationError({"new_due_on": _("Give the new deadline.")})

    @property
    def resulting_status(self):
        if self.result == TaskResult.DONE:
            return TaskStatus.DONE
        if self.result == TaskResult.IN_PROGRESS:
            return TaskStatus.IN_PROGRESS
        if self.decision == TaskDecision.CLOSE:
            return TaskStatus.NOT_DONE
        return TaskStatus.CARRIED_OVER

"""What notifications/ keeps: each organisation's choices, and the log of messages."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Member, Organization


class Kind(models.TextChoices):
    INVITATION = "invitation", _("Invitation to a meeting")
    SIGN_REQUEST = "sign_request", _("Request to sign the minutes")
    MINUTES_RETURNED = "minutes_returned", _("Minutes returned for correction")
    GUIDANCE = "guidance", _("New monthly guidance")
    TASK_DUE = "task_due", _("Task deadline coming")
    TASKS_OVERDUE = "tasks_overdue", _("Tasks overdue")
    MEETING_UNPLANNED = "meeting_unplanned", _("Month's meeting not planned")
    MINUTES_UNSIGNED = "minutes_unsigned", _("Minutes not signed")
    DELEGATE_WEEK = "delegate_week", _("Delegate's meetings of the week")


class NotificationSettings(models.Model):
    """What an organisation's people are sent. The settings of the nearest organisation
    up the tree apply (a province sets them for all its cells; a commune may differ);
    without any, everything is sent with the defaults below."""

    organization = models.OneToOneField(
        Organization,
        on_delete=models.CASCADE,
        related_name="notification_settings",
        verbose_name=_("organisation"),
    )
    invitation = models.BooleanField(Kind.INVITATION.label, default=True)
    sign_request = models.BooleanField(Kind.SIGN_REQUEST.label, default=True)
    minutes_returned = models.BooleanField(Kind.MINUTES_RETURNED.label, default=True)
    guidance = models.BooleanField(Kind.GUIDANCE.label, default=True)
    task_due = models.BooleanField(Kind.TASK_DUE.label, default=True)
    tasks_overdue = models.BooleanField(Kind.TASKS_OVERDUE.label, default=True)
    meeting_unplanned = models.BooleanField(Kind.MEETING_UNPLANNED.label, default=True)
    minutes_unsigned = models.BooleanField(Kind.MINUTES_UNSIGNED.label, default=True)
    delegate_week = models.BooleanField(Kind.DELEGATE_WEEK.label, default=True)
    task_due_days = models.PositiveSmallIntegerField(
        _("days before a task's deadline to remind its lead"), default=3
    )
    unplanned_day = models.PositiveSmallIntegerField(
        _("day of the month by which the month's meeting should be planned"), default=20
    )
    unsigned_days = models.PositiveSmallIntegerField(
        _("days after the meeting before unsigned minutes are reminded"), default=2
    )
    delegate_digest = models.BooleanField(
        _("superiors' delegates receive one weekly digest"),
        default=True,
        help_text=_("Otherwise one message per meeting of the coming week."),
    )

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self):
        return str(self.organization)

    def sends(self, kind):
        return getattr(self, str(kind))


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed")


class MessageQuerySet(models.QuerySet):
    def to_retry(self, max_attempts):
        return self.filter(status=MessageStatus.PENDING, attempts__lt=max_attempts)


class Message(models.Model):
    """One message to one person, kept whatever became of it. `key` (kind, object,
    recipient, version) is unique: a job that runs again finds its messages here and
    sends none twice. Nobody without an address or who chose no messages gets a row:
    nothing is prepared for them at all."""

    key = models.CharField(max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    recipient = models.EmailField(_("recipient"))
    recipient_name = models.CharField(_("recipient's name"), max_length=150, blank=True)
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject_object = GenericForeignKey("content_type", "object_id")
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    calendar = models.TextField(_("calendar entry (.ics)"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    reason = models.TextField(_("reason"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(fields=["status", "attempts"], name="message_to_retry"),
            models.Index(fields=["content_type", "object_id"], name="message_object"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}"


class InvitationRound(models.Model):
    """Where and when a meeting was when its members were invited: a move starts a new
    round, whose SEQUENCE tells calendars to replace the entry they hold."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="invitation_rounds"
    )
    sequence = models.PositiveIntegerField()
    scheduled_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "sequence"], name="one_round_per_sequence")
        ]

    def __str__(self):
        return f"{self.meeting_id} #{self.sequence}"

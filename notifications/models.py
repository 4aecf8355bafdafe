"""What notifications/ keeps: each organisation's choices, the log of messages, and the
calendar feeds."""

import secrets
from datetime import datetime, time, timedelta
from hmac import compare_digest

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting
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
    DUES_UNPAID = "dues_unpaid", _("Party dues unpaid for two months")
    DUES_REMOVAL = "dues_removal", _("Party dues unpaid for three months: removal to consider")


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
    dues_unpaid = models.BooleanField(Kind.DUES_UNPAID.label, default=True)
    dues_removal = models.BooleanField(Kind.DUES_REMOVAL.label, default=True)
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


# ---------------------------------------------------------------- calendar feeds
# Calendar feeds: a secret, revocable address a phone's calendar subscribes to.
#
# A feed belongs to a cell (its meetings), to a member (the meetings of her cell) or to
# a superior committee (every meeting in its subtree, for planning delegate visits).
# Whoever holds the address reads the feed without signing in, so the token is long
# (`secrets.token_urlsafe(32)`), compared in constant time, and a revoked feed answers
# 404 like a wrong token. `meetings()` is the feed's whole scope: nothing outside it
# is ever listed.

# A feed lists the meetings of this window around today (a phone polls it every few
# hours; a province's full history would be megabytes); `?range=all` lists them all.
RECENT_DAYS = 92
AHEAD_DAYS = 366
# A committee's feed serves to plan visits to the cells below: what is coming, and the
# past week. Three months back of a province's two thousand cells were six thousand
# past meetings nobody plans a visit to (issue 23: 3.2 MB); its review queue and board
# follow the minutes held.
SUBTREE_RECENT_DAYS = 7


def start_of_day(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def new_token():
    return secrets.token_urlsafe(32)


class FeedKind(models.TextChoices):
    CELL = "cell", _("Party cell")
    MEMBER = "member", _("Party member")
    SUBTREE = "subtree", _("Cells under a committee")


class CalendarFeedQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class CalendarFeed(models.Model):
    """Moved from meetings: the table keeps its name (db_table)."""

    kind = models.CharField(_("kind"), max_length=16, choices=FeedKind.choices)
    organization = models.ForeignKey(
        "members.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_feeds",
        verbose_name=_("organisation"),
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_feeds",
        verbose_name=_("party member"),
    )
    token = models.CharField(max_length=64, default=new_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        db_table = "meetings_calendarfeed"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="member", member__isnull=False, organization__isnull=True)
                    | Q(
                        kind__in=["cell", "subtree"],
                        member__isnull=True,
                        organization__isnull=False,
                    )
                ),
                name="calendar_feed_owner_matches_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.member or self.organization}"

    @classmethod
    def find(cls, pk, token):
        """The active feed of this id whose token matches, or None (constant-time)."""
        feed = (
            cls.objects.active()
            .filter(pk=pk)
            .select_related("organization", "member__organization")
            .first()
        )
        if feed is None or not compare_digest(feed.token.encode(), str(token).encode()):
            return None
        return feed

    @property
    def is_active(self):
        return self.revoked_at is None

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    @property
    def name(self):
        """The calendar's name in the phone (X-WR-CALNAME)."""
        if self.kind == FeedKind.MEMBER:
            return f"{self.member.organization.name} — {self.member.full_name}"
        return str(self.organization.name)

    def meetings(self, today=None, *, whole_range=False):
        """The feed's meetings, of the cell, the member's cell, or every cell under the
        committee: those from RECENT_DAYS before today (a committee's:
        SUBTREE_RECENT_DAYS) to AHEAD_DAYS after, in whole local days (the list is
        then the same all day long, which its version counts on: feeds.feed_version),
        or all of them."""
        if self.kind == FeedKind.MEMBER:
            scope = Meeting.objects.filter(organization_id=self.member.organization_id)
        elif self.kind == FeedKind.CELL:
            scope = Meeting.objects.filter(organization_id=self.organization_id)
        else:
            scope = Meeting.objects.subtree_of(self.organization)
        scope = scope.filter(is_current=True)
        if not whole_range:
            today = today or timezone.localdate()
            recent = SUBTREE_RECENT_DAYS if self.kind == FeedKind.SUBTREE else RECENT_DAYS
            scope = scope.filter(
                scheduled_at__gte=start_of_day(today - timedelta(days=recent)),
                scheduled_at__lt=start_of_day(today + timedelta(days=AHEAD_DAYS + 1)),
            )
        return scope.select_related("organization").order_by("scheduled_at", "pk")


def feeds_of(kind, owner):
    """The active feeds of a cell, member or committee (`owner`), newest first."""
    field = "member" if kind == FeedKind.MEMBER else "organization"
    return CalendarFeed.objects.active().filter(kind=kind, **{field: owner})


def create_feed(kind, owner, *, user):
    field = "member" if kind == FeedKind.MEMBER else "organization"
    return CalendarFeed.objects.create(kind=kind, created_by=user, **{field: owner})


def may_manage_feed(feed, user, access):
    """Who creates and revokes a feed: the cell's record keepers for a cell, the
    member herself (or her cell's record keepers), a committee's reviewers."""
    if feed.kind == FeedKind.MEMBER:
        return feed.member.user_id == user.pk or access.can_keep_records(feed.member.organization)
    if feed.kind == FeedKind.CELL:
        return access.can_keep_records(feed.organization)
    return access.can_review(feed.organization)


def may_see_feed(feed, user, access):
    if feed.kind == FeedKind.MEMBER:
        return feed.member.user_id == user.pk or access.can_view(feed.member.organization)
    return access.can_view(feed.organization)

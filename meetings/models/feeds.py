"""Calendar feeds: a secret, revocable address a phone's calendar subscribes to.

A feed belongs to a cell (its meetings), to a member (the meetings of her cell) or to
a superior committee (every meeting in its subtree, for planning delegate visits).
Whoever holds the address reads the feed without signing in, so the token is long
(`secrets.token_urlsafe(32)`), compared in constant time, and a revoked feed answers
404 like a wrong token. `meetings()` is the feed's whole scope: nothing outside it
is ever listed.
"""

import secrets
from datetime import timedelta
from hmac import compare_digest

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models.minutes import Meeting, MeetingStatus

# Past meetings stay in a feed this long; every planned one is listed.
RECENT_DAYS = 90


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

    def meetings(self, now=None):
        """The feed's meetings: every planned one and those of the last RECENT_DAYS,
        of the cell, the member's cell, or every cell under the committee."""
        now = now or timezone.now()
        if self.kind == FeedKind.MEMBER:
            scope = Meeting.objects.filter(organization_id=self.member.organization_id)
        elif self.kind == FeedKind.CELL:
            scope = Meeting.objects.filter(organization_id=self.organization_id)
        else:
            scope = Meeting.objects.subtree_of(self.organization)
        return (
            scope.filter(is_current=True)
            .filter(
                Q(status=MeetingStatus.PLANNED)
                | Q(scheduled_at__gte=now - timedelta(days=RECENT_DAYS))
            )
            .select_related("organization")
            .order_by("scheduled_at", "pk")
        )


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

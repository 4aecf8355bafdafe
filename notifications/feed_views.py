"""The pages where a calendar feed's secret address is created, shown and revoked:
a cell's (for its record keepers), a member's own ("My calendar"), and a committee's
(every meeting in its subtree, for planning delegate visits). The feed itself is
served, without signing in, by notifications/feeds.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cellmeet.redirects import redirect_to_next
from members.access import access_for, check, get_organization_for
from notifications.models import (
    CalendarFeed,
    FeedKind,
    create_feed,
    feeds_of,
    may_manage_feed,
    may_see_feed,
)


def feed_url(request, feed):
    return request.build_absolute_uri(
        reverse("notifications:calendar_feed", args=[feed.pk, feed.token])
    )


def webcal(url):
    """The same address for a phone's "subscribe" link (webcal://)."""
    return "webcal://" + url.split("://", 1)[1]


def feed_page(request, *, kind, owner, title, back_url, back_label):
    """Show the owner's active feeds; POST creates one. The caller checked the right."""
    if request.method == "POST":
        create_feed(kind, owner, user=request.user)
        messages.success(request, _("A new calendar address was created."))
        return redirect(request.path)
    feeds = [
        {"feed": feed, "url": feed_url(request, feed), "webcal": webcal(feed_url(request, feed))}
        for feed in feeds_of(kind, owner).select_related("created_by")
    ]
    return render(
        request,
        "notifications/calendar_feeds.html",
        {
            "title": title,
            "owner": owner,
            "kind": kind,
            "feeds": feeds,
            "back_url": back_url,
            "back_label": back_label,
        },
    )


@login_required
def cell_calendar(request, pk):
    organization = get_organization_for(request.user, pk, keep_records=True)
    if not organization.is_cell:
        raise Http404
    return feed_page(
        request,
        kind=FeedKind.CELL,
        owner=organization,
        title=_("Calendar of the cell"),
        back_url=reverse("members:organization_detail", args=[organization.pk]),
        back_label=organization.name,
    )


@login_required
def my_calendar(request):
    member = getattr(request.user, "member", None)
    if member is None:
        context = {"title": _("My calendar"), "owner": None}
        return render(request, "notifications/calendar_feeds.html", context)
    return feed_page(
        request,
        kind=FeedKind.MEMBER,
        owner=member,
        title=_("My calendar"),
        back_url=reverse("home"),
        back_label=_("Home"),
    )


@login_required
def subtree_calendar(request, pk):
    committee = get_organization_for(request.user, pk)
    check(access_for(request.user).can_review(committee))
    if committee.is_cell:
        raise Http404
    return feed_page(
        request,
        kind=FeedKind.SUBTREE,
        owner=committee,
        title=_("Calendar of the cells' meetings"),
        back_url=reverse("members:organization_detail", args=[committee.pk]),
        back_label=committee.name,
    )


@login_required
@require_POST
def feed_revoke(request, pk):
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("organization", "member__organization"), pk=pk
    )
    access = access_for(request.user)
    if not may_see_feed(feed, request.user, access):
        raise Http404
    check(may_manage_feed(feed, request.user, access))
    feed.revoke()
    messages.success(request, _("The calendar address was revoked: it no longer works."))
    return redirect_to_next(request, reverse("home"))

"""A committee's calendar feed of every meeting in its subtree, for planning
delegate visits: the page where its reviewers create, see and revoke the secret
address (the feed is served by notifications/feeds.py, the scope is
meetings.models.feeds.CalendarFeed.meetings)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from meetings.feed_views import feed_page
from meetings.models import FeedKind
from members.access import access_for, check, get_organization_for


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

"""The calendar feeds themselves (RFC 5545): served to a phone's calendar app at a
secret address, without signing in (notifications/models.py holds the token and the
scope; notifications/feed_views.py the pages that manage it).

A wrong or revoked token answers 404. The answer is private: shared caches must not
keep it, search engines must not index it.
"""

from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control

from notifications.calendar import meeting_event, new_calendar
from notifications.models import CalendarFeed


def feed_calendar(feed):
    """The feed as an iCalendar text: one VEVENT per meeting, times in UTC."""
    calendar = new_calendar()
    calendar.add("x-wr-calname", feed.name)
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    calendar.add("refresh-interval", "PT6H", parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    for meeting in feed.meetings():
        event = meeting_event(meeting, stamp=meeting.updated_at)
        event.add("last-modified", meeting.updated_at)
        event.add("categories", [str(meeting.get_kind_display())])
        calendar.add_component(event)
    return calendar.to_ical()


def calendar_feed(request, pk, token):
    feed = CalendarFeed.find(pk, token)
    if feed is None:
        raise Http404
    response = HttpResponse(feed_calendar(feed), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="cellmeet.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, private=True, no_cache=True, max_age=0)
    return response

"""The calendar feeds themselves (RFC 5545): served to a phone's calendar app at a
secret address, without signing in (notifications/models.py holds the token and the
scope; notifications/feed_views.py the pages that manage it).

A wrong or revoked token answers 404. The answer is private: shared caches must not
keep it, search engines must not index it.

A phone asks every few hours, and a province's feed lists thousands of meetings, so:
the feed carries an ETag and Last-Modified drawn from one aggregate query, so a phone
whose copy is current gets 304 without anything being built; the whole text is built
once per version (the ETag) and kept, and each meeting's entry once per change of the
meeting, so a change rebuilds one entry; the text is gzipped
(cellmeet.middleware.CompressPagesMiddleware).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from notifications import ics
from notifications.calendar import meeting_addresses, meeting_facts, new_calendar
from notifications.models import CalendarFeed

# Bump when meeting_event writes entries differently: the cached ones are then rebuilt.
EVENT_LAYOUT = 2
EVENT_CACHE_SECONDS = 60 * 60 * 24 * 30
# A whole feed's text is kept for the day its version names.
FEED_CACHE_SECONDS = 60 * 60 * 24
END_OF_CALENDAR = b"END:VCALENDAR\r\n"
# What an entry says (meeting_facts, meeting_title), and no more: a meeting's row also
# carries its minutes and their seal, which a province's feed would read by megabytes.
ENTRY_FIELDS = (
    "kind", "year", "month", "scheduled_at", "ended_at", "topic", "lead_report_title",
    "agenda", "location", "is_current", "updated_at", "organization__name",
    "organization__place",
)  # fmt: skip


def event_key(meeting):
    """Changes whenever the entry would: the meeting saved, its cell renamed or moved."""
    organization = meeting.organization
    facts = f"{organization.name}|{organization.place}|{settings.SITE_URL}"
    digest = hashlib.sha256(facts.encode()).hexdigest()[:16]
    stamp = meeting.updated_at.timestamp()
    return f"feed-event:{EVENT_LAYOUT}:{meeting.pk}:{stamp}:{digest}"


def meeting_entry(meeting, address_of=None):
    """The meeting's VEVENT in a feed: the facts of an invitation (meeting_facts),
    written directly (notifications/ics.py: a hundred times faster than icalendar)."""
    facts = meeting_facts(meeting, address_of)
    properties = [
        ("SUMMARY", ics.escape(facts["summary"])),
        ("DTSTART", ics.utc(facts["start"])),
        ("DTEND", ics.utc(facts["end"])),
        ("DTSTAMP", ics.utc(meeting.updated_at)),
        ("UID", ics.escape(facts["uid"])),
        ("SEQUENCE", 0),
        ("CATEGORIES", ics.escape(meeting.get_kind_display())),
        ("DESCRIPTION", ics.escape(facts["description"])),
        ("LAST-MODIFIED", ics.utc(meeting.updated_at)),
    ]
    if facts["location"]:
        properties.append(("LOCATION", ics.escape(facts["location"])))
    properties += [("STATUS", facts["status"]), ("URL", facts["url"])]
    return ics.vevent(properties)


def event_texts(meetings):
    """Each meeting's VEVENT, from the cache or built now (and kept)."""
    keys = {meeting.pk: event_key(meeting) for meeting in meetings}
    cached = cache.get_many(keys.values())
    built = {}
    texts = []
    address_of = meeting_addresses()
    for meeting in meetings:
        key = keys[meeting.pk]
        text = cached.get(key)
        if text is None:
            text = built[key] = meeting_entry(meeting, address_of)
        texts.append(text)
    if built:
        cache.set_many(built, EVENT_CACHE_SECONDS)
    return texts


def feed_calendar(feed, *, whole_range=False, today=None):
    """The feed as an iCalendar text: one VEVENT per meeting, times in UTC."""
    calendar = new_calendar()
    calendar.add("x-wr-calname", feed.name)
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    calendar.add("refresh-interval", "PT6H", parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    head = calendar.to_ical().removesuffix(END_OF_CALENDAR)
    meetings = feed.meetings(today, whole_range=whole_range).only(*ENTRY_FIELDS)
    events = event_texts(list(meetings))
    return b"".join([head, *events, END_OF_CALENDAR])


def feed_version(feed, *, whole_range, today):
    """What the feed's text depends on, from one query: (ETag, last modified). The
    meetings listed (their number, the latest saved), their cells (renamed, moved:
    the entries name them), the feed's name, the day (the window moves with it)."""
    summary = feed.meetings(today, whole_range=whole_range).aggregate(
        count=Count("pk"), changed=Max("updated_at"), cells=Max("organization__updated_at")
    )
    facts = "|".join(
        str(fact)
        for fact in (
            EVENT_LAYOUT, feed.pk, feed.name, whole_range, today, settings.SITE_URL,
            summary["count"], summary["changed"], summary["cells"],
        )
    )  # fmt: skip
    return hashlib.sha256(facts.encode()).hexdigest()[:32], summary["changed"]


def feed_text(feed, *, whole_range, today, etag):
    """The feed's text, built once per version: the phones of a committee polling
    after a change get the copy the first one built (a province's: 1,900 entries)."""
    key = f"feed-text:{feed.pk}:{etag}"
    text = cache.get(key)
    if text is None:
        text = feed_calendar(feed, whole_range=whole_range, today=today)
        cache.set(key, text, FEED_CACHE_SECONDS)
    return text


def calendar_feed(request, pk, token):
    feed = CalendarFeed.find(pk, token)
    if feed is None:
        raise Http404
    whole_range = request.GET.get("range") == "all"
    today = timezone.localdate()
    etag, changed = feed_version(feed, whole_range=whole_range, today=today)
    last_modified = changed.timestamp() if changed else None
    response = get_conditional_response(request, etag=quote_etag(etag), last_modified=last_modified)
    if response is None:
        body = feed_text(feed, whole_range=whole_range, today=today, etag=etag)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="cellmeet.ics"'
    response["ETag"] = quote_etag(etag)
    if last_modified:
        response["Last-Modified"] = http_date(last_modified)
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, private=True, no_cache=True, max_age=0)
    return response

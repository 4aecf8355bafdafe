"""Meetings as calendar entries (RFC 5545, with the icalendar library).

`meeting_event` is one meeting as a VEVENT, for invitations here and for calendar feeds
(which list many); `meeting_calendar` wraps one in a VCALENDAR, as attached to an
invitation (METHOD:REQUEST: a phone offers to add it, and replaces it when a later
message carries the same UID with a higher SEQUENCE).
"""

from datetime import UTC, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//cellmeet//Sinh hoạt chi bộ//VI"


def site_url():
    """The address links in messages start with (settings.SITE_URL, README)."""
    return settings.SITE_URL or "http://127.0.0.1:8000"


def absolute(viewname, *args):
    """The full address of a page, for links in messages and calendars."""
    return site_url() + reverse(viewname, args=args)


def meeting_uid(meeting):
    """The same for every message and feed about this meeting, wherever it moves."""
    host = urlsplit(site_url()).hostname or "cellmeet"
    return f"meeting-{meeting.pk}@{host}"


def meeting_end(meeting):
    if meeting.ended_at:
        return meeting.ended_at
    minutes = settings.CELLMEET_NOTIFICATIONS["MEETING_MINUTES"]
    return meeting.scheduled_at + timedelta(minutes=minutes)


def meeting_description(meeting):
    lines = [str(meeting.get_kind_display())]
    if meeting.topic:
        lines.append(meeting.topic)
    if meeting.lead_report_title:
        lines.append(meeting.lead_report_title)
    if meeting.agenda:
        lines += ["", meeting.agenda]
    return "\n".join(lines)


def meeting_addresses():
    """A function giving a meeting's full address, reversing the URL once: a feed writes
    thousands, and reverse() was half of each entry's time."""
    placeholder = "999999999"
    template = absolute("meetings:detail", placeholder)
    return lambda pk: template.replace(placeholder, str(pk))


def meeting_facts(meeting, address_of=None):
    """What a calendar says of a meeting, for an invitation (meeting_event) and for a
    feed's entry (notifications/feeds.py): the one home of both. `address_of`: a
    meeting_addresses() function, for many meetings."""
    address_of = address_of or meeting_addresses()
    return {
        "uid": meeting_uid(meeting),
        "start": meeting.scheduled_at.astimezone(UTC),
        "end": meeting_end(meeting).astimezone(UTC),
        "summary": f"{meeting.organization.name}: {meeting.title}",
        "location": meeting.location or meeting.organization.place,
        "description": meeting_description(meeting),
        "url": address_of(meeting.pk),
        "status": "CANCELLED" if not meeting.is_current else "CONFIRMED",
    }


def meeting_event(meeting, *, sequence=0, attendees=(), organizer=None, stamp=None):
    """One meeting as a VEVENT. `attendees`: (email, name) pairs; `organizer` likewise."""
    facts = meeting_facts(meeting)
    event = Event()
    event.add("uid", facts["uid"])
    event.add("sequence", sequence)
    event.add("dtstamp", (stamp or timezone.now()).astimezone(UTC))
    event.add("dtstart", facts["start"])
    event.add("dtend", facts["end"])
    event.add("summary", facts["summary"])
    if facts["location"]:
        event.add("location", facts["location"])
    event.add("description", facts["description"])
    event.add("url", facts["url"])
    event.add("status", facts["status"])
    if organizer:
        address = vCalAddress(f"mailto:{organizer[0]}")
        if organizer[1]:
            address.params["cn"] = vText(organizer[1])
        event["organizer"] = address
    for email, name in attendees:
        address = vCalAddress(f"mailto:{email}")
        if name:
            address.params["cn"] = vText(name)
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["partstat"] = vText("NEEDS-ACTION")
        address.params["rsvp"] = vText("FALSE")
        event.add("attendee", address, encode=0)
    return event


def new_calendar(method=None):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


def meeting_calendar(meeting, *, sequence=0, attendees=(), organizer=None, method="REQUEST"):
    """The .ics of one meeting, as text."""
    calendar = new_calendar(method)
    calendar.add_component(
        meeting_event(meeting, sequence=sequence, attendees=attendees, organizer=organizer)
    )
    return calendar.to_ical().decode()

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


def meeting_event(meeting, *, sequence=0, attendees=(), organizer=None, stamp=None):
    """One meeting as a VEVENT. `attendees`: (email, name) pairs; `organizer` likewise."""
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", sequence)
    event.add("dtstamp", (stamp or timezone.now()).astimezone(UTC))
    event.add("dtstart", meeting.scheduled_at.astimezone(UTC))
    event.add("dtend", meeting_end(meeting).astimezone(UTC))
    event.add("summary", f"{meeting.organization.name}: {meeting.title}")
    location = meeting.location or meeting.organization.place
    if location:
        event.add("location", location)
    event.add("description", meeting_description(meeting))
    event.add("url", absolute("meetings:detail", meeting.pk))
    event.add("status", "CANCELLED" if not meeting.is_current else "CONFIRMED")
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

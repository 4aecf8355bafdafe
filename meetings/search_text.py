"""The searched text of minutes: their own words in order, and the folded text
stored in `Meeting.search_text` that search looks in (oversight.search)."""

from cellmeet.text import searchable
from meetings.kinds import ALL_PROCEEDINGS
from resolutions import minutes as resolution_minutes

SEARCHED_FIELDS = [
    "topic",
    "agenda",
    *ALL_PROCEEDINGS,  # meetings.kinds
    "other_business",
    "conclusion",
    "lead_report_title",
    "lessons_learned",
]


def guest_line(guest):
    """ "Name, title, unit", without the parts left blank."""
    return ", ".join(part for part in (guest.name, guest.title, guest.unit) if part)


def minutes_texts(meeting):
    """The minutes' own words, in the order of the minutes (no extra query when
    speeches and guests are prefetched); the snippets of search results come from these."""
    texts = [getattr(meeting, name) for name in SEARCHED_FIELDS]
    texts += [speech.summary for speech in meeting.speeches.all()]
    texts += [guest_line(guest) for guest in meeting.guests.all()]
    return [text for text in texts if text]


def searchable_content(meeting):
    """The minutes' words and their resolution's, folded for accent-insensitive search
    (see cellmeet.text.searchable): what `Meeting.search_text` keeps."""
    return searchable(*minutes_texts(meeting), *resolution_minutes.search_texts(meeting))

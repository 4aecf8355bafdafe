"""How meetings are named on screen and on paper."""

from django.utils import timezone
from django.utils.translation import gettext as _

ROMAN_QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}


def meeting_title(meeting):
    from meetings.models import MeetingKind

    values = {
        "month": meeting.month,
        "year": meeting.year,
        "quarter": ROMAN_QUARTERS[meeting.quarter],
        "date": timezone.localtime(meeting.scheduled_at).strftime("%d/%m/%Y"),
    }
    titles = {
        MeetingKind.REGULAR: _("Regular cell meeting, month %(month)s/%(year)s"),
        MeetingKind.THEMATIC: _("Thematic meeting, quarter %(quarter)s/%(year)s"),
        MeetingKind.COMMITTEE: _("Cell committee meeting, month %(month)s/%(year)s"),
        MeetingKind.EXTRAORDINARY: _("Extraordinary cell meeting of %(date)s"),
        MeetingKind.PARTY_GROUP: _("Party group meeting of %(date)s"),
    }
    return titles[meeting.kind] % values

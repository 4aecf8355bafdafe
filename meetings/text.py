"""How meetings are named on screen and on paper."""

from django.utils.translation import gettext as _

from meetings.models import MeetingKind
from meetings.periods import roman_quarter


def meeting_title(meeting):
    values = {
        "month": meeting.month,
        "year": meeting.year,
        "quarter": roman_quarter(meeting.quarter),
        # The planned day: a title is fixed when the meeting is planned.
        "date": meeting.meeting_date.strftime("%d/%m/%Y"),
    }
    titles = {
        MeetingKind.REGULAR: _("Regular cell meeting, month %(month)s/%(year)s"),
        MeetingKind.THEMATIC: _("Thematic meeting, quarter %(quarter)s/%(year)s"),
        MeetingKind.COMMITTEE: _("Cell committee meeting, month %(month)s/%(year)s"),
        MeetingKind.EXTRAORDINARY: _("Extraordinary cell meeting of %(date)s"),
        MeetingKind.PARTY_GROUP: _("Party group meeting of %(date)s"),
    }
    return titles[meeting.kind] % values

"""The access helper for meetings: get_meeting_for (404 to outsiders, 403 without the
right)."""

from django.http import Http404

from meetings.models import Meeting
from members.access import access_for, check


def get_meeting_for(user, pk, *, edit=False, review=False):
    """The meeting if the user may see it (404 otherwise); 403 without the asked right."""
    meeting = (
        Meeting.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("organization", "chair", "note_taker", "presenter", "superseded_by")
        .first()
    )
    if meeting is None:
        raise Http404
    access = access_for(user)
    if edit:
        check(access.can_keep_records(meeting.organization))
    if review:
        check(access.can_review(meeting.organization))
    return meeting

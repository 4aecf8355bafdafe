"""What a new meeting or a new draft suggests (the kind, the officers) and the
duplicate check planning makes: reads only, shared by the forms and the services."""

from django.utils import timezone

from meetings.models import Meeting, MeetingKind
from members.models import Position, PositionRole


def duplicate_regular_meeting(meeting):
    """The other current regular meeting of the same cell and month, if any."""
    if meeting.kind != MeetingKind.REGULAR or not meeting.scheduled_at:
        return None
    local = timezone.localtime(meeting.scheduled_at)
    return (
        Meeting.objects.current()
        .regular()
        .filter(organization_id=meeting.organization_id, year=local.year, month=local.month)
        .exclude(pk=meeting.pk)
        .first()
    )


def suggested_officers(meeting):
    """(chair, note-taker) member ids a new draft starts with, or None each.

    The chair is the cell's secretary holding the position on the meeting day; the
    note-taker is whoever took the notes at the cell's previous minutes, else the deputy
    secretary on that day. Only suggestions: the form shows them until she saves.
    """
    day = meeting.meeting_date
    holders = dict(
        Position.objects.filter(
            organization_id=meeting.organization_id,
            role__in=[PositionRole.SECRETARY, PositionRole.DEPUTY_SECRETARY],
            member__organization_id=meeting.organization_id,
        )
        .current(day)
        .order_by("started_on")
        .values_list("role", "member_id")
    )
    previous_note_taker = (
        Meeting.objects.current()
        .filter(organization_id=meeting.organization_id, note_taker__isnull=False)
        .filter(scheduled_at__lt=meeting.scheduled_at)
        .exclude(pk=meeting.pk)
        .filter(note_taker__organization_id=meeting.organization_id)
        .order_by("-scheduled_at")
        .values_list("note_taker_id", flat=True)
        .first()
    )
    return (
        holders.get(PositionRole.SECRETARY),
        previous_note_taker or holders.get(PositionRole.DEPUTY_SECRETARY),
    )


def suggested_kind(organization, scheduled_at):
    """A regular meeting, unless the cell already has one that month."""
    probe = Meeting(organization=organization, kind=MeetingKind.REGULAR, scheduled_at=scheduled_at)
    return None if duplicate_regular_meeting(probe) else MeetingKind.REGULAR

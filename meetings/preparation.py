"""What a cell committee meeting prepares for the regular meeting after it: which
committee meeting that is (one rule, for copying its draft, for the quality score's
"committee meeting held before" and for the national app's package), and the copy of
its draft resolution and agenda into the regular meeting's draft."""

from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from meetings import services
from meetings.kinds import KINDS
from meetings.models import Meeting, MeetingKind, MeetingStatus
from meetings.rules import meeting_setting
from resolutions import minutes as resolution_minutes


def committee_meeting_to_copy(meeting):
    """The cell committee meeting that prepared this regular draft, if its draft
    resolution or agenda can still be copied in: the latest finalized or signed live
    committee meeting of the cell in the preceding weeks, while this draft has no
    tasks yet."""
    if meeting.status != MeetingStatus.DRAFT:
        return None
    if resolution_minutes.has_tasks(meeting):
        return None
    committee = preparing_committee_meeting(meeting)
    if committee is None:
        return None
    if not (resolution_minutes.has_tasks(committee) or committee.agenda.strip()):
        return None
    return committee


def preparing_committee_meeting(meeting):
    """The cell committee meeting that prepared this regular meeting (its draft
    resolution and agenda): the latest finalized or signed live committee meeting of
    the cell in the preceding weeks. None for other kinds of meeting."""
    if meeting.kind != MeetingKind.REGULAR:
        return None
    since = meeting.scheduled_at - timedelta(days=meeting_setting("COMMITTEE_PREPARES_DAYS"))
    return (
        Meeting.objects.current()
        .filter(
            organization_id=meeting.organization_id,
            kind__in=[kind for kind, rules in KINDS.items() if rules.prepares_regular_meeting],
            status__in=[MeetingStatus.FINALIZED, MeetingStatus.SIGNED],
            scheduled_at__gte=since,
            scheduled_at__lte=meeting.scheduled_at,
        )
        .order_by("-scheduled_at", "-pk")
        .first()
    )


@transaction.atomic
def copy_from_committee_meeting(regular, committee, *, user):
    """Copy what the cell committee prepared into the regular meeting's draft: the
    draft resolution's title, content and tasks (through resolutions) and the agenda
    (when the draft has none yet). Returns (tasks copied, whether the agenda was)."""
    regular = services.lock_minutes(
        regular, allowed={MeetingStatus.DRAFT}, refusal=_("Only a draft can be changed.")
    )
    if committee_meeting_to_copy(regular) != committee:
        raise services.MeetingError(
            _("There is nothing from the cell committee meeting to copy into these minutes.")
        )
    copied = resolution_minutes.copy_draft_resolution(committee, regular, user=user)
    fields = []
    if not regular.agenda.strip() and committee.agenda.strip():
        regular.agenda = committee.agenda
        fields.append("agenda")
    services.save_step(
        regular, user=user, reason="copied from the cell committee meeting", update_fields=fields
    )
    services.refresh_search_text(regular)
    return copied, bool(fields)

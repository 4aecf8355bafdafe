"""What is sent when something happens in the workflow: each function prepares the
messages of one event in the log (notifications.delivery.prepare) and returns them;
the job that calls it then delivers them. Each can run again and prepares nothing twice.
"""

from django.conf import settings
from django.utils import timezone, translation

from meetings.models import NOT_SUMMONED_ACTIVITIES, Meeting, MeetingStatus, Review, roster_for
from notifications import recipients
from notifications.calendar import absolute, meeting_calendar
from notifications.delivery import prepare
from notifications.models import InvitationRound, Kind
from oversight.models import Guidance


def sender_address():
    from email.utils import parseaddr

    name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return email, name


def invitation_round(meeting):
    """The invitation's SEQUENCE for where and when the meeting is now: the same as
    last time if nothing moved, one more if the date, time or place changed."""
    last = InvitationRound.objects.filter(meeting=meeting).order_by("-sequence").first()
    if last and last.scheduled_at == meeting.scheduled_at and last.location == meeting.location:
        return last
    sequence = last.sequence + 1 if last else 0
    round_, _ = InvitationRound.objects.get_or_create(
        meeting=meeting,
        sequence=sequence,
        defaults={"scheduled_at": meeting.scheduled_at, "location": meeting.location},
    )
    return round_


def invitations(meeting_pk, *, now=None):
    """Every summoned member is invited to a planned meeting that is still to come,
    and again (a higher SEQUENCE) when it moves."""
    now = timezone.now() if now is None else now
    meeting = (
        Meeting.objects.select_related("organization", "presenter").filter(pk=meeting_pk).first()
    )
    if (
        meeting is None
        or not meeting.is_current
        or meeting.status != MeetingStatus.PLANNED
        or meeting.scheduled_at <= now
        or not recipients.settings_for(meeting.organization).sends(Kind.INVITATION)
    ):
        return []
    addresses = recipients.unique(
        recipients.of_member(member)
        for member in roster_for(meeting)
        if member.activity_status not in NOT_SUMMONED_ACTIVITIES
    )
    if not addresses:
        return []
    round_ = invitation_round(meeting)
    organizer = sender_address()

    def calendar(address):
        with translation.override(settings.LANGUAGE_CODE):
            return meeting_calendar(
                meeting,
                sequence=round_.sequence,
                attendees=[(address.email, address.name)],
                organizer=organizer,
            )

    return [
        prepare(
            Kind.INVITATION,
            obj=meeting,
            organization=meeting.organization,
            address=address,
            version=round_.sequence,
            template="invitation",
            context={
                "meeting": meeting,
                "moved": round_.sequence > 0,
                "link": absolute("meetings:detail", meeting.pk),
            },
            calendar=calendar,
        )
        for address in addresses
    ]


def sign_requests(meeting_pk):
    """The chair and the note-taker are asked to sign finalized minutes."""
    meeting = (
        Meeting.objects.select_related("organization", "chair", "note_taker")
        .filter(pk=meeting_pk)
        .first()
    )
    if (
        meeting is None
        or meeting.status != MeetingStatus.FINALIZED
        or not recipients.settings_for(meeting.organization).sends(Kind.SIGN_REQUEST)
    ):
        return []
    signed_roles = set(meeting.signatures.values_list("role", flat=True))
    roles = [("chair", meeting.chair), ("note_taker", meeting.note_taker)]
    wanted = [member for role, member in roles if role not in signed_roles]
    return [
        prepare(
            Kind.SIGN_REQUEST,
            obj=meeting,
            organization=meeting.organization,
            address=address,
            version=meeting.version,
            template="sign_request",
            context={
                "meeting": meeting,
                "link": absolute("meetings:detail", meeting.pk),
                "as_chair": address.member == meeting.chair,
                "as_note_taker": address.member == meeting.note_taker,
            },
        )
        for address in recipients.unique(recipients.of_member(member) for member in wanted)
    ]


def minutes_returned(review_pk):
    """The cell's secretaries read the reviewer's comment on returned minutes."""
    review = (
        Review.objects.select_related("meeting__organization", "reviewer")
        .filter(pk=review_pk)
        .first()
    )
    if review is None:
        return []
    meeting = review.meeting
    if not recipients.settings_for(meeting.organization).sends(Kind.MINUTES_RETURNED):
        return []
    addresses = recipients.secretaries([meeting.organization_id]).get(meeting.organization_id, [])
    return [
        prepare(
            Kind.MINUTES_RETURNED,
            obj=meeting,
            organization=meeting.organization,
            address=address,
            version=f"review-{review.pk}",
            template="minutes_returned",
            context={
                "meeting": meeting,
                "review": review,
                "link": absolute("meetings:detail", meeting.pk),
            },
        )
        for address in addresses
    ]


def guidance_published(guidance_pk):
    """The secretaries of every cell under the publisher are told of new guidance."""
    from members.models import Organization

    guidance = Guidance.objects.select_related("organization").filter(pk=guidance_pk).first()
    if guidance is None or not guidance.is_published:
        return []
    cells = list(Organization.objects.cells().subtree_of(guidance.organization))
    by_cell = recipients.secretaries([cell.pk for cell in cells])
    settings_of = recipients.SettingsFor()
    messages, seen = [], set()
    for cell in cells:
        if not settings_of(cell).sends(Kind.GUIDANCE):
            continue
        for address in by_cell.get(cell.pk, []):
            if address.email.lower() in seen:
                continue
            seen.add(address.email.lower())
            messages.append(
                prepare(
                    Kind.GUIDANCE,
                    obj=guidance,
                    organization=cell,
                    address=address,
                    version=guidance.published_at.date().isoformat(),
                    template="guidance",
                    context={
                        "guidance": guidance,
                        "cell": cell,
                        "link": absolute("oversight:guidance_detail", guidance.pk),
                    },
                )
            )
    return messages

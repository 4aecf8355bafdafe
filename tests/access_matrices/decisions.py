"""The superior's decision on a consequence proposed by an adopted decision
(meetings/decision_views.py): entered by whoever keeps the cell's records."""

from tests.access_rules import edited_by_secretary, meeting_in


def pending_consequence(world):
    from meetings.models import Decision, Meeting, MemberConsequence

    meeting = meeting_in(world, status="draft")
    decision = Decision.objects.create(
        meeting=meeting,
        kind="recognition",
        member=world.member,
        vote_method="hands",
        votes_for=1,
        votes_against=0,
        votes_other=0,
    )
    consequence = MemberConsequence.objects.create(
        decision=decision,
        organization=world.cell,
        member=world.member,
        kind="recognition",
        subject_name=world.member.full_name,
    )
    Meeting.objects.filter(pk=meeting.pk).update(status="signed")
    return consequence


MATRIX = {
    "meetings:consequence_confirm": (
        "get",
        lambda w: {"pk": pending_consequence(w).pk},
        edited_by_secretary(),
    ),
}

"""Access to rounds and assessments, through the organisation tree (members.access).

A member also sees and writes her own assessment, whatever her roles: it is her
self-assessment. Everyone else: outsiders 404, insiders without the right 403.
"""

from django.db.models import Q
from django.http import Http404

from members.access import access_for, check
from rating.models import MemberAssessment, RatingRound


def get_round_for(user, pk, *, keep_records=False, review=False):
    rating_round = (
        RatingRound.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("organization", "organization__parent", "rules", "review_meeting")
        .first()
    )
    if rating_round is None:
        raise Http404
    access = access_for(user)
    if keep_records:
        check(access.can_keep_records(rating_round.organization))
    if review:
        check(access.can_review(rating_round.organization))
    return rating_round


def can_open_round(user, organization):
    """The cell itself (its secretary) or its superior (reviewers above) opens a round."""
    access = access_for(user)
    return access.can_keep_records(organization) or access.can_review(organization)


def get_assessment_for(user, pk, *, write=False):
    """The assessment if the user sees its cell or it is her own (404 otherwise); with
    `write`, 403 unless it is hers or she keeps the cell's records."""
    scope = access_for(user).scope_q("round__organization__path")
    if user.is_authenticated:
        scope |= Q(member__user=user)
    assessment = (
        MemberAssessment.objects.filter(scope, pk=pk)
        .select_related("member", "round", "round__organization", "round__rules")
        .first()
    )
    if assessment is None:
        raise Http404
    if write:
        check(can_write(user, assessment))
    return assessment


def can_write(user, assessment):
    own = assessment.member.user_id is not None and assessment.member.user_id == user.pk
    return own or access_for(user).can_keep_records(assessment.round.organization)

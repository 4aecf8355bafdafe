"""The rating's workflow: open a round, self-assess, the cell's review, the decision."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cellmeet.sealed import WorkflowError
from meetings.models import Meeting, MeetingStatus, vote_count_for
from members.models import Member
from rating.eligibility import standing_of
from rating.evidence import evidence_for_members
from rating.levels import excellent_allowed
from rating.models import (
    MemberAssessment,
    RatingLevel,
    RatingRound,
    RatingRules,
    RoundStatus,
)


class RatingError(WorkflowError):
    """A step of the rating that cannot happen, with the reason in plain words."""


@transaction.atomic
def open_round(organization, *, year, deadline, user):
    """Open the year's round for a cell: one draft Mẫu 2C per member on its roster,
    each with the evidence of her year."""
    if not organization.is_cell:
        raise RatingError(_("Only a party cell rates its members."))
    if RatingRound.objects.filter(organization=organization, year=year).exists():
        raise RatingError(_("This year's rating is already open."))
    rules = RatingRules.objects.for_year(year)
    if rules is None:
        raise RatingError(_("No rating rules are in force for this year."))
    rating_round = RatingRound.objects.create(
        organization=organization, year=year, deadline=deadline, rules=rules, opened_by=user
    )
    members = Member.objects.roster_of(organization)
    evidence = evidence_for_members(members, year)
    MemberAssessment.objects.bulk_create(
        MemberAssessment(
            round=rating_round,
            member=member,
            standing=standing_of(member, year),
            evidence=evidence[member.pk],
        )
        for member in members
    )
    return rating_round


def _require_open(rating_round):
    if not rating_round.is_open:
        raise RatingError(_("The cell has already reviewed this year's rating."))


@transaction.atomic
def refresh_evidence(rating_round, *, user):
    """Compute the evidence again (meetings held since the round opened)."""
    _require_open(rating_round)
    assessments = list(rating_round.assessments.all())
    evidence = evidence_for_members(
        Member.objects.filter(assessments__round=rating_round), rating_round.year
    )
    for assessment in assessments:
        assessment.evidence = evidence[assessment.member_id]
    MemberAssessment.objects.bulk_update(assessments, ["evidence"])


@transaction.atomic
def write_self_assessment(
    assessment, *, user, strengths, shortcomings, general_score, task_score, proposed_level
):
    """Her judgement on her year. Written by someone else (the secretary), it is
    recorded as written on her behalf."""
    _require_open(assessment.round)
    if not assessment.is_rated:
        raise RatingError(_("This member is not rated this year."))
    rules = assessment.round.rules
    if general_score > rules.general_points or task_score > rules.task_points:
        raise RatingError(_("The points are more than the criteria give."))
    assessment.strengths = strengths
    assessment.shortcomings = shortcomings
    assessment.general_score = general_score
    assessment.task_score = task_score
    assessment.proposed_level = proposed_level
    assessment.written_by = user
    assessment.written_on_behalf = assessment.member.user_id != user.pk
    assessment.written_at = timezone.now()
    assessment._change_reason = "self-assessment"
    assessment.save()
    return assessment


# ---------------------------------------------------------------- the cell's vote


@dataclass(frozen=True)
class ReviewVote:
    """The cell's vote on the proposed list at one of its meetings."""

    meeting: Meeting
    method: str
    votes_for: int | None
    votes_against: int | None
    votes_other: int | None


def meetings_for_review(rating_round):
    """The cell's meetings that can hold its review: live, held (not only planned),
    in the year rated or the next (the review often falls in January)."""
    return (
        Meeting.objects.current()
        .filter(
            organization_id=rating_round.organization_id,
            year__in=[rating_round.year, rating_round.year + 1],
        )
        .exclude(status=MeetingStatus.PLANNED)
        .order_by("-scheduled_at", "-pk")
    )


def review_vote_error(vote):
    """Why the vote cannot stand, or None: the tally checked by the vote engine's rule
    (only the official members present vote: meetings.rules.VoteCount), and the list
    adopted by more than half of the official members summoned."""
    if vote.meeting.status == MeetingStatus.PLANNED or not vote.meeting.is_current:
        return _("Choose a meeting the cell held.")
    if vote.votes_for is None:
        return _("Enter the votes for the list.")
    count = vote_count_for(list(vote.meeting.attendances.all()))
    error = count.tally_error(vote.votes_for, vote.votes_against, vote.votes_other)
    if error:
        return error
    if not count.is_adopted(vote.votes_for):
        return _(
            "The list is not adopted: %(votes)s for, of %(denominator)s official members "
            "summoned; at least %(majority)s are needed."
        ) % {
            "votes": vote.votes_for,
            "denominator": count.denominator,
            "majority": count.majority,
        }
    return None


@transaction.atomic
def record_cell_review(rating_round, proposals, *, user, vote=None):
    """The cell's review: {assessment id: (level, opinions)} for every member rated;
    the cell committee's list is compiled from it. `vote`: the ReviewVote of the
    meeting that reviewed the members, when one was taken (checked by
    review_vote_error)."""
    _require_open(rating_round)
    if vote is not None:
        if vote.meeting.organization_id != rating_round.organization_id:
            raise RatingError(_("Choose a meeting the cell held."))
        error = review_vote_error(vote)
        if error:
            raise RatingError(error)
        rating_round.review_meeting = vote.meeting
        rating_round.vote_method = vote.method
        rating_round.votes_for = vote.votes_for
        rating_round.votes_against = vote.votes_against
        rating_round.votes_other = vote.votes_other
    rated = [a for a in rating_round.assessments.select_related("member") if a.is_rated]
    missing = [a.member.full_name for a in rated if a.pk not in proposals]
    if missing:
        raise RatingError(
            _("Propose a level for every member rated: %(names)s.") % {"names": ", ".join(missing)}
        )
    for assessment in rated:
        assessment.cell_level, assessment.cell_opinions = proposals[assessment.pk]
        assessment._change_reason = "cell review"
        assessment.save(update_fields=["cell_level", "cell_opinions"])
    rating_round.status = RoundStatus.COMPILED
    rating_round.compiled_by = user
    rating_round.compiled_at = timezone.now()
    rating_round.save()
    return rating_round


@transaction.atomic
def decide(rating_round, levels, *, user, decision_number=""):
    """The superior's standing committee decides: {assessment id: level} for every
    member rated; the level goes on her record. The cap on excellent, if the rules
    have one, holds here."""
    if rating_round.status != RoundStatus.COMPILED:
        raise RatingError(_("The cell has not sent its list yet."))
    rated = [a for a in rating_round.assessments.all() if a.is_rated]
    if any(a.pk not in levels for a in rated):
        raise RatingError(_("Decide a level for every member rated."))
    allowed = excellent_allowed(rating_round.rules, len(rated))
    excellent = sum(1 for a in rated if levels[a.pk] == RatingLevel.EXCELLENT)
    if allowed is not None and excellent > allowed:
        raise RatingError(
            _("At most %(allowed)s of %(rated)s members may be rated excellent (%(cap)s %%).")
            % {
                "allowed": allowed,
                "rated": len(rated),
                "cap": rating_round.rules.excellent_cap_percent,
            }
        )
    for assessment in rated:
        assessment.final_level = levels[assessment.pk]
        assessment._change_reason = "superior's decision"
        assessment.save(update_fields=["final_level"])
    rating_round.status = RoundStatus.DECIDED
    rating_round.decided_by = user
    rating_round.decided_at = timezone.now()
    rating_round.decision_number = decision_number
    rating_round.save()
    return rating_round

"""Decisions that need their own majority, from the vote to the member's record.

The rule (`Threshold`), the part of the minutes' sealed content they make and how it
shows again (`content`, `record_context`), what finalizing checks (`missing_items`),
and the member pipeline: the consequence an adopted decision proposes once its minutes
are signed (`propose_consequences`), confirmed when the superior's decision is entered
(`confirm_consequence`), and the reminder of probationary members reaching 12 months
(`probation_reminders`). The minutes workflow (meetings.services, meetings.record)
calls these by name.
"""

import calendar
import json
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cellmeet.missing import MissingItem
from cellmeet.sealed import Person, WorkflowError, parse_day, person_content
from meetings.models import (
    ConsequenceStatus,
    Decision,
    DecisionKind,
    MemberConsequence,
    VoteMethod,
)
from meetings.rules import is_adopted_by, percent, votes_needed
from members.models import ActivityStatus, Member, MembershipStatus

PROBATION_MONTHS = 12


class DecisionError(WorkflowError):
    """A consequence that cannot be confirmed, with the reason in plain words."""


# ---------------------------------------------------------------- the rule


@dataclass(frozen=True)
class Threshold:
    """A share of the vote denominator: at least it, or more than it."""

    numerator: int
    denominator: int
    at_least: bool

    @classmethod
    def for_kind(cls, kind):
        numerator, denominator, comparison = settings.CELLMEET_DECISION_THRESHOLDS[kind]
        return cls(numerator, denominator, comparison == "at_least")

    @classmethod
    def from_content(cls, data):
        return cls(data["numerator"], data["denominator"], data["at_least"])

    def as_content(self):
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "at_least": self.at_least,
        }

    @property
    def share(self):
        return Fraction(self.numerator, self.denominator)

    def votes_needed(self, voters):
        """Votes for that adopt: 2/3 of 35 (23.3) needs 24; more than 1/2 of 10 needs 6."""
        return votes_needed(voters, self.share, at_least=self.at_least)

    def is_adopted(self, votes_for, voters):
        return is_adopted_by(votes_for, voters, self.share, at_least=self.at_least)

    @property
    def label(self):
        share = f"{self.numerator}/{self.denominator}"
        if self.at_least:
            return gettext("at least %(share)s") % {"share": share}
        return gettext("more than %(share)s") % {"share": share}


# ---------------------------------------------------------------- the minutes


def _decisions_of(meeting):
    return meeting.decisions.select_related("member").order_by("order", "pk")


def content(meeting, vote_count):
    """The decisions as plain data for the sealed content, with the rule applied then:
    a threshold changed in the settings later changes no signed minutes."""
    return {"decisions": [_decision_content(d, vote_count) for d in _decisions_of(meeting)]}


def _decision_content(decision, vote_count):
    threshold = Threshold.for_kind(decision.kind)
    voters = vote_count.denominator
    return {
        "id": decision.pk,
        "kind": decision.kind,
        "member": person_content(decision.member),
        "candidate": (
            {
                "name": decision.candidate_name,
                "birth_date": (
                    decision.candidate_birth_date.isoformat()
                    if decision.candidate_birth_date
                    else None
                ),
            }
            if decision.kind == DecisionKind.ADMISSION
            else None
        ),
        "note": decision.note,
        "period_until": decision.period_until.isoformat() if decision.period_until else None,
        "vote": {
            "method": decision.vote_method,
            "for": decision.votes_for,
            "against": decision.votes_against,
            "other": decision.votes_other,
        },
        "denominator": voters,
        "threshold": threshold.as_content(),
        "needed": threshold.votes_needed(voters),
        "adopted": threshold.is_adopted(decision.votes_for, voters),
    }


SENTENCES = {
    DecisionKind.ADMISSION: _("The cell voted on proposing to admit %(name)s"),
    DecisionKind.RECOGNITION: _(
        "The cell voted on proposing to recognise probationary member %(name)s as an "
        "official member"
    ),
    DecisionKind.EXEMPTION: _(
        "The cell voted on exempting comrade %(name)s from party work and activities"
    ),
    DecisionKind.DISCIPLINE: _("The cell voted on proposing discipline for comrade %(name)s"),
}


class DecisionRecord:
    """One decision as the minutes' content records it."""

    def __init__(self, data):
        self.kind = data["kind"]
        candidate = data.get("candidate")
        self.member = Person.from_content(data.get("member"))
        self.subject_name = candidate["name"] if candidate else (self.member or "")
        self.subject_name = str(self.subject_name)
        self.candidate_birth_date = parse_day(candidate.get("birth_date")) if candidate else None
        self.note = data.get("note", "")
        self.period_until = parse_day(data.get("period_until"))
        vote = data.get("vote", {})
        self.vote_method = vote.get("method", "")
        self.votes_for = vote.get("for")
        self.votes_against = vote.get("against")
        self.votes_other = vote.get("other")
        self.denominator = data["denominator"]
        self.threshold = Threshold.from_content(data["threshold"])
        self.votes_needed = data["needed"]
        self.adopted = data["adopted"]

    def get_kind_display(self):
        return DecisionKind(self.kind).label

    def get_vote_method_display(self):
        return VoteMethod(self.vote_method).label if self.vote_method else ""

    @property
    def sentence(self):
        return SENTENCES[self.kind] % {"name": self.subject_name}

    @property
    def percent_for(self):
        return percent(self.votes_for, self.denominator)

    @property
    def percent_against(self):
        return percent(self.votes_against or 0, self.denominator)

    @property
    def percent_other(self):
        return percent(self.votes_other or 0, self.denominator)

    @property
    def threshold_label(self):
        return self.threshold.label


def record_context(sealed):
    """Template context to show the decisions from the minutes' content; minutes sealed
    before decisions existed (format 2 and earlier) have none."""
    return {
        "decisions": [DecisionRecord(data) for data in sealed.get("decisions", [])],
        "minutes_decisions_template": "meetings/_minutes_decisions.html",
    }


def missing_items(meeting, vote_count):
    """What each decision still needs before the minutes can be finalized."""
    missing = []
    for decision in _decisions_of(meeting):
        name = {"decision": decision.get_kind_display().lower(), "name": decision.subject_name}
        if decision.votes_for is None or not decision.vote_method:
            missing.append(
                MissingItem(
                    gettext("the vote on %(decision)s of %(name)s (method and counts)") % name,
                    "decisions",
                )
            )
            continue
        error = vote_count.tally_error(
            decision.votes_for, decision.votes_against, decision.votes_other
        )
        if error:
            missing.append(
                MissingItem(
                    f"{decision.get_kind_display()} — {decision.subject_name}: {error}", "decisions"
                )
            )
    return missing


def copy_into_correction(old_meeting, correction):
    Decision.objects.bulk_create(
        Decision(
            meeting=correction,
            **{
                field: getattr(decision, field)
                for field in (
                    "kind",
                    "member",
                    "candidate_name",
                    "candidate_birth_date",
                    "period_until",
                    "note",
                    "vote_method",
                    "votes_for",
                    "votes_against",
                    "votes_other",
                    "order",
                )
            },
        )
        for decision in old_meeting.decisions.all()
    )


# ---------------------------------------------------------------- the member's record


def add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def probation_ends_on(member):
    return add_months(member.admitted_on, PROBATION_MONTHS) if member.admitted_on else None


def propose_consequences(meeting):
    """Once minutes are sealed: each adopted decision proposes its consequence, read
    from the sealed content (what was signed is what is proposed)."""
    sealed = json.loads(meeting.signed_content)
    adopted = {data["id"]: data for data in sealed.get("decisions", []) if data["adopted"]}
    for decision in meeting.decisions.filter(pk__in=adopted).select_related("member"):
        proposed_on = None
        if decision.kind == DecisionKind.RECOGNITION and decision.member:
            proposed_on = probation_ends_on(decision.member)
        elif decision.kind == DecisionKind.EXEMPTION:
            proposed_on = meeting.held_on
        MemberConsequence.objects.get_or_create(
            decision=decision,
            defaults={
                "organization_id": meeting.organization_id,
                "member": decision.member,
                "kind": decision.kind,
                "subject_name": decision.subject_name,
                "proposed_on": proposed_on,
                "period_until": decision.period_until,
            },
        )


def withdraw_consequences(meeting):
    """Minutes returned for correction propose nothing until they are signed again."""
    MemberConsequence.objects.filter(decision__meeting=meeting).pending().delete()


@transaction.atomic
def confirm_consequence(consequence, *, number, decided_on, effective_on, user):
    """The superior committee decided: record its decision and set the member's record."""
    consequence = MemberConsequence.objects.select_for_update().get(pk=consequence.pk)
    if not consequence.is_pending:
        raise DecisionError(_("This decision was already confirmed."))
    member = consequence.member
    if consequence.kind == DecisionKind.ADMISSION:
        candidate = consequence.decision
        member = Member(
            organization_id=consequence.organization_id,
            full_name=candidate.candidate_name,
            birth_date=candidate.candidate_birth_date,
            status=MembershipStatus.PROBATIONARY,
            admitted_on=effective_on,
        )
        reason = gettext("Admitted by decision %(number)s")
    elif consequence.kind == DecisionKind.RECOGNITION:
        member.status = MembershipStatus.OFFICIAL
        member.official_on = effective_on
        reason = gettext("Recognised as an official member by decision %(number)s")
    elif consequence.kind == DecisionKind.EXEMPTION:
        member.activity_status = ActivityStatus.EXEMPT
        member.activity_since = effective_on
        if consequence.period_until:
            member.activity_note = gettext("Exempt until %(day)s") % {
                "day": consequence.period_until.strftime("%d/%m/%Y")
            }
        reason = gettext("Exempted from activities by decision %(number)s")
    else:
        reason = gettext("Discipline decided by decision %(number)s")
    if member is not None:
        member.full_clean()
        if member.pk:
            member.version += 1
        member._change_reason = reason % {"number": number}
        member.save()
    consequence.member = member
    consequence.status = ConsequenceStatus.CONFIRMED
    consequence.superior_decision_number = number
    consequence.superior_decision_date = decided_on
    consequence.proposed_on = effective_on
    consequence.confirmed_by = user
    consequence.confirmed_at = timezone.now()
    consequence._change_reason = member._change_reason if member else reason
    consequence.save()
    return consequence


@dataclass
class ProbationReminder:
    member: object
    ends_on: object
    overdue: bool


def probation_reminders(organization, *, today=None):
    """Probationary members of the cell whose 12 months end within the reminder window
    or have ended, until a recognition decision for them is recorded."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.CELLMEET_RECOGNITION_REMINDER_DAYS)
    candidates = (
        Member.objects.filter(
            organization=organization,
            status=MembershipStatus.PROBATIONARY,
            admitted_on__isnull=False,
            # A few days' slack for month ends; the exact end is checked below.
            admitted_on__lte=add_months(horizon, -PROBATION_MONTHS) + timedelta(days=3),
        )
        .on_roster()
        .exclude(
            Exists(
                Decision.objects.filter(
                    member=OuterRef("pk"),
                    kind=DecisionKind.RECOGNITION,
                    meeting__is_current=True,
                )
            )
        )
        .in_vietnamese_order()
    )
    reminders = []
    for member in candidates:
        ends_on = probation_ends_on(member)
        if ends_on <= horizon:
            reminders.append(ProbationReminder(member, ends_on, ends_on <= today))
    return reminders

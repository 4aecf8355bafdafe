"""Each kind of meeting and its rules, side by side (DOMAIN.md, "Meetings").

A newcomer reads here who is summoned, what the minutes contain and what finalizing
asks for each kind; the models, the workflow, the forms and the templates ask
`meeting.rules` instead of testing the kind themselves.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from resolutions.models import ResolutionKind


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular monthly meeting")
    THEMATIC = "thematic", _("Thematic meeting")
    COMMITTEE = "committee", _("Cell committee meeting")
    EXTRAORDINARY = "extraordinary", _("Extraordinary meeting")
    PARTY_GROUP = "party_group", _("Party group meeting")


class Roster(StrEnum):
    """Who is summoned when recording starts."""

    # Every member on the cell's roster on the meeting day (away and exempt members
    # are listed too, and counted by the summoned rule in meetings.models.minutes).
    CELL = "cell"
    # Only the cell committee (chi ủy): members holding a position in the cell
    # (bí thư, phó bí thư, chi ủy viên) on the meeting day.
    COMMITTEE = "committee"


class TaskReview(StrEnum):
    """The review of earlier resolutions' open tasks ("review of last month's resolution")."""

    REQUIRED = "required"  # finalizing waits until every open task is reviewed
    OPTIONAL = "optional"  # the page offers it; finalizing does not wait for it
    ABSENT = "absent"  # not part of these minutes


class VoteDenominator(StrEnum):
    """Who the vote is counted against (meetings.rules.VoteCount)."""

    # The official members summoned to this meeting, i.e. its roster: the cell's
    # official members for a cell meeting, the committee for a committee meeting.
    # DOMAIN.md: "official members summoned, minus those temporarily active
    # elsewhere, minus exempt members who did not attend".
    SUMMONED_OFFICIAL = "summoned_official"


# The proceedings sections of the minutes, in the official order (Meeting fields).
NEWS_BRIEFING = "news_briefing"
STATE_OF_MIND = "state_of_mind"
LAST_RESOLUTION_REVIEW = "last_resolution_review"
NEXT_TASKS = "next_tasks"
ALL_PROCEEDINGS = (NEWS_BRIEFING, STATE_OF_MIND, LAST_RESOLUTION_REVIEW, NEXT_TASKS)


@dataclass(frozen=True)
class KindRules:
    kind: str
    roster: Roster
    # The proceedings sections these minutes have, in order.
    sections: tuple
    task_review: TaskReview
    needs_topic: bool
    needs_news_briefing: bool
    needs_lead_report: bool
    has_lessons_learned: bool
    vote_denominator: VoteDenominator
    # The CELLMEET_MEETINGS setting holding the minimum length in minutes, or None.
    minimum_minutes_setting: str | None
    # Named by its month in the title (no topic field on the recording page).
    named_by_month: bool
    # The kind of resolution it adopts (or, for the committee, drafts).
    resolution_kind: str
    # Its draft resolution and agenda prepare the next regular meeting.
    prepares_regular_meeting: bool = False

    @property
    def has_task_review(self):
        return self.task_review != TaskReview.ABSENT

    @property
    def task_review_required(self):
        return self.task_review == TaskReview.REQUIRED

    @property
    def summons_committee_only(self):
        return self.roster == Roster.COMMITTEE


KINDS = {
    MeetingKind.REGULAR: KindRules(
        kind=MeetingKind.REGULAR,
        resolution_kind=ResolutionKind.MONTHLY,
        roster=Roster.CELL,
        sections=ALL_PROCEEDINGS,
        task_review=TaskReview.REQUIRED,
        needs_topic=False,
        needs_news_briefing=True,
        needs_lead_report=False,
        has_lessons_learned=False,
        vote_denominator=VoteDenominator.SUMMONED_OFFICIAL,
        minimum_minutes_setting="REGULAR_MEETING_MINIMUM_MINUTES",
        named_by_month=True,
    ),
    # Topic, presenter and lead report; an optional thematic resolution; the review
    # of last month's tasks belongs to the regular meeting, so it is optional here.
    MeetingKind.THEMATIC: KindRules(
        kind=MeetingKind.THEMATIC,
        resolution_kind=ResolutionKind.THEMATIC,
        roster=Roster.CELL,
        sections=ALL_PROCEEDINGS,
        task_review=TaskReview.OPTIONAL,
        needs_topic=True,
        needs_news_briefing=False,
        needs_lead_report=True,
        has_lessons_learned=True,
        vote_denominator=VoteDenominator.SUMMONED_OFFICIAL,
        minimum_minutes_setting="THEMATIC_MEETING_MINIMUM_MINUTES",
        named_by_month=False,
    ),
    # Before each monthly meeting, to prepare its content and draft resolution.
    MeetingKind.COMMITTEE: KindRules(
        kind=MeetingKind.COMMITTEE,
        resolution_kind=ResolutionKind.DRAFT,
        roster=Roster.COMMITTEE,
        sections=(STATE_OF_MIND, NEXT_TASKS),
        # Its tasks are a draft; the regular meeting reviews the earlier ones.
        task_review=TaskReview.ABSENT,
        needs_topic=False,
        needs_news_briefing=False,
        needs_lead_report=False,
        has_lessons_learned=False,
        vote_denominator=VoteDenominator.SUMMONED_OFFICIAL,
        minimum_minutes_setting=None,
        named_by_month=True,
        prepares_regular_meeting=True,
    ),
    # When needed (admission, discipline, urgent matters): its own agenda items.
    MeetingKind.EXTRAORDINARY: KindRules(
        kind=MeetingKind.EXTRAORDINARY,
        resolution_kind=ResolutionKind.OTHER,
        roster=Roster.CELL,
        sections=(NEWS_BRIEFING, STATE_OF_MIND, NEXT_TASKS),
        task_review=TaskReview.OPTIONAL,
        needs_topic=False,
        needs_news_briefing=False,
        needs_lead_report=False,
        has_lessons_learned=False,
        vote_denominator=VoteDenominator.SUMMONED_OFFICIAL,
        minimum_minutes_setting=None,
        named_by_month=False,
    ),
    # Pilot: cells with 50+ members may meet by group up to 3 times a year.
    MeetingKind.PARTY_GROUP: KindRules(
        kind=MeetingKind.PARTY_GROUP,
        resolution_kind=ResolutionKind.OTHER,
        roster=Roster.CELL,
        sections=ALL_PROCEEDINGS,
        task_review=TaskReview.OPTIONAL,
        needs_topic=False,
        needs_news_briefing=False,
        needs_lead_report=False,
        has_lessons_learned=False,
        vote_denominator=VoteDenominator.SUMMONED_OFFICIAL,
        minimum_minutes_setting=None,
        named_by_month=False,
    ),
}


def rules_for(kind):
    """The rules of a kind of meeting (a MeetingKind or its stored value)."""
    return KINDS[MeetingKind(kind)]

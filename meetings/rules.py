"""The rules of a cell meeting that do not depend on the database.

Kept apart from the models so they read like DOMAIN.md and are easy to test.
"""

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings
from django.utils.translation import gettext_lazy as _

MONTHS = tuple(range(1, 13))
QUARTERS = (1, 2, 3, 4)
ROMAN_QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}


def quarter_of(month):
    """1-3 → 1, 4-6 → 2, 7-9 → 3, 10-12 → 4."""
    return (month - 1) // 3 + 1


def roman_quarter(quarter):
    """How documents write a quarter: "quý III"."""
    return ROMAN_QUARTERS[quarter]


def meeting_setting(name):
    return settings.CELLMEET_MEETINGS[name]


def percent(part, whole, *, places=1):
    """`part` as a percentage of `whole`, None when `whole` is zero or None.

    Rounded half up to `places` decimals (a float), or to a whole number (an int)
    with places=0: 2/3 → 66.7, 1/16 → 6.3 (6.25 rounds up, as on paper and as
    Django's floatformat prints it). Every percentage on screen, on paper and in
    the workbooks comes from here.
    """
    if not whole or part is None:
        return None
    exact = Decimal(100) * Decimal(part) / Decimal(whole)
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return int(rounded) if places == 0 else float(rounded)


# ---------------------------------------------------------------- majorities
# The one home of "more than half" and "at least two thirds" (DOMAIN.md, "Quorum and
# votes"): the minutes' closing vote (VoteCount, also in the reviewers' queue) and the
# decisions (meetings.decisions.Threshold, a share from the settings: two thirds "at
# least" for admission and recognition, one half "more than" for the others) all count
# the votes needed here.

HALF = Fraction(1, 2)
TWO_THIRDS = Fraction(2, 3)


def votes_needed(voters, share, *, at_least):
    """Votes for that adopt, out of `voters` (the vote denominator).

    More than half of 10 needs 6 (exactly half is not a majority), of 9 needs 5; at
    least two thirds of 36 needs 24 (exactly two thirds is enough), of 35 (23.3) 24.
    """
    exact = Fraction(share) * voters
    return math.ceil(exact) if at_least else math.floor(exact) + 1


def is_adopted_by(votes_for, voters, share, *, at_least):
    """Nothing is adopted without votes, or by a cell with no member entitled to vote."""
    if votes_for is None or not voters:
        return False
    return votes_for >= votes_needed(voters, share, at_least=at_least)


def is_more_than_half(votes_for, denominator):
    return is_adopted_by(votes_for, denominator, HALF, at_least=False)


@dataclass(frozen=True)
class VoteCount:
    """Who may vote and how many must approve.

    denominator: official members summoned, minus those temporarily active
    elsewhere, minus exempt members who did not attend (an exempt member who
    attends counts). eligible_present: official members present, the most
    hands a tally can hold. Built from attendance rows by
    meetings.models.vote_count_for, the one rule of who votes.
    """

    denominator: int
    eligible_present: int

    @property
    def majority(self):
        """Votes needed: more than half of the denominator, not of those present."""
        return votes_needed(self.denominator, HALF, at_least=False)

    def tally_error(self, votes_for, votes_against, votes_other):
        """Why a tally cannot be right, or None: only the official members present
        vote, so the hands counted are at most that many."""
        counts = [votes_for or 0, votes_against or 0, votes_other or 0]
        if any(count < 0 for count in counts):
            return _("A vote count cannot be negative.")
        if sum(counts) > self.eligible_present:
            return _(
                "Total votes (%(total)s) exceed the official members present (%(present)s)."
            ) % {"total": sum(counts), "present": self.eligible_present}
        return None

    def is_adopted(self, votes_for):
        return is_more_than_half(votes_for, self.denominator)

    def percent(self, votes):
        return percent(votes, self.denominator)

    def suggested_tally(self):
        """The tally of "everyone present agrees", to prefill an empty vote: None when
        nobody entitled to vote is marked present (nothing worth suggesting)."""
        if self.eligible_present <= 0:
            return None
        return {"votes_for": self.eligible_present, "votes_against": 0, "votes_other": 0}


def quality_level(total, thresholds=None):
    """Tốt / Khá / Trung bình / Kém from a 100-point self-score."""
    thresholds = thresholds or meeting_setting("QUALITY_LEVELS")
    for minimum, label in thresholds:
        if total >= minimum:
            return label
    return thresholds[-1][1]


def duration_in_minutes(started_at, ended_at):
    if started_at and ended_at and ended_at > started_at:
        return int((ended_at - started_at).total_seconds() // 60)
    return None


def quality_total(scores):
    return sum(int(points) for points in (scores or {}).values())


def quality_level_label(scores):
    if not scores:
        return ""
    return QUALITY_LEVEL_LABELS[quality_level(quality_total(scores))]


class MinutesFigures:
    """Figures read off minutes, stored or sealed alike: needs `started_at`,
    `ended_at` and `quality_scores`."""

    @property
    def duration_minutes(self):
        return duration_in_minutes(self.started_at, self.ended_at)

    @property
    def quality_total(self):
        return quality_total(self.quality_scores)

    @property
    def quality_level_label(self):
        return quality_level_label(self.quality_scores)


QUALITY_LEVEL_LABELS = {
    "good": _("Good"),
    "fair": _("Fair"),
    "average": _("Average"),
    "poor": _("Poor"),
}

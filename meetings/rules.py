"""The rules of a cell meeting that do not depend on the database.

Kept apart from the models so they read like DOMAIN.md and are easy to test.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

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


@dataclass(frozen=True)
class VoteCount:
    """Who may vote and how many must approve.

    denominator: official members summoned, minus those temporarily active
    elsewhere, minus exempt members who did not attend (an exempt member who
    attends counts). eligible_present: official members present, the most
    hands a tally can hold.
    """

    denominator: int
    eligible_present: int

    @property
    def majority(self):
        """Votes needed: more than half of the denominator, not of those present."""
        return self.denominator // 2 + 1

    def tally_error(self, votes_for, votes_against, votes_other):
        counts = [votes_for or 0, votes_against or 0, votes_other or 0]
        if any(count < 0 for count in counts):
            return _("A vote count cannot be negative.")
        if sum(counts) > self.eligible_present:
            return _(
                "The tally counts %(tally)s votes but only %(present)s official members "
                "present may vote."
            ) % {"tally": sum(counts), "present": self.eligible_present}
        return None

    def is_adopted(self, votes_for):
        return votes_for is not None and self.denominator > 0 and votes_for >= self.majority

    def percent(self, votes):
        return percent(votes, self.denominator)


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

"""The level rule, read from the dated rules (RatingRules), written once.

QĐ 366: excellent ≥ 90 points with every task on time and ≥ 30 % above requirement;
good 70–< 90 with every task on time; fulfilled 50–< 70 with every task done and at
most 20 % late; below that, or with a disqualifying fact, not fulfilled. A member
whose points reach a level but whose tasks do not falls to the best level her tasks
allow. The optional cap on "excellent" applies to the list, not to one member.
"""

from dataclasses import dataclass
from decimal import Decimal

from rating.models import LEVEL_ORDER, RatingLevel


@dataclass(frozen=True)
class TaskFacts:
    counted: int  # assigned, cancelled ones aside
    on_time: int
    late: int  # done, but after being carried over
    not_done: int
    above_requirement: int

    @classmethod
    def from_evidence(cls, evidence):
        tasks = evidence["tasks"]
        return cls(
            counted=tasks["counted"],
            on_time=tasks["on_time"],
            late=tasks["late"],
            not_done=tasks["not_done"],
            above_requirement=tasks["above_requirement"],
        )


def _share_at_least(part, whole, percent):
    """part/whole ≥ percent %, in whole numbers (no rounding at the boundary)."""
    return part * 100 >= whole * percent


def all_on_time(tasks):
    return tasks.on_time == tasks.counted


def level_for(rules, score, tasks, *, disqualified=False):
    """The best level the score and the tasks reach under `rules`."""
    score = Decimal(score)
    if disqualified or score < rules.fulfilled_from:
        return RatingLevel.NOT_FULFILLED
    if (
        score >= rules.excellent_from
        and all_on_time(tasks)
        # A member with no task cannot have exceeded any.
        and tasks.counted > 0
        and _share_at_least(
            tasks.above_requirement, tasks.counted, rules.excellent_above_requirement_percent
        )
    ):
        return RatingLevel.EXCELLENT
    if score >= rules.good_from and all_on_time(tasks):
        return RatingLevel.GOOD
    if tasks.not_done == 0 and tasks.late * 100 <= tasks.counted * rules.fulfilled_late_percent:
        return RatingLevel.FULFILLED
    return RatingLevel.NOT_FULFILLED


def excellent_allowed(rules, rated_count):
    """How many may be excellent among `rated_count` members: rounded down (20 % of
    36 is 7.2: seven), None without a cap."""
    if rules.excellent_cap_percent is None:
        return None
    return rated_count * rules.excellent_cap_percent // 100


def is_better(level, than):
    return LEVEL_ORDER.index(level) < LEVEL_ORDER.index(than)


def apply_cap(rules, entries):
    """`entries`: (key, level, score) for every member rated. The levels with the cap
    applied: beyond the number allowed, the excellent ones with the fewest points
    (then the later in the list) become good. {key: level}."""
    levels = {key: level for key, level, _score in entries}
    allowed = excellent_allowed(rules, len(entries))
    if allowed is None:
        return levels
    excellent = [
        (index, key, score)
        for index, (key, level, score) in enumerate(entries)
        if level == RatingLevel.EXCELLENT
    ]
    excellent.sort(key=lambda item: (-(item[2] or 0), item[0]))
    for _index, key, _score in excellent[allowed:]:
        levels[key] = RatingLevel.GOOD
    return levels

"""The level rule and the cap, at their boundaries (QĐ 366's figures, as seeded)."""

from decimal import Decimal

import pytest

from rating.levels import TaskFacts, apply_cap, excellent_allowed, level_for
from rating.models import RatingLevel, RatingRules

EXCELLENT, GOOD = RatingLevel.EXCELLENT, RatingLevel.GOOD
FULFILLED, NOT_FULFILLED = RatingLevel.FULFILLED, RatingLevel.NOT_FULFILLED


def qd_366(**changes):
    values = {
        "name": "QĐ 366-QĐ/TW",
        "general_points": 30,
        "task_points": 70,
        "excellent_from": Decimal("90"),
        "good_from": Decimal("70"),
        "fulfilled_from": Decimal("50"),
        "excellent_above_requirement_percent": 30,
        "fulfilled_late_percent": 20,
        "excellent_cap_percent": None,
    }
    return RatingRules(**{**values, **changes})


def tasks(counted=10, on_time=10, late=0, not_done=0, above=3):
    return TaskFacts(
        counted=counted, on_time=on_time, late=late, not_done=not_done, above_requirement=above
    )


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        ("100", EXCELLENT),
        ("90", EXCELLENT),
        ("89.99", GOOD),
        ("70", GOOD),
        ("69.99", FULFILLED),
        ("50", FULFILLED),
        ("49.99", NOT_FULFILLED),
        ("0", NOT_FULFILLED),
    ],
)
def test_the_points_thresholds(score, expected):
    assert level_for(qd_366(), score, tasks()) == expected


def test_excellent_needs_every_task_on_time():
    assert level_for(qd_366(), "95", tasks(on_time=10)) == EXCELLENT
    # One task late: neither excellent nor good, whatever the points.
    assert level_for(qd_366(), "95", tasks(on_time=9, late=1)) == FULFILLED


@pytest.mark.parametrize(("above", "expected"), [(3, EXCELLENT), (2, GOOD)])
def test_excellent_needs_thirty_per_cent_above_requirement(above, expected):
    assert level_for(qd_366(), "95", tasks(counted=10, above=above)) == expected


def test_thirty_per_cent_is_counted_without_rounding():
    # 2 of 7 is 28.6 %: not 30 %, though it rounds to 29 and "nearly" 30.
    assert level_for(qd_366(), "95", tasks(counted=7, on_time=7, above=2)) == GOOD
    assert level_for(qd_366(), "95", tasks(counted=7, on_time=7, above=3)) == EXCELLENT


def test_a_member_without_tasks_cannot_be_excellent():
    assert level_for(qd_366(), "95", tasks(counted=0, on_time=0, above=0)) == GOOD


def test_good_needs_every_task_on_time():
    assert level_for(qd_366(), "80", tasks(on_time=10)) == GOOD
    assert level_for(qd_366(), "80", tasks(on_time=9, late=1)) == FULFILLED


@pytest.mark.parametrize(
    ("late", "expected"),
    [(2, FULFILLED), (3, NOT_FULFILLED)],  # of 10: 20 % is allowed, 30 % is not
)
def test_fulfilled_allows_at_most_twenty_per_cent_late(late, expected):
    facts = tasks(counted=10, on_time=10 - late, late=late)
    assert level_for(qd_366(), "60", facts) == expected


def test_fulfilled_needs_every_task_done():
    facts = tasks(counted=10, on_time=9, late=0, not_done=1)
    assert level_for(qd_366(), "60", facts) == NOT_FULFILLED


def test_a_disqualifying_fact_overrides_the_points():
    assert level_for(qd_366(), "100", tasks(), disqualified=True) == NOT_FULFILLED


def test_the_thresholds_are_read_from_the_rules():
    stricter = qd_366(excellent_from=Decimal("95"))
    assert level_for(stricter, "94", tasks()) == GOOD
    assert level_for(qd_366(), "94", tasks()) == EXCELLENT


@pytest.mark.parametrize(("rated", "allowed"), [(36, 7), (35, 7), (34, 6), (5, 1), (4, 0)])
def test_the_cap_rounds_down(rated, allowed):
    assert excellent_allowed(qd_366(excellent_cap_percent=20), rated) == allowed


def test_no_cap_without_a_figure():
    assert excellent_allowed(qd_366(), 36) is None


def test_the_cap_keeps_the_best_scores_excellent():
    rules = qd_366(excellent_cap_percent=20)
    # Ten rated, three proposed excellent: two may stay, the lowest score becomes good.
    entries = [("a", EXCELLENT, 92), ("b", EXCELLENT, 97), ("c", EXCELLENT, 95)]
    entries += [(str(n), GOOD, 80) for n in range(7)]
    levels = apply_cap(rules, entries)
    assert (levels["a"], levels["b"], levels["c"]) == (GOOD, EXCELLENT, EXCELLENT)
    assert list(levels.values()).count(EXCELLENT) == 2
    assert apply_cap(qd_366(), entries)["a"] == EXCELLENT

"""The period calendar (meetings.periods): quarters, timings and the state of a period,
and the cell year, the board, the plans overview and the statistics agreeing on it."""

from datetime import date

import pytest

from meetings import periods
from meetings.models import Meeting, MeetingKind, MeetingStatus
from meetings.year import year_overview
from oversight.board import compliance_board
from oversight.plans import plans_overview
from oversight.statistics import subtree_statistics
from tests.helpers import at

S = MeetingStatus


@pytest.mark.parametrize(
    ("month", "quarter"),
    [(1, 1), (3, 1), (4, 2), (6, 2), (7, 3), (9, 3), (10, 4), (12, 4)],
)
def test_the_quarter_of_a_month(month, quarter):
    assert periods.quarter_of(month) == quarter


def test_quarters_are_written_in_roman_numbers():
    assert [periods.roman_quarter(q) for q in periods.QUARTERS] == ["I", "II", "III", "IV"]
    assert tuple(range(1, 13)) == periods.MONTHS


def test_the_month_of_today_is_current_the_one_before_past_the_one_after_coming():
    today = date(2026, 4, 1)
    assert periods.month_timing(2026, 3, today) == periods.PAST
    assert periods.month_timing(2026, 4, today) == periods.CURRENT
    assert periods.month_timing(2026, 5, today) == periods.COMING
    assert periods.month_timing(2025, 12, today) == periods.PAST
    assert periods.month_timing(2027, 1, today) == periods.COMING


def test_a_quarter_turns_past_on_the_first_day_of_the_next_one():
    assert periods.quarter_timing(2026, 1, date(2026, 3, 31)) == periods.CURRENT
    assert periods.quarter_timing(2026, 2, date(2026, 3, 31)) == periods.COMING
    assert periods.quarter_timing(2026, 1, date(2026, 4, 1)) == periods.PAST
    assert periods.quarter_timing(2026, 2, date(2026, 4, 1)) == periods.CURRENT
    assert periods.quarter_timing(2025, 4, date(2026, 1, 1)) == periods.PAST


@pytest.mark.parametrize(
    ("statuses", "past", "current", "coming"),
    [
        ([], "missing", "due", "future"),  # the current month is due, not missing yet
        ([S.PLANNED], "missing", "planned", "planned"),  # planned, never held once over
        ([S.DRAFT], "held", "held", "held"),
        ([S.FINALIZED], "held", "held", "held"),
        ([S.RETURNED], "held", "held", "held"),  # to be corrected and signed again
        ([S.SIGNED], "signed", "signed", "signed"),
        ([S.PLANNED, S.SIGNED, S.DRAFT], "signed", "signed", "signed"),
        ([S.PLANNED, S.DRAFT], "held", "held", "held"),
    ],
)
def test_the_state_of_a_period(statuses, past, current, coming):
    assert periods.period_state(statuses, periods.PAST) == past
    assert periods.period_state(statuses, periods.CURRENT) == current
    assert periods.period_state(statuses, periods.COMING) == coming


def test_what_a_period_owed():
    assert {"signed", "held", "missing"} == periods.OWED_STATES
    assert not {"due", "planned", "future"} & periods.OWED_STATES


@pytest.mark.parametrize(
    ("statuses", "state"),
    [([], "missing"), ([S.PLANNED], "planned"), ([S.SIGNED], "held"), ([S.RETURNED], "held")],
)
def test_a_plan_sees_held_planned_or_nothing_whatever_the_date(statuses, state):
    assert periods.plan_state(statuses) == state


def test_the_most_advanced_meeting_shows_for_its_period():
    rows = [{"status": S.PLANNED, "pk": 1}, {"status": S.SIGNED, "pk": 2}, {"status": S.DRAFT}]
    assert periods.most_advanced(rows, status=lambda row: row["status"])["pk"] == 2
    assert periods.most_advanced([]) is None


TODAY = date(2026, 6, 15)  # quarter II is current


def thematic(cell, month, status):
    return Meeting.objects.create(
        organization=cell,
        kind=MeetingKind.THEMATIC,
        scheduled_at=at(2026, month, 10),
        topic="Chuyên đề",
        status=status,
    )


def test_the_year_the_board_the_plans_and_the_statistics_agree_on_quarters(world):
    thematic(world.cell, 2, S.SIGNED)  # I: signed
    thematic(world.cell, 7, S.PLANNED)  # III: planned, still to come
    thematic(world.sibling_cell, 3, S.PLANNED)  # I: planned, never held
    thematic(world.sibling_cell, 5, S.DRAFT)  # II: held in the current quarter

    year = {
        cell: [q.state for q in year_overview(cell, 2026, today=TODAY).quarters]
        for cell in (world.cell, world.sibling_cell)
    }
    assert year[world.cell] == ["signed", "due", "planned", "future"]
    assert year[world.sibling_cell] == ["missing", "held", "future", "future"]

    board = {row.cell: row for row in compliance_board(world.commune, 2026, today=TODAY).rows}
    for cell, states in year.items():
        # The board shows a period still to come blank.
        assert [slot.state for slot in board[cell].quarters] == [
            "" if state == "future" else state for state in states
        ]

    plans = {row.cell: row for row in plans_overview(world.commune, 2026, today=TODAY)}
    assert [q.state for q in plans[world.cell].quarters] == [
        "held",
        "missing",
        "planned",
        "missing",
    ]
    assert [q.is_past for q in plans[world.cell].quarters] == [True, False, False, False]
    # Time-free: a quarter whose meeting was planned stays "planned" in the plans.
    assert [q.state for q in plans[world.sibling_cell].quarters][:2] == ["planned", "held"]

    statistics = {
        row.cell: row.figures for row in subtree_statistics(world.commune, 2026, today=TODAY).cells
    }
    for cell, states in year.items():
        figures = statistics[cell]
        assert figures.thematic_quarters == sum(s in periods.HELD_STATES for s in states)
        assert figures.quarters_due == sum(s in periods.OWED_STATES for s in states)

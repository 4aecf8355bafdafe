"""The period calendar: months and quarters, and what a period's meetings make of it.

A cell owes a regular meeting every month and a thematic one every quarter. Given
the meetings of a period and whether the period is past, current or still to come,
`period_state` says signed / held / planned / missing / due / future. The cell's
year, the compliance board, the thematic plans overview and the statistics all ask
here, so they never disagree on what "missing" means.
"""

from meetings.models import MeetingStatus

# The calendar itself (months, quarters, their names) needs no model: it lives in
# meetings.rules, below the models, and is read here under the same names.
from meetings.rules import MONTHS, QUARTERS, ROMAN_QUARTERS, quarter_of, roman_quarter

__all__ = ["MONTHS", "QUARTERS", "ROMAN_QUARTERS", "quarter_of", "roman_quarter"]


# ---------------------------------------------------------------- where a period stands

PAST, CURRENT, COMING = "past", "current", "coming"


def _timing(period, now):
    if period < now:
        return PAST
    return CURRENT if period == now else COMING


def month_timing(year, month, today):
    """PAST, CURRENT (the month `today` falls in) or COMING."""
    return _timing((year, month), (today.year, today.month))


def quarter_timing(year, quarter, today):
    return _timing((year, quarter), (today.year, quarter_of(today.month)))


# ---------------------------------------------------------------- what its meetings make of it

SIGNED, HELD, PLANNED, MISSING, DUE, FUTURE = (
    "signed",
    "held",
    "planned",
    "missing",
    "due",
    "future",
)
HELD_STATES = frozenset({SIGNED, HELD})
# Periods that owed their meeting by now: it was held, or the period ended without it.
OWED_STATES = HELD_STATES | {MISSING}

# What one meeting makes of its period. Returned minutes count as held, not signed:
# the cell still has to correct them and sign again.
STATE_OF_STATUS = {
    MeetingStatus.PLANNED: PLANNED,
    MeetingStatus.DRAFT: HELD,
    MeetingStatus.FINALIZED: HELD,
    MeetingStatus.RETURNED: HELD,
    MeetingStatus.SIGNED: SIGNED,
}
_RANK = {SIGNED: 3, HELD: 2, PLANNED: 1}
# A period where nothing was held: a meeting planned for a past period never took place.
_EMPTY_STATE = {PAST: MISSING, CURRENT: DUE, COMING: FUTURE}


def most_advanced(meetings, status=lambda meeting: meeting.status):
    """The meeting of a period that shows for it (signed before held before planned);
    None without any. `status` reads the status of an item (a Meeting or a row of values)."""
    return max(meetings, key=lambda item: _RANK[STATE_OF_STATUS[status(item)]], default=None)


def best_state(statuses):
    """SIGNED, HELD or PLANNED from the statuses of a period's meetings; None without any."""
    states = [STATE_OF_STATUS[status] for status in statuses]
    return max(states, key=_RANK.__getitem__, default=None)


def period_state(statuses, timing):
    """signed / held / planned / missing / due / future, from the statuses of a
    period's meetings and its timing (PAST, CURRENT or COMING).

    A planned meeting keeps its period "planned" until the period is over; then,
    never held, the period is "missing". The current period with nothing held is
    "due", not missing yet.
    """
    state = best_state(statuses)
    if state in HELD_STATES:
        return state
    if state == PLANNED and timing != PAST:
        return PLANNED
    return _EMPTY_STATE[timing]


def held_period_state(held, signed, timing):
    """period_state of a period's held meetings (none planned) from their numbers:
    `held` meetings held, `signed` of them signed (as STATE_OF_STATUS says)."""
    if signed:
        return SIGNED
    if held:
        return HELD
    return _EMPTY_STATE[timing]


def plan_state(statuses):
    """What a plan sees of a period, whatever the date: HELD (signed or not), PLANNED,
    or MISSING when no meeting was held or planned for it."""
    state = best_state(statuses)
    if state in HELD_STATES:
        return HELD
    return PLANNED if state == PLANNED else MISSING

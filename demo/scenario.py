"""The demo year's scenario: what happens in which cell and month, and its plain records.

The constants say which cells skip a month or a quarter, which minutes are left
unsigned, returned or short, whom canbo follows and how far behind she is; `Plan`,
`TaskPlan` and `ReviewPlan` are what the generators decide before anything is saved;
`MeetingsReport` is what `seed_demo` prints. The date and number helpers at the end
are shared by demo.cell, demo.minutes and demo.follow_up.
"""

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.utils import timezone

from demo.organization import CELLS
from demo.organization import SEED as ORGANIZATION_SEED
from members.models import CellType, Member
from resolutions.models import Task, TaskResult

SEED = f"{ORGANIZATION_SEED}:meetings"
MONTHS = 12  # up to and including the current month

# What happens to a meeting.
PLANNED, DRAFT, FINALIZED, HALF_SIGNED, SIGNED, RETURNED = (
    "planned",
    "draft",
    "finalized",
    "half_signed",
    "signed",
    "returned",
)


def _code(number):
    return f"DEMO-YH-{number:02d}"


BITHU_CELL = CELLS[0].code
# Cells that skipped the regular meeting of one past month: months back from this one.
MISSING_MONTH = {_code(1): 4, _code(4): 9, _code(12): 2}
# Cells that held no thematic meeting in one past quarter: quarters back from this one.
MISSING_QUARTER = {_code(5): 2, _code(12): 1}
# bithu's cell: the minutes of this month back were returned by canbo and corrected.
RETURNED_MONTH = (BITHU_CELL, 2)
# Last month's minutes not signed yet.
LAST_MONTH = {_code(5): DRAFT, _code(8): FINALIZED, _code(10): HALF_SIGNED}
# This month: drafts in these cells (if their day has passed), planned elsewhere.
THIS_MONTH_DRAFTS = {_code(n) for n in (2, 3, 6, 9, 11, 13)}
# The cell committee met before this month's regular meeting (demo.committee): in
# bithu's cell it is still planned (the copy is offered), in the other one a draft.
COMMITTEE_CELLS = (BITHU_CELL, _code(2))
# This quarter's thematic meeting moved into this month.
THEMATIC_THIS_MONTH = {_code(3): DRAFT, _code(7): PLANNED, _code(9): PLANNED}
# Meetings that ran short of the 90 minutes: (cell, months back).
SHORT_MEETINGS = {(_code(6), 3), (_code(11), 6)}
# bithu's cell holds this quarter's thematic meeting this month, this many days ago (when
# the month is old enough), so that her task board shows tasks done this month.
BITHU_THEMATIC_DAYS_AGO = 3
# Last month's regular meeting of bithu's cell votes on an admission and a recognition
# (demo.year): a candidate admitted, and the probationary member made official.
DECISIONS_AT = (BITHU_CELL, 1)
ADMISSION_CANDIDATE = ("Lương Thị Thu Trang", (2001, 5, 14))
# canbo, the commune's reviewer, follows these cells: she is the commune's guest there.
CANBO_CELLS = [BITHU_CELL, _code(2), _code(9)]
# canbo accepted the signed minutes of this many months back and older; the recent ones
# wait in her queue, and so do a few older ones of the cells where she is behind.
ACCEPTED_MONTHS_BACK = 2
REVIEW_BEHIND = {_code(6): 4}
# Share of thematic meetings that adopt a resolution of their own.
THEMATIC_RESOLUTION_SHARE = 0.6

START_TIMES = {
    CellType.VILLAGE: (19, 30),
    CellType.SCHOOL: (16, 30),
    CellType.POLICE: (14, 0),
    CellType.HEALTH: (16, 30),
}


# Thematic topics: keys of phrases.TOPICS; UNIT is the cell's own (phrases.UNIT_TOPICS).
HCM, QUALITY, DEVELOPMENT, UNIT, DIGITAL = "hcm", "quality", "development", "unit", "digital"
TOPIC_ROTATION = [QUALITY, DEVELOPMENT, UNIT, DIGITAL]
THEMATIC_MONTH = {1: 3, 2: 5, 3: 8, 4: 10}  # the month of each quarter preferred for it
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


# ---------------------------------------------------------------- report


@dataclass
class MeetingsReport:
    cells_filled: list = field(default_factory=list)
    cells_skipped: list = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    attendance_rows: int = 0
    resolutions: int = 0
    tasks: int = 0
    task_reviews: int = 0
    accepted: int = 0
    delegate_visits: int = 0
    warnings: list = field(default_factory=list)

    @property
    def meetings_created(self):
        return sum(self.statuses.values())

    def summary(self):
        parts = []
        if self.cells_filled:
            statuses = ", ".join(
                f"{count} {status}" for status, count in sorted(self.statuses.items())
            )
            parts.append(
                f"Created {self.meetings_created} meetings ({self.kinds['regular']} regular, "
                f"{self.kinds['thematic']} thematic; {statuses}) with "
                f"{self.attendance_rows} attendance rows in {len(self.cells_filled)} cells."
            )
            parts.append(
                f"{self.resolutions} resolutions with {self.tasks} tasks, {self.task_reviews} "
                f"task reviews; {self.accepted} minutes accepted by the commune, "
                f"{self.delegate_visits} visits of an assigned delegate."
            )
        if self.cells_skipped:
            parts.append(
                f"Left the meetings of {len(self.cells_skipped)} cells that already have "
                "meetings as they are."
            )
        parts.extend(self.warnings)
        return " ".join(parts) or "No demo cells to add meetings to."


# ---------------------------------------------------------------- plan


@dataclass
class Plan:
    kind: str
    when: datetime
    outcome: str
    months_back: int
    topic_key: str = ""
    sloppy_tasks: bool = False  # the version canbo returns
    latest: bool = False  # the last meeting recorded in bithu's cell


class TaskPlan(NamedTuple):
    """A task to adopt: what, who leads it, by when, who else helps."""

    title: str
    lead: Member
    due_on: date
    others: tuple = ()


@dataclass
class ReviewPlan:
    """How a meeting reviews one open task (a TaskUpdate to be)."""

    task: Task
    result: str
    evaluation: str = ""
    decision: str = ""
    new_due_on: date | None = None
    closed_reason: str = ""
    note: str = ""
    reason: str = ""  # why it is only partly done
    early: bool = False  # reviewed before its deadline

    @property
    def is_done(self):
        return self.result == TaskResult.DONE

    @property
    def unfinished(self):
        """Due and not done: what the minutes count as not completed."""
        return not self.is_done and not self.early


def months_window(today):
    months = []
    year, month = today.year, today.month
    for _ in range(MONTHS):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def at(day, hour, minute):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def day_in(year, month, day):
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def soon(today, days):
    """A day a few days ahead but still in this month (today at the latest)."""
    last = day_in(today.year, today.month, 31)
    return max(today, min(today + timedelta(days=days), last))


def next_month(year, month):
    return (year, month + 1) if month < 12 else (year + 1, 1)


def lower_first(text):
    return text[:1].lower() + text[1:]


def vnd(amount):
    return f"{amount:,}".replace(",", ".")


def vn_date(day):
    return f"{day:%d/%m/%Y}"

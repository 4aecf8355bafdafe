"""A cell's year at a glance: which months had their regular meeting, which quarters
a thematic one, what is planned and what is missing."""

from dataclasses import dataclass, field

from django.utils import timezone

from meetings.models import Meeting, MeetingKind, MeetingStatus

HELD_STATUSES = {MeetingStatus.DRAFT, MeetingStatus.FINALIZED}


@dataclass
class MonthCell:
    month: int
    regular: Meeting | None
    others: list = field(default_factory=list)
    is_past: bool = False
    is_this_month: bool = False

    @property
    def state(self):
        """signed / held (not signed yet) / planned / due (this month) / missing / future."""
        if self.regular is None:
            if self.is_this_month:
                return "due"
            return "missing" if self.is_past else "future"
        if self.regular.status == MeetingStatus.SIGNED:
            return "signed"
        if self.regular.status == MeetingStatus.PLANNED:
            return "missing" if self.is_past else "planned"
        return "held"


@dataclass
class QuarterCell:
    quarter: int
    thematic: list
    is_past: bool

    @property
    def state(self):
        if any(m.status == MeetingStatus.SIGNED for m in self.thematic):
            return "signed"
        if any(m.status != MeetingStatus.PLANNED for m in self.thematic):
            return "held"
        if self.thematic:
            return "missing" if self.is_past else "planned"
        return "missing" if self.is_past else "future"


@dataclass
class YearOverview:
    year: int
    months: list
    quarters: list

    @property
    def missing_months(self):
        return [cell.month for cell in self.months if cell.state == "missing"]


def year_overview(organization, year, today=None):
    today = today or timezone.localdate()
    meetings = list(
        Meeting.objects.current()
        .filter(organization=organization, year=year)
        .order_by("scheduled_at", "pk")
    )
    months = []
    for month in range(1, 13):
        in_month = [m for m in meetings if m.month == month]
        regular = next((m for m in in_month if m.kind == MeetingKind.REGULAR), None)
        months.append(
            MonthCell(
                month=month,
                regular=regular,
                others=[m for m in in_month if m is not regular],
                is_past=(year, month) < (today.year, today.month),
                is_this_month=(year, month) == (today.year, today.month),
            )
        )
    quarters = [
        QuarterCell(
            quarter=quarter,
            thematic=[
                m for m in meetings if m.kind == MeetingKind.THEMATIC and m.quarter == quarter
            ],
            is_past=(year, quarter) < (today.year, (today.month - 1) // 3 + 1),
        )
        for quarter in range(1, 5)
    ]
    return YearOverview(year=year, months=months, quarters=quarters)

"""A cell's year at a glance: which months had their regular meeting, which quarters
a thematic one, what is planned and what is missing (states from meetings.periods)."""

from dataclasses import dataclass, field

from django.utils import timezone

from meetings import periods
from meetings.models import Meeting, MeetingKind


@dataclass
class MonthCell:
    month: int
    regular: Meeting | None
    others: list = field(default_factory=list)
    timing: str = periods.COMING

    @property
    def is_past(self):
        return self.timing == periods.PAST

    @property
    def is_this_month(self):
        return self.timing == periods.CURRENT

    @property
    def state(self):
        """signed / held (not signed yet) / planned / due (this month) / missing / future."""
        statuses = [self.regular.status] if self.regular else []
        return periods.period_state(statuses, self.timing)


@dataclass
class QuarterCell:
    quarter: int
    thematic: list
    timing: str

    @property
    def is_past(self):
        return self.timing == periods.PAST

    @property
    def state(self):
        return periods.period_state([m.status for m in self.thematic], self.timing)


@dataclass
class YearOverview:
    year: int
    months: list
    quarters: list

    @property
    def missing_months(self):
        return [cell.month for cell in self.months if cell.state == periods.MISSING]


def year_overview(organization, year, today=None):
    today = today or timezone.localdate()
    meetings = list(
        Meeting.objects.current()
        .filter(organization=organization, year=year)
        .order_by("scheduled_at", "pk")
    )
    months = []
    for month in periods.MONTHS:
        in_month = [m for m in meetings if m.month == month]
        regular = periods.most_advanced(m for m in in_month if m.kind == MeetingKind.REGULAR)
        months.append(
            MonthCell(
                month=month,
                regular=regular,
                others=[m for m in in_month if m is not regular],
                timing=periods.month_timing(year, month, today),
            )
        )
    quarters = [
        QuarterCell(
            quarter=quarter,
            thematic=[
                m
                for m in meetings
                if m.kind == MeetingKind.THEMATIC and periods.quarter_of(m.month) == quarter
            ],
            timing=periods.quarter_timing(year, quarter, today),
        )
        for quarter in periods.QUARTERS
    ]
    return YearOverview(year=year, months=months, quarters=quarters)

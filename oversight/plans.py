"""The thematic plans overview: which cells under a committee have filed their plan
for the year, and which quarters have no thematic meeting held or planned."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from meetings import periods
from meetings.models import Meeting, MeetingKind, ThematicPlan
from meetings.periods import QUARTERS, roman_quarter
from members.access import access_for, check, get_organization_for
from members.models import Organization
from members.subtree import subtree_q


@dataclass
class QuarterState:
    quarter: int
    state: str  # periods.plan_state: held / planned / missing (none held or planned)
    topics: int  # topics in the cell's plan for the quarter
    is_past: bool

    @property
    def name(self):
        return roman_quarter(self.quarter)


@dataclass
class CellPlanRow:
    cell: Organization
    plan: ThematicPlan | None
    quarters: list

    @property
    def is_filed(self):
        return self.plan is not None and self.plan.filed_at is not None

    @property
    def lacking_quarters(self):
        return [row.quarter for row in self.quarters if row.state == periods.MISSING]


def plans_overview(organization, year, today=None):
    """One row per cell under the organisation, in three queries whatever their number."""
    today = today or timezone.localdate()
    cells = list(
        Organization.objects.subtree_of(organization)
        .cells()
        .select_related("parent")
        .order_by("path")
    )
    topic_counts = {
        f"topics_{quarter}": Count("items", filter=Q(items__quarter=quarter))
        for quarter in QUARTERS
    }
    plans = {
        plan.organization_id: plan
        for plan in ThematicPlan.objects.filter(subtree_q(organization), year=year).annotate(
            **topic_counts
        )
    }
    statuses = {}
    thematic = (
        Meeting.objects.current()
        .subtree_of(organization)
        .filter(
            year=year,
            kind=MeetingKind.THEMATIC,
        )
        .values_list("organization_id", "month", "status")
    )
    for organization_id, month, status in thematic:
        statuses.setdefault((organization_id, periods.quarter_of(month)), []).append(status)
    rows = []
    for cell in cells:
        plan = plans.get(cell.pk)
        quarters = []
        for quarter in QUARTERS:
            quarters.append(
                QuarterState(
                    quarter=quarter,
                    state=periods.plan_state(statuses.get((cell.pk, quarter), ())),
                    topics=getattr(plan, f"topics_{quarter}", 0) if plan else 0,
                    is_past=periods.quarter_timing(year, quarter, today) == periods.PAST,
                )
            )
        rows.append(CellPlanRow(cell=cell, plan=plan, quarters=quarters))
    return rows


@login_required
def thematic_plans_overview(request, pk, year):
    organization = get_organization_for(request.user, pk)
    check(access_for(request.user).can_review(organization))
    if organization.is_cell:
        raise Http404
    rows = plans_overview(organization, year)
    context = {
        "organization": organization,
        "year": year,
        "rows": rows,
        "quarters": [roman_quarter(quarter) for quarter in QUARTERS],
        "filed_count": sum(1 for row in rows if row.is_filed),
        "lacking_count": sum(1 for row in rows if row.lacking_quarters),
    }
    return render(request, "oversight/thematic_plans_overview.html", context)

"""Thematic plans: each cell plans its thematic topics for the year, one or more a
quarter, with the member who prepares the lead report, and files the plan with the
superior committee. The committee sees at a glance which cells have filed and which
quarters have no thematic meeting held or planned."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.forms import inlineformset_factory
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cellmeet.forms import CleanTextModelForm, StaleRecordError, VersionedModelForm
from meetings.models import Meeting, MeetingKind, MeetingStatus, ThematicPlan, ThematicPlanItem
from meetings.year import year_overview
from members.access import access_for, check, get_organization_for
from members.models import ON_ROSTER, Member, Organization

QUARTERS = (1, 2, 3, 4)
QUARTER_NAMES = {1: "I", 2: "II", 3: "III", 4: "IV"}
FIRST_YEAR, LAST_YEAR = 2000, 2100


class PlanError(ValidationError):
    """A step on a thematic plan that cannot happen, with the reason in plain words."""


# ---------------------------------------------------------------- services


@transaction.atomic
def save_plan(form, items):
    """Save the plan and its topics as one; StaleRecordError if someone else saved first."""
    form.instance._change_reason = "edit thematic plan"
    try:
        with transaction.atomic():
            plan = form.save()
    except IntegrityError as error:  # a parallel request created the year's plan first
        raise StaleRecordError from error
    items.instance = plan
    items.save()
    return plan


@transaction.atomic
def file_plan(plan, *, user):
    """Report the plan to the superior: every quarter needs at least one topic."""
    if plan is None or not plan.items.exists():
        raise PlanError(_("Write the plan and save it before filing it."))
    plan = ThematicPlan.objects.select_for_update().get(pk=plan.pk)
    planned = set(plan.items.values_list("quarter", flat=True))
    missing = [QUARTER_NAMES[quarter] for quarter in QUARTERS if quarter not in planned]
    if missing:
        raise PlanError(
            _("Each quarter needs at least one topic. Still without a topic: quarter %(quarters)s.")
            % {"quarters": ", ".join(missing)}
        )
    plan.filed_at = timezone.now()
    plan.version += 1
    plan._change_reason = "filed with the superior"
    plan.save()
    return plan


# ---------------------------------------------------------------- the superior's view


HELD = "held"
PLANNED = "planned"
MISSING = "missing"


@dataclass
class QuarterState:
    quarter: int
    state: str  # held / planned / missing: no thematic meeting held or planned
    topics: int  # topics in the cell's plan for the quarter
    is_past: bool

    @property
    def name(self):
        return QUARTER_NAMES[self.quarter]


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
        return [row.quarter for row in self.quarters if row.state == MISSING]


def plans_overview(organization, year, today=None):
    """One row per cell under the organisation, in three queries whatever their number."""
    today = today or timezone.localdate()
    current_quarter = (today.year, (today.month - 1) // 3 + 1)
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
        for plan in ThematicPlan.objects.filter(
            organization__path__startswith=organization.path, year=year
        ).annotate(**topic_counts)
    }
    held, planned = set(), set()
    thematic = (
        Meeting.objects.current()
        .filter(
            organization__path__startswith=organization.path,
            year=year,
            kind=MeetingKind.THEMATIC,
        )
        .values_list("organization_id", "month", "status")
    )
    for organization_id, month, status in thematic:
        key = (organization_id, (month - 1) // 3 + 1)
        (planned if status == MeetingStatus.PLANNED else held).add(key)
    rows = []
    for cell in cells:
        plan = plans.get(cell.pk)
        quarters = []
        for quarter in QUARTERS:
            key = (cell.pk, quarter)
            state = HELD if key in held else PLANNED if key in planned else MISSING
            quarters.append(
                QuarterState(
                    quarter=quarter,
                    state=state,
                    topics=getattr(plan, f"topics_{quarter}", 0) if plan else 0,
                    is_past=(year, quarter) < current_quarter,
                )
            )
        rows.append(CellPlanRow(cell=cell, plan=plan, quarters=quarters))
    return rows


# ---------------------------------------------------------------- forms


class ThematicPlanForm(VersionedModelForm):
    """Only the version: it guards the topics below against a silent overwrite."""

    class Meta:
        model = ThematicPlan
        fields = []


class PlanItemForm(CleanTextModelForm):
    class Meta:
        model = ThematicPlanItem
        fields = ["quarter", "topic", "presenter"]

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        presenter = self.fields["presenter"]
        if members is not None:
            presenter.queryset = members
        presenter.error_messages["invalid_choice"] = gettext_lazy(
            "Choose a member of this cell to present the lead report."
        )


PlanItemFormSet = inlineformset_factory(
    ThematicPlan,
    ThematicPlanItem,
    form=PlanItemForm,
    extra=4,
    can_delete=True,
    max_num=40,
    validate_max=True,
)


def presenter_choices(organization, plan=None):
    """Members of the cell on its roll, in Vietnamese order, and those already named in
    the plan who are still in the cell (so that the plan can be saved again)."""
    on_roll = Q(activity_status__in=ON_ROSTER)
    if plan is not None and plan.pk:
        on_roll |= Q(pk__in=plan.items.values("presenter"))
    return Member.objects.filter(on_roll, organization=organization).in_vietnamese_order()


# ---------------------------------------------------------------- views


def _cell_and_year(user, pk, year):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    organization = get_organization_for(user, pk)
    if not organization.is_cell:
        raise Http404
    return organization


@login_required
def thematic_plan(request, pk, year):
    """Everyone who sees the cell reads the plan; its secretary and administrators edit it."""
    organization = _cell_and_year(request.user, pk, year)
    can_edit = access_for(request.user).can_keep_records(organization)
    if request.method == "POST":
        check(can_edit)
    plan = ThematicPlan.objects.filter(organization=organization, year=year).first()
    form = items = None
    if can_edit:
        instance = plan or ThematicPlan(organization=organization, year=year)
        data = request.POST if request.method == "POST" else None
        form = ThematicPlanForm(data, instance=instance)
        items = PlanItemFormSet(
            data,
            instance=instance,
            prefix="items",
            form_kwargs={"members": presenter_choices(organization, plan)},
            # A new plan starts with a row for each quarter.
            initial=None if plan else [{"quarter": quarter} for quarter in QUARTERS],
        )
        if request.method == "POST":
            valid = [form.is_valid(), items.is_valid()]
            if all(valid):
                try:
                    save_plan(form, items)
                except StaleRecordError:
                    form.add_error(None, form.conflict_message)
                else:
                    messages.success(request, _("The thematic plan is saved."))
                    return redirect("meetings:thematic_plan", pk=organization.pk, year=year)
    topics = list(plan.items.select_related("presenter")) if plan else []
    overview = year_overview(organization, year)
    quarters = [
        {
            "name": QUARTER_NAMES[quarter.quarter],
            "state": quarter.state,
            "meetings": quarter.thematic,
            "topics": [item for item in topics if item.quarter == quarter.quarter],
        }
        for quarter in overview.quarters
    ]
    context = {
        "organization": organization,
        "year": year,
        "plan": plan,
        "quarters": quarters,
        "can_edit": can_edit,
        "form": form,
        "items": items,
    }
    return render(request, "meetings/thematic_plan.html", context)


@login_required
@require_POST
def thematic_plan_file(request, pk, year):
    organization = _cell_and_year(request.user, pk, year)
    check(access_for(request.user).can_keep_records(organization))
    plan = ThematicPlan.objects.filter(organization=organization, year=year).first()
    try:
        file_plan(plan, user=request.user)
    except PlanError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The thematic plan is filed with the superior committee."))
    return redirect("meetings:thematic_plan", pk=organization.pk, year=year)


@login_required
def thematic_plans_overview(request, pk, year):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    organization = get_organization_for(request.user, pk)
    check(access_for(request.user).can_review(organization))
    if organization.is_cell:
        raise Http404
    rows = plans_overview(organization, year)
    context = {
        "organization": organization,
        "year": year,
        "rows": rows,
        "quarters": [QUARTER_NAMES[quarter] for quarter in QUARTERS],
        "filed_count": sum(1 for row in rows if row.is_filed),
        "lacking_count": sum(1 for row in rows if row.lacking_quarters),
    }
    return render(request, "meetings/thematic_plans_overview.html", context)


urlpatterns = [
    path("orgs/<int:pk>/thematic-plan/<int:year>/", thematic_plan, name="thematic_plan"),
    path(
        "orgs/<int:pk>/thematic-plan/<int:year>/file/",
        thematic_plan_file,
        name="thematic_plan_file",
    ),
    path(
        "orgs/<int:pk>/thematic-plans/<int:year>/",
        thematic_plans_overview,
        name="thematic_plans_overview",
    ),
]

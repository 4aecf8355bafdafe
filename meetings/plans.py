"""Thematic plans: each cell plans its thematic topics for the year, one or more a
quarter, with the member who prepares the lead report, and files the plan with the
superior committee (whose overview is oversight.plans)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.forms import inlineformset_factory
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cellmeet.forms import CleanTextModelForm, StaleRecordError, VersionedModelForm, bounded_rows
from meetings.models import ThematicPlan, ThematicPlanItem
from meetings.periods import QUARTERS, roman_quarter
from meetings.year import year_overview
from members.access import access_for, check, get_organization_for
from members.models import ON_ROSTER, Member


class PlanError(ValidationError):
    """A step on a thematic plan that cannot happen, with the reason in plain words."""


# ---------------------------------------------------------------- services


@transaction.atomic
def file_plan(plan, *, user):
    """Report the plan to the superior: every quarter needs at least one topic."""
    if plan is None or not plan.items.exists():
        raise PlanError(_("Write the plan and save it before filing it."))
    plan = ThematicPlan.objects.select_for_update().get(pk=plan.pk)
    planned = set(plan.items.values_list("quarter", flat=True))
    missing = [roman_quarter(quarter) for quarter in QUARTERS if quarter not in planned]
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


# ---------------------------------------------------------------- forms


class ThematicPlanForm(VersionedModelForm):
    """Only the version: it guards the topics below against a silent overwrite."""

    class Meta:
        model = ThematicPlan
        fields = []

    @transaction.atomic
    def save_with_topics(self, items):
        """Save the plan and its topics as one; StaleRecordError if someone else saved
        first."""
        self.instance._change_reason = "edit thematic plan"
        try:
            with transaction.atomic():
                plan = self.save()
        except IntegrityError as error:  # a parallel request created the year's plan first
            raise StaleRecordError from error
        items.instance = plan
        items.save()
        return plan


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
    **bounded_rows(40),
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
    # The year is in range: the URL's <year:year> (cellmeet.converters) saw to it.
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
                    form.save_with_topics(items)
                except StaleRecordError:
                    form.add_error(None, form.conflict_message)
                else:
                    messages.success(request, _("The thematic plan is saved."))
                    return redirect("meetings:thematic_plan", pk=organization.pk, year=year)
    topics = list(plan.items.select_related("presenter")) if plan else []
    overview = year_overview(organization, year)
    quarters = [
        {
            "name": roman_quarter(quarter.quarter),
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

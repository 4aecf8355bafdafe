"""Delegates: members of a superior committee assigned to follow and attend cells.

A committee's reviewers and administrators assign the committee's own people
(users with a role at that committee or above) to the cells under it, for a
period. While recording the minutes, the secretary adds an assigned delegate as a
guest in one click (`delegate_choices`, shown by the `delegate_hint` template tag);
the guest row then keeps the link to the delegate's account, and the committee
counts those visits per delegate and per cell (`visit_report`).
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.forms.utils import flatatt
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cellmeet.forms import CellmeetModelForm, DayFirstDateInput
from cellmeet.paging import other_parameters, page_of
from cellmeet.templatetags.cellmeet_tags import person_name
from meetings.models import Guest, Meeting, MeetingStatus
from members.access import access_for, check, get_organization_for
from members.models import DelegateAssignment, Organization
from members.subtree import subtree_q
from oversight.children import direct_children


class DelegateError(ValidationError):
    """An assignment change that cannot happen, with the reason in plain words."""


# ---------------------------------------------------------------- who, where, when


def committee_members(superior):
    """Users with a role at the committee or above it: who the committee may send."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True, cell_roles__organization_id__in=superior.ancestor_ids(include_self=True)
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


@dataclass(frozen=True)
class DelegateChoice:
    delegate_id: int
    name: str
    title: str
    unit: str


def delegate_choices(meeting):
    """The delegates assigned to the meeting's cell on the meeting day, one query."""
    assignments = (
        DelegateAssignment.objects.active_on(meeting.held_on)
        .filter(cell_id=meeting.organization_id)
        .select_related("delegate", "superior")
        .order_by("superior__path", "delegate__last_name", "delegate__first_name", "pk")
    )
    choices = {}
    for assignment in assignments:
        choices.setdefault(
            assignment.delegate_id,
            DelegateChoice(
                delegate_id=assignment.delegate_id,
                name=person_name(assignment.delegate),
                title=assignment.title,
                unit=assignment.superior.name,
            ),
        )
    return list(choices.values())


# ---------------------------------------------------------------- access


def get_committee_for(user, pk):
    """A committee the user may assign delegates for: 404 to outsiders, 403 without
    the reviewer's or administrator's right. Cells assign nobody."""
    organization = get_organization_for(user, pk)
    if organization.is_cell:
        raise Http404
    check(access_for(user).can_review(organization))
    return organization


def get_assignment_for(user, pk):
    access = access_for(user)
    assignment = (
        DelegateAssignment.objects.filter(access.scope_q("superior__path"), pk=pk)
        .select_related("superior", "cell", "delegate")
        .first()
    )
    if assignment is None:
        raise Http404
    check(access.can_review(assignment.superior))
    return assignment


# ---------------------------------------------------------------- changes


def overlapping_assignments(assignment):
    """Other assignments of the same delegate to the same cell over the same days."""
    overlapping = DelegateAssignment.objects.filter(
        delegate_id=assignment.delegate_id, cell_id=assignment.cell_id
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=assignment.started_on))
    if assignment.ended_on:
        overlapping = overlapping.filter(started_on__lte=assignment.ended_on)
    return overlapping.exclude(pk=assignment.pk)


@transaction.atomic
def assign_delegate(assignment, *, user):
    if overlapping_assignments(assignment).exists():
        raise DelegateError(_("This delegate already follows this cell over those days."))
    assignment._history_user = user
    assignment.save()
    return assignment


@transaction.atomic
def end_assignment(assignment, *, user, today=None):
    """End a running assignment today; one that has not started yet is withdrawn."""
    today = today or timezone.localdate()
    assignment = DelegateAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.ended_on is not None and assignment.ended_on < today:
        raise DelegateError(_("This assignment has already ended."))
    assignment._history_user = user
    if assignment.started_on > today:
        assignment.delete()
        return None
    assignment.ended_on = today
    assignment.save(update_fields=["ended_on"])
    return assignment


# ---------------------------------------------------------------- visits


@dataclass
class DelegateVisits:
    delegate_id: int
    name: str
    visits: int = 0
    cells_visited: set = field(default_factory=set)
    cells_assigned: set = field(default_factory=set)


@dataclass
class CellVisits:
    cell: Organization
    meetings_held: int = 0
    meetings_with_delegate: set = field(default_factory=set)
    visits: int = 0
    delegates: set = field(default_factory=set)


@dataclass
class VisitReport:
    organization: Organization
    first_day: object
    last_day: object
    by_delegate: list
    by_cell: list

    @property
    def total_visits(self):
        return sum(row.visits for row in self.by_cell)

    @property
    def total_meetings_held(self):
        return sum(row.meetings_held for row in self.by_cell)

    @property
    def total_meetings_with_delegate(self):
        return sum(len(row.meetings_with_delegate) for row in self.by_cell)


def _day_bounds(first_day, last_day):
    start = timezone.make_aware(datetime.combine(first_day, time.min))
    end = timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))
    return start, end


def held_meetings_between(organization, first_day, last_day):
    """Current minutes of cells under the organisation, held in the period (days included)."""
    start, end = _day_bounds(first_day, last_day)
    return (
        Meeting.objects.current()
        .exclude(status=MeetingStatus.PLANNED)
        .subtree_of(organization)
        .filter(
            scheduled_at__gte=start,
            scheduled_at__lt=end,
        )
    )


def visit_report(organization, first_day, last_day):
    """Delegates' visits to the cells under an organisation: four queries.

    A visit is a delegate recorded as a guest of a held meeting; a delegate written
    twice into the same minutes still counts once.
    """
    meetings = held_meetings_between(organization, first_day, last_day)
    cells = {
        cell.pk: CellVisits(cell=cell)
        for cell in Organization.objects.subtree_of(organization).cells().order_by("path")
    }
    for row in meetings.values("organization_id").order_by().annotate(count=Count("pk")):
        if row["organization_id"] in cells:
            cells[row["organization_id"]].meetings_held = row["count"]

    delegates = {}

    def delegate_row(values, prefix):
        delegate_id = values[f"{prefix}_id"]
        if delegate_id not in delegates:
            user = get_user_model()(
                pk=delegate_id,
                username=values[f"{prefix}__username"],
                first_name=values[f"{prefix}__first_name"],
                last_name=values[f"{prefix}__last_name"],
            )
            delegates[delegate_id] = DelegateVisits(delegate_id=delegate_id, name=person_name(user))
        return delegates[delegate_id]

    name_fields = ["username", "first_name", "last_name"]
    visits = (
        Guest.objects.filter(meeting__in=meetings, delegate__isnull=False)
        .values(
            "meeting_id",
            "meeting__organization_id",
            "delegate_id",
            *(f"delegate__{name}" for name in name_fields),
        )
        .order_by()  # no ordering columns in the DISTINCT
        .distinct()
    )
    for visit in visits:
        row = delegate_row(visit, "delegate")
        row.visits += 1
        row.cells_visited.add(visit["meeting__organization_id"])
        cell = cells.get(visit["meeting__organization_id"])
        if cell is not None:
            cell.visits += 1
            cell.meetings_with_delegate.add(visit["meeting_id"])
            cell.delegates.add(visit["delegate_id"])

    assigned = (
        DelegateAssignment.objects.filter(
            subtree_q(organization, "cell__path"), started_on__lte=last_day
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first_day))
        .values("cell_id", "delegate_id", *(f"delegate__{name}" for name in name_fields))
        .order_by()  # no ordering columns in the DISTINCT
        .distinct()
    )
    for assignment in assigned:
        delegate_row(assignment, "delegate").cells_assigned.add(assignment["cell_id"])

    by_delegate = sorted(delegates.values(), key=lambda row: (-row.visits, row.name.lower()))
    return VisitReport(
        organization=organization,
        first_day=first_day,
        last_day=last_day,
        by_delegate=by_delegate,
        by_cell=list(cells.values()),
    )


# ---------------------------------------------------------------- forms


class CellSelect(forms.Select):
    """The cells grouped under the organisation they stand in, written in one pass:
    a province's 2,000 options took a template each (over a second), and names
    such as "Chi bộ thôn 1" repeat from one commune to the next."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = "" if value in (None, "") else str(value)
        options, group, open_group = [], None, False
        for choice, label in self.choices:
            cell = getattr(choice, "instance", None)
            parent = cell.parent.name if cell is not None and cell.parent_id else None
            if parent != group:
                if open_group:
                    options.append(mark_safe("</optgroup>"))
                group, open_group = parent, parent is not None
                if open_group:
                    options.append(format_html('<optgroup label="{}">', parent))
            options.append(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    choice,
                    mark_safe(" selected") if str(choice) == chosen else "",
                    label,
                )
            )
        if open_group:
            options.append(mark_safe("</optgroup>"))
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html(
            "<select{}>{}</select>", flatatt(final_attrs), mark_safe("".join(options))
        )


class AssignmentForm(CellmeetModelForm):
    class Meta:
        model = DelegateAssignment
        fields = ["delegate", "cell", "title", "started_on", "ended_on"]
        widgets = {"cell": CellSelect}
        help_texts = {
            "title": gettext_lazy("As the minutes write it, e.g. “Đảng ủy viên”."),
            "ended_on": gettext_lazy("Leave empty until the assignment ends."),
        }

    def __init__(self, *args, superior, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.superior = superior
        self.fields["delegate"].queryset = committee_members(superior)
        self.fields["delegate"].label_from_instance = person_name
        # What an option shows, and no more: a province's 2,000 cells were half the page.
        self.fields["cell"].queryset = (
            Organization.objects.subtree_of(superior)
            .cells()
            .select_related("parent")
            .only("name", "path", "parent__name")
            .order_by("path")
        )
        self.fields["started_on"].initial = timezone.localdate()

    def clean(self):
        cleaned_data = super().clean()
        started_on, ended_on = cleaned_data.get("started_on"), cleaned_data.get("ended_on")
        if started_on and ended_on and ended_on < started_on:
            self.add_error("ended_on", _("The end date must come after the start date."))
        return cleaned_data


class PeriodForm(forms.Form):
    """?from=dd/mm/yyyy&to=dd/mm/yyyy ("from" is a Python keyword, hence __init__)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["from"] = forms.DateField(
            label=_("From"), widget=DayFirstDateInput, initial=today.replace(month=1, day=1)
        )
        self.fields["to"] = forms.DateField(label=_("To"), widget=DayFirstDateInput, initial=today)

    def clean(self):
        cleaned_data = super().clean()
        first_day, last_day = cleaned_data.get("from"), cleaned_data.get("to")
        if first_day and last_day and last_day < first_day:
            self.add_error("to", _("The end date must come after the start date."))
        return cleaned_data

    def period(self):
        """The asked period when valid, else the default one (this year until today)."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["from"], self.cleaned_data["to"]
        return self.fields["from"].initial, self.fields["to"].initial


# ---------------------------------------------------------------- views


ENDED_SHOWN = 50


@dataclass
class ChildDelegates:
    """The cells under one organisation directly below the committee: how many, and
    how many have no delegate today."""

    organization: Organization
    cells: int
    unfollowed: int


def unfollowed_by_child(superior, cells, followed):
    """One ChildDelegates per organisation directly under the committee, or None when
    its cells stand directly under it (a commune names them). One query."""
    children = direct_children(superior, cells)
    if children is None:
        return None
    return [
        ChildDelegates(
            organization=child,
            cells=len(child_cells),
            unfollowed=sum(cell.pk not in followed for cell in child_cells),
        )
        for child, child_cells in children
    ]


@login_required
def delegate_list(request, pk):
    superior = get_committee_for(request.user, pk)
    form = AssignmentForm(request.POST or None, superior=superior)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = assign_delegate(form.save(commit=False), user=request.user)
        except DelegateError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s will follow %(cell)s.")
                % {"name": person_name(assignment.delegate), "cell": assignment.cell.name},
            )
            return redirect("oversight:delegates", pk=superior.pk)
    today = timezone.localdate()
    assignments = DelegateAssignment.objects.filter(superior=superior)
    not_ended = Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    # A province assigns thousands: the running ones a page at a time, the latest
    # ended ones only, and the cells without a delegate counted per commune.
    running = page_of(
        assignments.filter(not_ended).order_by("cell__path", "-started_on", "pk"),
        request.GET.get("page"),
        rows=lambda page: page.select_related("delegate", "cell"),
    )
    ended = list(
        assignments.exclude(not_ended)
        .select_related("delegate", "cell")
        .order_by("-ended_on", "cell__path", "pk")[: ENDED_SHOWN + 1]
    )
    followed = set(
        assignments.filter(not_ended, started_on__lte=today).values_list("cell_id", flat=True)
    )
    cells = list(
        Organization.objects.subtree_of(superior).cells().only("name", "path").order_by("path")
    )
    summary = unfollowed_by_child(superior, cells, followed)
    context = {
        "organization": superior,
        "ancestors": superior.ancestors(),
        "form": form,
        "page": running,
        "running": running.object_list,
        "ended": ended[:ENDED_SHOWN],
        "more_ended": len(ended) > ENDED_SHOWN,
        "summary": summary,
        "unfollowed_cells": [] if summary else [c for c in cells if c.pk not in followed],
        "unfollowed_count": sum(cell.pk not in followed for cell in cells),
        "query": other_parameters(request),
        "today": today,
    }
    return render(request, "oversight/delegates.html", context)


@login_required
@require_POST
def delegate_end(request, pk):
    assignment = get_assignment_for(request.user, pk)
    try:
        ended = end_assignment(assignment, user=request.user)
    except DelegateError as error:
        messages.error(request, error.message)
    else:
        if ended is None:
            messages.success(request, _("The assignment had not started; it was withdrawn."))
        else:
            messages.success(request, _("The assignment ended today."))
    return redirect("oversight:delegates", pk=assignment.superior_id)


@dataclass
class ChildVisits:
    """The visits to the cells under one organisation directly below, added up."""

    organization: Organization
    meetings_held: int = 0
    meetings_with_delegate: int = 0
    visits: int = 0


def visits_by_child(report):
    """One ChildVisits per organisation directly under the report's, or None when its
    cells stand directly under it (a commune lists them). One query."""
    rows = {row.cell.pk: row for row in report.by_cell}
    children = direct_children(report.organization, [row.cell for row in report.by_cell])
    if children is None:
        return None
    summary = []
    for child, cells in children:
        total = ChildVisits(organization=child)
        for cell in cells:
            row = rows[cell.pk]
            total.meetings_held += row.meetings_held
            total.meetings_with_delegate += len(row.meetings_with_delegate)
            total.visits += row.visits
        summary.append(total)
    return summary


@login_required
def delegate_visits(request, pk):
    organization = get_committee_for(request.user, pk)
    form = PeriodForm(request.GET or None)
    first_day, last_day = form.period()
    report = visit_report(organization, first_day, last_day)
    context = {
        "organization": organization,
        "ancestors": organization.ancestors(),
        "form": form,
        "report": report,
        "summary": visits_by_child(report),
        "query": request.GET.urlencode(),
    }
    return render(request, "oversight/delegates_visits.html", context)

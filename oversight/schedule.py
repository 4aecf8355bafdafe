"""Schedule registration: each month a cell registers its meeting (date, time,
place) by the day the committee above it set; the committee sees one month's
calendar of every cell below it — registered, late, missing — and prints it.

Registering plans (or moves) the cell's regular meeting of the month through the
planning service (meetings.services.save_planned_meeting), so the meeting list,
the invitations and the calendar feeds follow; the registration keeps when it was
first made, which decides whether it was on time.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from cellmeet.forms import CleanTextMixin, DayFirstDateInput
from meetings import services
from meetings.forms import TimeInput, combine, local_parts
from meetings.models import Meeting, MeetingKind, MeetingStatus
from members.access import access_for, check, get_organization_for
from members.models import Organization
from members.subtree import subtree_q
from oversight.children import direct_children
from oversight.models import ScheduleDeadline, ScheduleRegistration


class ScheduleError(ValidationError):
    """A registration or deadline that cannot be saved, with the reason in plain words."""


REGISTERED = "registered"
LATE = "late"
MISSING = "missing"
WAITING = "waiting"

STATUS_LABELS = {
    REGISTERED: gettext_lazy("Registered"),
    LATE: gettext_lazy("Registered late"),
    MISSING: gettext_lazy("Missing"),
    WAITING: gettext_lazy("Not registered yet"),
}


def valid_month(year, month):
    # The year is in range: the URL's <year:year> (cellmeet.converters) saw to it.
    if not 1 <= month <= 12:
        raise Http404


def last_day(year, month):
    return date(year, month, calendar.monthrange(year, month)[1])


def next_month(year, month):
    return (year + 1, 1) if month == 12 else (year, month + 1)


def previous_month(year, month):
    return (year - 1, 12) if month == 1 else (year, month - 1)


# ---------------------------------------------------------------- rules


def status_of(registration, deadline, today):
    if registration is not None:
        registered_on = timezone.localdate(registration.registered_at)
        return LATE if deadline is not None and registered_on > deadline else REGISTERED
    if deadline is not None and today > deadline:
        return MISSING
    return WAITING


def deadline_for(cell, year, month):
    """The deadline the cell follows: the nearest committee above it that set one."""
    found = (
        ScheduleDeadline.objects.filter(
            organization_id__in=cell.ancestor_ids(), year=year, month=month
        )
        .order_by("-organization__depth")
        .first()
    )
    return found.deadline if found else None


def set_deadline(committee, year, month, deadline, *, user):
    if committee.is_cell:
        raise ScheduleError(_("Only a committee sets the registration deadline of its cells."))
    if deadline > last_day(year, month):
        raise ScheduleError(
            _("The deadline must fall before the end of %(month)02d/%(year)s.")
            % {"month": month, "year": year}
        )
    found, _created = ScheduleDeadline.objects.update_or_create(
        organization=committee,
        year=year,
        month=month,
        defaults={"deadline": deadline, "set_by": user},
    )
    return found


def register_schedule(cell, year, month, *, scheduled_at, location, user):
    """Register the cell's meeting of the month: plan (or move) its regular meeting."""
    local = timezone.localtime(scheduled_at)
    if (local.year, local.month) != (year, month):
        raise ScheduleError(
            _("Choose a day in %(month)02d/%(year)s.") % {"month": month, "year": year}
        )
    try:
        with transaction.atomic():
            registration = (
                ScheduleRegistration.objects.select_for_update()
                .filter(cell=cell, year=year, month=month)
                .first()
            )
            meeting = registration.meeting if registration is not None else None
            if meeting is None or not meeting.is_current:
                meeting = (
                    Meeting.objects.current()
                    .regular()
                    .filter(organization=cell, year=year, month=month)
                    .first()
                ) or Meeting(organization=cell, kind=MeetingKind.REGULAR)
            if meeting.pk and meeting.status != MeetingStatus.PLANNED:
                raise ScheduleError(
                    _("The meeting of this month is already being recorded: it cannot be moved.")
                )
            meeting.scheduled_at = scheduled_at
            meeting.location = location
            services.save_planned_meeting(meeting, user=user)
            if registration is None:
                registration = ScheduleRegistration(
                    cell=cell,
                    year=year,
                    month=month,
                    registered_at=timezone.now(),
                    registered_by=user,
                )
            registration.meeting = meeting
            registration.scheduled_at = scheduled_at
            registration.location = location
            registration.save()
    except IntegrityError as error:  # a parallel registration won the race
        raise ScheduleError(
            _("This month's meeting was registered meanwhile: try again.")
        ) from error
    return registration


@dataclass
class CellSchedule:
    cell: Organization
    registration: ScheduleRegistration | None
    deadline: date | None
    status: str

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


def month_schedule(committee, year, month, today=None):
    """Every cell under the committee with its registration and status: three
    queries, whatever the number of cells."""
    today = today or timezone.localdate()
    cells = list(Organization.objects.subtree_of(committee).cells().select_related("parent"))
    registrations = {
        registration.cell_id: registration
        for registration in ScheduleRegistration.objects.filter(
            subtree_q(committee, "cell__path"), year=year, month=month
        )
    }
    above = committee.ancestor_ids(include_self=True)
    deadlines = {
        found.organization_id: found.deadline
        for found in ScheduleDeadline.objects.filter(
            subtree_q(committee) | Q(organization_id__in=above),
            year=year,
            month=month,
        )
    }
    rows = []
    for cell in cells:
        deadline = next(
            (deadlines[pk] for pk in reversed(cell.ancestor_ids()) if pk in deadlines), None
        )
        registration = registrations.get(cell.pk)
        rows.append(
            CellSchedule(cell, registration, deadline, status_of(registration, deadline, today))
        )
    rows.sort(
        key=lambda row: (
            (0, row.registration.scheduled_at.timestamp(), row.cell.path)
            if row.registration
            else (1, 0, row.cell.path)
        )
    )
    return rows


@dataclass
class ChildSchedule:
    """The cells under one organisation directly below the committee: how many are
    registered, late, missing, waiting."""

    organization: Organization
    counts: dict


def by_direct_child(committee, rows):
    """One ChildSchedule per organisation directly under the committee, in the order
    of the tree; None when its cells stand directly under it (a commune lists them).
    One query, whatever the number of cells."""
    status_of_cell = {row.cell.pk: row.status for row in rows}
    children = direct_children(committee, [row.cell for row in rows])
    if children is None:
        return None
    summary = []
    for child, cells in children:
        counts = dict.fromkeys(STATUS_LABELS, 0)
        for cell in cells:
            counts[status_of_cell[cell.pk]] += 1
        summary.append(ChildSchedule(organization=child, counts=counts))
    return summary


def month_grid(rows, year, month):
    """The month's weeks (Monday first), each day with the registrations on it."""
    by_day = {}
    for row in rows:
        if row.registration is not None:
            day = timezone.localdate(row.registration.scheduled_at)
            by_day.setdefault(day, []).append(row)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [
        [{"day": day, "in_month": day.month == month, "rows": by_day.get(day, [])} for day in week]
        for week in weeks
    ]


# ---------------------------------------------------------------- forms


class DeadlineForm(forms.Form):
    deadline = forms.DateField(label=gettext_lazy("Register by"), widget=DayFirstDateInput)


class RegistrationForm(CleanTextMixin, forms.Form):
    day = forms.DateField(label=gettext_lazy("Date"), widget=DayFirstDateInput)
    start = forms.TimeField(label=pgettext_lazy("meeting", "Time"), widget=TimeInput)
    location = forms.CharField(label=gettext_lazy("Place"), max_length=200)


# ---------------------------------------------------------------- pages


@login_required
def schedule_month(request, pk, year, month):
    """The committee's month calendar of its cells; POST sets the deadline."""
    valid_month(year, month)
    committee = get_organization_for(request.user, pk)
    check(access_for(request.user).can_review(committee))
    if committee.is_cell:
        raise Http404
    own = ScheduleDeadline.objects.filter(organization=committee, year=year, month=month).first()
    form = DeadlineForm(request.POST or None, initial={"deadline": own.deadline if own else None})
    if request.method == "POST" and form.is_valid():
        try:
            set_deadline(committee, year, month, form.cleaned_data["deadline"], user=request.user)
        except ScheduleError as error:
            form.add_error("deadline", error)
        else:
            messages.success(request, _("The registration deadline is saved."))
            return redirect("oversight:schedule_month", pk=committee.pk, year=year, month=month)
    rows = month_schedule(committee, year, month)
    counts = {status: sum(row.status == status for row in rows) for status in STATUS_LABELS}
    # Above a commune, one row per organisation directly under, and the calendar
    # counts the meetings of each day: a province's page is not 2,000 cells long.
    summary = by_direct_child(committee, rows)
    return render(
        request,
        "oversight/schedule_month.html",
        {
            "organization": committee,
            "year": year,
            "month": month,
            "form": form,
            "own_deadline": own,
            "rows": rows,
            "summary": summary,
            "weeks": month_grid(rows, year, month),
            "counts": counts,
            "labels": STATUS_LABELS,
            "previous": previous_month(year, month),
            "next": next_month(year, month),
        },
    )


@login_required
def schedule_register(request, pk, year, month):
    """The secretary registers the cell's meeting of the month."""
    valid_month(year, month)
    cell = get_organization_for(request.user, pk, keep_records=True)
    if not cell.is_cell:
        raise Http404
    registration = ScheduleRegistration.objects.filter(cell=cell, year=year, month=month).first()
    day, start = local_parts(registration.scheduled_at if registration else None)
    form = RegistrationForm(
        request.POST or None,
        initial={
            "day": day,
            "start": start or "19:30",
            "location": registration.location if registration else cell.place,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            register_schedule(
                cell,
                year,
                month,
                scheduled_at=combine(data["day"], data["start"]),
                location=data["location"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error("day", error)
        else:
            messages.success(request, _("The meeting is registered with the committee."))
            return redirect("members:organization_detail", pk=cell.pk)
    return render(
        request,
        "oversight/schedule_register.html",
        {
            "organization": cell,
            "year": year,
            "month": month,
            "form": form,
            "registration": registration,
            "deadline": deadline_for(cell, year, month),
            "back_url": reverse("members:organization_detail", args=[cell.pk]),
        },
    )

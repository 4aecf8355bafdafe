"""The compliance board: for every cell under an organisation, which monthly and
thematic meetings of a year were held and signed, attendance and signing delays,
with totals per grassroots committee and for the whole subtree.

Five queries whatever the size of the subtree (cells, the year's meetings as plain
values, filed plans, the marks of uploads to the national app, the rating's counts);
the grid is computed here, in `compliance_board`.

Besides the meetings, each cell shows the national app's deadlines met (HD 42:
documents uploaded on time of those due, before and after the meetings, counted over
the year's regular and thematic meetings held; printing.national_app has the rule)
and the annual rating of the board's year: members whose self-assessment was
submitted and whose level the superior decided, of those rated.

The page shows the cells' grid only when they stand directly under the organisation
(a commune's board). Above that (a district, a province) it shows one summary row per
organisation directly under it, each linking to that organisation's own board: a
province of 2,000 cells is 100 rows, not 32,000 slots. The table is cached per
organisation, year, filter, language and day (oversight.board_cache), until minutes
under the organisation change status.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from operator import itemgetter

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timezone import get_current_timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from meetings import periods
from meetings.models import Meeting, MeetingKind, MeetingStatus, ThematicPlan
from meetings.periods import (
    DUE,
    HELD,
    HELD_STATES,
    MISSING,
    MONTHS,
    PLANNED,
    QUARTERS,
    SIGNED,
    month_timing,
    quarter_timing,
)
from meetings.rules import percent
from members.access import access_for, check, get_organization_for
from members.models import MEETING_KINDS, CellType, Organization, ids_on_path
from members.subtree import subtree_q
from oversight import board_cache
from printing import national_app
from printing.models import NationalAppUpload
from rating.models import MemberAssessment, Standing

# Minutes whose attendance was counted at finalizing.
COUNTED_STATUSES = {MeetingStatus.FINALIZED, MeetingStatus.SIGNED, MeetingStatus.RETURNED}
SIGNED_STATUSES = {MeetingStatus.SIGNED, MeetingStatus.RETURNED}

# What a slot of the grid can say (meetings.periods), and how it shows. A period
# still to come shows blank: its state on the board is "".
FUTURE = ""
BOARD_STATE = {periods.FUTURE: FUTURE}
SYMBOLS = {SIGNED: "✔", HELD: "✎", PLANNED: "◷", MISSING: "✖", DUE: "!", FUTURE: ""}
LABELS = {
    SIGNED: _("held and signed"),
    HELD: _("held, minutes not signed"),
    PLANNED: _("planned"),
    MISSING: _("missing"),
    DUE: _("due this month, not planned yet"),
    FUTURE: "",
}


@dataclass
class Slot:
    """One month's regular meeting, or one quarter's thematic meetings, of one cell."""

    state: str
    meeting_id: int | None = None
    count: int = 0
    url: str = ""  # set by the page

    @property
    def symbol(self):
        return SYMBOLS[self.state]

    @property
    def label(self):
        return LABELS[self.state]


@dataclass
class Tally:
    """Counts that add up from cells to committees to the whole subtree."""

    cells: int = 0
    signed: int = 0  # months whose regular meeting was held and signed
    held: int = 0  # held, minutes not signed yet
    planned: int = 0
    missing: int = 0
    due: int = 0
    thematic_held: int = 0  # quarters with a thematic meeting held
    thematic_missing: int = 0
    plans_filed: int = 0
    present: int = 0
    summoned: int = 0
    signed_minutes: int = 0
    signed_on_time: int = 0
    # The national app (HD 42): stages due, and uploaded on time, before and after.
    before_due: int = 0
    before_on_time: int = 0
    after_due: int = 0
    after_on_time: int = 0
    # The annual rating of the board's year: members rated, self-assessments
    # submitted, levels decided by the superior.
    rated: int = 0
    submitted: int = 0
    decided: int = 0
    # Per month and quarter: how many cells held their meeting.
    month_held: list = field(default_factory=lambda: [0] * 12)
    quarter_held: list = field(default_factory=lambda: [0] * 4)

    def add(self, other):
        self.cells += other.cells
        self.signed += other.signed
        self.held += other.held
        self.planned += other.planned
        self.missing += other.missing
        self.due += other.due
        self.thematic_held += other.thematic_held
        self.thematic_missing += other.thematic_missing
        self.plans_filed += other.plans_filed
        self.present += other.present
        self.summoned += other.summoned
        self.signed_minutes += other.signed_minutes
        self.signed_on_time += other.signed_on_time
        self.before_due += other.before_due
        self.before_on_time += other.before_on_time
        self.after_due += other.after_due
        self.after_on_time += other.after_on_time
        self.rated += other.rated
        self.submitted += other.submitted
        self.decided += other.decided
        self.month_held = [a + b for a, b in zip(self.month_held, other.month_held, strict=True)]
        self.quarter_held = [
            a + b for a, b in zip(self.quarter_held, other.quarter_held, strict=True)
        ]

    @property
    def held_months(self):
        return self.signed + self.held

    @property
    def attendance_percent(self):
        return percent(self.present, self.summoned)

    @property
    def on_time_percent(self):
        return percent(self.signed_on_time, self.signed_minutes)

    @property
    def before_percent(self):
        return percent(self.before_on_time, self.before_due)

    @property
    def after_percent(self):
        return percent(self.after_on_time, self.after_due)


@dataclass
class CellRow:
    cell: Organization
    months: list  # 12 Slots
    quarters: list  # 4 Slots
    plan_filed: bool
    tally: Tally
    # Set by the page:
    year_url: str = ""
    grid_html: str = ""


@dataclass
class CommitteeGroup:
    committee: Organization | None
    rows: list = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)
    # Per month and quarter: cells that held their meeting, None where still to come.
    month_columns: list = field(default_factory=list)
    quarter_columns: list = field(default_factory=list)


@dataclass
class MonthHeader:
    month: int
    is_current: bool
    is_future: bool


@dataclass
class ComplianceBoard:
    organization: Organization
    year: int
    today: object
    cell_type: str | None
    months: list  # MonthHeaders
    quarters: list  # (quarter, is_future)
    groups: list
    tally: Tally
    month_columns: list
    quarter_columns: list

    @property
    def rows(self):
        return [row for group in self.groups for row in group.rows]


def compliance_board(organization, year, cell_type=None, today=None):
    """The board of a year for every cell under `organization` (five queries)."""
    today = today or timezone.localdate()
    cells = (
        Organization.objects.subtree_of(organization)
        .cells()
        .select_related("parent")
        .order_by("path")
    )
    meetings = (
        Meeting.objects.current()
        .subtree_of(organization)
        .filter(
            organization__kind__in=MEETING_KINDS,
            year=year,
            kind__in=[MeetingKind.REGULAR, MeetingKind.THEMATIC],
        )
    )
    if cell_type:
        cells = cells.filter(cell_type=cell_type)
        meetings = meetings.filter(organization__cell_type=cell_type)
    cells = list(cells)

    by_cell = {}
    for values in meetings.order_by().values(
        "organization_id",
        "kind",
        "month",
        "status",
        "pk",
        "signed_at",
        "ended_at",
        "present_count",
        "summoned_count",
        "started_at",
        "scheduled_at",
    ):
        by_cell.setdefault(values["organization_id"], []).append(values)
    uploads = {}
    for meeting_id, stage, uploaded_at in NationalAppUpload.objects.filter(
        meeting__in=meetings.order_by().values("pk")
    ).values_list("meeting_id", "stage", "uploaded_at"):
        uploads.setdefault(meeting_id, {})[stage] = uploaded_at
    assessments = MemberAssessment.objects.filter(
        subtree_q(organization, "round__organization__path"), round__year=year
    ).exclude(standing=Standing.EXEMPT)
    if cell_type:
        assessments = assessments.filter(round__organization__cell_type=cell_type)
    rating = {
        values["round__organization_id"]: values
        for values in assessments.order_by()
        .values("round__organization_id")
        .annotate(
            rated=Count("pk"),
            submitted=Count("pk", filter=Q(written_at__isnull=False)),
            decided=Count("pk", filter=~Q(final_level="")),
        )
    }
    filed = set(
        ThematicPlan.objects.filter(
            subtree_q(organization),
            year=year,
            filed_at__isnull=False,
        ).values_list("organization_id", flat=True)
    )

    month_periods = [month_timing(year, month, today) for month in MONTHS]
    quarter_periods = [quarter_timing(year, quarter, today) for quarter in QUARTERS]

    groups = {}
    total = Tally()
    months_to_come = [period == periods.COMING for period in month_periods]
    quarters_to_come = [period == periods.COMING for period in quarter_periods]
    context = RowContext(
        month_periods=month_periods,
        quarter_periods=quarter_periods,
        uploads=uploads,
        today=today,
        signing_delay=timedelta(days=national_app.rule()["AFTER_DAYS"]),
        zone=get_current_timezone(),
    )
    for cell in cells:
        row = _cell_row(cell, by_cell.get(cell.pk, []), cell.pk in filed, context)
        _count_rating(row.tally, rating.get(cell.pk))
        group = groups.get(cell.parent_id)
        if group is None:
            group = groups[cell.parent_id] = CommitteeGroup(committee=cell.parent)
        group.rows.append(row)
        group.tally.add(row.tally)
        total.add(row.tally)
    for group in groups.values():
        group.month_columns = _columns(group.tally.month_held, months_to_come)
        group.quarter_columns = _columns(group.tally.quarter_held, quarters_to_come)
    return ComplianceBoard(
        organization=organization,
        year=year,
        today=today,
        cell_type=cell_type,
        months=[
            MonthHeader(
                month=month,
                is_current=period == periods.CURRENT,
                is_future=period == periods.COMING,
            )
            for month, period in zip(MONTHS, month_periods, strict=True)
        ],
        quarters=[
            (quarter, period == periods.COMING)
            for quarter, period in zip(QUARTERS, quarter_periods, strict=True)
        ],
        groups=list(groups.values()),
        tally=total,
        month_columns=_columns(total.month_held, months_to_come),
        quarter_columns=_columns(total.quarter_held, quarters_to_come),
    )


@dataclass
class SummaryRow:
    """The cells under one organisation directly below the board's, added up."""

    organization: Organization
    tally: Tally = field(default_factory=Tally)


def by_direct_child(result):
    """One SummaryRow per organisation directly under the board's that has cells in
    it (a cell directly under it is its own row), in the order of the tree; None when
    every cell stands directly under the board's organisation (its grid is small).

    One query (the organisations directly under), whatever the number of cells.
    """
    depth = len(ids_on_path(result.organization.path))
    child_ids = {}
    deeper = False
    for row in result.rows:
        ids = ids_on_path(row.cell.path)
        if len(ids) <= depth:  # the board of a cell: the cell itself
            return None
        deeper = deeper or len(ids) > depth + 1
        child_ids.setdefault(ids[depth], []).append(row)
    if not deeper:
        return None
    children = Organization.objects.filter(pk__in=child_ids).order_by("path")
    summary = []
    for child in children:
        row = SummaryRow(organization=child)
        for cell_row in child_ids[child.pk]:
            row.tally.add(cell_row.tally)
        summary.append(row)
    return summary


def _columns(counts, to_come):
    return [None if future else count for count, future in zip(counts, to_come, strict=True)]


@dataclass
class RowContext:
    """What every row of a board is computed against."""

    month_periods: list
    quarter_periods: list
    uploads: dict  # meeting id → {stage: uploaded_at}
    today: object
    # The national app wants the minutes within its days after the meeting (HD 42).
    signing_delay: timedelta
    zone: object  # the local time zone, in which meetings have their day


def _cell_row(cell, meetings, plan_filed, context):
    month_periods, quarter_periods = context.month_periods, context.quarter_periods
    regular = {}
    thematic = {}
    tally = Tally(cells=1, plans_filed=int(plan_filed))
    for values in meetings:
        if values["kind"] == MeetingKind.REGULAR:
            regular.setdefault(values["month"], []).append(values)
        else:
            thematic.setdefault(periods.quarter_of(values["month"]), []).append(values)
        _count_minutes(tally, values, context.signing_delay)
        _count_national_app(tally, values, context.uploads.get(values["pk"], {}), context)

    months = [
        _slot(regular.get(month, ()), period)
        for month, period in zip(MONTHS, month_periods, strict=True)
    ]
    quarters = [
        _slot(thematic.get(quarter, ()), period)
        for quarter, period in zip(QUARTERS, quarter_periods, strict=True)
    ]
    counts = dict.fromkeys(SYMBOLS, 0)
    for slot in months:
        counts[slot.state] += 1
    tally.signed, tally.held = counts[SIGNED], counts[HELD]
    tally.planned, tally.missing, tally.due = counts[PLANNED], counts[MISSING], counts[DUE]
    tally.month_held = [int(slot.state in HELD_STATES) for slot in months]
    tally.quarter_held = [int(slot.state in HELD_STATES) for slot in quarters]
    tally.thematic_held = sum(tally.quarter_held)
    tally.thematic_missing = sum(1 for slot in quarters if slot.state == MISSING)
    return CellRow(cell=cell, months=months, quarters=quarters, plan_filed=plan_filed, tally=tally)


def _slot(meetings, timing):
    """A month's or quarter's slot from its meetings (the most advanced one shows)
    and whether the period is past, current or to come."""
    best = periods.most_advanced(meetings, status=itemgetter("status"))
    # The period's state is the most advanced meeting's (periods.best_state).
    state = periods.period_state([best["status"]] if best else (), timing)
    return Slot(BOARD_STATE.get(state, state), best["pk"] if best else None, len(meetings))


def _count_minutes(tally, values, signing_delay):
    if values["status"] in COUNTED_STATUSES and values["summoned_count"]:
        tally.present += values["present_count"] or 0
        tally.summoned += values["summoned_count"]
    if values["status"] in SIGNED_STATUSES and values["signed_at"] and values["ended_at"]:
        tally.signed_minutes += 1
        if values["signed_at"] - values["ended_at"] <= signing_delay:
            tally.signed_on_time += 1


def _count_national_app(tally, values, uploads, context):
    """HD 42: a meeting held counts in both stages (due once its last day has passed,
    or once uploaded); a meeting still planned only once its documents were uploaded
    before it."""
    today = context.today
    day = national_app.meeting_day(values["started_at"], values["scheduled_at"], context.zone)
    held = values["status"] != MeetingStatus.PLANNED
    before = uploads.get(national_app.BEFORE)
    if held or before is not None:
        due, on_time = national_app.stage_counts(national_app.BEFORE, day, before, today)
        tally.before_due += due
        tally.before_on_time += on_time
    if held:
        after = uploads.get(national_app.AFTER)
        due, on_time = national_app.stage_counts(national_app.AFTER, day, after, today)
        tally.after_due += due
        tally.after_on_time += on_time


def _count_rating(tally, values):
    if values:
        tally.rated = values["rated"]
        tally.submitted = values["submitted"]
        tally.decided = values["decided"]


# ---------------------------------------------------------------- the page


class BoardFilterForm(forms.Form):
    cell_type = forms.ChoiceField(
        label=_("Cell type"),
        required=False,
        choices=[("", _("All cell types")), *CellType.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


@login_required
def board(request, pk, year):
    organization = get_organization_for(request.user, pk)
    check(access_for(request.user).can_review(organization))
    form = BoardFilterForm(request.GET or None)
    cell_type = form.cleaned_data["cell_type"] if form.is_valid() else ""
    query = f"?cell_type={cell_type}" if cell_type else ""
    today = timezone.localdate()
    context = {
        "form": form,
        "organization": organization,
        "year": year,
        "query": query,
        "legend": [(SYMBOLS[state], state, LABELS[state]) for state in SYMBOLS if state],
    }
    computed = {}
    context["table"] = board_table(organization, year, cell_type, today, computed=computed)
    context.update(computed)
    return render(request, "oversight/board.html", context)


def board_table(organization, year, cell_type, today, *, computed=None):
    """The board's table in the active language: cached, or computed once however many
    ask for it at the same moment (board_cache.get_or_compute). `computed` receives the
    board and its summary when this call computed them."""
    query = f"?cell_type={cell_type}" if cell_type else ""

    def compute():
        result = compliance_board(organization, year, cell_type=cell_type or None, today=today)
        summary = by_direct_child(result)
        if summary is None:
            _prepare_rows(result)
        if computed is not None:
            computed.update(board=result, summary=summary)
        return {
            "cells": result.tally.cells,
            "html": render_to_string(
                "oversight/board_table.html",
                {
                    "board": result,
                    "summary": summary,
                    "query": query,
                    "year": year,
                    "app_rule": national_app.rule(),
                },
            ),
        }

    key = board_cache.key(organization, year, cell_type, get_language(), today)
    return board_cache.get_or_compute(key, compute)


def _prepare_rows(result):
    """Links and the grid of every row, for the page.

    The slots' cells are written here, where they take milliseconds, rather than in
    the template, where they took seconds; only slots with minutes have a link.
    One reverse() each serves every link.
    """
    placeholder = "999999999"
    meeting_url = reverse("meetings:detail", args=[placeholder])
    year_url = reverse("meetings:cell_year", args=[placeholder, result.year])
    labels = {state: str(label) for state, label in LABELS.items()}
    month_titles = [gettext("Month %(month)s") % {"month": month} for month in MONTHS]
    quarter_titles = [
        gettext("Thematic, quarter %(quarter)s") % {"quarter": quarter} for quarter in QUARTERS
    ]
    titles = {}
    for row in result.rows:
        row.year_url = year_url.replace(placeholder, str(row.cell.pk))
        cells = []
        for slots, slot_titles in ((row.months, month_titles), (row.quarters, quarter_titles)):
            for index, slot in enumerate(slots):
                classes = f"s s-{slot.state}" if index else f"s s-{slot.state} first-of-block"
                if not slot.meeting_id:
                    # Nothing to open (the row's name opens the cell's year): the symbol
                    # alone, the legend says what it means.
                    cells.append((classes, slot.symbol))
                    continue
                slot.url = meeting_url.replace(placeholder, str(slot.meeting_id))
                key = (slot_titles[index], slot.state)
                if key not in titles:
                    titles[key] = f"{slot_titles[index]}: {labels[slot.state]}"
                more = format_html("<sup>{}</sup>", slot.count) if slot.count > 1 else ""
                link = format_html(
                    '<a href="{}" title="{}">{}{}</a>', slot.url, titles[key], slot.symbol, more
                )
                cells.append((classes, link))
        row.grid_html = format_html_join("", '<td class="{}">{}</td>', cells)

"""Statistics of a subtree for a year (or some of its months): on screen, in Excel, in print.

`subtree_statistics` makes every figure in five aggregate queries whatever the size
of the subtree: one row per cell, and the totals as the sum of the rows, so the
page, the workbook and the printed report always agree. The meetings' figures come
from those kept of each cell's month (oversight/month_figures.py), not from the
meetings themselves: a province has 30,000 a year.
"""

from dataclasses import dataclass, field

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cellmeet.downloads import XLSX, document_response
from cellmeet.spreadsheets import workbook_bytes
from meetings import periods
from meetings.models import MeetingKind
from meetings.rules import percent
from members.access import access_for, check, get_organization_for
from members.models import ON_ROSTER, ActivityStatus, Member, MembershipStatus, Organization
from members.subtree import subtree_q
from oversight import month_figures
from oversight.children import direct_children
from oversight.models import MonthFigures
from printing.pdf import header_context, render_pdf
from resolutions.models import Task, TaskStatus

# The values of each choice, read once: a province's page makes six thousand zeros.
_VALUES = {
    choices: tuple(choices.values) for choices in (MeetingKind, MembershipStatus, ActivityStatus)
}


def _zero_by(choices):
    return dict.fromkeys(_VALUES[choices], 0)


@dataclass
class Figures:
    """What a superior checks, for one cell or added up over many."""

    meetings_by_kind: dict = field(default_factory=lambda: _zero_by(MeetingKind))
    # Attendance counted when the minutes were finalized (drafts have none yet).
    present: int = 0
    summoned: int = 0
    thematic_quarters: int = 0
    quarters_due: int = 0
    minutes_returned: int = 0
    tasks_assigned: int = 0
    tasks_done: int = 0
    tasks_overdue: int = 0
    members_by_membership: dict = field(default_factory=lambda: _zero_by(MembershipStatus))
    members_by_activity: dict = field(default_factory=lambda: _zero_by(ActivityStatus))

    @property
    def meetings_held(self):
        return sum(self.meetings_by_kind.values())

    @property
    def other_meetings(self):
        """Cell committee, extraordinary and party group meetings."""
        by_kind = self.meetings_by_kind
        return self.meetings_held - by_kind[MeetingKind.REGULAR] - by_kind[MeetingKind.THEMATIC]

    @property
    def attendance_percent(self):
        return percent(self.present, self.summoned)

    @property
    def thematic_percent(self):
        return percent(self.thematic_quarters, self.quarters_due)

    @property
    def members_on_roster(self):
        return sum(self.members_by_membership.values())

    def add(self, other):
        """Add another's figures to these (written out: a province adds 4,000 times)."""
        for mine, theirs in (
            (self.meetings_by_kind, other.meetings_by_kind),
            (self.members_by_membership, other.members_by_membership),
            (self.members_by_activity, other.members_by_activity),
        ):
            for key, value in theirs.items():
                mine[key] = mine.get(key, 0) + value
        self.present += other.present
        self.summoned += other.summoned
        self.thematic_quarters += other.thematic_quarters
        self.quarters_due += other.quarters_due
        self.minutes_returned += other.minutes_returned
        self.tasks_assigned += other.tasks_assigned
        self.tasks_done += other.tasks_done
        self.tasks_overdue += other.tasks_overdue


@dataclass
class CellFigures:
    cell: Organization
    figures: Figures


@dataclass
class SubtreeStatistics:
    organization: Organization
    year: int
    first_month: int
    last_month: int
    today: object
    cells: list
    totals: Figures

    @property
    def is_whole_year(self):
        return (self.first_month, self.last_month) == (1, 12)

    def kind_rows(self):
        """(label, count, bar width in %) for each kind of meeting."""
        return _bar_rows(MeetingKind, self.totals.meetings_by_kind)

    def membership_rows(self):
        return _bar_rows(MembershipStatus, self.totals.members_by_membership)

    def activity_rows(self):
        return _bar_rows(ActivityStatus, self.totals.members_by_activity)

    def task_rows(self):
        totals = self.totals
        largest = totals.tasks_assigned
        return [
            (_("Assigned"), totals.tasks_assigned, _bar(totals.tasks_assigned, largest)),
            (_("Done"), totals.tasks_done, _bar(totals.tasks_done, largest)),
            (_("Overdue"), totals.tasks_overdue, _bar(totals.tasks_overdue, largest)),
        ]


def _bar(value, largest):
    """A bar's width in whole percent of the largest."""
    return percent(value, largest, places=0) or 0


def _bar_rows(choices, counts):
    largest = max(counts.values(), default=0)
    return [
        (choice.label, counts[choice.value], _bar(counts[choice.value], largest))
        for choice in choices
    ]


def _quarters_in(first_month, last_month):
    return range(periods.quarter_of(first_month), periods.quarter_of(last_month) + 1)


def subtree_statistics(organization, year, *, first_month=1, last_month=12, today=None):
    """Every figure for the cells under `organization` (itself, if it is a cell).

    Meetings count when held (recording started) in the months asked, in their
    current version. A quarter is due for a thematic meeting once it has ended, or
    as soon as the cell held one in it. Tasks are those of the period's resolutions;
    members are counted as they stand today.
    """
    today = today or timezone.localdate()
    cells = list(Organization.objects.subtree_of(organization).cells().order_by("path"))
    rows = {cell.pk: CellFigures(cell=cell, figures=Figures()) for cell in cells}
    add_month_figures(rows, organization, year, first_month, last_month, today)

    tasks = (
        Task.objects.of_current_minutes()
        .subtree_of(organization)
        .filter(
            resolution__meeting__year=year,
            resolution__meeting__month__gte=first_month,
            resolution__meeting__month__lte=last_month,
        )
    )
    for row in (
        tasks.values("organization_id")
        .order_by()
        .annotate(
            assigned=Count("pk"),
            done=Count("pk", filter=Q(status=TaskStatus.DONE)),
        )
    ):
        figures = _figures_of(rows, row["organization_id"])
        if figures is not None:
            figures.tasks_assigned = row["assigned"]
            figures.tasks_done = row["done"]
    for row in (
        tasks.overdue(today).values("organization_id").order_by().annotate(count=Count("pk"))
    ):
        figures = _figures_of(rows, row["organization_id"])
        if figures is not None:
            figures.tasks_overdue = row["count"]

    members = Member.objects.subtree_of(organization).values(
        "organization_id", "status", "activity_status"
    )
    for row in members.annotate(count=Count("pk")).order_by():
        figures = _figures_of(rows, row["organization_id"])
        if figures is None:
            continue
        figures.members_by_activity[row["activity_status"]] += row["count"]
        if row["activity_status"] in ON_ROSTER:
            figures.members_by_membership[row["status"]] += row["count"]

    totals = Figures()
    for row in rows.values():
        totals.add(row.figures)
    return SubtreeStatistics(
        organization=organization,
        year=year,
        first_month=first_month,
        last_month=last_month,
        today=today,
        cells=list(rows.values()),
        totals=totals,
    )


def _quarter_sums(quarter):
    months = Q(month__gte=quarter * 3 - 2, month__lte=quarter * 3)
    return {
        f"thematic_q{quarter}": Sum("thematic", filter=months),
        f"signed_q{quarter}": Sum("thematic_signed", filter=months),
    }


def add_month_figures(rows, organization, year, first_month, last_month, today):
    """The meetings' figures of each cell, from the figures kept of its months
    (oversight/month_figures.py): one query over narrow rows, a row per cell.

    A quarter is due for a thematic meeting once it has ended, or as soon as the cell
    held one in it."""
    quarters = _quarters_in(first_month, last_month)
    sums = {f"all_{name}": Sum(name) for name in month_figures.FIGURES}
    for quarter in quarters:
        sums.update(_quarter_sums(quarter))
    timings = {quarter: periods.quarter_timing(year, quarter, today) for quarter in quarters}
    kept = MonthFigures.objects.filter(
        subtree_q(organization),
        year=year,
        month__gte=first_month,
        month__lte=last_month,
    )
    counted = {}
    for values in kept.values("organization_id").order_by().annotate(**sums):
        counted[values["organization_id"]] = values
    for cell_id, row in rows.items():
        values = counted.get(cell_id)
        figures = row.figures
        if values is not None:
            for kind in month_figures.KINDS:
                figures.meetings_by_kind[kind] += values[f"all_{kind}"] or 0
            figures.present += values["all_present"] or 0
            figures.summoned += values["all_summoned"] or 0
            figures.minutes_returned += values["all_returned"] or 0
        for quarter, timing in timings.items():
            held = (values or {}).get(f"thematic_q{quarter}") or 0
            signed = (values or {}).get(f"signed_q{quarter}") or 0
            state = periods.held_period_state(held, signed, timing)
            figures.thematic_quarters += state in periods.HELD_STATES
            figures.quarters_due += state in periods.OWED_STATES


@dataclass
class ChildFigures:
    """The cells under one organisation directly below the page's, added up."""

    organization: Organization
    cells: int
    figures: Figures


def by_direct_child(statistics):
    """One ChildFigures per organisation directly under the page's, in the order of
    the tree; None when the cells stand directly under it (a commune lists its cells).
    A province's page is then 100 rows, not 2,000. One query."""
    cells = {row.cell.pk: row for row in statistics.cells}
    children = direct_children(statistics.organization, [row.cell for row in statistics.cells])
    if children is None:
        return None
    summary = []
    for child, child_cells in children:
        figures = Figures()
        for cell in child_cells:
            figures.add(cells[cell.pk].figures)
        summary.append(ChildFigures(organization=child, cells=len(child_cells), figures=figures))
    return summary


def _figures_of(rows, organization_id):
    row = rows.get(organization_id)
    return row.figures if row is not None else None


# ---------------------------------------------------------------- the period asked


MONTH_CHOICES = [(month, str(month)) for month in range(1, 13)]


class MonthsForm(forms.Form):
    """?from=1&to=6: some months of the year ("from" is a Python keyword, hence __init__)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = forms.TypedChoiceField(
            label=_("From month"), choices=MONTH_CHOICES, coerce=int, initial=1
        )
        self.fields["to"] = forms.TypedChoiceField(
            label=_("To month"), choices=MONTH_CHOICES, coerce=int, initial=12
        )

    def clean(self):
        cleaned_data = super().clean()
        first, last = cleaned_data.get("from"), cleaned_data.get("to")
        if first and last and last < first:
            self.add_error("to", _("The last month must come after the first."))
        return cleaned_data

    def months(self):
        if self.is_bound and self.is_valid():
            return self.cleaned_data["from"], self.cleaned_data["to"]
        return 1, 12


def _statistics_for(request, pk, year):
    """The figures the user asked for: 404 to outsiders, 403 to all but reviewers."""
    organization = get_organization_for(request.user, pk)
    check(access_for(request.user).can_review(organization))
    form = MonthsForm(request.GET or None)
    first_month, last_month = form.months()
    statistics = subtree_statistics(
        organization, year, first_month=first_month, last_month=last_month
    )
    return form, statistics


def _period_query(statistics):
    if statistics.is_whole_year:
        return ""
    return f"?from={statistics.first_month}&to={statistics.last_month}"


def _file_name(statistics, extension):
    months = (
        "" if statistics.is_whole_year else f"-t{statistics.first_month}-{statistics.last_month}"
    )
    return f"thong-ke-{statistics.organization.pk}-{statistics.year}{months}.{extension}"


def period_in_vietnamese(statistics):
    if statistics.is_whole_year:
        return f"Năm {statistics.year}"
    if statistics.first_month == statistics.last_month:
        return f"Tháng {statistics.first_month} năm {statistics.year}"
    return (
        f"Từ tháng {statistics.first_month} đến tháng {statistics.last_month} năm {statistics.year}"
    )


# ---------------------------------------------------------------- Excel


# Exports are documents of the Party organisation: Vietnamese whatever the interface.
SUMMARY_SHEET = "Tổng hợp"
CELLS_SHEET = "Theo chi bộ"
TOTAL_LABEL = "Tổng cộng"


def summary_rows(statistics):
    """(heading, number or None) in the order of the summary sheet and the report."""
    totals = statistics.totals
    with translation.override("vi"):
        kinds = [(f"  {kind.label}", totals.meetings_by_kind[kind.value]) for kind in MeetingKind]
        activities = [
            (f"  {status.label}", totals.members_by_activity[status.value])
            for status in ActivityStatus
        ]
    return [
        ("Số chi bộ", len(statistics.cells)),
        ("Số cuộc sinh hoạt đã tổ chức", totals.meetings_held),
        *kinds,
        ("Lượt đảng viên có mặt", totals.present),
        ("Lượt đảng viên phải dự (triệu tập)", totals.summoned),
        ("Tỷ lệ đảng viên dự sinh hoạt (%)", totals.attendance_percent),
        ("Số quý có sinh hoạt chuyên đề", totals.thematic_quarters),
        ("Số quý phải có sinh hoạt chuyên đề", totals.quarters_due),
        ("Tỷ lệ quý có sinh hoạt chuyên đề (%)", totals.thematic_percent),
        ("Số lần biên bản bị trả lại", totals.minutes_returned),
        ("Nhiệm vụ được giao", totals.tasks_assigned),
        ("Nhiệm vụ đã hoàn thành", totals.tasks_done),
        ("Nhiệm vụ quá hạn", totals.tasks_overdue),
        ("Đảng viên trong danh sách sinh hoạt", totals.members_on_roster),
        ("  Đảng viên chính thức", totals.members_by_membership[MembershipStatus.OFFICIAL]),
        ("  Đảng viên dự bị", totals.members_by_membership[MembershipStatus.PROBATIONARY]),
        ("Đảng viên theo tình trạng sinh hoạt", None),
        *activities,
    ]


def cell_columns():
    """(heading, value of a Figures) for each column of the per-cell sheet."""
    with translation.override("vi"):
        kinds = [
            (str(kind.label), lambda f, kind=kind: f.meetings_by_kind[kind.value])
            for kind in MeetingKind
        ]
        activities = [
            (str(status.label), lambda f, status=status: f.members_by_activity[status.value])
            for status in ActivityStatus
        ]
    return [
        *kinds,
        ("Tổng số cuộc", lambda f: f.meetings_held),
        ("Lượt có mặt", lambda f: f.present),
        ("Lượt phải dự", lambda f: f.summoned),
        ("Tỷ lệ dự sinh hoạt (%)", lambda f: f.attendance_percent),
        ("Quý có chuyên đề", lambda f: f.thematic_quarters),
        ("Quý phải có chuyên đề", lambda f: f.quarters_due),
        ("Biên bản bị trả lại", lambda f: f.minutes_returned),
        ("Nhiệm vụ được giao", lambda f: f.tasks_assigned),
        ("Nhiệm vụ hoàn thành", lambda f: f.tasks_done),
        ("Nhiệm vụ quá hạn", lambda f: f.tasks_overdue),
        ("Đảng viên chính thức", lambda f: f.members_by_membership[MembershipStatus.OFFICIAL]),
        ("Đảng viên dự bị", lambda f: f.members_by_membership[MembershipStatus.PROBATIONARY]),
        *activities,
    ]


def statistics_workbook(statistics):
    """The .xlsx: a summary sheet and a sheet with one row per cell and a total row."""
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook()
    summary = workbook.active
    summary.title = SUMMARY_SHEET
    summary.append([statistics.organization.name])
    summary.append([f"Thống kê sinh hoạt chi bộ — {period_in_vietnamese(statistics)}"])
    summary.append([f"Số liệu đến ngày {statistics.today:%d/%m/%Y}"])
    summary.append([])
    summary.append(["Chỉ tiêu", "Số liệu"])
    header_row = summary.max_row
    for heading, value in summary_rows(statistics):
        summary.append([heading, value])
        if isinstance(value, float):
            summary.cell(row=summary.max_row, column=2).number_format = "0.0"
    summary["A1"].font = Font(bold=True, size=14)
    for cell in summary[header_row]:
        cell.font = Font(bold=True)
    summary.column_dimensions["A"].width = 48
    summary.column_dimensions["B"].width = 14

    per_cell = workbook.create_sheet(CELLS_SHEET)
    columns = cell_columns()
    per_cell.append(["TT", "Chi bộ", *(heading for heading, _value in columns)])
    for number, row in enumerate(statistics.cells, start=1):
        per_cell.append([number, row.cell.name, *(value(row.figures) for _h, value in columns)])
    per_cell.append(["", TOTAL_LABEL, *(value(statistics.totals) for _h, value in columns)])
    for cell in per_cell[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for cell in per_cell[per_cell.max_row]:
        cell.font = Font(bold=True)
    percent_columns = [
        index for index, (heading, _value) in enumerate(columns, start=3) if heading.endswith("(%)")
    ]
    for index in percent_columns:
        for row in range(2, per_cell.max_row + 1):
            per_cell.cell(row=row, column=index).number_format = "0.0"
    per_cell.column_dimensions["A"].width = 5
    per_cell.column_dimensions["B"].width = 32
    for index in range(3, len(columns) + 3):
        per_cell.column_dimensions[get_column_letter(index)].width = 13
    per_cell.freeze_panes = "C2"

    return workbook_bytes(workbook)


# ---------------------------------------------------------------- print


def statistics_pdf(statistics):
    today = statistics.today
    place = statistics.organization.place or "……"
    context = {
        **header_context(statistics.organization),
        "statistics": statistics,
        "period": period_in_vietnamese(statistics),
        "summary_rows": summary_rows(statistics),
        "place_date": f"{place}, ngày {today:%d} tháng {today:%m} năm {today:%Y}",
    }
    return render_pdf("pdf/statistics.html", context)


# ---------------------------------------------------------------- views


@login_required
def statistics_page(request, pk, year):
    form, statistics = _statistics_for(request, pk, year)
    context = {
        "organization": statistics.organization,
        "ancestors": statistics.organization.ancestors(),
        "form": form,
        "statistics": statistics,
        "summary": by_direct_child(statistics),
        "period_query": _period_query(statistics),
    }
    return render(request, "oversight/statistics.html", context)


@login_required
def statistics_xlsx(request, pk, year):
    _form, statistics = _statistics_for(request, pk, year)
    return document_response(
        statistics_workbook(statistics),
        _file_name(statistics, "xlsx"),
        content_type=XLSX,
        attachment=True,
    )


@login_required
def statistics_report_pdf(request, pk, year):
    _form, statistics = _statistics_for(request, pk, year)
    return document_response(statistics_pdf(statistics), _file_name(statistics, "pdf"))

"""The dues pages: the cell's month ledger, a member's own dues, the committee's
roll-up, the month report (PDF, Excel) and the import of the portal's statement.
Thin: access in dues.access, arithmetic and changes in dues.services/statement."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cellmeet.downloads import XLSX, document_response
from cellmeet.sealed import WorkflowError
from dues import exports, services, statement
from dues import minutes as dues_minutes
from dues.access import check_month, get_organization_for_dues, sees_bases
from dues.forms import (
    LedgerRowForm,
    OwnBaseForm,
    ReliefForm,
    StatementUploadForm,
    mapping_form_class,
    mapping_from,
)
from dues.models import DuesEntry, DuesRelief, MemberDuesProfile
from dues.services import DuesError
from meetings.access import get_meeting_for

IMPORT_SESSION_KEY = "dues_statement:{pk}"


def _current_month():
    today = timezone.localdate()
    return today.year, today.month


def _month_links(year, month):
    previous = (year - 1, 12) if month == 1 else (year, month - 1)
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    return {"previous": previous, "following": following}


# ---------------------------------------------------------------- the ledger


@login_required
def ledger(request, pk, year, month):
    check_month(year, month)
    cell = get_organization_for_dues(request.user, pk, keep=True)
    rows = services.ledger_rows(cell, year, month)
    forms = [_row_form(row, request.POST if request.method == "POST" else None) for row in rows]
    valid = request.method == "POST" and all(form.is_valid() for form in forms)
    if request.method == "POST" and not valid:
        # In a long roster the row in error may be far down the page.
        messages.error(
            request, _("Some rows need correcting (marked below): nothing is saved yet.")
        )
    if valid:
        payments = {row.member: form.cleaned_data for row, form in zip(rows, forms, strict=True)}
        try:
            services.record_month(cell, year, month, payments, user=request.user)
        except DuesError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The month's dues are recorded."))
            return redirect("dues:ledger", pk=cell.pk, year=year, month=month)
    report = services.month_report(cell, year, month)
    this_year, this_month = _current_month()
    up_to = 12 if year < this_year else month
    return render(
        request,
        "dues/ledger.html",
        {
            "organization": cell,
            "year": year,
            "month": month,
            "rule": services.rule_for(year, month),
            "rows": list(zip(rows, forms, strict=True)),
            "report": report,
            "warnings": services.warnings_for(cell, year, up_to),
            "meetings": dues_minutes.editable_meetings(cell),
            **_month_links(year, month),
        },
    )


def _row_form(row, data):
    entry = row.entry
    initial = {"category": row.category, "base_amount": row.base_amount}
    if entry is not None and entry.is_paid:
        initial.update(
            paid=True,
            paid_amount=entry.paid_amount,
            paid_on=entry.paid_on,
            channel=entry.channel,
            receipt=entry.receipt,
        )
    return LedgerRowForm(data, initial=initial, prefix=f"m{row.member.pk}")


@login_required
def reliefs(request, pk):
    """The cell's exemptions and reductions, and a form to record one."""
    cell = get_organization_for_dues(request.user, pk, keep=True)
    form = ReliefForm(request.POST or None, cell=cell)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_relief(form.instance, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The exemption or reduction is recorded."))
            return redirect("dues:reliefs", pk=cell.pk)
    return render(
        request,
        "dues/reliefs.html",
        {
            "organization": cell,
            "form": form,
            "reliefs": DuesRelief.objects.filter(member__organization=cell).select_related(
                "member"
            ),
            "year": _current_month()[0],
            "month": _current_month()[1],
        },
    )


# ---------------------------------------------------------------- a member's own dues


@login_required
def my_dues(request):
    member = getattr(request.user, "member", None)
    year = _current_month()[0]
    if member is None:
        return render(request, "dues/mine.html", {"member": None, "year": year})
    profile = MemberDuesProfile.objects.filter(member=member).first()
    form = OwnBaseForm(
        request.POST or None,
        initial={"category": profile.category, "base_amount": profile.base_amount}
        if profile
        else None,
    )
    if request.method == "POST" and form.is_valid():
        services.save_own_base(member, **form.cleaned_data, user=request.user)
        messages.success(request, _("Your base amount is saved."))
        return redirect("dues:mine")
    entries = (
        DuesEntry.objects.filter(member=member)
        .select_related("rule", "relief")
        .order_by("-year", "-month")
    )
    return render(
        request,
        "dues/mine.html",
        {
            "member": member,
            "year": year,
            "form": form,
            "entries": entries,
            "unpaid": services.unpaid_months(member, year, _current_month()[1]),
        },
    )


# ---------------------------------------------------------------- totals and reports


@login_required
def rollup(request, pk, year, month):
    check_month(year, month)
    organization = get_organization_for_dues(request.user, pk)
    rows, totals = services.rollup(organization, year, month)
    return render(
        request,
        "dues/rollup.html",
        {
            "organization": organization,
            "year": year,
            "month": month,
            "rows": rows,
            "totals": totals,
            **_month_links(year, month),
        },
    )


def _report(request, pk, year, month):
    check_month(year, month)
    cell = get_organization_for_dues(request.user, pk)
    if not cell.is_cell:
        raise Http404
    return services.month_report(cell, year, month), sees_bases(request.user, cell)


@login_required
def report_pdf(request, pk, year, month):
    report, with_members = _report(request, pk, year, month)
    return document_response(
        exports.report_pdf(report, with_members=with_members),
        exports.report_filename(report, "pdf"),
    )


@login_required
def report_xlsx(request, pk, year, month):
    report, with_members = _report(request, pk, year, month)
    return document_response(
        exports.report_xlsx(report, with_members=with_members),
        exports.report_filename(report, "xlsx"),
        content_type=XLSX,
        attachment=True,
    )


@login_required
@require_POST
def fill_minutes(request, pk):
    """Fill the dues line of a meeting's opening from the ledger (the month before)."""
    meeting = get_meeting_for(request.user, pk, edit=True)
    try:
        dues_minutes.fill_minutes_dues(meeting, user=request.user)
    except (DuesError, WorkflowError) as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The dues line of the minutes is filled from the ledger."))
    return redirect("meetings:detail", pk=meeting.pk)


# ---------------------------------------------------------------- the portal statement


def _session_key(cell):
    return IMPORT_SESSION_KEY.format(pk=cell.pk)


@login_required
def import_upload(request, pk, year, month):
    check_month(year, month)
    cell = get_organization_for_dues(request.user, pk, keep=True)
    form = StatementUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        request.session.pop(_session_key(cell), None)  # a new file replaces the old
    if request.method == "POST" and form.is_valid():
        try:
            read = statement.read_statement(form.cleaned_data["file"])
        except statement.StatementFileError as error:
            form.add_error("file", error.message)
        else:
            request.session[_session_key(cell)] = {
                "headings": read.headings,
                "rows": read.rows,
                "name": form.cleaned_data["file"].name[:120],
            }
            return redirect("dues:import_preview", pk=cell.pk, year=year, month=month)
    return render(
        request,
        "dues/import_upload.html",
        {"organization": cell, "year": year, "month": month, "form": form},
    )


@login_required
def import_preview(request, pk, year, month):
    """GET: the mapping guessed and the rows matched; ?mapping changes it. POST: apply."""
    check_month(year, month)
    cell = get_organization_for_dues(request.user, pk, keep=True)
    stored = request.session.get(_session_key(cell))
    if not stored:
        messages.info(request, _("Upload the payment statement first."))
        return redirect("dues:import_upload", pk=cell.pk, year=year, month=month)
    form_class = mapping_form_class(stored["headings"])
    if request.method == "POST" or "amount" in request.GET:
        form = form_class(request.POST if request.method == "POST" else request.GET)
    else:
        guessed = statement.guess_mapping(stored["headings"])
        form = form_class(initial={name: str(index) for name, index in guessed.items()})
    mapping = (
        mapping_from(form)
        if form.is_bound and form.is_valid()
        else (statement.guess_mapping(stored["headings"]))
    )
    rows = [(number, cells) for number, cells in stored["rows"]]
    problems = statement.mapping_problems(mapping)
    if request.method == "POST" and not problems:
        try:
            result = statement.apply_statement(cell, year, month, rows, mapping, user=request.user)
        except DuesError as error:
            problems = error.messages
        else:
            request.session.pop(_session_key(cell), None)
            messages.success(
                request,
                ngettext(
                    "%(count)s payment recorded from the statement.",
                    "%(count)s payments recorded from the statement.",
                    len(result.recorded),
                )
                % {"count": len(result.recorded)},
            )
            return render(
                request,
                "dues/import_done.html",
                {"organization": cell, "year": year, "month": month, "result": result},
            )
    matched = [] if problems else statement.match_rows(cell, rows, mapping)
    return render(
        request,
        "dues/import_preview.html",
        {
            "organization": cell,
            "year": year,
            "month": month,
            "form": form,
            "file_name": stored.get("name", ""),
            "problems": problems,
            "matched": matched,
            "unmatched_count": sum(1 for row in matched if row.member is None),
            "headings": stored["headings"],
        },
    )


@login_required
@require_POST
def import_cancel(request, pk, year, month):
    check_month(year, month)
    cell = get_organization_for_dues(request.user, pk, keep=True)
    request.session.pop(_session_key(cell), None)
    return redirect("dues:ledger", pk=cell.pk, year=year, month=month)

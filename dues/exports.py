"""The cell's monthly dues report, printed (the Party's format) and as Excel.

Built from services.month_report; per-member lines only for those who see bases
(dues.access.sees_bases), so a committee above receives the totals only.
"""

import openpyxl
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from cellmeet.spreadsheets import workbook_bytes
from printing.pdf import header_context, render_pdf


def report_filename(report, extension):
    return f"dang-phi-{report.year}-{report.month:02d}-{report.organization.pk}.{extension}"


def report_pdf(report, *, with_members):
    today = timezone.localdate()
    context = {
        **header_context(report.organization),
        "report": report,
        "with_members": with_members,
        "place_date": f"ngày {today.day:02d} tháng {today.month:02d} năm {today.year}",
    }
    return render_pdf("pdf/dues_report.html", context)


def report_xlsx(report, *, with_members):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Party dues")[:31]
    bold = Font(bold=True)
    sheet.append([report.organization.name])
    sheet.append(
        [
            _("Party dues report, %(month)02d/%(year)s")
            % {"month": report.month, "year": report.year}
        ]
    )
    sheet["A1"].font = bold
    sheet.append([])
    sheet.append([_("Collected"), int(report.collected)])
    sheet.append(
        [
            _("Kept by the cell (%(percent)s %%)") % {"percent": report.share_percent},
            int(report.kept),
        ]
    )
    sheet.append([_("Remitted upward"), int(report.remitted)])
    sheet.append([_("Members who owed dues"), report.members_due])
    sheet.append([_("Members who paid"), report.members_paid])
    if with_members:
        sheet.append([])
        headings = [
            _("Full name"),
            _("Dues category"),
            _("Base amount (đồng)"),
            _("Due (đồng)"),
            _("Paid (đồng)"),
            _("Paid on"),
            _("Paid through"),
            _("Receipt number"),
        ]
        sheet.append(headings)
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for entry in report.entries:
            sheet.append(
                [
                    entry.member.full_name,
                    entry.get_category_display(),
                    int(entry.base_amount) if entry.base_amount is not None else None,
                    int(entry.due),
                    int(entry.paid_amount) if entry.paid_amount is not None else None,
                    entry.paid_on,
                    entry.get_channel_display() if entry.channel else "",
                    entry.receipt,
                ]
            )
    sheet.column_dimensions["A"].width = 32
    return workbook_bytes(workbook)

"""The dues line of the minutes' opening ("Đảng phí: …"), filled from the ledger.

The minutes are an official Vietnamese document whatever the interface language (as
the printed minutes are), so the line is written in Vietnamese. It reports the month
before the meeting's: the month just closed, whose collection the cell reviews.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from dues import services
from dues.templatetags.dues_tags import dong
from meetings.models import EDITABLE_STATUSES, Meeting
from meetings.services import lock_minutes, save_step


def reported_month(meeting):
    year, month = meeting.year, meeting.month
    return (year - 1, 12) if month == 1 else (year, month - 1)


def dues_line(cell, year, month):
    report = services.month_report(cell, year, month)
    unpaid = sum(1 for entry in report.entries if entry.owes)
    line = (
        f"Đảng phí tháng {month:02d}/{year}: {report.members_paid} đồng chí đã nộp, "
        f"tổng số thu {dong(report.collected)} đồng; chi bộ trích giữ lại "
        f"{dong(report.kept)} đồng, nộp lên cấp trên {dong(report.remitted)} đồng"
    )
    if unpaid > 0:
        line += f"; còn {unpaid} đồng chí chưa nộp, chi ủy nhắc nộp"
    return line + "."


def editable_meetings(cell):
    """The cell's meetings whose opening can still be written, latest first."""
    return (
        Meeting.objects.current()
        .filter(organization=cell, status__in=EDITABLE_STATUSES)
        .order_by("-scheduled_at")[:5]
    )


@transaction.atomic
def fill_minutes_dues(meeting, *, user):
    """Write the dues line into the minutes' opening (replacing what was there)."""
    meeting = lock_minutes(
        meeting,
        allowed=EDITABLE_STATUSES,
        refusal=_("These minutes can no longer be changed."),
    )
    year, month = reported_month(meeting)
    meeting.dues_report = dues_line(meeting.organization, year, month)
    return save_step(
        meeting, user=user, reason="dues line from the ledger", update_fields=["dues_report"]
    )

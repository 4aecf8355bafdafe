"""The resolution printed as its own document beside the minutes (printing/pdf.py):
the same access as the minutes PDF (printing:minutes_pdf, in the main matrix)."""

from tests.access_rules import meeting_in, seen_by_cell


def meeting_with_resolution(world):
    from resolutions.models import Resolution

    meeting = meeting_in(world, "draft")
    Resolution.objects.create(meeting=meeting, number=1, title="Nghị quyết kiểm tra quyền")
    return meeting


MATRIX = {
    "printing:resolution_pdf": (
        "get",
        lambda w: {"pk": meeting_with_resolution(w).pk},
        seen_by_cell(),
    ),
}

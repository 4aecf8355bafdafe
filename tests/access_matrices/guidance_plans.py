"""Monthly guidance and thematic plans (oversight/guidance.py; meetings/plans.py and
oversight/plans.py).

Guidance published by the commune is read by every cell under it — the sibling
cell's secretary ("outsider" to world.cell) included — and by nobody under another
commune. Drafts stay with the commune's reviewers and administrators.
"""

from django.core.files.base import ContentFile
from django.utils import timezone

from oversight.models import Guidance, GuidanceDocument
from tests.access_rules import ANY_REDIRECT, edited_by_secretary, expect, seen_by_cell

PDF = b"%PDF-1.4 guidance"


def guidance_of(world, *, published=True):
    return Guidance.objects.create(
        organization=world.commune,
        year=2026,
        month=10,
        news_material="Thông tin thời sự tháng 10.",
        published_at=timezone.now() if published else None,
    )


def document_of(world):
    document = GuidanceDocument(guidance=guidance_of(world), title="Hướng dẫn số 12")
    document.file.save("huong-dan.pdf", ContentFile(PDF), save=True)
    return document


# The commune's pages: its reviewers and the administrator above; the cells below
# cannot even see the commune.
COMMUNE_STAFF = expect(
    secretary=404, viewer=404, reviewer=200, admin=200, outsider=404, far_reviewer=404
)
READ_BELOW_THE_COMMUNE = expect(
    secretary=200, viewer=200, reviewer=200, admin=200, outsider=200, far_reviewer=404
)

MATRIX = {
    "oversight:guidance_list": ("get", lambda w: {"pk": w.cell.pk}, seen_by_cell()),
    "oversight:guidance_create": ("get", lambda w: {"pk": w.commune.pk}, COMMUNE_STAFF),
    "oversight:guidance_detail": (
        "get",
        lambda w: {"pk": guidance_of(w).pk},
        READ_BELOW_THE_COMMUNE,
    ),
    "oversight:guidance_edit": (
        "get",
        lambda w: {"pk": guidance_of(w).pk},
        expect(secretary=403, viewer=403, reviewer=200, admin=200, outsider=403, far_reviewer=404),
    ),
    "oversight:guidance_publish": (
        "post",
        lambda w: {"pk": guidance_of(w, published=False).pk},
        expect(
            secretary=404,
            viewer=404,
            reviewer=ANY_REDIRECT,
            admin=ANY_REDIRECT,
            outsider=404,
            far_reviewer=404,
        ),
    ),
    "oversight:guidance_document": (
        "get",
        lambda w: {"pk": document_of(w).pk},
        READ_BELOW_THE_COMMUNE,
    ),
    "meetings:thematic_plan": ("get", lambda w: {"pk": w.cell.pk, "year": 2026}, seen_by_cell()),
    "meetings:thematic_plan_file": (
        "post",
        lambda w: {"pk": w.cell.pk, "year": 2026},
        edited_by_secretary(ANY_REDIRECT),
    ),
    "oversight:thematic_plans_overview": (
        "get",
        lambda w: {"pk": w.commune.pk, "year": 2026},
        COMMUNE_STAFF,
    ),
}

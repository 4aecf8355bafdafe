"""Delegates, statistics and search (issue "Oversight", parts 5–7)."""

import datetime

from members.models import DelegateAssignment
from tests.access_rules import ANY_REDIRECT, everyone_signed_in, expect, review_by_superior


def committee_reviewers(ok=200):
    """A committee's pages for its delegates: its reviewers and the administrators above."""
    return expect(secretary=404, viewer=404, reviewer=ok, admin=ok, outsider=404, far_reviewer=404)


def assignment_in(world):
    return DelegateAssignment.objects.create(
        superior=world.commune,
        delegate=world.reviewer,
        cell=world.cell,
        title="Đảng ủy viên",
        started_on=datetime.date(2026, 1, 1),
    )


MATRIX = {
    "oversight:delegates": ("get", lambda w: {"pk": w.commune.pk}, committee_reviewers()),
    "oversight:delegate_visits": ("get", lambda w: {"pk": w.commune.pk}, committee_reviewers()),
    "oversight:delegate_end": (
        "post",
        lambda w: {"pk": assignment_in(w).pk},
        committee_reviewers(ANY_REDIRECT),
    ),
    "oversight:statistics": (
        "get",
        lambda w: {"pk": w.cell.pk, "year": 2026},
        review_by_superior(200),
    ),
    "oversight:statistics_xlsx": (
        "get",
        lambda w: {"pk": w.cell.pk, "year": 2026},
        review_by_superior(200),
    ),
    "oversight:statistics_pdf": (
        "get",
        lambda w: {"pk": w.cell.pk, "year": 2026},
        review_by_superior(200),
    ),
    # Everyone may search; what each finds is limited to their subtree (test_search.py).
    "oversight:search": ("get", lambda w: {}, everyone_signed_in()),
}

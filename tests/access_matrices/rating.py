"""The annual rating (rating/): the cell sees its round and every draft; its secretary
reviews; the superior's reviewers decide; the cell or the superior opens a round."""

from datetime import date

from tests.access_rules import (
    ANY_REDIRECT,
    edited_by_secretary,
    everyone_signed_in,
    expect,
    review_by_superior,
    seen_by_cell,
)


def round_in(world):
    from rating import services

    return services.open_round(
        world.cell, year=2026, deadline=date(2026, 12, 20), user=world.secretary
    )


def assessment_in(world):
    return round_in(world).assessments.get(member=world.member)


MATRIX = {
    "rating:cell_rounds": ("get", lambda w: {"pk": w.cell.pk}, seen_by_cell()),
    "rating:round_open": (
        "get",
        lambda w: {"pk": w.cell.pk},
        expect(secretary=200, viewer=403, reviewer=200, admin=200, outsider=404, far_reviewer=404),
    ),
    "rating:round": ("get", lambda w: {"pk": round_in(w).pk}, seen_by_cell()),
    "rating:round_refresh": (
        "post",
        lambda w: {"pk": round_in(w).pk},
        edited_by_secretary(ANY_REDIRECT),
    ),
    "rating:cell_review": ("get", lambda w: {"pk": round_in(w).pk}, edited_by_secretary()),
    "rating:round_decide": ("get", lambda w: {"pk": round_in(w).pk}, review_by_superior(200)),
    "rating:list_pdf": ("get", lambda w: {"pk": round_in(w).pk}, seen_by_cell()),
    "rating:organization_report_pdf": ("get", lambda w: {"pk": round_in(w).pk}, seen_by_cell()),
    "rating:list_xlsx": ("get", lambda w: {"pk": round_in(w).pk}, seen_by_cell()),
    # Her own assessments: any account (one without a member sees a sentence).
    "rating:mine": ("get", lambda w: {}, everyone_signed_in()),
    "rating:assessment": ("get", lambda w: {"pk": assessment_in(w).pk}, seen_by_cell()),
    "rating:assessment_pdf": ("get", lambda w: {"pk": assessment_in(w).pk}, seen_by_cell()),
}

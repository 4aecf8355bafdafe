"""Party dues (dues/): the cell's ledger and the statement import for its secretary
(and treasurer, tests/dues/test_access.py); the month report for them and the
committees above (totals only); the roll-up for those committees; her own dues for
everyone signed in."""

from tests.access_rules import (
    ANY_REDIRECT,
    edited_by_secretary,
    everyone_signed_in,
    expect,
    meeting_in,
)


def kept_by_cell(ok=200):
    """The ledger, salary bases included: the cell's secretary only among ROLES."""
    return expect(secretary=ok, viewer=403, reviewer=403, admin=403, outsider=404, far_reviewer=404)


def totals_for_cell_and_above(ok=200):
    return expect(secretary=ok, viewer=403, reviewer=ok, admin=ok, outsider=404, far_reviewer=404)


def totals_for_committee(ok=200):
    return expect(secretary=404, viewer=404, reviewer=ok, admin=ok, outsider=404, far_reviewer=404)


def month(organization):
    return lambda w: {"pk": getattr(w, organization).pk, "year": 2026, "month": 3}


MATRIX = {
    "dues:mine": ("get", lambda w: {}, everyone_signed_in()),
    "dues:ledger": ("get", month("cell"), kept_by_cell()),
    "dues:reliefs": ("get", lambda w: {"pk": w.cell.pk}, kept_by_cell()),
    "dues:report_pdf": ("get", month("cell"), totals_for_cell_and_above()),
    "dues:report_xlsx": ("get", month("cell"), totals_for_cell_and_above()),
    "dues:import_upload": ("get", month("cell"), kept_by_cell()),
    # Without a statement in the session the check page sends back to the upload.
    "dues:import_preview": ("get", month("cell"), kept_by_cell(ANY_REDIRECT)),
    "dues:import_cancel": ("post", month("cell"), kept_by_cell(ANY_REDIRECT)),
    # Writing the minutes' opening: whoever keeps the cell's records.
    "dues:fill_minutes": (
        "post",
        lambda w: {"pk": meeting_in(w, "draft").pk},
        edited_by_secretary(ANY_REDIRECT),
    ),
    "dues:rollup": ("get", month("commune"), totals_for_committee()),
}

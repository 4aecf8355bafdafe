"""Copying what the cell committee prepared into a regular draft: the record keepers."""

from tests.access_rules import ANY_REDIRECT, edited_by_secretary, meeting_in

MATRIX = {
    # The service refuses these two meetings with a message (no committee meeting):
    # the access rules are what is checked here; tests/meetings/test_kinds.py copies.
    "meetings:copy_from_committee": (
        "post",
        lambda w: {"pk": meeting_in(w, "draft").pk, "committee_pk": meeting_in(w, "finalized").pk},
        edited_by_secretary(ANY_REDIRECT),
    ),
}

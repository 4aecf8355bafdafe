"""The recording flow's steps (meetings/steps.py): edited by the cell's record keepers,
like the all-in-one recording page."""

from tests.access_rules import edited_by_secretary, meeting_in

MATRIX = {
    "meetings:record_step": (
        "get",
        lambda w: {"pk": meeting_in(w, "draft").pk, "step": "attendance"},
        edited_by_secretary(),
    ),
}

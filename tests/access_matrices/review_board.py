"""The review queue, accepting minutes and the compliance board (oversight/review.py,
oversight/board.py).

The queue is the reviewer's own: everyone signed in without a reviewer or
administrator role gets 403. Accepting follows the rule of returning minutes.
The board of world.cell: its secretary and viewer see the cell but do not review
it (403); cells and communes elsewhere do not even see it (404).
"""

from tests.access_rules import ANY_REDIRECT, expect, meeting_in, review_by_superior

MATRIX = {
    "oversight:review_queue": (
        "get",
        lambda w: {},
        expect(secretary=403, viewer=403, reviewer=200, admin=200, outsider=403, far_reviewer=200),
    ),
    "oversight:accept": (
        "post",
        lambda w: {"pk": meeting_in(w, "signed").pk},
        review_by_superior(ANY_REDIRECT),
    ),
    # The superior's score of signed minutes: a page (GET), saved by POST.
    "oversight:score": (
        "get",
        lambda w: {"pk": meeting_in(w, "signed").pk},
        review_by_superior(200),
    ),
    "oversight:board": (
        "get",
        lambda w: {"pk": w.cell.pk, "year": 2026},
        review_by_superior(200),
    ),
}

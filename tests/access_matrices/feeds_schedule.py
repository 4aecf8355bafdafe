"""Calendar feeds (notifications/feed_views.py, notifications/feeds.py)
and schedule registration (oversight/schedule.py).

The feed itself is public-by-token, like the verify page: anyone holding the secret
address reads it (what it lists, and the 404 of a wrong or revoked token, are tested
in tests/feeds/). The pages that manage the addresses follow the usual rule.
"""

from notifications.models import FeedKind, create_feed
from tests.access_rules import ANY_REDIRECT, ROLES, edited_by_secretary, everyone_signed_in, expect

COMMUNE_STAFF = expect(
    secretary=404, viewer=404, reviewer=200, admin=200, outsider=404, far_reviewer=404
)


def cell_feed(world):
    return create_feed(FeedKind.CELL, world.cell, user=world.secretary)


MATRIX = {
    "notifications:cell_calendar": ("get", lambda w: {"pk": w.cell.pk}, edited_by_secretary()),
    "notifications:my_calendar": ("get", lambda w: {}, everyone_signed_in()),
    "notifications:feed_revoke": (
        "post",
        lambda w: {"pk": cell_feed(w).pk},
        edited_by_secretary(ANY_REDIRECT),
    ),
    "notifications:calendar_feed": (
        "get",
        lambda w: (lambda feed: {"pk": feed.pk, "token": feed.token})(cell_feed(w)),
        dict.fromkeys(ROLES, 200),
    ),
    "notifications:subtree_calendar": ("get", lambda w: {"pk": w.commune.pk}, COMMUNE_STAFF),
    "oversight:schedule_month": (
        "get",
        lambda w: {"pk": w.commune.pk, "year": 2026, "month": 11},
        COMMUNE_STAFF,
    ),
    "oversight:schedule_register": (
        "get",
        lambda w: {"pk": w.cell.pk, "year": 2026, "month": 11},
        edited_by_secretary(),
    ),
}

"""Recording offline (issue 24): the sync of the browser's captures is the recording
steps' right (400: the matrix posts no captures); signed out it answers 401 in JSON so
the browser keeps its queue. The service worker and the manifest are public files."""

from tests.access_rules import ROLES, edited_by_secretary, meeting_in

_sync_rule = edited_by_secretary(400)
_sync_rule["anonymous"] = 401

MATRIX = {
    "meetings:offline_sync": (
        "post",
        lambda w: {"pk": meeting_in(w, "draft").pk},
        _sync_rule,
    ),
    "service_worker": ("get", lambda w: {}, dict.fromkeys(ROLES, 200)),
    "web_manifest": ("get", lambda w: {}, dict.fromkeys(ROLES, 200)),
}

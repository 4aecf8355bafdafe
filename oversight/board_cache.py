"""The compliance board's cache: one entry per organisation, year, cell-type filter,
language and day, dropped as soon as minutes under the organisation change status.

Every organisation has a version token in the cache; a board's key includes the
token of its own organisation. When a meeting is created, deleted, or its status,
acceptance or currency changes (planning, starting, finalizing, signing, accepting,
returning, correcting), the tokens of its cell and of every organisation above it are
replaced, so the boards that count the meeting are computed again and no other one.
Autosaves of a draft change nothing the board shows and keep the cache.

The receivers (oversight/receivers.py, connected by oversight.apps) also start a job
that computes the stale boards again (oversight/tasks.py): meetings, below oversight,
knows nothing of this. The day is in the key: the board's states depend on the month
(a month still to come, the current one, a past one without its meeting), and the
national app's deadlines (HD 42) pass on a given day.

The board also shows the marks of uploads to the national app (printing) and the
annual rating's self-assessments and decisions (rating): marking, taking a mark back,
opening or deciding a round, submitting a self-assessment drop the boards above the
cell in the same way (oversight/receivers.py).
"""

import time
import uuid

from django.core.cache import cache

TIMEOUT = 24 * 60 * 60
# How long the others wait for the one request computing a board (a province's takes
# about a second) before computing it themselves.
COMPUTING_SECONDS = 30
WAIT_STEP_SECONDS = 0.05
# What the board shows of a meeting, besides its figures frozen at signing.
WATCHED = ("status", "accepted_at", "is_current", "organization_id", "year", "month", "kind")


def _version_key(organization_id):
    return f"board-version:{organization_id}"


def key(organization, year, cell_type, language, today):
    version = cache.get(_version_key(organization.pk))
    if version is None:
        version = uuid.uuid4().hex
        cache.add(_version_key(organization.pk), version, None)
        version = cache.get(_version_key(organization.pk), version)
    period = today.isoformat()
    return f"board:{organization.pk}:{year}:{cell_type or '-'}:{language}:{period}:{version}"


def get_or_compute(key, compute):
    """The cached value, or `compute()` run once however many ask at the same moment:
    the first takes a lock and computes; the others wait for its result, and compute
    themselves only if it never comes (the first one failed or took too long). Without
    this guard, eight reviewers opening a province's board after a signature computed
    it eight times over (issue 23: 4.0–4.7 s each instead of 1.1 s)."""
    value = cache.get(key)
    if value is not None:
        return value
    lock = f"{key}:computing"
    if cache.add(lock, True, COMPUTING_SECONDS):
        try:
            value = compute()
            cache.set(key, value, TIMEOUT)
            return value
        finally:
            cache.delete(lock)
    deadline = time.monotonic() + COMPUTING_SECONDS
    while time.monotonic() < deadline and cache.get(lock) is not None:
        time.sleep(WAIT_STEP_SECONDS)
        value = cache.get(key)
        if value is not None:
            return value
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def invalidate(organization_ids):
    """Every cached board of these organisations is computed again on its next view."""
    cache.set_many({_version_key(pk): uuid.uuid4().hex for pk in organization_ids}, None)


def _watched(instance):
    # Read from __dict__: a deferred field must not cost a query.
    return tuple(instance.__dict__.get(name) for name in WATCHED)


def remember_state(sender, instance, **kwargs):
    instance._board_state = _watched(instance)


def meeting_saved(sender, instance, created=False, **kwargs):
    """The organisations whose boards this save made stale (none for an autosave)."""
    state = _watched(instance)
    changed = []
    if created or state != getattr(instance, "_board_state", None):
        changed = _invalidate_above(instance)
    instance._board_state = state
    return changed


def meeting_deleted(sender, instance, **kwargs):
    return _invalidate_above(instance)


def _invalidate_above(meeting):
    organization = meeting._state.fields_cache.get("organization")
    if organization is None or organization.pk != meeting.organization_id:
        return invalidate_above(meeting.organization_id)
    return _invalidate_path(organization.path)


def invalidate_above(organization_id):
    """Drop the boards of an organisation and of every one above it (one query)."""
    from members.models import Organization

    path = Organization.objects.filter(pk=organization_id).values_list("path", flat=True).first()
    return _invalidate_path(path)


def _invalidate_path(path):
    from members.models import ids_on_path

    if not path:
        return []
    organization_ids = ids_on_path(path)
    invalidate(organization_ids)
    return organization_ids


# The national app's marks (printing) and the rating (rating) show on the board too.
RATING_WATCHED = ("written_at", "final_level")


def remember_rating_state(sender, instance, **kwargs):
    instance._board_state = tuple(instance.__dict__.get(name) for name in RATING_WATCHED)


def assessment_saved(sender, instance, created=False, **kwargs):
    """A self-assessment submitted or a level decided: the boards above the cell."""
    state = tuple(instance.__dict__.get(name) for name in RATING_WATCHED)
    changed = []
    if created or state != getattr(instance, "_board_state", None):
        from rating.models import RatingRound

        organization_id = (
            RatingRound.objects.filter(pk=instance.round_id)
            .values_list("organization_id", flat=True)
            .first()
        )
        changed = invalidate_above(organization_id)
    instance._board_state = state
    return changed


def warm_key(organization_id):
    """Set while a job to compute this committee's boards again is waiting."""
    return f"board-warming:{organization_id}"

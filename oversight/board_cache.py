"""The compliance board's cache: one entry per organisation, year, cell-type filter,
language and month, dropped as soon as minutes under the organisation change status.

Every organisation has a version token in the cache; a board's key includes the
token of its own organisation. When a meeting is created, deleted, or its status,
acceptance or currency changes (planning, starting, finalizing, signing, accepting,
returning, correcting), the tokens of its cell and of every organisation above it are
replaced, so the boards that count the meeting are computed again and no other one.
Autosaves of a draft change nothing the board shows and keep the cache.

The receivers are connected by oversight.apps: meetings, below oversight, knows
nothing of this. The month is in the key because the board's states depend on it
(a month still to come, the current one, a past one without its meeting).
"""

import uuid

from django.core.cache import cache

TIMEOUT = 24 * 60 * 60
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
    period = f"{today.year}-{today.month:02d}"
    return f"board:{organization.pk}:{year}:{cell_type or '-'}:{language}:{period}:{version}"


def invalidate(organization_ids):
    """Every cached board of these organisations is computed again on its next view."""
    cache.set_many({_version_key(pk): uuid.uuid4().hex for pk in organization_ids}, None)


def _watched(instance):
    # Read from __dict__: a deferred field must not cost a query.
    return tuple(instance.__dict__.get(name) for name in WATCHED)


def remember_state(sender, instance, **kwargs):
    instance._board_state = _watched(instance)


def meeting_saved(sender, instance, created=False, **kwargs):
    state = _watched(instance)
    if created or state != getattr(instance, "_board_state", None):
        _invalidate_above(instance)
    instance._board_state = state


def meeting_deleted(sender, instance, **kwargs):
    _invalidate_above(instance)


def _invalidate_above(meeting):
    from members.models import Organization, ids_on_path

    organization = meeting._state.fields_cache.get("organization")
    if organization is None or organization.pk != meeting.organization_id:
        path = (
            Organization.objects.filter(pk=meeting.organization_id)
            .values_list("path", flat=True)
            .first()
        )
    else:
        path = organization.path
    if path:
        invalidate(ids_on_path(path))

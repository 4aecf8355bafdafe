"""The statistics' figures of each cell's month (MonthFigures), kept as minutes change.

`counted(meetings, reviews)` is the one rule of what a cell's month adds up to: the
current meetings held by kind, the attendance counted at finalizing, the thematic
meetings held and signed, and the minutes returned. It serves `refresh` (one cell's
month, when a meeting or a review of it is saved or deleted: oversight/receivers.py)
and `rebuild` (every month: the migration that made the table, and
`manage.py rebuild_month_figures` after meetings were loaded in bulk, bypassing the
receivers, as the benchmarks do).

A refresh locks its month's row before reading the meetings: two transactions changing
minutes of the same cell and month write one after the other, the second reading what
the first committed (PostgreSQL reads anew at each statement).

Autosaves of a draft change nothing counted here and cost nothing (WATCHED).
"""

from django.db import transaction
from django.db.models import Count, Q, Sum

from meetings import periods
from meetings.kinds import MeetingKind
from meetings.models import Meeting, MeetingStatus, Review, ReviewVerdict
from oversight.models import MonthFigures

KINDS = tuple(MeetingKind.values)  # a column each, named as the kind
SIGNED_STATUSES = tuple(
    status for status, state in periods.STATE_OF_STATUS.items() if state == periods.SIGNED
)
FIGURES = (*KINDS, "thematic_signed", "present", "summoned", "returned")
# What of a meeting the figures read.
WATCHED = (
    "organization_id", "year", "month", "kind", "status", "is_current",
    "present_count", "summoned_count",
)  # fmt: skip


def zero():
    return dict.fromkeys(FIGURES, 0)


def counted(meetings, reviews):
    """{(cell id, year, month): {figure: value}} of these meetings and reviews (querysets
    of the live models, or of a migration's)."""
    rows = {}
    finalized = Q(present_count__isnull=False, summoned_count__isnull=False)
    held = meetings.filter(is_current=True).exclude(status=MeetingStatus.PLANNED)
    for values in (
        held.values("organization_id", "year", "month", "kind")
        .order_by()
        .annotate(
            count=Count("pk"),
            signed=Count("pk", filter=Q(status__in=SIGNED_STATUSES)),
            present=Sum("present_count", filter=finalized),
            summoned=Sum("summoned_count", filter=finalized),
        )
    ):
        if values["kind"] not in KINDS:
            continue
        figures = rows.setdefault(
            (values["organization_id"], values["year"], values["month"]), zero()
        )
        figures[values["kind"]] += values["count"]
        if values["kind"] == MeetingKind.THEMATIC:
            figures["thematic_signed"] += values["signed"]
        figures["present"] += values["present"] or 0
        figures["summoned"] += values["summoned"] or 0
    returned = reviews.filter(verdict=ReviewVerdict.RETURNED)
    for values in (
        returned.values("meeting__organization_id", "meeting__year", "meeting__month")
        .order_by()
        .annotate(count=Count("pk"))
    ):
        key = (
            values["meeting__organization_id"],
            values["meeting__year"],
            values["meeting__month"],
        )
        rows.setdefault(key, zero())["returned"] += values["count"]
    return rows


def refresh(cell_id, year, month):
    """Count one cell's month again, from its meetings and reviews (four or five
    queries)."""
    key = (cell_id, year, month)
    with transaction.atomic():
        row, _created = MonthFigures.objects.select_for_update().get_or_create(
            organization_id=cell_id, year=year, month=month
        )
        figures = counted(
            Meeting.objects.filter(organization_id=cell_id, year=year, month=month),
            Review.objects.filter(
                meeting__organization_id=cell_id, meeting__year=year, meeting__month=month
            ),
        ).get(key, zero())
        for name, value in figures.items():
            setattr(row, name, value)
        row.save()


def rebuild(month_figures=None, meetings=None, reviews=None):
    """Count every cell's every month again; returns the number of rows. The models
    may be a migration's (apps.get_model)."""
    if month_figures is None:
        month_figures, meetings, reviews = MonthFigures, Meeting.objects, Review.objects
    rows = counted(meetings.all(), reviews.all())
    with transaction.atomic():
        month_figures.objects.all().delete()
        month_figures.objects.bulk_create(
            [
                month_figures(organization_id=cell_id, year=year, month=month, **figures)
                for (cell_id, year, month), figures in rows.items()
            ],
            batch_size=1000,
        )
    return len(rows)


# ---------------------------------------------------------------- receivers


def _watched(instance):
    # Read from __dict__: a deferred field must not cost a query.
    return tuple(instance.__dict__.get(name) for name in WATCHED)


def remember_state(sender, instance, **kwargs):
    instance._figures_state = _watched(instance)


def meeting_saved(sender, instance, created=False, **kwargs):
    """Count again the month the meeting is in, and the one it left if it moved."""
    state = _watched(instance)
    before = getattr(instance, "_figures_state", None)
    if created or state != before:
        months = {state[:3]}
        if before and None not in before[:3]:
            months.add(before[:3])
        for cell_id, year, month in sorted(months):
            refresh(cell_id, year, month)
    instance._figures_state = state


def meeting_deleted(sender, instance, **kwargs):
    refresh(instance.organization_id, instance.year, instance.month)


def review_changed(sender, instance, **kwargs):
    """A review written or deleted: its meeting's month counts the minutes returned."""
    meeting = (
        Meeting.objects.filter(pk=instance.meeting_id)
        .values_list("organization_id", "year", "month")
        .first()
    )
    if meeting is not None:
        refresh(*meeting)

"""Resolutions, their tasks, and the review of each task at the next meetings."""

from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from cellmeet.sealed import WorkflowError
from members.models import Organization
from resolutions.models import (
    ADOPTED_KINDS,
    OPEN_TASK_STATUSES,
    Resolution,
    Task,
    TaskResult,
    TaskStatus,
    TaskUpdate,
    term_of,
)


class ResolutionError(WorkflowError):
    """A resolution that cannot be saved as asked, with the reason in plain words."""


# ---------------------------------------------------------------- numbering


def next_resolution_number(organization, term):
    """One more than the highest number of the live minutes in this cell and term."""
    highest = (
        Resolution.objects.current()
        .numbered()
        .filter(organization=organization, term=term)
        .aggregate(highest=Max("number"))["highest"]
    )
    return (highest or 0) + 1


def number_is_taken(meeting, number, *, kind=None):
    """Whether another live resolution of the cell took `number` in the term. A draft
    of the cell committee takes no number."""
    if kind is not None and kind not in ADOPTED_KINDS:
        return False
    return (
        Resolution.objects.current()
        .numbered()
        .filter(
            organization_id=meeting.organization_id,
            term=term_of(meeting.meeting_date),
            number=number,
        )
        .exclude(meeting=meeting)
        .exists()
    )


@transaction.atomic
def save_resolution(resolution):
    """Save, keeping numbers unique per cell and term even under parallel requests."""
    meeting = resolution.meeting
    # Serialise numbering within the cell: on PostgreSQL, lock its row for this
    # transaction; on SQLite the transaction began IMMEDIATE and holds the write lock.
    # The form checked the number too, but another draft may have taken it since:
    # then this domain error, which the recording page shows on the number.
    Organization.objects.select_for_update().filter(pk=meeting.organization_id).first()
    if number_is_taken(meeting, resolution.number, kind=resolution.kind):
        raise ResolutionError(
            _("Resolution number %(number)s is already used in this term.")
            % {"number": resolution.number}
        )
    resolution.save()
    return resolution


@transaction.atomic
def save_resolution_changes(meeting, changes, *, user):
    """The resolution part of a draft as the recording page submitted it
    (resolutions.changes.ResolutionChanges): the resolution with its tasks, then the
    review of earlier tasks. Raises ResolutionError if its number was taken meanwhile."""
    if changes.resolution is not None:
        resolution = Resolution.objects.filter(meeting=meeting).first() or Resolution(
            meeting=meeting
        )
        for name, value in changes.resolution.items():
            setattr(resolution, name, value)
        resolution._history_user = user
        save_resolution(resolution)
        if changes.tasks is not None:
            _save_tasks(resolution, changes.tasks, user=user)
    _save_reviews(meeting, changes.reviews, user=user)


def _save_tasks(resolution, changes, *, user):
    # One row at a time: at most 50 tasks, and each task's history follows its
    # assignees (a many-to-many field), which the bulk helpers do not log.
    stored = resolution.tasks.in_bulk([*changes.changed, *changes.deleted])
    saved = [(stored[pk], values) for pk, values in changes.changed.items() if pk in stored]
    saved += [(Task(resolution=resolution), values) for values in changes.new]
    for order, (task, values) in enumerate(saved, start=1):
        many = {
            name: ids for name, ids in values.items() if Task._meta.get_field(name).many_to_many
        }
        for name, value in values.items():
            if name not in many:
                setattr(task, name, value)
        task.resolution = resolution
        task.order = task.order or order
        task._history_user = user
        task.save()
        for name, ids in many.items():
            getattr(task, name).set(ids)
    for pk in changes.deleted:
        if pk in stored:
            stored[pk]._history_user = user
            stored[pk].delete()


def _save_reviews(meeting, reviews, *, user):
    if not reviews:
        return
    task_ids = [review.task_id for review in reviews]
    tasks = Task.objects.in_bulk(task_ids)
    stored = {
        update.task_id: update
        for update in TaskUpdate.objects.filter(meeting=meeting, task_id__in=task_ids)
    }
    for review in reviews:
        update = stored.get(review.task_id) or TaskUpdate(meeting=meeting)
        update.task = tasks[review.task_id]
        update.meeting = meeting
        if review.reviewed:
            for name, value in review.values.items():
                setattr(update, name, value)
        update._history_user = user
        save_task_review(update, reviewed=review.reviewed)


# ---------------------------------------------------------------- follow-up


def tasks_to_review(meeting):
    """Every task of this cell's earlier resolutions that was still open at this
    meeting, or that this meeting already reviewed."""
    return (
        Task.objects.of_current_minutes()
        .in_force()
        .filter(
            organization_id=meeting.organization_id,
            resolution__meeting__scheduled_at__lt=meeting.scheduled_at,
        )
        .filter(Q(status__in=OPEN_TASK_STATUSES) | Q(updates__meeting=meeting))
        .exclude(status=TaskStatus.CANCELLED)
        .select_related("lead", "resolution")
        .prefetch_related("assignees")
        .distinct()
        .order_by("current_due_on", "pk")
    )


def unreviewed_tasks(meeting):
    reviewed = TaskUpdate.objects.filter(meeting=meeting).values("task_id")
    return tasks_to_review(meeting).exclude(pk__in=reviewed)


def refresh_task_status(task):
    """A task's status follows its latest review at a live meeting."""
    latest = (
        task.updates.filter(meeting__is_current=True)
        .select_related("meeting")
        .order_by("-meeting__scheduled_at", "-pk")
        .first()
    )
    if task.status == TaskStatus.CANCELLED:
        return task
    task.status = latest.resulting_status if latest else TaskStatus.OPEN
    task.closed_reason = latest.closed_reason if latest else ""
    task.current_due_on = (latest.new_due_on if latest else None) or task.due_on
    task.save(update_fields=["status", "closed_reason", "current_due_on"])
    return task


def deadline_before(task, meeting):
    """The task's deadline as it stood when the meeting began: the last new deadline
    an earlier live meeting gave it, else its own (never the one this meeting gives)."""
    earlier = (
        task.updates.filter(
            meeting__is_current=True, meeting__scheduled_at__lt=meeting.scheduled_at
        )
        .exclude(new_due_on=None)
        .order_by("-meeting__scheduled_at", "-pk")
        .values_list("new_due_on", flat=True)
        .first()
    )
    return earlier or task.due_on


def is_overdue_at(task, meeting):
    """The task's deadline had passed on the day of the meeting reviewing it."""
    due = deadline_before(task, meeting)
    return due is not None and due < meeting.meeting_date


def overdue_review_error(update):
    """Why a review cannot stand: "under way, not yet due" for a task whose deadline
    has passed is only true with a new deadline after the meeting. None when it can."""
    if update.result != TaskResult.IN_PROGRESS or not is_overdue_at(update.task, update.meeting):
        return None
    if update.new_due_on and update.new_due_on >= update.meeting.meeting_date:
        return None
    return _(
        "The deadline %(due)s has passed: a task still under way needs a new deadline "
        "after the meeting."
    ) % {"due": deadline_before(update.task, update.meeting).strftime("%d/%m/%Y")}


def save_task_review(update, *, reviewed):
    """Record (or withdraw) a task's review at a meeting, and move the task's status."""
    if reviewed:
        error = overdue_review_error(update)
        if error:
            raise ResolutionError(error)
        update.save()
    elif update.pk:
        update.delete()
    refresh_task_status(Task.objects.get(pk=update.task_id))

"""Resolutions, their tasks, and the review of each task at the next meetings."""

from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meetings.extensions import MinutesPart
from meetings.record import Person, parse_day
from meetings.services import MeetingError
from members.models import Organization
from resolutions.models import (
    OPEN_TASK_STATUSES,
    Evaluation,
    Resolution,
    Task,
    TaskDecision,
    TaskResult,
    TaskStatus,
    TaskUpdate,
    term_of,
)

# ---------------------------------------------------------------- numbering


def next_resolution_number(organization, term):
    """One more than the highest number of the live minutes in this cell and term."""
    highest = (
        Resolution.objects.current()
        .filter(organization=organization, term=term)
        .aggregate(highest=Max("number"))["highest"]
    )
    return (highest or 0) + 1


def number_is_taken(meeting, number):
    return (
        Resolution.objects.current()
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
    if number_is_taken(meeting, resolution.number):
        raise MeetingError(
            _("Resolution number %(number)s is already used in this term.")
            % {"number": resolution.number}
        )
    resolution.save()
    return resolution


# ---------------------------------------------------------------- follow-up


def tasks_to_review(meeting):
    """Every task of this cell's earlier resolutions that was still open at this
    meeting, or that this meeting already reviewed."""
    return (
        Task.objects.of_current_minutes()
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


# ---------------------------------------------------------------- the minutes part


class TaskRecord:
    """A task as the minutes assign it: the lead first, then the others."""

    def __init__(self, data):
        self.title = data["title"]
        self.description = data.get("description", "")
        self.assignees = [Person(person) for person in data.get("assignees", [])]
        self.due_on = parse_day(data.get("due_on"))


class ResolutionRecord:
    def __init__(self, data):
        self.document_number = data["number"]
        self.title = data["title"]
        self.body = data.get("body", "")
        self.tasks = [TaskRecord(task) for task in data.get("tasks", [])]

    @classmethod
    def from_content(cls, data):
        return cls(data) if data else None


class TaskReviewRecord:
    """The review of one earlier task, as the minutes record it."""

    def __init__(self, data):
        self.task_title = data["task"]
        self.resolution_number = data.get("resolution", "")
        self.lead = Person.from_content(data.get("lead"))
        self.due_on = parse_day(data.get("due_on"))
        self.result = data["result"]
        self.note = data.get("note", "")
        self.evaluation = data.get("evaluation", "")
        self.decision = data.get("decision", "")
        self.new_due_on = parse_day(data.get("new_due_on"))
        self.closed_reason = data.get("closed_reason", "")

    def get_result_display(self):
        return TaskResult(self.result).label

    def get_decision_display(self):
        return TaskDecision(self.decision).label if self.decision else ""

    def get_evaluation_display(self):
        return Evaluation(self.evaluation).label


def _person(member):
    return {"id": member.pk, "name": member.full_name}


class ResolutionMinutesPart(MinutesPart):
    """The resolution adopted, its tasks, and the review of earlier tasks."""

    def missing(self, meeting):
        count = unreviewed_tasks(meeting).count()
        if not count:
            return []
        return [
            ngettext(
                "the review of %(count)s open task from earlier resolutions",
                "the review of %(count)s open tasks from earlier resolutions",
                count,
            )
            % {"count": count}
        ]

    def content(self, meeting):
        resolution = Resolution.objects.filter(meeting=meeting).first()
        updates = (
            TaskUpdate.objects.filter(meeting=meeting)
            .select_related("task", "task__resolution", "task__lead")
            .order_by("task__due_on", "task__pk")
        )
        return {
            "resolution": None
            if resolution is None
            else {
                "number": resolution.document_number,
                "term": resolution.term,
                "kind": resolution.kind,
                "title": resolution.title,
                "body": resolution.body,
                "tasks": [
                    {
                        "title": task.title,
                        "description": task.description,
                        "assignees": [_person(member) for member in task.everyone_assigned()],
                        "due_on": task.due_on.isoformat(),
                    }
                    for task in resolution.tasks.select_related("lead")
                    .prefetch_related("assignees")
                    .order_by("order", "pk")
                ],
            },
            "task_reviews": [
                {
                    "task": update.task.title,
                    "resolution": update.task.resolution.document_number,
                    "lead": _person(update.task.lead),
                    "due_on": update.task.due_on.isoformat(),
                    "result": update.result,
                    "note": update.note,
                    "evaluation": update.evaluation,
                    "decision": update.decision,
                    "new_due_on": update.new_due_on.isoformat() if update.new_due_on else None,
                    "closed_reason": update.closed_reason,
                }
                for update in updates
            ],
        }

    def search_texts(self, meeting):
        resolution = Resolution.objects.filter(meeting=meeting).first()
        if resolution is None:
            return []
        return [
            resolution.title,
            resolution.body,
            *resolution.tasks.values_list("title", flat=True),
        ]

    def copy_into_correction(self, old_meeting, correction):
        resolution = Resolution.objects.filter(meeting=old_meeting).first()
        if resolution is not None:
            copy = Resolution.objects.create(
                meeting=correction,
                number=resolution.number,
                kind=resolution.kind,
                title=resolution.title,
                body=resolution.body,
            )
            for task in resolution.tasks.order_by("order", "pk"):
                # Read before the copy: a prefetched cache would make set() believe the
                # new task already has them, and copy none.
                assignees = list(task.assignees.all())
                task.pk = task.id = None
                task._state.adding = True
                task.resolution = copy
                task.save()
                task.assignees.set(assignees)
        TaskUpdate.objects.bulk_create(
            TaskUpdate(
                task_id=update.task_id,
                meeting=correction,
                result=update.result,
                note=update.note,
                evaluation=update.evaluation,
                decision=update.decision,
                new_due_on=update.new_due_on,
                closed_reason=update.closed_reason,
            )
            for update in TaskUpdate.objects.filter(meeting=old_meeting)
        )

    def editor(self, meeting, data=None, files=None):
        from resolutions.forms import ResolutionEditor

        return ResolutionEditor(meeting, data, files)

    def record_context(self, content):
        resolution = ResolutionRecord.from_content(content.get("resolution"))
        return {
            "minutes_review_template": "resolutions/_minutes_review.html",
            "minutes_tasks_template": "resolutions/_minutes_tasks.html",
            "resolution": resolution,
            "resolution_tasks": resolution.tasks if resolution else [],
            "task_reviews": [TaskReviewRecord(data) for data in content.get("task_reviews", [])],
        }


def save_task_review(update, *, reviewed, form=None):
    """Record (or withdraw) a task's review at a meeting, and move the task's status."""
    if reviewed:
        if form is not None:
            update = form.save()
        else:
            update.save()
    elif update.pk:
        update.delete()
    refresh_task_status(Task.objects.get(pk=update.task_id))

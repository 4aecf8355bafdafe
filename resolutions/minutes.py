"""What the minutes workflow (meetings.services, meetings.record) asks of resolutions,
called by name: what is still missing before finalizing, the resolution's part of
the sealed content, its searchable text, its copy into a corrected version, and how
the sealed content shows it again.

The resolution adopted, its tasks, and the review of earlier tasks are part of a
meeting's minutes; this module is where they join it.
"""

from django.utils.translation import ngettext

from cellmeet.missing import MissingItem
from cellmeet.sealed import Person, parse_day, person_content
from resolutions.models import (
    Evaluation,
    Resolution,
    ResolutionKind,
    Task,
    TaskDecision,
    TaskResult,
    TaskUpdate,
    term_of,
)
from resolutions.services import next_resolution_number, save_resolution, unreviewed_tasks
from resolutions.titles import adopted_title

TEMPLATES = {
    "minutes_review_template": "resolutions/_minutes_review.html",
    "minutes_tasks_template": "resolutions/_minutes_tasks.html",
}


def missing_items(meeting):
    """Plain-word items this part still needs before the minutes can be finalized."""
    count = unreviewed_tasks(meeting).count()
    if not count:
        return []
    return [
        MissingItem(
            ngettext(
                "the review of %(count)s open task from earlier resolutions",
                "the review of %(count)s open tasks from earlier resolutions",
                count,
            )
            % {"count": count},
            "task-reviews",
        )
    ]


def content(meeting):
    """The resolution and the task reviews, as plain data for the sealed content."""
    resolution = Resolution.objects.filter(meeting=meeting).first()
    updates = (
        TaskUpdate.objects.filter(meeting=meeting)
        .select_related("task", "task__resolution", "task__lead")
        .order_by("task__due_on", "task__pk")
    )
    updates = list(updates)
    in_force = deadlines_in_force(meeting, [update.task for update in updates])
    return {
        "resolution": None if resolution is None else _resolution_content(resolution),
        "task_reviews": [
            {
                "task": update.task.title,
                "resolution": update.task.resolution.document_number,
                "lead": person_content(update.task.lead),
                "due_on": update.task.due_on.isoformat(),
                "due_in_force": in_force[update.task.pk].isoformat(),
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


def deadlines_in_force(meeting, tasks):
    """{task id: the deadline in force when this meeting reviewed it}: the new deadline
    of the latest earlier live meeting that reviewed it, else the task's own (as
    resolutions.services.refresh_task_status keeps it). One query."""
    earlier = (
        TaskUpdate.objects.filter(
            task__in=tasks,
            meeting__is_current=True,
            meeting__scheduled_at__lt=meeting.scheduled_at,
        )
        .exclude(meeting=meeting)
        .order_by("meeting__scheduled_at", "pk")
        .values_list("task_id", "new_due_on")
    )
    latest = dict(earlier)  # in date order: the last one stays
    return {task.pk: latest.get(task.pk) or task.due_on for task in tasks}


def _resolution_content(resolution):
    tasks = resolution.tasks.select_related("lead").prefetch_related("assignees")
    return {
        "number": resolution.document_number,
        "term": resolution.term,
        "kind": resolution.kind,
        "title": resolution.title,
        "body": resolution.body,
        "tasks": [
            {
                "title": task.title,
                "description": task.description,
                "assignees": [person_content(member) for member in task.everyone_assigned()],
                "due_on": task.due_on.isoformat(),
            }
            for task in tasks.order_by("order", "pk")
        ],
    }


def search_texts(meeting):
    resolution = Resolution.objects.filter(meeting=meeting).first()
    if resolution is None:
        return []
    return [resolution.title, resolution.body, *resolution.tasks.values_list("title", flat=True)]


def copy_into_correction(old_meeting, correction):
    """Copy the resolution, its tasks and the task reviews into the corrected version."""
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
            # Read before the copy: a prefetched cache would make set() believe the new
            # task already has them, and copy none.
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


def has_tasks(meeting):
    """Whether the meeting's resolution (or draft) assigns any task."""
    return Task.objects.filter(resolution__meeting=meeting).exists()


def copy_draft_resolution(committee_meeting, meeting, *, user):
    """Put the cell committee's draft resolution (title, content, tasks with all their
    assignees) into the regular meeting's minutes, to be adopted there: it takes the
    next number of the term and the draft's title without "Dự thảo" (resolutions.titles).
    Returns how many tasks were copied."""
    draft = Resolution.objects.filter(meeting=committee_meeting).first()
    if draft is None:
        return 0
    resolution = Resolution.objects.filter(meeting=meeting).first()
    if resolution is None:
        resolution = Resolution(
            meeting=meeting,
            kind=meeting.rules.resolution_kind,
            number=next_resolution_number(meeting.organization, term_of(meeting.meeting_date)),
        )
    day = meeting.meeting_date
    resolution.title = resolution.title or adopted_title(
        draft.title, month=day.month, year=day.year
    )
    resolution.body = resolution.body or draft.body
    resolution._history_user = user
    save_resolution(resolution)
    copied = 0
    for order, task in enumerate(draft.tasks.order_by("order", "pk"), start=1):
        assignees = list(task.assignees.all())
        copy = Task(
            resolution=resolution,
            title=task.title,
            description=task.description,
            lead=task.lead,
            due_on=task.due_on,
            order=order,
        )
        copy._history_user = user
        copy.save()
        copy.assignees.set(assignees)
        copied += 1
    return copied


# ---------------------------------------------------------------- showing sealed content


class TaskRecord:
    """A task as the minutes assign it: the lead first, then the others."""

    def __init__(self, data):
        self.title = data["title"]
        self.description = data.get("description", "")
        self.assignees = [Person(person) for person in data.get("assignees", [])]
        self.due_on = parse_day(data.get("due_on"))


class ResolutionRecord:
    def __init__(self, data):
        # A cell committee's draft for the coming regular meeting carries no number.
        self.is_draft = data.get("kind") == ResolutionKind.DRAFT
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
        # Content sealed before format 3 kept only the original deadline.
        self.due_in_force = parse_day(data.get("due_in_force")) or self.due_on
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


def record_context(sealed):
    """Template context to show this part from the minutes' content (sealed or live)."""
    resolution = ResolutionRecord.from_content(sealed.get("resolution"))
    return {
        **TEMPLATES,
        "resolution": resolution,
        "resolution_tasks": resolution.tasks if resolution else [],
        "task_reviews": [TaskReviewRecord(data) for data in sealed.get("task_reviews", [])],
    }

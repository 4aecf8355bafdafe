"""How the demo meetings follow up resolutions: the review of open tasks, new resolutions.

`TaskFollowUp` decides, for each task still open at a meeting, whether it was done,
carried over or closed, saves those reviews through resolutions.services, and adopts
the meeting's own resolution with its tasks.
"""

from datetime import timedelta

from django.utils import timezone

from demo.phrases import CLOSE_REASONS, IN_PROGRESS_NOTE, NOT_DONE_REASONS
from demo.scenario import THEMATIC_RESOLUTION_SHARE, ReviewPlan, day_in, next_month
from meetings.models import MeetingKind
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
from resolutions.services import (
    next_resolution_number,
    save_resolution,
    save_task_review,
    tasks_to_review,
)


class TaskFollowUp:
    """Reviews the open tasks and adopts the resolutions of one `DemoCell`."""

    def __init__(self, cell):
        self.cell = cell

    def plan_reviews(self, meeting, plan, complete):
        """How this meeting reviews each task still open from earlier resolutions.

        Finalizing refuses minutes that leave one unreviewed, whatever the kind of
        meeting, so thematic meetings review them too; a task not due yet is either
        done early or reported under way.
        """
        if plan.kind == MeetingKind.THEMATIC and not complete:
            return []
        day = meeting.meeting_date
        reviews = [self._decide(task, day) for task in tasks_to_review(meeting)]
        if plan.latest:
            self._force_latest(reviews, day)
        return reviews

    def _decide(self, task, day):
        rng = self.cell.task_rng
        dues = "đảng phí" in task.title
        if task.current_due_on >= day:  # not due yet
            if rng.random() < (0.7 if dues else 0.35):
                praise = not dues and rng.random() < 0.3
                return ReviewPlan(
                    task,
                    TaskResult.DONE,
                    evaluation=Evaluation.PRAISE if praise else "",
                    note="Hoàn thành trước thời hạn.",
                    early=True,
                )
            return ReviewPlan(task, TaskResult.IN_PROGRESS, note=IN_PROGRESS_NOTE, early=True)
        extended = task.current_due_on != task.due_on  # carried over once already
        roll = rng.random()
        if dues or roll < (0.7 if extended else 0.76):
            praise = not dues and rng.random() < 0.25
            return ReviewPlan(
                task,
                TaskResult.DONE,
                evaluation=Evaluation.PRAISE if praise else "",
                note=rng.choice(["đã hoàn thành", "hoàn thành tốt", "đã hoàn thành đúng hạn"]),
            )
        if extended or roll > 0.93:
            return ReviewPlan(
                task,
                TaskResult.PARTLY if extended and rng.random() < 0.5 else TaskResult.NOT_DONE,
                evaluation=Evaluation.REMINDER if rng.random() < 0.3 else "",
                decision=TaskDecision.CLOSE,
                closed_reason=rng.choice(CLOSE_REASONS[self.cell.type]),
            )
        return ReviewPlan(
            task,
            TaskResult.PARTLY,
            evaluation=Evaluation.REMINDER if rng.random() < 0.4 else "",
            decision=TaskDecision.CARRY_OVER,
            new_due_on=self._new_deadline(day),
            reason=rng.choice(NOT_DONE_REASONS),
        )

    def _new_deadline(self, day):
        """Later this month, or mid next month for a review late in the month."""
        if day.day <= 18:
            return day_in(day.year, day.month, self.cell.task_rng.choice([25, 28, 31]))
        year, month = next_month(day.year, day.month)
        return day_in(year, month, self.cell.task_rng.choice([10, 15]))

    def _force_latest(self, reviews, day):
        """bithu's last meeting: a task done and praised, and one past its deadline
        carried over to a day that has passed by today, so her board shows both."""
        past = [
            r for r in reviews if r.task.current_due_on < day and "đảng phí" not in r.task.title
        ]
        candidates = past or [r for r in reviews if "đảng phí" not in r.task.title] or reviews
        if not candidates:
            return
        done = candidates[0]
        if not done.is_done:
            done.result, done.decision, done.new_due_on = TaskResult.DONE, "", None
            done.closed_reason, done.reason = "", ""
            done.note = "Hoàn thành trước thời hạn." if done.early else "hoàn thành tốt"
        done.evaluation = Evaluation.PRAISE
        if len(past) < 2:
            return
        carried = past[1]
        new_due_on = min(day + timedelta(days=6), self.cell.today - timedelta(days=1))
        if new_due_on <= day:
            new_due_on = self._new_deadline(day)
        carried.result, carried.decision = TaskResult.PARTLY, TaskDecision.CARRY_OVER
        carried.new_due_on, carried.closed_reason = new_due_on, ""
        carried.evaluation, carried.reason = Evaluation.REMINDER, NOT_DONE_REASONS[1]

    def save_reviews(self, meeting, reviews):
        for review in reviews:
            note = review.note if review.early else ""
            if review.reason:
                note = f"Mới thực hiện được một phần vì {review.reason.removeprefix('do ')}."
            update = TaskUpdate(
                task=review.task,
                meeting=meeting,
                result=review.result,
                note=note,
                evaluation=review.evaluation,
                decision=review.decision,
                new_due_on=review.new_due_on,
                closed_reason=review.closed_reason,
            )
            update.clean()
            update._history_user = self.cell.user
            save_task_review(update, reviewed=True)

    def adopt(self, meeting, plan, tasks):
        """The resolution of a complete meeting, with its tasks."""
        if not tasks:
            return None
        local = timezone.localtime(plan.when)
        if plan.kind == MeetingKind.REGULAR:
            kind = ResolutionKind.MONTHLY
            title = f"Nghị quyết lãnh đạo thực hiện nhiệm vụ tháng {local.month}/{local.year}"
            body = meeting.next_tasks
        else:
            if not plan.latest and self.cell.task_rng.random() >= THEMATIC_RESOLUTION_SHARE:
                return None
            topic, _subject, _speeches, conclusion, _lessons = self.cell.topic(plan.topic_key)
            kind = ResolutionKind.THEMATIC
            title = f"Nghị quyết chuyên đề “{topic}”"
            body = f"{conclusion}\n{meeting.next_tasks}"
        resolution = Resolution(
            meeting=meeting,
            number=next_resolution_number(self.cell.organization, term_of(meeting.meeting_date)),
            kind=kind,
            title=title,
            body=body,
        )
        resolution._history_user = self.cell.user
        save_resolution(resolution)
        for order, spec in enumerate(tasks, 1):
            task = Task(
                resolution=resolution,
                title=spec.title,
                lead=spec.lead,
                due_on=spec.due_on,
                order=order,
            )
            task._history_user = self.cell.user
            task.save()
            if spec.others:
                task.assignees.set(spec.others)
        return resolution

"""A member's year: the material for the annual member rating."""

from dataclasses import dataclass

from django.db.models import Q

from meetings.models import Attendance, AttendanceStatus, MeetingStatus
from meetings.rules import percent
from resolutions.models import Evaluation, Task, TaskDecision, TaskResult, TaskStatus, TaskUpdate


@dataclass
class MemberYear:
    year: int
    meetings_summoned: int
    meetings_attended: int
    absent_with_reason: int
    absent_without_reason: int
    tasks: list
    tasks_done: int
    tasks_done_on_time: int
    tasks_open: int
    praises: int
    reminders: int

    @property
    def attendance_percent(self):
        return percent(self.meetings_attended, self.meetings_summoned)


def member_year(member, year):
    attendance = list(
        Attendance.objects.filter(member=member, meeting__year=year, meeting__is_current=True)
        .exclude(meeting__status=MeetingStatus.PLANNED)
        .select_related("meeting")
    )
    summoned = [row for row in attendance if row.is_summoned]
    tasks = list(
        Task.objects.of_current_minutes()
        .filter(Q(lead=member) | Q(assignees=member), resolution__meeting__year=year)
        .select_related("resolution", "resolution__meeting", "lead")
        .distinct()
        .order_by("due_on", "pk")
    )
    task_ids = [task.pk for task in tasks]
    updates = list(
        TaskUpdate.objects.filter(task_id__in=task_ids, meeting__is_current=True).select_related(
            "meeting", "task"
        )
    )
    # The date a task was finished is not recorded, only the meeting that heard of it:
    # a task counts as done on time when it was done without ever being carried over.
    carried_over = {
        update.task_id for update in updates if update.decision == TaskDecision.CARRY_OVER
    }
    done_on_time = {
        update.task_id
        for update in updates
        if update.result == TaskResult.DONE and update.task_id not in carried_over
    }
    return MemberYear(
        year=year,
        meetings_summoned=len(summoned),
        meetings_attended=sum(1 for row in summoned if row.is_present),
        absent_with_reason=sum(
            1 for row in summoned if row.status == AttendanceStatus.ABSENT_EXCUSED
        ),
        absent_without_reason=sum(
            1 for row in summoned if row.status == AttendanceStatus.ABSENT_UNEXCUSED
        ),
        tasks=tasks,
        tasks_done=sum(1 for task in tasks if task.status == TaskStatus.DONE),
        tasks_done_on_time=len(done_on_time),
        tasks_open=sum(1 for task in tasks if task.is_open),
        praises=sum(1 for update in updates if update.evaluation == Evaluation.PRAISE),
        reminders=sum(1 for update in updates if update.evaluation == Evaluation.REMINDER),
    )

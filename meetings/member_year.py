"""A member's year: the material for the annual member rating.

`member_years` computes it for a whole set of members in a fixed number of queries
(the rating's drafts of a cell of 500 cost what a cell of 36 does); `member_year` is
the same computation for one member.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from meetings.models import (
    Attendance,
    AttendanceStatus,
    Decision,
    MeetingStatus,
    Speech,
)
from meetings.rules import percent
from members.models import Member
from resolutions.models import Evaluation, Task, TaskDecision, TaskResult, TaskStatus, TaskUpdate

MONTHS = range(1, 13)


@dataclass
class MonthAttendance:
    month: int
    summoned: int = 0
    present: int = 0
    excused: int = 0
    unexcused: int = 0


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
    # Done tasks the cell praised when it reviewed them: the record's sign of work
    # "above requirement" (the minutes hold no other measure of it).
    tasks_praised: int = 0
    speeches: int = 0
    by_month: list = field(default_factory=list)
    decisions: list = field(default_factory=list)

    @property
    def attendance_percent(self):
        return percent(self.meetings_attended, self.meetings_summoned)

    @property
    def tasks_done_late(self):
        return self.tasks_done - self.tasks_done_on_time

    @property
    def tasks_not_done(self):
        """Assigned and not done: still open, or closed undone (cancelled ones aside)."""
        return sum(
            1 for task in self.tasks if task.status not in {TaskStatus.DONE, TaskStatus.CANCELLED}
        )

    @property
    def tasks_counted(self):
        """The tasks the rating counts: every task assigned but the cancelled ones."""
        return sum(1 for task in self.tasks if task.status != TaskStatus.CANCELLED)


def member_year(member, year):
    return member_years(Member.objects.filter(pk=member.pk), year)[member.pk]


def member_years(members, year):
    """{member id: MemberYear} for every member of the queryset `members`, in seven
    queries whatever their number."""
    member_ids = list(members.values_list("pk", flat=True))
    attendance = (
        Attendance.objects.filter(member__in=members, meeting__year=year, meeting__is_current=True)
        .exclude(meeting__status=MeetingStatus.PLANNED)
        .select_related("meeting")
    )
    summoned_rows = defaultdict(list)
    for row in attendance:
        if row.is_summoned:
            summoned_rows[row.member_id].append(row)
    tasks_query = (
        Task.objects.of_current_minutes()
        .filter(Q(lead__in=members) | Q(assignees__in=members), resolution__meeting__year=year)
        .distinct()
    )
    tasks = list(
        tasks_query.select_related("resolution", "resolution__meeting", "lead").order_by(
            "due_on", "pk"
        )
    )
    assigned = defaultdict(set)
    for task in tasks:
        assigned[task.lead_id].add(task.pk)
    for task_id, member_id in Task.assignees.through.objects.filter(
        task__in=tasks_query, member__in=members
    ).values_list("task_id", "member_id"):
        assigned[member_id].add(task_id)
    updates = defaultdict(list)
    for update in TaskUpdate.objects.filter(task__in=tasks_query, meeting__is_current=True):
        updates[update.task_id].append(update)
    speeches = Counter(
        dict(
            Speech.objects.filter(speaker__in=members, meeting__year=year, meeting__is_current=True)
            .exclude(meeting__status=MeetingStatus.PLANNED)
            .values_list("speaker_id")
            .annotate(count=Count("pk"))
        )
    )
    decisions = defaultdict(list)
    for decision in (
        Decision.objects.filter(member__in=members, meeting__year=year, meeting__is_current=True)
        .exclude(meeting__status=MeetingStatus.PLANNED)
        .select_related("meeting")
        .order_by("meeting__scheduled_at", "order")
    ):
        decisions[decision.member_id].append(decision)
    return {
        member_id: _year_of(
            year,
            summoned_rows[member_id],
            [task for task in tasks if task.pk in assigned[member_id]],
            updates,
            speeches[member_id],
            decisions[member_id],
        )
        for member_id in member_ids
    }


def _year_of(year, summoned, tasks, updates_by_task, speeches, decisions):
    updates = [update for task in tasks for update in updates_by_task[task.pk]]
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
    praised_done = {
        update.task_id
        for update in updates
        if update.evaluation == Evaluation.PRAISE and update.result == TaskResult.DONE
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
        tasks_praised=len(praised_done),
        speeches=speeches,
        by_month=_by_month(summoned),
        decisions=decisions,
    )


def _by_month(summoned):
    months = {month: MonthAttendance(month) for month in MONTHS}
    for row in summoned:
        month = months[row.meeting.month]
        month.summoned += 1
        month.present += row.is_present
        month.excused += row.status == AttendanceStatus.ABSENT_EXCUSED
        month.unexcused += row.status == AttendanceStatus.ABSENT_UNEXCUSED
    return list(months.values())

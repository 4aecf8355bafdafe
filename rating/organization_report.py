"""The cell's own report for the year (Mẫu 01), drafted from the record: meetings
held per month, thematic meetings per quarter, committee meetings, the attendance
rate, the completion of the resolutions' tasks and the meetings' self-scores. The
judgements (the level the cell proposes for itself) stay with the cell."""

from dataclasses import dataclass, field

from meetings.kinds import MeetingKind
from meetings.models import Decision, DecisionKind, Meeting, MeetingStatus
from meetings.rules import percent, quality_total
from resolutions.models import Task, TaskStatus

# Meetings whose attendance is the cell's: committee and party group meetings summon
# only their own members and stay out of the rate.
CELL_MEETING_KINDS = {MeetingKind.REGULAR, MeetingKind.THEMATIC, MeetingKind.EXTRAORDINARY}


@dataclass
class OrganizationYear:
    year: int
    regular_by_month: dict
    thematic_by_quarter: dict
    committee_meetings: int
    other_meetings: int
    present: int
    summoned: int
    tasks_counted: int
    tasks_done: int
    members_disciplined: int
    scores: list = field(default_factory=list)  # (date, total points) per scored meeting

    @property
    def attendance_percent(self):
        return percent(self.present, self.summoned)

    @property
    def tasks_done_percent(self):
        return percent(self.tasks_done, self.tasks_counted)

    @property
    def months_with_regular(self):
        return sum(1 for count in self.regular_by_month.values() if count)

    @property
    def average_score(self):
        if not self.scores:
            return None
        return round(sum(total for _day, total in self.scores) / len(self.scores), 1)


def organization_year(organization, year):
    """The figures of Mẫu 01, in three queries."""
    meetings = list(
        Meeting.objects.filter(organization=organization, year=year)
        .current()
        .exclude(status=MeetingStatus.PLANNED)
        .with_attendance_figures()
        .order_by("scheduled_at")
    )
    regular = dict.fromkeys(range(1, 13), 0)
    thematic = dict.fromkeys(range(1, 5), 0)
    present = summoned = 0
    scores = []
    for meeting in meetings:
        if meeting.kind == MeetingKind.REGULAR:
            regular[meeting.month] += 1
        if meeting.kind == MeetingKind.THEMATIC:
            thematic[(meeting.month - 1) // 3 + 1] += 1
        if meeting.kind in CELL_MEETING_KINDS:
            present += meeting.attendance_present
            summoned += meeting.attendance_summoned
        if meeting.quality_scores:
            total = quality_total(meeting.quality_scores)
            scores.append((meeting.meeting_date, total))
    tasks = list(
        Task.objects.of_current_minutes()
        .in_force()
        .filter(organization=organization, resolution__meeting__year=year)
        .exclude(status=TaskStatus.CANCELLED)
        .values_list("status", flat=True)
    )
    disciplined = (
        Decision.objects.filter(
            meeting__organization=organization,
            meeting__year=year,
            meeting__is_current=True,
            kind=DecisionKind.DISCIPLINE,
        )
        .values("member")
        .distinct()
        .count()
    )
    return OrganizationYear(
        year=year,
        regular_by_month=regular,
        thematic_by_quarter=thematic,
        committee_meetings=sum(1 for m in meetings if m.kind == MeetingKind.COMMITTEE),
        other_meetings=sum(1 for m in meetings if m.kind == MeetingKind.EXTRAORDINARY),
        present=present,
        summoned=summoned,
        tasks_counted=len(tasks),
        tasks_done=sum(1 for status in tasks if status == TaskStatus.DONE),
        members_disciplined=disciplined,
        scores=scores,
    )

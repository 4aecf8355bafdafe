"""The evidence of a member's year, as stored in her draft Mẫu 2C.

Computed from the record (meetings.member_year) for the whole cell at once, and
kept as a snapshot on the assessment: what the cell reviewed stays what it saw.
Each figure links back to the record (the tasks, the meetings of the decisions).
"""

from datetime import date

from django.utils.timezone import localdate

from meetings.member_year import member_years
from meetings.models import DecisionKind
from resolutions.models import TaskStatus


def evidence_for_members(members, year):
    """{member id: evidence dict} for the queryset `members`, in a fixed number of queries."""
    return {
        member_id: evidence_of(record) for member_id, record in member_years(members, year).items()
    }


def evidence_of(record):
    return {
        "year": record.year,
        "meetings": {
            "summoned": record.meetings_summoned,
            "present": record.meetings_attended,
            "excused": record.absent_with_reason,
            "unexcused": record.absent_without_reason,
            "percent": record.attendance_percent,
        },
        "by_month": [
            {
                "month": month.month,
                "summoned": month.summoned,
                "present": month.present,
                "excused": month.excused,
                "unexcused": month.unexcused,
            }
            for month in record.by_month
        ],
        "tasks": {
            "assigned": len(record.tasks),
            "counted": record.tasks_counted,
            "done": record.tasks_done,
            "on_time": record.tasks_done_on_time,
            "late": record.tasks_done_late,
            "above_requirement": record.tasks_praised,
            "not_done": record.tasks_not_done,
            "open": record.tasks_open,
        },
        "task_list": [
            {
                "id": task.pk,
                "title": task.title,
                "due_on": task.due_on.isoformat(),
                "status": task.status,
                "meeting_id": task.resolution.meeting_id,
            }
            for task in record.tasks
        ],
        "speeches": record.speeches,
        "praises": record.praises,
        "reminders": record.reminders,
        "decisions": [
            {
                "kind": decision.kind,
                "date": localdate(decision.meeting.scheduled_at).isoformat(),
                "meeting_id": decision.meeting_id,
                "note": decision.note,
            }
            for decision in record.decisions
        ],
    }


def with_labels(evidence):
    """The snapshot with the names of its codes in the reader's language, for pages
    and print (the snapshot itself keeps the codes)."""
    return {
        **evidence,
        "task_list": [
            {**task, "status_label": TaskStatus(task["status"]).label}
            for task in evidence.get("task_list", [])
        ],
        "decisions": [
            {
                **decision,
                "kind_label": DecisionKind(decision["kind"]).label,
                "day": date.fromisoformat(decision["date"]),
            }
            for decision in evidence.get("decisions", [])
        ],
    }

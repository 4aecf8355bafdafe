"""The measurable lines of the 100-point quality form, read off the record.

One home for every measure a criterion can name with its "measure" key
(meetings.models.QUALITY_MEASURES): the meeting's length against its kind's minimum,
the attendance rate, a cell committee meeting held before, the earlier resolutions'
tasks reviewed, the share of the members present who spoke, the minutes signed in
time. Each gives a share (0 to 1) of the line's maximum and the evidence in words;
the page shows the suggested points beside the box, the person scoring decides. The
lines without a measure (chairing, principles...) are judgements: nothing suggested.

The recording page's closing step (the cell's self-score) and the superior's score on
the meeting page (oversight.review) both call `measure_meeting`.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meetings import preparation
from meetings.models import QUALITY_MEASURES, MeetingKind
from meetings.record import summarize_rows
from meetings.rules import duration_in_minutes, meeting_setting
from meetings.warnings import minimum_minutes
from resolutions import services as resolution_services
from resolutions.models import TaskUpdate


@dataclass(frozen=True)
class Measured:
    """What the record says for one line: `share` of its maximum (None: nothing can
    be measured yet, or the measure does not apply to this kind of meeting)."""

    measure: str
    share: float | None
    evidence: str

    def suggested(self, maximum):
        if self.share is None:
            return None
        return round(int(maximum) * max(0.0, min(1.0, self.share)))


# ---------------------------------------------------------------- the measures


def _length(meeting, facts):
    duration = duration_in_minutes(meeting.started_at, meeting.ended_at)
    minimum = minimum_minutes(meeting.rules)
    if duration is None:
        return None, _("The start or end time is not recorded yet.")
    if not minimum:
        return None, _("%(duration)s minutes; this kind of meeting has no minimum length.") % {
            "duration": duration
        }
    return min(1.0, duration / minimum), _(
        "%(duration)s minutes, for a minimum of %(minimum)s."
    ) % {"duration": duration, "minimum": minimum}


def _attendance(meeting, facts):
    summary = facts.summary
    if not summary.summoned:
        return None, _("Nobody is summoned yet.")
    return summary.present / summary.summoned, _(
        "%(present)s of %(summoned)s summoned members present (%(percent)s%%)."
    ) % {
        "present": summary.present,
        "summoned": summary.summoned,
        "percent": summary.percent_present,
    }


def _committee_before(meeting, facts):
    if meeting.kind != MeetingKind.REGULAR:
        return None, _("Measured for regular meetings only.")
    days = meeting_setting("COMMITTEE_PREPARES_DAYS")
    if facts.committee is None:
        return 0.0, _("No cell committee meeting in the %(days)s days before.") % {"days": days}
    return 1.0, _("Cell committee meeting of %(date)s.") % {
        "date": facts.committee.meeting_date.strftime("%d/%m/%Y")
    }


def _tasks_reviewed(meeting, facts):
    if not meeting.rules.has_task_review:
        return None, _("This kind of meeting reviews no tasks.")
    due, reviewed = facts.tasks_due, facts.tasks_reviewed
    if not due:
        return 1.0, _("No task of an earlier resolution was open.")
    return reviewed / due, ngettext(
        "%(reviewed)s of %(due)s open task of earlier resolutions reviewed.",
        "%(reviewed)s of %(due)s open tasks of earlier resolutions reviewed.",
        due,
    ) % {"reviewed": reviewed, "due": due}


def _speakers(meeting, facts):
    present = facts.present_ids
    if not present:
        return None, _("Nobody is marked present yet.")
    spoke = len(present & facts.speaker_ids)
    return spoke / len(present), _("%(spoke)s of %(present)s members present spoke.") % {
        "spoke": spoke,
        "present": len(present),
    }


def _signed_promptly(meeting, facts):
    days = meeting_setting("QUALITY_SIGNED_WITHIN_DAYS")
    if meeting.signed_at is None or meeting.started_at is None:
        return None, _("Measured once the minutes are signed.")
    waited = (timezone.localtime(meeting.signed_at).date() - meeting.held_on).days
    text = ngettext(
        "Signed %(waited)s day after the meeting (at most %(days)s).",
        "Signed %(waited)s days after the meeting (at most %(days)s).",
        waited,
    ) % {"waited": waited, "days": days}
    return (1.0 if waited <= days else 0.0), text


MEASURES = {
    "length": _length,
    "attendance": _attendance,
    "committee_before": _committee_before,
    "tasks_reviewed": _tasks_reviewed,
    "speakers": _speakers,
    "signed_promptly": _signed_promptly,
}
assert tuple(MEASURES) == QUALITY_MEASURES  # noqa: S101 (one list of names, two homes)


# ---------------------------------------------------------------- the facts


@dataclass
class Facts:
    summary: object
    present_ids: set
    speaker_ids: set
    tasks_due: int
    tasks_reviewed: int
    committee: object


def _gather(meeting, summary, needed):
    if summary is None:
        summary = summarize_rows(list(meeting.attendances.select_related("member")))
    present_ids = {row.member_id for row in summary.rows if row.counts_as_present}
    speaker_ids = set()
    if "speakers" in needed:
        speaker_ids = set(
            meeting.speeches.exclude(speaker=None).values_list("speaker_id", flat=True)
        )
    tasks_due = tasks_reviewed = 0
    if "tasks_reviewed" in needed and meeting.rules.has_task_review:
        due = set(resolution_services.tasks_to_review(meeting).values_list("pk", flat=True))
        done = set(TaskUpdate.objects.filter(meeting=meeting).values_list("task_id", flat=True))
        tasks_due, tasks_reviewed = len(due), len(due & done)
    committee = None
    if "committee_before" in needed:
        # The one rule of which committee meeting prepared a regular one.
        committee = preparation.preparing_committee_meeting(meeting)
    return Facts(summary, present_ids, speaker_ids, tasks_due, tasks_reviewed, committee)


# ---------------------------------------------------------------- the form's lines


def measure_meeting(meeting, criteria, summary=None):
    """{criterion code: Measured} for the lines of `criteria` that name a measure
    (an unknown name measures nothing). `summary`: the meeting's AttendanceSummary,
    if the page has one already."""
    wanted = {
        str(item["code"]): item["measure"]
        for item in criteria
        if isinstance(item, dict)
        and isinstance(item.get("measure"), str)
        and item["measure"] in MEASURES
    }
    if not wanted:
        return {}
    facts = _gather(meeting, summary, set(wanted.values()))
    measured = {}
    for code, name in wanted.items():
        share, evidence = MEASURES[name](meeting, facts)
        measured[code] = Measured(measure=name, share=share, evidence=evidence)
    return measured


def suggested_lines(meeting, criteria, summary=None):
    """The form's lines, each {"code", "label", "max", "measured", "suggested"}:
    `measured` is None on a judgement line."""
    measured = measure_meeting(meeting, criteria, summary)
    return [
        {
            "code": str(item["code"]),
            "label": item["label"],
            "max": int(item["max"]),
            "measured": measured.get(str(item["code"])),
            "suggested": measured[str(item["code"])].suggested(item["max"])
            if str(item["code"]) in measured
            else None,
        }
        for item in criteria
    ]

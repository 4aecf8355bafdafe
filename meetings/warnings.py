"""What the minutes fall short of, as warnings (DOMAIN.md: warnings, never a block).

One rule for every page that shows them: the recording and finalizing pages (through
`meetings.services.summarize_attendance`) and the superior's review queue
(oversight.review) both call `warnings_for`. The queue gathers the facts of a whole
page at once (`warnings_for_page`), in a fixed number of queries, and applies the
same rule to each meeting.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meetings.models import Attendance, AttendanceStatus, Meeting, MeetingKind, MeetingStatus
from meetings.record import summarize_rows
from meetings.rules import meeting_setting

ATTENDANCE_LOW = "attendance_low"
ABSENT_UNEXCUSED = "absent_unexcused"
ABSENCE_STREAK = "absence_streak"
TOO_SHORT = "too_short"
SAME_DAY_TOO_SHORT = "same_day_too_short"
DURATION_KINDS = frozenset({TOO_SHORT, SAME_DAY_TOO_SHORT})


class MeetingWarning(str):
    """A warning's text, as pages and messages show it, with its `kind` (one of the
    names above) for pages that flag a column instead of printing the sentence."""

    def __new__(cls, kind, text):
        warning = super().__new__(cls, text)
        warning.kind = kind
        return warning


_LOOK_UP = object()  # a fact the caller did not gather: warnings_for reads it itself


def warnings_for(meeting, summary=None, *, streaks=None, same_day=_LOOK_UP):
    """The attendance and duration warnings of the minutes, in the order pages show them.

    summary: the AttendanceSummary of its rows (read from the database if None);
    streaks: the members absent with reason at every one of the last regular meetings;
    same_day: the other meeting held the same day (see same_day_partners), or None.
    """
    if summary is None:
        summary = summarize_rows(list(meeting.attendances.select_related("member")))
    if streaks is None:
        streaks = excused_absence_streaks(meeting, summary.absent_excused)
    if same_day is _LOOK_UP:
        same_day = held_same_day(meeting)
    return attendance_warnings(summary, streaks) + duration_warnings(meeting, same_day=same_day)


def warnings_for_page(meetings):
    """{meeting pk: warnings_for(meeting)} for a page of meetings, in four queries
    whatever the number of meetings (the same rule, the facts gathered at once)."""
    meetings = list(meetings)
    rows = {meeting.pk: [] for meeting in meetings}
    for row in Attendance.objects.filter(meeting_id__in=rows).select_related("member"):
        rows[row.meeting_id].append(row)
    summaries = {pk: summarize_rows(meeting_rows) for pk, meeting_rows in rows.items()}
    streaks = excused_absence_streaks_for(
        meetings, {pk: summary.absent_excused for pk, summary in summaries.items()}
    )
    partners = same_day_partners(meetings)
    return {
        meeting.pk: warnings_for(
            meeting,
            summaries[meeting.pk],
            streaks=streaks.get(meeting.pk, []),
            same_day=partners.get(meeting.pk),
        )
        for meeting in meetings
    }


# ---------------------------------------------------------------- attendance


def attendance_warnings(summary, streaks):
    warnings = []
    target = meeting_setting("ATTENDANCE_TARGET_PERCENT")
    # Judged once every summoned member is marked: while she is still ticking names,
    # the share present says nothing yet (rows of members not summoned do not count).
    if summary.summoned and summary.unmarked == 0 and summary.percent_present < target:
        warnings.append(
            MeetingWarning(
                ATTENDANCE_LOW,
                _("Attendance is %(percent)s%%, under the target of %(target)s%%.")
                % {"percent": summary.percent_present, "target": target},
            )
        )
    if summary.absent_unexcused:
        count = len(summary.absent_unexcused)
        warnings.append(
            MeetingWarning(
                ABSENT_UNEXCUSED,
                ngettext(
                    "%(count)s member is absent without reason.",
                    "%(count)s members are absent without reason.",
                    count,
                )
                % {"count": count},
            )
        )
    for member in streaks:
        warnings.append(
            MeetingWarning(
                ABSENCE_STREAK,
                _("%(name)s has been absent with reason %(count)s meetings running.")
                % {"name": member.full_name, "count": meeting_setting("ABSENT_WITH_REASON_STREAK")},
            )
        )
    return warnings


def excused_absence_streaks(meeting, absent_excused_rows):
    """Members absent with reason here and at each of the previous regular meetings."""
    return excused_absence_streaks_for([meeting], {meeting.pk: absent_excused_rows}).get(
        meeting.pk, []
    )


def excused_absence_streaks_for(meetings, absent_excused_by_meeting):
    """excused_absence_streaks of several meetings, in two queries at most."""
    streak = meeting_setting("ABSENT_WITH_REASON_STREAK")
    asked = [meeting for meeting in meetings if absent_excused_by_meeting.get(meeting.pk)]
    if not asked or streak < 2:
        return {}
    history = (
        Meeting.objects.current()
        .regular()
        .filter(
            organization_id__in={meeting.organization_id for meeting in asked},
            scheduled_at__lt=max(meeting.scheduled_at for meeting in asked),
        )
        .exclude(status=MeetingStatus.PLANNED)
        .order_by("-scheduled_at")
        .values_list("pk", "organization_id", "scheduled_at")
    )
    history = list(history)
    previous = {}
    for meeting in asked:
        earlier = [
            pk
            for pk, organization_id, scheduled_at in history
            if organization_id == meeting.organization_id and scheduled_at < meeting.scheduled_at
        ][: streak - 1]
        if len(earlier) == streak - 1:
            previous[meeting.pk] = earlier
    if not previous:
        return {}
    absences = set(
        Attendance.objects.filter(
            meeting_id__in={pk for earlier in previous.values() for pk in earlier},
            member_id__in={
                row.member_id for pk in previous for row in absent_excused_by_meeting[pk]
            },
            status=AttendanceStatus.ABSENT_EXCUSED,
        ).values_list("meeting_id", "member_id")
    )
    return {
        pk: [
            row.member
            for row in absent_excused_by_meeting[pk]
            if all((earlier_pk, row.member_id) in absences for earlier_pk in earlier)
        ]
        for pk, earlier in previous.items()
    }


# ---------------------------------------------------------------- duration

SAME_DAY_PAIR = {
    MeetingKind.REGULAR: MeetingKind.THEMATIC,
    MeetingKind.THEMATIC: MeetingKind.REGULAR,
}


def minimum_minutes(rules):
    """The kind's own minimum length in minutes (meetings.kinds), or None."""
    name = rules.minimum_minutes_setting
    return meeting_setting(name) if name else None


def held_same_day(meeting):
    """The other live regular or thematic meeting of the cell on the day this one was held."""
    return same_day_partners([meeting]).get(meeting.pk)


def same_day_partners(meetings):
    """{meeting pk: the other live meeting of the pair held by its cell the same day},
    in one query at most."""
    asked = [meeting for meeting in meetings if meeting.kind in SAME_DAY_PAIR]
    if not asked:
        return {}
    candidates = list(
        Meeting.objects.current()
        .filter(
            organization_id__in={meeting.organization_id for meeting in asked},
            kind__in=SAME_DAY_PAIR,
            # in the current time zone, as held_on
            started_at__date__in={meeting.held_on for meeting in asked},
        )
        .exclude(status=MeetingStatus.PLANNED)
        .only("pk", "organization_id", "kind", "started_at", "ended_at", "scheduled_at")
    )
    partners = {}
    for meeting in asked:
        partner = next(
            (
                other
                for other in candidates
                if other.pk != meeting.pk
                and other.organization_id == meeting.organization_id
                and other.kind == SAME_DAY_PAIR[meeting.kind]
                and timezone.localtime(other.started_at).date() == meeting.held_on
            ),
            None,
        )
        if partner is not None:
            partners[meeting.pk] = partner
    return partners


def duration_warnings(meeting, *, same_day=_LOOK_UP):
    """What the length of the meeting falls short of (DOMAIN.md: a regular meeting at
    least 90 minutes, a thematic one its own minimum; a thematic one held the same day
    runs separately after the regular one, the two together at least 120), in plain
    words. A meeting without its end time is not "too short": finalizing asks for the
    end time instead (services.missing_for_finalize)."""
    duration = meeting.duration_minutes
    if duration is None:
        return []
    warnings = []
    minimum = minimum_minutes(meeting.rules)
    if minimum and duration < minimum:
        warnings.append(
            MeetingWarning(
                TOO_SHORT,
                _(
                    "The meeting lasted %(duration)s minutes; the minimum for this kind of "
                    "meeting (%(kind)s) is %(minimum)s minutes."
                )
                % {
                    "duration": duration,
                    "kind": meeting.get_kind_display().lower(),
                    "minimum": minimum,
                },
            )
        )
    other = held_same_day(meeting) if same_day is _LOOK_UP else same_day
    if other is not None and other.duration_minutes is not None:
        together = duration + other.duration_minutes
        combined = meeting_setting("SAME_DAY_COMBINED_MINIMUM_MINUTES")
        if together < combined:
            warnings.append(
                MeetingWarning(
                    SAME_DAY_TOO_SHORT,
                    _(
                        "The regular and the thematic meeting held the same day lasted "
                        "%(together)s minutes together; together they should last at least "
                        "%(minimum)s minutes."
                    )
                    % {"together": together, "minimum": combined},
                )
            )
    return warnings

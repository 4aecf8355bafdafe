"""The recording page's forms (the minutes, and the editor that puts them together with
the rows of meetings/row_forms.py) and the planning and filter forms."""

from datetime import datetime, time, timedelta

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cellmeet.converters import FIRST_YEAR, LAST_YEAR
from cellmeet.forms import (
    CellmeetModelForm,
    DayFirstDateInput,
    VersionedModelForm,
    form_values,
    mark_needed,
    row_changes,
    row_errors,
)
from meetings import suggestions, vote_boxes
from meetings.attendance_pages import AttendancePages
from meetings.changes import DraftChanges
from meetings.decision_forms import DecisionEditor
from meetings.kinds import ALL_PROCEEDINGS, LAST_RESOLUTION_REVIEW, NEWS_BRIEFING, NEXT_TASKS
from meetings.models import (
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    quality_criteria_for,
    vote_count_for,
)
from meetings.row_forms import (
    AttendanceFormSet,
    GuestFormSet,
    SpeechFormSet,
    keep_vanished_rows_as_new,
)
from meetings.rules import meeting_setting
from meetings.steps import QUALITY
from meetings.uploads import validate_lead_report
from members.models import Member
from members.pickers import Roster, offer_members
from resolutions.forms import ResolutionEditor


class TimeInput(forms.TimeInput):
    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {"placeholder": _("hh:mm"), "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%H:%M")


def combine(day, moment):
    if day is None or moment is None:
        return None
    return timezone.make_aware(datetime.combine(day, moment))


# A meeting may run past midnight: an end time earlier than the start falls on the next
# day, as long as the meeting would then not last longer than this. A longer one is far
# likelier a slip of the 12-hour clock ("9:15" for 21:15) and is asked about instead.
LONGEST_MEETING_PAST_MIDNIGHT = timedelta(hours=6)


def end_of_meeting(started_at, end_time):
    """The moment the meeting ended, from its start and the end time typed (no date:
    the form asks only for the time). Raises ValidationError for an impossible end."""
    if started_at is None or end_time is None:
        return None
    local_start = timezone.localtime(started_at)
    ended_at = combine(local_start.date(), end_time)
    if ended_at == started_at:
        raise forms.ValidationError(_("The end time must come after the start."))
    if ended_at < started_at:
        next_day = combine(local_start.date() + timedelta(days=1), end_time)
        if next_day - started_at > LONGEST_MEETING_PAST_MIDNIGHT:
            raise forms.ValidationError(
                _(
                    "The end time %(end)s is before the start time %(start)s. Write times "
                    "on the 24-hour clock (21:15, not 9:15); a meeting that goes past "
                    "midnight may end at most %(hours)s hours after it started."
                ),
                params={
                    "end": end_time.strftime("%H:%M"),
                    "start": local_start.strftime("%H:%M"),
                    "hours": int(LONGEST_MEETING_PAST_MIDNIGHT.total_seconds() // 3600),
                },
            )
        ended_at = next_day
    return ended_at


def local_parts(value):
    if value is None:
        return None, None
    local = timezone.localtime(value)
    return local.date(), local.time().replace(second=0, microsecond=0)


class PlanMeetingForm(CellmeetModelForm):
    day = forms.DateField(label=_("Date"), widget=DayFirstDateInput)
    start = forms.TimeField(
        label=pgettext_lazy("meeting", "Time"), widget=TimeInput, initial=time(19, 30)
    )

    class Meta:
        model = Meeting
        fields = ["kind", "day", "start", "location", "topic"]

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organization is not None:
            self.instance.organization = organization
        self.fields["day"].initial, planned_time = local_parts(self.instance.scheduled_at)
        if planned_time:
            self.fields["start"].initial = planned_time
        if not self.instance.pk and not self.instance.location:
            self.fields["location"].initial = self.instance.organization.place
        if not self.instance.pk and not self.instance.kind:
            self.fields["kind"].initial = suggestions.suggested_kind(
                self.instance.organization, self.instance.scheduled_at or timezone.now()
            )

    def clean(self):
        cleaned_data = super().clean()
        scheduled_at = combine(cleaned_data.get("day"), cleaned_data.get("start"))
        if scheduled_at:
            self.instance.scheduled_at = scheduled_at
            self.instance.kind = cleaned_data.get("kind")
            if suggestions.duplicate_regular_meeting(self.instance):
                self.add_error(
                    "day",
                    _(
                        "This cell already has a regular meeting that month. To meet "
                        "again, plan an extraordinary meeting."
                    ),
                )
        if cleaned_data.get("kind") == MeetingKind.THEMATIC and not cleaned_data.get("topic"):
            self.add_error("topic", _("A thematic meeting needs its topic."))
        return cleaned_data


# Boxes needed before the minutes can be finalized (services.missing_for_finalize):
# marked on the page, never required to save a draft.
NEEDED_TO_FINALIZE = {
    "held_on",
    "start_time",
    "end_time",
    "chair",
    "note_taker",
    "conclusion",
    "vote_method",
    "votes_for",
    "minutes_adopted_votes",
}
NEEDED_BY_KIND = {
    MeetingKind.REGULAR: {NEWS_BRIEFING},
    MeetingKind.THEMATIC: {"presenter", "lead_report_title"},
}

# One text place per piece of content: last month's resolution is reviewed task by
# task, and next month's tasks are the resolution's task table (resolutions.forms).
# These two free-text boxes are kept in the model for minutes written before those
# parts existed, and shown only when they already hold text (so it can be read,
# corrected or emptied), never as a second place to type the same thing.
SUPERSEDED_TEXT_BOXES = (LAST_RESOLUTION_REVIEW, NEXT_TASKS)


class MinutesForm(VersionedModelForm):
    """The minutes themselves, in the official order of a meeting: all of its boxes, or
    those of one step of the recording flow (meetings.steps)."""

    model_fields_shown_as = {"started_at": "start_time", "ended_at": "end_time"}

    held_on = forms.DateField(label=_("Date held"), widget=DayFirstDateInput)
    start_time = forms.TimeField(label=_("Started at"), widget=TimeInput, required=False)
    end_time = forms.TimeField(label=_("Ended at"), widget=TimeInput, required=False)

    class Meta:
        model = Meeting
        fields = [
            "location",
            "chair",
            "note_taker",
            "agenda",
            "agenda_approved",
            "dues_report",
            *ALL_PROCEEDINGS,  # meetings.kinds
            "other_business",
            "topic",
            "presenter",
            "lead_report_title",
            "lead_report",
            "lessons_learned",
            "conclusion",
            "vote_method",
            "votes_for",
            "votes_against",
            "votes_other",
            "minutes_adopted_votes",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in [
                "agenda",
                "dues_report",
                *ALL_PROCEEDINGS,
                "other_business",
                "lessons_learned",
                "conclusion",
            ]
        }

    def __init__(
        self, *args, vote_count=None, present_count=None, step=None, roster=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.vote_count = vote_count
        self.present_count = present_count
        if roster is None:
            roster = Roster(Member.objects.roster_of(self.instance.organization))
        for name in ("chair", "note_taker", "presenter"):
            self.fields[name].queryset = roster.queryset
            offer_members(self.fields[name], roster)
        self.fields["held_on"].initial, self.fields["start_time"].initial = local_parts(
            self.instance.started_at or self.instance.scheduled_at
        )
        self.fields["end_time"].initial = local_parts(self.instance.ended_at)[1]
        for name in SUPERSEDED_TEXT_BOXES:
            if not (getattr(self.instance, name) or "").strip():
                del self.fields[name]
        if not self.instance.rules.needs_lead_report:
            for name in ("presenter", "lead_report_title", "lead_report", "lessons_learned"):
                del self.fields[name]
        if self.instance.rules.named_by_month:
            del self.fields["topic"]  # a regular meeting is named by its month
        if "lead_report" in self.fields:
            self.fields["lead_report"].help_text = _(
                "PDF, Word (.docx), OpenDocument (.odt) or an image; at most %(limit)s."
            ) % {"limit": filesizeformat(meeting_setting("LEAD_REPORT_MAX_BYTES"))}
        self.criteria = quality_criteria_for(self.instance.organization)
        if step is not None and step.name != "closing":
            self.criteria = []  # the quality self-score is part of the closing
        for criterion in self.criteria:
            self.fields[f"quality_{criterion['code']}"] = forms.IntegerField(
                label=str(criterion["label"]),
                min_value=0,
                max_value=int(criterion["max"]),
                required=False,
                initial=(self.instance.quality_scores or {}).get(criterion["code"]),
                help_text=_("at most %(max)s points") % {"max": criterion["max"]},
                # Drawn by hand, one short line each (meetings/_record_closing.html).
                widget=forms.NumberInput(attrs={"class": "form-control quality-input"}),
            )
        if step is not None:
            shown = {"version", *step.minutes_fields}
            for name in list(self.fields):
                if name not in shown and not name.startswith(QUALITY):
                    del self.fields[name]
        needed = NEEDED_TO_FINALIZE | NEEDED_BY_KIND.get(self.instance.kind, set())
        for name in needed & set(self.fields):
            mark_needed(self.fields[name])
        self._suggest_defaults()
        vote_boxes.prepare(self, vote_count)

    def _suggest_defaults(self):
        """A new draft starts with the cell's officers and the planned place; what is
        saved or typed is never replaced (initial values only show on an unbound form)."""
        if self.is_bound or self.instance.status != MeetingStatus.DRAFT:
            return
        if "location" in self.fields and not self.instance.location:
            self.initial["location"] = self.instance.organization.place
        wanted = [name for name in ("chair", "note_taker") if name in self.fields]
        if not any(getattr(self.instance, f"{name}_id") is None for name in wanted):
            return
        chair, note_taker = suggestions.suggested_officers(self.instance)
        if "chair" in wanted and self.instance.chair_id is None:
            self.initial["chair"] = chair
        if "note_taker" in wanted and self.instance.note_taker_id is None:
            self.initial["note_taker"] = note_taker

    def values(self):
        """The meeting's fields on this form, validated, as plain data ({attname:
        value}): those shown, and those its boxes are typed into (date and times)."""
        names = [name for name in self._meta.fields if name in self.fields]
        if "held_on" in self.fields:
            names.append("started_at")
        if "end_time" in self.fields:
            names.append("ended_at")
        if self.criteria:
            names.append("quality_scores")
        return form_values(self, names)

    def quality_fields(self):
        return [self[f"quality_{criterion['code']}"] for criterion in self.criteria]

    def clean_lead_report(self):
        upload = self.cleaned_data.get("lead_report")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            validate_lead_report(upload)
        return upload

    def clean(self):
        cleaned_data = super().clean()
        if "held_on" in self.fields:
            held_on = cleaned_data.get("held_on")
            self.instance.started_at = combine(held_on, cleaned_data.get("start_time"))
        else:  # a step without the date: the date saved, or planned
            held_on = local_parts(self.instance.started_at or self.instance.scheduled_at)[0]
        if "end_time" in self.fields:
            self._clean_end(cleaned_data, held_on)
        if self.criteria:
            self.instance.quality_scores = {
                criterion["code"]: cleaned_data[f"quality_{criterion['code']}"]
                for criterion in self.criteria
                if cleaned_data.get(f"quality_{criterion['code']}") is not None
            }
        if "votes_for" in self.fields:
            self._check_vote(cleaned_data)
        return cleaned_data

    def _clean_end(self, cleaned_data, held_on):
        try:
            self.instance.ended_at = end_of_meeting(
                self.instance.started_at, cleaned_data.get("end_time")
            )
        except forms.ValidationError as error:
            self.add_error("end_time", error)
            self.instance.ended_at = None  # not saved: the form comes back with the error
        else:
            if self.instance.started_at is None and cleaned_data.get("end_time"):
                self.instance.ended_at = combine(held_on, cleaned_data.get("end_time"))

    def _check_vote(self, cleaned_data):
        vote_boxes.check_tally(self, cleaned_data, self.vote_count)
        adopted = cleaned_data.get("minutes_adopted_votes")
        present = self.present_count
        if adopted is not None and present is not None and adopted > present:
            self.add_error(
                "minutes_adopted_votes",
                _("Only %(present)s members are marked present.") % {"present": present},
            )


class MinutesEditor:
    """The minutes form with its attendance, guest and speech rows, saved as one: the
    whole minutes, or one step of the recording flow (a meetings.steps.Step).

    `attendance_page`: which page of a large cell's attendance is shown (AttendancePages).
    """

    def __init__(self, meeting, data=None, files=None, step=None, attendance_page=None):
        self.meeting = meeting
        self.step = step
        self.pages = None
        # "Mark everyone not yet marked as present" on a paged attendance: a button that
        # saves, and marks the rows of every page (meetings/_record_attendance.html).
        self.all_present = data is not None and "all_present" in data
        rows = set(step.rows) if step else {"attendance", "guests", "speeches", "decisions"}
        # The cell's members are read once for the page, whatever the number of boxes
        # that pick one: the page lists them once (members.pickers).
        self.roster = Roster(Member.objects.roster_of(meeting.organization))
        self.attendance = self.guests = self.speeches = None
        if "attendance" in rows:
            attendances = meeting.attendances.select_related("member").order_by(
                "member__sort_key", "pk"
            )
            attendances = list(attendances)
            # The rows she sent decide the page, whatever the address says (a kept
            # submission reopens at an address without its page).
            page = AttendancePages.page_sent(attendances, data, "attendance") or attendance_page
            self.pages = AttendancePages(attendances, page)
            self.attendance = AttendanceFormSet(
                data, queryset=self.pages.shown, prefix="attendance"
            )
        if "guests" in rows:
            self.guests = GuestFormSet(
                keep_vanished_rows_as_new(
                    data, "guests", meeting.guests, GuestFormSet.absolute_max
                ),
                instance=meeting,
                prefix="guests",
            )
        if "speeches" in rows:
            self.speeches = SpeechFormSet(
                keep_vanished_rows_as_new(
                    data, "speeches", meeting.speeches, SpeechFormSet.absolute_max
                ),
                instance=meeting,
                prefix="speeches",
                form_kwargs={"roster": self.roster},
            )
        # The resolution, its tasks and the review of earlier tasks (resolutions.forms).
        resolution_parts = step.resolution_parts if step else None
        self.extra_parts = (
            [ResolutionEditor(meeting, data, files, parts=resolution_parts, roster=self.roster)]
            if resolution_parts is None or resolution_parts
            else []
        )
        vote_count, present = self._count_voters(data)
        if "decisions" in rows:
            # Admission, recognition, exemption, discipline: each by its own majority.
            self.extra_parts.append(
                DecisionEditor(meeting, data, files, vote_count=vote_count, roster=self.roster)
            )
        self.minutes = MinutesForm(
            data,
            files,
            instance=meeting,
            vote_count=vote_count,
            present_count=present,
            step=step,
            roster=self.roster,
        )

    def _count_voters(self, data):
        """Counted from the attendance as submitted, so the check matches the page."""
        if data is None or self.attendance is None or not self.attendance.is_valid():
            rows = list(self.meeting.attendances.all()) if self.pages is None else self.pages.rows
        else:
            rows = self.rows_as_submitted()
        present = sum(1 for row in rows if row.counts_as_present)  # as the minutes count
        return vote_count_for(rows), present

    def rows_as_submitted(self):
        """Every attendance row (None without the attendance): those on the page with
        the marks on it, the others as stored; all marked present if she asked to."""
        if self.attendance is None:
            return None
        submitted = {}
        for form in self.attendance.forms:
            if self.attendance.is_bound and form.is_valid():
                submitted[form.instance.pk] = form.save(commit=False)
            else:
                submitted[form.instance.pk] = form.instance
        rows = [submitted.get(row.pk, row) for row in self.pages.rows]
        if self.all_present:
            for row in rows:
                if row.status == AttendanceStatus.UNMARKED and row.summoned_whatever_the_mark:
                    row.status = AttendanceStatus.PRESENT
        return rows

    @property
    def picks_members(self):
        """Whether a box of the page picks a member: the page then lists them once."""
        minutes = any(name in self.minutes.fields for name in ("chair", "note_taker", "presenter"))
        parts = any(
            getattr(part, name, None) is not None
            for part in self.extra_parts
            for name in ("tasks", "decisions")
        )
        return minutes or parts or self.speeches is not None

    @property
    def parts(self):
        rows = [self.attendance, self.guests, self.speeches]
        return [self.minutes, *[part for part in rows if part is not None]]

    @property
    def row_formsets(self):
        """The formsets whose rows the browser adds or removes."""
        return [formset for formset in (self.guests, self.speeches) if formset is not None]

    def is_valid(self):
        results = [part.is_valid() for part in [*self.parts, *self.extra_parts]]
        return all(results)  # every part was validated, so each shows its errors

    def error_summary(self):
        """(label, anchor) for every box with an error, to list at the top of the page:
        each links to the box itself, not to its section."""
        items = []
        for name in self.minutes.errors:
            if name in self.minutes.fields:
                label = vote_boxes.summary_label(self.minutes, name)
                items.append((label, self.minutes[name].auto_id))
            else:
                items.append((_("General"), "top"))
        if self.attendance is not None:
            for form in self.attendance.forms:
                for name in form.errors:
                    label = (
                        form.fields["reason"].label
                        if name == "reason"
                        else _("Attendance of %(name)s") % {"name": form.instance.member.full_name}
                    )
                    items.append(
                        (label, form[name].auto_id if name in form.fields else "attendance")
                    )
        for formset, section, anchor in (
            (self.guests, _("Guest"), "opening"),
            (self.speeches, _("Speaker"), "discussion"),
        ):
            if formset is not None:
                items.extend(row_errors(formset, section, anchor))
        for part in self.extra_parts:
            items.extend(part.error_summary())
        return items

    def changes(self):
        """What a valid editor saves, as plain data for services.save_draft."""
        parts = {}
        for part in self.extra_parts:
            if isinstance(part, ResolutionEditor):
                parts["resolution"] = part.changes()
            elif isinstance(part, DecisionEditor):
                parts["decisions"] = part.changes()
        return DraftChanges(
            version=self.minutes.cleaned_data.get("version"),
            meeting=self.minutes.values(),
            attendance=self._attendance_changes(),
            guests=row_changes(self.guests) if self.guests is not None else None,
            speeches=row_changes(self.speeches) if self.speeches is not None else None,
            **parts,
        )

    def _attendance_changes(self):
        if self.attendance is None:
            return {}
        changes = {
            form.instance.pk: {name: getattr(form.instance, name) for name in ("status", "reason")}
            for form in self.attendance.forms
            if form.has_changed()
        }
        if self.all_present:  # the rows of every page, each unmarked one now present
            for row in self.rows_as_submitted():
                if row.status == AttendanceStatus.PRESENT and row.pk not in changes:
                    changes[row.pk] = {"status": row.status, "reason": row.reason}
        return changes

    def show_refusal(self, error):
        """A rule checked again as the save reached the database refused it (a
        resolution number another draft took a moment ago): nothing was saved, and the
        part that refused shows why on its field; else the minutes, at the top."""
        for part in self.extra_parts:
            if isinstance(part, ResolutionEditor) and part.show_refusal(error):
                return
        self.minutes.add_error(None, error.message)


class MeetingFilterForm(forms.Form):
    cell = forms.ModelChoiceField(queryset=None, required=False, label=_("Party cell"))
    kind = forms.ChoiceField(required=False, label=_("Kind of meeting"))
    year = forms.IntegerField(
        required=False, label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    status = forms.ChoiceField(required=False, label=_("Status"))

    def __init__(self, *args, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cell"].queryset = cells
        self.fields["kind"].choices = [("", _("All kinds")), *MeetingKind.choices]
        self.fields["status"].choices = [("", _("All statuses")), *MeetingStatus.choices]

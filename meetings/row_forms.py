"""The rows of the recording page: attendance (one per member on the roster), guests
and speeches, each a bounded formset."""

import re

from django import forms
from django.forms import BaseModelFormSet, inlineformset_factory, modelformset_factory
from django.utils.translation import gettext_lazy as _

from cellmeet.forms import (
    CleanTextModelForm,
    bounded_rows,
)
from meetings.models import (
    Attendance,
    AttendanceStatus,
    Guest,
    Meeting,
    Speech,
)
from members.models import DelegateAssignment
from members.pickers import offer_members


class AttendanceForm(CleanTextModelForm):
    status = forms.ChoiceField(
        label=_("Attendance"),
        choices=[
            (AttendanceStatus.PRESENT, AttendanceStatus.PRESENT.label),
            (AttendanceStatus.ABSENT_EXCUSED, AttendanceStatus.ABSENT_EXCUSED.label),
            (AttendanceStatus.ABSENT_UNEXCUSED, AttendanceStatus.ABSENT_UNEXCUSED.label),
        ],
        widget=forms.RadioSelect,
        required=False,
    )

    class Meta:
        model = Attendance
        fields = ["status", "reason"]
        widgets = {
            # Named by its label, "Reason for absence — <member>" (no placeholder: the
            # label says it, and 36 rows stay light).
            "reason": forms.TextInput(attrs={"class": "form-control"})
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.status == AttendanceStatus.UNMARKED:
            self.initial["status"] = ""
        if self.instance.member_id:
            # 36 boxes named "Reason" tell a screen reader nothing: name the member.
            self.fields["reason"].label = _("Reason for absence — %(name)s") % {
                "name": self.instance.member.full_name
            }

    def clean_status(self):
        return self.cleaned_data["status"] or AttendanceStatus.UNMARKED

    def clean(self):
        cleaned_data = super().clean()
        if (
            cleaned_data.get("status") == AttendanceStatus.ABSENT_EXCUSED
            and not (cleaned_data.get("reason") or "").strip()
        ):
            self.add_error("reason", _("Write the reason for the absence."))
        return cleaned_data


class RowReadOnceField(forms.ModelChoiceField):
    """The hidden id of a formset row, found among the rows the formset read."""

    def __init__(self, rows_by_id, **kwargs):
        self.rows_by_id = rows_by_id
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        row = self.rows_by_id.get(str(value))
        if row is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return row


class BaseAttendanceFormSet(BaseModelFormSet):
    """Exactly one form per attendance row of the meeting, whatever the POST claims.

    The rows are the roster taken when recording started: a browser never adds or
    removes one. Posted rows are matched to them by id, so an extra or foreign row is
    ignored, a duplicated row counts once (the first), and a row left out keeps what
    was saved. The counts in the POST are never trusted to size anything.
    """

    row_fields = ("status", "reason")

    def __init__(self, data=None, *args, queryset, prefix, **kwargs):
        # The rows shown: all of them, or one page of a large cell's (a list, read
        # with the others once for the page: meetings.attendance_pages.AttendancePages).
        rows = list(queryset)
        self._rows = rows
        if data is not None:
            data = self._rows_matched_by_id(data, prefix, rows)
        super().__init__(data, *args, queryset=queryset, prefix=prefix, **kwargs)
        self.max_num = self.absolute_max = len(rows)  # as large as the roster, no larger

    def get_queryset(self):
        return self._rows

    def _rows_matched_by_id(self, data, prefix, rows):
        id_key = re.compile(rf"^{re.escape(prefix)}-(\d+)-id$")
        posted = {}  # row id -> index of its first form in the POST
        for key in data:
            match = id_key.match(key)
            if match:
                index = int(match.group(1))
                row_id = data.get(key)
                posted[row_id] = min(index, posted.get(row_id, index))
        matched = data.copy()
        for key in [key for key in matched if key.startswith(f"{prefix}-")]:
            del matched[key]
        for new_index, row in enumerate(rows):
            head = f"{prefix}-{new_index}-"
            matched[f"{head}id"] = str(row.pk)
            old_index = posted.get(str(row.pk))
            for field in self.row_fields:
                if old_index is None:
                    stored = getattr(row, field)
                    matched[f"{head}{field}"] = (
                        "" if stored == AttendanceStatus.UNMARKED else stored
                    )
                else:
                    matched.setlist(f"{head}{field}", data.getlist(f"{prefix}-{old_index}-{field}"))
        matched[f"{prefix}-TOTAL_FORMS"] = matched[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
        matched[f"{prefix}-MIN_NUM_FORMS"] = "0"
        matched[f"{prefix}-MAX_NUM_FORMS"] = str(len(rows))
        return matched

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Django checks each posted row id with a query of its own: one per member.
        # The rows were read once above; the id must be one of them.
        if not hasattr(self, "_rows_by_id"):
            self._rows_by_id = {str(row.pk): row for row in self.get_queryset()}
        posted_id = form.fields["id"]
        form.fields["id"] = RowReadOnceField(
            self._rows_by_id,
            queryset=posted_id.queryset,
            initial=posted_id.initial,
            required=False,
            widget=posted_id.widget,
        )

    def total_form_count(self):
        return len(self.get_queryset())

    def initial_form_count(self):
        return len(self.get_queryset())


AttendanceFormSet = modelformset_factory(
    Attendance, form=AttendanceForm, formset=BaseAttendanceFormSet, extra=0, edit_only=True
)


class GuestForm(CleanTextModelForm):
    class Meta:
        model = Guest
        fields = ["name", "title", "unit", "delegate"]
        widgets = {"delegate": forms.HiddenInput}

    def clean_delegate(self):
        """Only a delegate assigned to the cell on the meeting day keeps the link."""
        delegate = self.cleaned_data.get("delegate")
        meeting = self.instance.meeting
        if delegate is not None and not DelegateAssignment.objects.is_assigned(
            delegate, meeting.organization_id, meeting.held_on
        ):
            return None
        return delegate


GuestFormSet = inlineformset_factory(
    Meeting, Guest, form=GuestForm, extra=1, can_delete=True, **bounded_rows(50)
)


class SpeechForm(CleanTextModelForm):
    class Meta:
        model = Speech
        fields = ["speaker", "guest_name", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, roster=None, **kwargs):
        super().__init__(*args, **kwargs)
        if roster is not None:  # the page's one list of members (members.pickers)
            self.fields["speaker"].queryset = roster.queryset
            offer_members(self.fields["speaker"], roster)

    def clean(self):
        cleaned_data = super().clean()
        has_speaker = cleaned_data.get("speaker") or cleaned_data.get("guest_name")
        if cleaned_data.get("summary") and not has_speaker:
            self.add_error("speaker", _("Choose the member speaking or write the guest's name."))
        return cleaned_data


SpeechFormSet = inlineformset_factory(
    Meeting, Speech, form=SpeechForm, extra=1, can_delete=True, **bounded_rows(150)
)


def keep_vanished_rows_as_new(data, prefix, existing_rows, absolute_max):
    """Rows someone else deleted since the page was opened come back as new rows.

    Without this, the formset refuses the whole page ("select a valid choice" on a
    hidden id) and what the user typed into that row could only be lost by reloading.
    """
    if data is None:
        return data
    try:
        initial = int(data.get(f"{prefix}-INITIAL_FORMS", 0))
        total = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
    except ValueError:
        return data
    if not 0 <= initial <= total <= absolute_max:
        return data  # the formset refuses these counts itself, with a message
    existing = {str(pk) for pk in existing_rows.values_list("pk", flat=True)}
    vanished = [i for i in range(initial) if data.get(f"{prefix}-{i}-id", "") not in existing]
    if not vanished:
        return data
    kept = [i for i in range(initial) if i not in vanished]
    revived = [i for i in vanished if not data.get(f"{prefix}-{i}-DELETE")]
    order = kept + revived + list(range(initial, total))
    rebased = data.copy()
    for key in list(rebased):
        if key.startswith(f"{prefix}-") and key.split("-")[1].isdigit():
            del rebased[key]
    for new_index, old_index in enumerate(order):
        for key in data:
            head = f"{prefix}-{old_index}-"
            if not key.startswith(head):
                continue
            field = key[len(head) :]
            if old_index in vanished and field in {"id", "DELETE"}:
                continue
            rebased.setlist(f"{prefix}-{new_index}-{field}", data.getlist(key))
    rebased[f"{prefix}-INITIAL_FORMS"] = str(len(kept))
    rebased[f"{prefix}-TOTAL_FORMS"] = str(len(order))
    return rebased

"""The resolution, its tasks and the review of earlier tasks on the recording page."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from cellmeet.forms import (
    CellmeetModelForm,
    bounded_rows,
    form_values,
    row_changes,
    row_errors,
)
from members.models import Member
from members.pickers import Roster, offer_members
from resolutions import services
from resolutions.changes import ResolutionChanges, TaskReview
from resolutions.models import (
    Evaluation,
    Resolution,
    Task,
    TaskDecision,
    TaskResult,
    TaskUpdate,
    term_of,
)


class ResolutionForm(CellmeetModelForm):
    class Meta:
        model = Resolution
        fields = ["number", "kind", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.instance.meeting = meeting
        if not self.instance.pk:
            self.initial.setdefault(
                "number",
                services.next_resolution_number(
                    meeting.organization, term_of(meeting.meeting_date)
                ),
            )
            self.initial.setdefault("kind", meeting.rules.resolution_kind)
        self.fields["title"].required = False  # needed only once tasks are entered
        self.fields["title"].help_text = _("Needed as soon as a task is entered below.")
        self.fields["title"].widget.attrs["data-needed-with-tasks"] = "1"
        self.fields["number"].help_text = _("Suggested: the next free number in this term.")

    def clean_number(self):
        number = self.cleaned_data["number"]
        kind = self.data.get(self.add_prefix("kind"))  # cleaned after the number
        if number and services.number_is_taken(self.meeting, number, kind=kind):
            raise forms.ValidationError(_("This number is already used in this term."))
        return number


class TaskForm(CellmeetModelForm):
    class Meta:
        model = Task
        fields = ["title", "lead", "assignees", "due_on", "description"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, roster=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The lead and the helpers are typed or chosen from the page's one list of the
        # cell's members (members.pickers): static/js/member-picker.js turns the helpers'
        # box into a search by name with the chosen names as removable chips; without
        # JavaScript the names are typed, separated by “;”.
        for name in ("lead", "assignees") if roster is not None else ():
            self.fields[name].queryset = roster.queryset
            offer_members(self.fields[name], roster)
        self.fields["assignees"].widget.attrs.update(
            {
                "data-search": _("Search a name"),
                "data-chosen": _("Chosen:"),
                "data-remove": _("Remove %(name)s"),
                "data-none": _("No member with this name."),
            }
        )
        # Its help is said once above the rows (resolutions/_record_tasks.html).
        self.fields["assignees"].widget.attrs["aria-describedby"] = "task-assignees-help"


TaskFormSet = inlineformset_factory(
    Resolution,
    Task,
    form=TaskForm,
    extra=2,
    can_delete=True,
    fk_name="resolution",
    **bounded_rows(50),
)


class TaskReviewForm(CellmeetModelForm):
    result = forms.ChoiceField(
        label=_("Result"),
        choices=TaskResult.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    evaluation = forms.ChoiceField(
        label=_("Evaluation of the assignees"),
        choices=Evaluation.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    decision = forms.ChoiceField(
        label=_("If not done"),
        choices=TaskDecision.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    class Meta:
        model = TaskUpdate
        fields = ["result", "note", "evaluation", "decision", "new_due_on", "closed_reason"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, task, meeting, **kwargs):
        instance = TaskUpdate.objects.filter(task=task, meeting=meeting).first()
        super().__init__(
            *args, instance=instance or TaskUpdate(task=task, meeting=meeting), **kwargs
        )
        self.task = task

    @property
    def is_reviewed(self):
        return bool(self.cleaned_data.get("result"))

    def clean(self):
        # An empty result means "not reviewed yet", allowed in a draft; otherwise
        # TaskUpdate.clean checks the decision, the reason and the new deadline, and
        # the service refuses "under way" for an overdue task without a new deadline.
        cleaned_data = super().clean()
        if cleaned_data.get("result"):
            update = TaskUpdate(
                task=self.task,
                meeting=self.instance.meeting,
                result=cleaned_data["result"],
                new_due_on=cleaned_data.get("new_due_on"),
            )
            error = services.overdue_review_error(update)
            if error:
                self.add_error("new_due_on", error)
        return cleaned_data

    @property
    def is_overdue(self):
        return services.is_overdue_at(self.task, self.instance.meeting)

    def _post_clean(self):
        if self.cleaned_data.get("result"):
            super()._post_clean()


class ResolutionEditor:
    """The resolution with its tasks, and the review of earlier tasks, on the minutes page."""

    # The two parts, which a recording flow may show on different steps.
    RESOLUTION = ("resolution", "tasks")
    REVIEWS = ("reviews",)

    def __init__(self, meeting, data=None, files=None, parts=None, roster=None):
        """`parts`: the names of the parts on the page (RESOLUTION, REVIEWS or both);
        None for both. A part not on the page is neither validated nor saved."""
        self.meeting = meeting
        parts = set(self.RESOLUTION + self.REVIEWS if parts is None else parts)
        self.shown = parts
        self.resolution = self.tasks = None
        self.reviews = []
        if "resolution" in parts:
            roster = roster or Roster(Member.objects.roster_of(meeting.organization))
            resolution = Resolution.objects.filter(meeting=meeting).first()
            self.resolution = ResolutionForm(
                data, instance=resolution, meeting=meeting, prefix="resolution"
            )
            self.tasks = TaskFormSet(
                data,
                instance=self.resolution.instance,
                # A saved task shows its lead and helpers folded into one line.
                queryset=Task.objects.select_related("lead").prefetch_related("assignees"),
                prefix="tasks",
                # Read once for every task row: not one list of members per row.
                form_kwargs={"roster": roster},
            )
            if not self.tasks.is_bound and self.tasks.get_queryset():
                # One blank row under the tasks written ("Add a task" adds more): the
                # closing step stays short on a phone.
                self.tasks.extra = 1
        # Not every kind of meeting reviews earlier tasks (meetings.kinds).
        if "reviews" in parts and meeting.rules.has_task_review:
            self.reviews = [
                TaskReviewForm(data, task=task, meeting=meeting, prefix=f"review-{task.pk}")
                for task in services.tasks_to_review(meeting)
            ]

    @property
    def review_template(self):
        return "resolutions/_record_review.html" if "reviews" in self.shown else None

    @property
    def tasks_template(self):
        return "resolutions/_record_tasks.html" if "resolution" in self.shown else None

    def is_valid(self):
        results = [form.is_valid() for form in self.reviews]
        if self.resolution is not None:
            results += [self.resolution.is_valid(), self.tasks.is_valid()]
            if all(results) and self._has_tasks() and not self.resolution.cleaned_data.get("title"):
                self.resolution.add_error("title", _("Give the resolution a title for its tasks."))
                return False
        return all(results)

    def error_summary(self):
        """Each box with an error, linked to the box itself."""
        items = []
        if self.resolution is not None:
            items += [
                (self.resolution.fields[name].label, self.resolution[name].auto_id)
                for name in self.resolution.errors
                if name in self.resolution.fields
            ]
            if any(name not in self.resolution.fields for name in self.resolution.errors):
                items.append((_("Resolution and tasks assigned"), "resolution"))
            items += row_errors(self.tasks, _("Task"), "resolution")
        for form in self.reviews:
            for name in form.errors:
                field = form.fields[name].label if name in form.fields else _("Review")
                anchor = form[name].auto_id if name in form.fields else "task-reviews"
                if name in form.fields and isinstance(form.fields[name].widget, forms.RadioSelect):
                    anchor = f"{anchor}_0"
                items.append((f"{form.task.title}: {field}", anchor))
        return items

    def _has_tasks(self):
        return any(
            form.cleaned_data and not form.cleaned_data.get("DELETE") for form in self.tasks.forms
        )

    def changes(self):
        """What a valid editor saves, as plain data (services.save_resolution_changes)."""
        changes = ResolutionChanges()
        if self.resolution is not None and self.resolution.cleaned_data.get("title"):
            changes.resolution = form_values(self.resolution)
            changes.tasks = row_changes(self.tasks)
        for form in self.reviews:
            changes.reviews.append(
                TaskReview(
                    task_id=form.task.pk,
                    reviewed=form.is_reviewed,
                    values=form_values(form) if form.is_reviewed else {},
                )
            )
        return changes

    def show_refusal(self, error):
        """Another draft of the cell took the number after her page was checked: shown
        on the number (the whole save was undone and her entries are kept). True when
        the error is this part's."""
        if self.resolution is not None and isinstance(error, services.ResolutionError):
            self.resolution.add_error("number", error.message)
            return True
        return False

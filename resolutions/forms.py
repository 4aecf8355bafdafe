"""The resolution, its tasks and the review of earlier tasks on the recording page."""

from django import forms
from django.db import transaction
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from cellmeet.forms import CellmeetModelForm, bounded_rows, has_errors
from members.models import Member
from resolutions import services
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
        self.fields["title"].required = False
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
            "assignees": forms.CheckboxSelectMultiple(attrs={"class": "assignee-choice"}),
        }

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["lead"].queryset = members
            self.fields["assignees"].queryset = members
        self.fields["assignees"].help_text = _("Optional: tick everyone who helps the lead.")


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
        # TaskUpdate.clean checks the decision, the reason and the new deadline.
        return super().clean()

    def _post_clean(self):
        if self.cleaned_data.get("result"):
            super()._post_clean()


class ResolutionEditor:
    """The resolution with its tasks, and the review of earlier tasks, on the minutes page."""

    review_template = "resolutions/_record_review.html"
    tasks_template = "resolutions/_record_tasks.html"

    def __init__(self, meeting, data=None, files=None):
        self.meeting = meeting
        members = Member.objects.roster_of(meeting.organization)
        resolution = Resolution.objects.filter(meeting=meeting).first()
        self.resolution = ResolutionForm(
            data, instance=resolution, meeting=meeting, prefix="resolution"
        )
        self.tasks = TaskFormSet(
            data,
            instance=self.resolution.instance,
            prefix="tasks",
            form_kwargs={"members": members},
        )
        # Not every kind of meeting reviews earlier tasks (meetings.kinds).
        self.reviews = (
            [
                TaskReviewForm(data, task=task, meeting=meeting, prefix=f"review-{task.pk}")
                for task in services.tasks_to_review(meeting)
            ]
            if meeting.rules.has_task_review
            else []
        )

    def is_valid(self):
        results = [self.resolution.is_valid(), self.tasks.is_valid()]
        results += [form.is_valid() for form in self.reviews]
        if all(results) and self._has_tasks() and not self.resolution.cleaned_data.get("title"):
            self.resolution.add_error("title", _("Give the resolution a title for its tasks."))
            return False
        return all(results)

    def error_summary(self):
        items = []
        if self.resolution.errors or has_errors(self.tasks):
            items.append((_("Resolution and tasks assigned"), "resolution"))
        if any(form.errors for form in self.reviews):
            items.append((_("Review of last month's resolution, task by task"), "task-reviews"))
        return items

    def _has_tasks(self):
        return any(
            form.cleaned_data and not form.cleaned_data.get("DELETE") for form in self.tasks.forms
        )

    @transaction.atomic
    def save(self):
        if self.resolution.cleaned_data.get("title"):
            try:
                resolution = services.save_resolution(self.resolution.save(commit=False))
            except services.ResolutionError as error:
                # Another draft of the cell took the number after her page was checked:
                # shown on the number; the whole save is undone and her entries kept.
                self.resolution.add_error("number", error.message)
                raise
            self.tasks.instance = resolution
            for order, task in enumerate(self.tasks.save(commit=False), start=1):
                task.resolution = resolution
                task.order = task.order or order
                task.save()
            self.tasks.save_m2m()
            for task in self.tasks.deleted_objects:
                task.delete()
        for form in self.reviews:
            update = form.save(commit=False) if form.is_reviewed else form.instance
            services.save_task_review(update, reviewed=form.is_reviewed)

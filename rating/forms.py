from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from cellmeet.fields import PARAGRAPH_MAX_LENGTH
from cellmeet.forms import DayFirstDateInput
from rating.models import MemberAssessment, RatingLevel

LEVEL_CHOICES = [("", "—"), *RatingLevel.choices]


class OpenRoundForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    deadline = forms.DateField(
        label=_("deadline for the self-assessments"), widget=DayFirstDateInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = date.today()
        self.fields["year"].initial = today.year

    def clean(self):
        cleaned = super().clean()
        year, deadline = cleaned.get("year"), cleaned.get("deadline")
        if year and deadline and deadline.year < year:
            self.add_error("deadline", _("The deadline falls before the year being rated."))
        return cleaned


class SelfAssessmentForm(forms.ModelForm):
    class Meta:
        model = MemberAssessment
        fields = ["strengths", "shortcomings", "general_score", "task_score", "proposed_level"]
        widgets = {
            "strengths": forms.Textarea(attrs={"rows": 6}),
            "shortcomings": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = rules
        for name in ("general_score", "task_score", "proposed_level"):
            self.fields[name].required = True

    def _points(self, name, most):
        value = self.cleaned_data[name]
        if value is not None and not 0 <= value <= most:
            raise forms.ValidationError(_("Give between 0 and %(most)s points.") % {"most": most})
        return value

    def clean_general_score(self):
        return self._points("general_score", self.rules.general_points)

    def clean_task_score(self):
        return self._points("task_score", self.rules.task_points)


class LevelsForm(forms.Form):
    """One level (and, for the cell's review, the opinions) per member rated."""

    def __init__(self, *args, assessments, with_opinions, initial_levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for assessment in assessments:
            level = forms.ChoiceField(
                label=assessment.member.full_name,
                choices=LEVEL_CHOICES,
                initial=initial_levels.get(assessment.pk, ""),
            )
            self.fields[f"level_{assessment.pk}"] = level
            row = {"assessment": assessment, "level": self[f"level_{assessment.pk}"]}
            if with_opinions:
                self.fields[f"opinions_{assessment.pk}"] = forms.CharField(
                    label=_("opinions"),
                    required=False,
                    max_length=PARAGRAPH_MAX_LENGTH,
                    initial=assessment.cell_opinions,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
                row["opinions"] = self[f"opinions_{assessment.pk}"]
            self.rows.append(row)
        self.assessments = assessments

    def levels(self):
        return {a.pk: self.cleaned_data[f"level_{a.pk}"] for a in self.assessments}

    def proposals(self):
        return {
            a.pk: (self.cleaned_data[f"level_{a.pk}"], self.cleaned_data[f"opinions_{a.pk}"])
            for a in self.assessments
        }


class DecisionForm(LevelsForm):
    decision_number = forms.CharField(
        label=_("number of the decision"), max_length=50, required=False
    )

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from cellmeet.fields import PARAGRAPH_MAX_LENGTH
from cellmeet.forms import DayFirstDateInput
from meetings.models import VoteMethod
from rating.models import MemberAssessment, RatingLevel
from rating.services import ReviewVote, review_vote_error

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


class CellReviewForm(LevelsForm):
    """The cell's review: each member's level and opinions and, when the cell voted on
    the list at one of its meetings, that meeting and the tally (checked by the vote
    engine's rule, rating.services.review_vote_error)."""

    review_meeting = forms.ModelChoiceField(
        label=_("meeting that reviewed the members"),
        queryset=None,
        required=False,
        empty_label=_("— no vote recorded here —"),
    )
    vote_method = forms.ChoiceField(
        label=_("voting method"), choices=[("", "—"), *VoteMethod.choices], required=False
    )
    votes_for = forms.IntegerField(label=_("for"), min_value=0, max_value=10_000, required=False)
    votes_against = forms.IntegerField(
        label=_("against"), min_value=0, max_value=10_000, required=False
    )
    votes_other = forms.IntegerField(
        label=_("other opinions"), min_value=0, max_value=10_000, required=False
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, with_opinions=True, **kwargs)
        self.fields["review_meeting"].queryset = meetings
        self.fields["review_meeting"].label_from_instance = lambda meeting: (
            f"{meeting.meeting_date:%d/%m/%Y} — {meeting.title}"
        )

    def clean(self):
        cleaned = super().clean()
        meeting = cleaned.get("review_meeting")
        if meeting is None:
            if any(cleaned.get(name) is not None for name in VOTE_BOXES):
                self.add_error("review_meeting", _("Choose the meeting that voted."))
            return cleaned
        if any(name in self.errors for name in VOTE_BOXES):
            return cleaned
        error = review_vote_error(self.vote())
        if error:
            self.add_error("votes_for", error)
        return cleaned

    def vote(self):
        meeting = self.cleaned_data.get("review_meeting")
        if meeting is None:
            return None
        return ReviewVote(
            meeting=meeting,
            method=self.cleaned_data.get("vote_method") or "",
            votes_for=self.cleaned_data.get("votes_for"),
            votes_against=self.cleaned_data.get("votes_against"),
            votes_other=self.cleaned_data.get("votes_other"),
        )


VOTE_BOXES = ("votes_for", "votes_against", "votes_other")

"""The recording page's decisions (admission, recognition, exemption, discipline), each
with its own vote: a formset plugged into the minutes editor as one of its parts, and
the form that enters the superior committee's decision on a proposed consequence."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from cellmeet.forms import (
    CellmeetModelForm,
    bounded_rows,
    has_errors,
    row_changes,
    use_day_first_dates,
)
from meetings import vote_boxes
from meetings.decisions import Threshold
from meetings.models import Decision, DecisionKind, Meeting
from members.models import Member
from members.pickers import Roster, offer_members


class DecisionForm(CellmeetModelForm):
    class Meta:
        model = Decision
        fields = [
            "kind",
            "member",
            "candidate_name",
            "candidate_birth_date",
            "period_until",
            "note",
            "vote_method",
            "votes_for",
            "votes_against",
            "votes_other",
        ]

    def __init__(self, *args, roster=None, vote_count=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.vote_count = vote_count
        if roster is not None:  # the page's one list of members (members.pickers)
            self.fields["member"].queryset = roster.queryset
            offer_members(self.fields["member"], roster)
        self.fields["member"].help_text = _(
            "For a recognition, an exemption or a discipline proposal."
        )
        vote_boxes.prepare(self, vote_count)

    def clean(self):
        # Who the decision concerns is checked by Decision.clean, beside the right box.
        cleaned_data = super().clean()
        vote_boxes.check_tally(self, cleaned_data, self.vote_count)
        return cleaned_data


class BaseDecisionFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, vote_count=None, **kwargs):
        self.vote_count = vote_count
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "vote_count": self.vote_count}


DecisionFormSet = inlineformset_factory(
    Meeting,
    Decision,
    form=DecisionForm,
    formset=BaseDecisionFormSet,
    extra=0,  # a row only when she adds one: most meetings decide none
    can_delete=True,
    **bounded_rows(30),
)


class DecisionEditor:
    """The decisions voted by their own majority, as a part of the minutes editor."""

    decisions_template = "meetings/_record_decisions.html"

    def __init__(self, meeting, data=None, files=None, *, vote_count, roster=None):
        self.meeting = meeting
        self.vote_count = vote_count
        self.decisions = DecisionFormSet(
            data,
            instance=meeting,
            prefix="decisions",
            vote_count=vote_count,
            form_kwargs={
                "roster": roster or Roster(Member.objects.roster_of(meeting.organization))
            },
        )

    def rules(self):
        """Each kind and the votes it needs, for the help beside the formset."""
        voters = self.vote_count.denominator
        rules = []
        for kind in DecisionKind:
            threshold = Threshold.for_kind(kind)
            rules.append(
                {
                    "label": kind.label,
                    "threshold": threshold.label,
                    "needed": threshold.votes_needed(voters),
                    "voters": voters,
                }
            )
        return rules

    def is_valid(self):
        return self.decisions.is_valid()

    def error_summary(self):
        """A wrong tally links to its box and says what is wrong; anything else in the
        decisions links to their section."""
        if not has_errors(self.decisions):
            return []
        items, elsewhere = [], bool(self.decisions.non_form_errors())
        for number, form in enumerate(self.decisions.forms, start=1):
            for name in form.errors:
                if name not in vote_boxes.VOTE_FIELDS:
                    elsewhere = True
                    continue
                label = _("Decision %(number)s — %(box)s") % {
                    "number": number,
                    "box": vote_boxes.summary_label(form, name),
                }
                items.append((label, form[name].auto_id))
        if elsewhere:
            items.append((_("Decisions voted by their own majority"), "decisions"))
        return items

    def changes(self):
        """The decision rows a valid editor saves (services.save_draft)."""
        return row_changes(self.decisions)


class ConfirmConsequenceForm(forms.Form):
    number = forms.CharField(
        label=_("Number of the superior's decision"),
        max_length=60,
        help_text=_("As written on the decision, e.g. 125-QĐ/ĐU."),
    )
    decided_on = forms.DateField(label=_("Date of the superior's decision"))
    effective_on = forms.DateField(
        label=_("Takes effect on"),
        help_text=_(
            "Admission: the day of the admission ceremony. Recognition: the day the member "
            "became official. Exemption: the first day of the exemption."
        ),
    )

    def __init__(self, *args, consequence, **kwargs):
        super().__init__(*args, **kwargs)
        use_day_first_dates(self)
        self.fields["effective_on"].initial = consequence.proposed_on

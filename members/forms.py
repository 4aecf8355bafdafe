"""The forms for organisations, members, positions, transfers and the import upload."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cellmeet.forms import CellmeetModelForm, DayFirstDateInput, VersionedModelForm
from members.models import Member, Organization, Position, PositionRole


class OrganizationForm(VersionedModelForm):
    class Meta:
        model = Organization
        fields = ["name", "kind", "cell_type", "code", "place"]

    def __init__(self, *args, parent=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parent is not None:
            self.instance.parent = parent
        if self.instance.pk:
            # Changing what an organisation is would break the tree under it.
            self.fields["kind"].disabled = True


class MemberForm(VersionedModelForm):
    class Meta:
        model = Member
        fields = [
            "full_name",
            "gender",
            "birth_date",
            "status",
            "admitted_on",
            "official_on",
            "card_number",
            "phone",
            "email",
            "wants_messages",
            "activity_status",
            "activity_since",
            "activity_note",
        ]

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organization is not None:
            self.instance.organization = organization


class TransferForm(forms.Form):
    to_organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label=_("Move to party cell")
    )
    transferred_on = forms.DateField(label=_("Transfer date"), widget=DayFirstDateInput)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, target_cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organization"].queryset = target_cells


class PositionForm(CellmeetModelForm):
    class Meta:
        model = Position
        fields = ["role", "started_on", "ended_on", "term"]

    def __init__(self, *args, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        if member is not None:
            self.instance.member = member
            self.instance.organization = member.organization

    def clean(self):
        cleaned_data = super().clean()
        # The database also refuses a second open secretary; say it in words first.
        opens_a_secretary_term = cleaned_data.get(
            "role"
        ) == PositionRole.SECRETARY and not cleaned_data.get("ended_on")
        if opens_a_secretary_term:
            sitting = Position.objects.filter(
                organization=self.instance.organization,
                role=PositionRole.SECRETARY,
                ended_on__isnull=True,
            ).exclude(pk=self.instance.pk)
            if sitting.exists():
                raise forms.ValidationError(
                    _("This cell already has a secretary; end that term first.")
                )
        return cleaned_data


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("One member per row, with the column headings of the template."),
    )

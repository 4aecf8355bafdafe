from django import forms
from django.utils.translation import gettext_lazy as _

from dues.models import DuesCategory, DuesRelief, PaymentChannel
from dues.statement import FIELDS
from members.models import Member


class LedgerRowForm(forms.Form):
    """One member's month in the ledger (prefixed with the member's id)."""

    category = forms.ChoiceField(label=_("Dues category"), choices=DuesCategory.choices)
    base_amount = forms.DecimalField(
        label=_("Base amount (đồng)"),
        required=False,
        min_value=0,
        decimal_places=0,
        max_digits=14,
    )
    paid = forms.BooleanField(label=_("Paid"), required=False)
    paid_amount = forms.DecimalField(
        label=_("Amount paid (đồng)"),
        required=False,
        min_value=0,
        decimal_places=0,
        max_digits=14,
    )
    paid_on = forms.DateField(label=_("Paid on"), required=False)
    channel = forms.ChoiceField(
        label=_("Paid through"), choices=PaymentChannel.choices, initial=PaymentChannel.CASH
    )
    receipt = forms.CharField(label=_("Receipt number"), required=False, max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, bound in self.fields.items():
            css = "form-check-input" if name == "paid" else "form-control form-control-sm"
            if name in ("category", "channel"):
                css = "form-select form-select-sm"
            bound.widget.attrs["class"] = css
            bound.widget.attrs["aria-label"] = bound.label
        self.fields["paid_on"].widget.attrs["placeholder"] = "dd/mm/yyyy"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("paid") and not cleaned.get("paid_on"):
            self.add_error("paid_on", _("Write the day of the payment."))
        return cleaned


class OwnBaseForm(forms.Form):
    """A member enters her own category and base amount."""

    category = forms.ChoiceField(label=_("Dues category"), choices=DuesCategory.choices)
    base_amount = forms.DecimalField(
        label=_("Base amount (đồng)"),
        required=False,
        min_value=0,
        decimal_places=0,
        max_digits=14,
        help_text=_(
            "Your compulsory social-insurance salary of the previous month, or your "
            "pension. Only you and your cell's dues keepers see it."
        ),
    )


class ReliefForm(forms.ModelForm):
    class Meta:
        model = DuesRelief
        fields = ["member", "kind", "percent", "decision", "starts_on", "ends_on"]

    def __init__(self, *args, cell, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.roster_of(cell)


class StatementUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Payment statement (CSV or Excel)"),
        help_text=_("The statement downloaded from the national public-service portal."),
    )


def mapping_form_class(headings):
    """A form choosing, for each of our fields, a column of the uploaded statement."""
    choices = [("", _("(not in the file)"))] + [
        (str(index), heading or f"#{index + 1}") for index, heading in enumerate(headings)
    ]
    fields = {
        name: forms.ChoiceField(label=label, choices=choices, required=False)
        for name, label in FIELDS.items()
    }
    return type("StatementMappingForm", (forms.Form,), fields)


def mapping_from(form):
    return {
        name: int(value) for name, value in form.cleaned_data.items() if value not in ("", None)
    }

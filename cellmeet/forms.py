"""Form building blocks shared by every app."""

import dataclasses
import datetime
from dataclasses import dataclass

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.forms import formsets
from django.utils.translation import gettext_lazy as _

from cellmeet.text import clean_text


class DayFirstDateInput(forms.DateInput):
    """A plain text box for dd/mm/yyyy: browsers' date pickers here show mm/dd/yyyy."""

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")


def parse_typed_date(text):
    """A date typed as text, read as every date box reads it: with the input formats
    of cellmeet/formats (day first in both languages: "03/04/2026" is 3 April).
    None if the text is none of them or names no real day."""
    try:
        return forms.DateField().to_python(text)
    except ValidationError:
        return None


def use_day_first_dates(form):
    for field in form.fields.values():
        if isinstance(field, forms.DateField) and not isinstance(field.widget, forms.HiddenInput):
            field.widget = DayFirstDateInput(attrs=field.widget.attrs)


class CleanTextMixin:
    """Text typed into a form is stored as NFC without bidi controls (cellmeet.text),
    whatever the form's own clean() does: applied just before the instance is built."""

    def _post_clean(self):
        for name, value in self.cleaned_data.items():
            if isinstance(value, str):
                self.cleaned_data[name] = clean_text(value)
        super()._post_clean()


def bounded_rows(max_rows):
    """Formset options: at most `max_rows` rows are built, whatever TOTAL_FORMS claims,
    and more are refused with Django's translated "Please submit at most … forms"."""
    return {"max_num": max_rows, "absolute_max": max_rows, "validate_max": True}


class RefusesTooManyRows:
    """A formset that builds none of the rows beyond its bound a POST claims.

    Django builds min(claimed count, absolute_max) rows and only then says "Please
    submit at most … forms": for an admin inline (absolute_max up to the largest cell)
    that is thousands of rows checked and rendered for a forged count. Here a claim above
    the bound keeps only the rows already saved, and the same error answers at once.
    """

    def total_form_count(self):
        if self.is_bound and self._claims_too_many_rows():
            return min(self.initial_form_count(), self.absolute_max)
        return super().total_form_count()

    def _claims_too_many_rows(self):
        claimed = self.management_form.cleaned_data.get(formsets.TOTAL_FORM_COUNT, 0)
        return claimed > self.absolute_max


class BoundedInlineFormSet(RefusesTooManyRows, forms.BaseInlineFormSet):
    pass


def has_errors(formset):
    """Errors in any row, or about the rows as a whole (too many, a tampered count)."""
    return any(formset.errors) or bool(formset.non_form_errors())


class CellmeetModelForm(CleanTextMixin, forms.ModelForm):
    # The form fields that show a model field under another name (e.g. a time box for
    # a datetime), so the model's own validation errors land beside the right box.
    model_fields_shown_as = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_day_first_dates(self)

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict"):
            moved = {}
            for name, messages in errors.error_dict.items():
                name = self.model_fields_shown_as.get(name, name)
                if name not in self.fields:
                    name = NON_FIELD_ERRORS  # a field not on the form: shown at the top
                moved.setdefault(name, []).extend(messages)
            errors = forms.ValidationError(moved)
        super()._update_errors(errors)


class CleanTextModelForm(CleanTextMixin, forms.ModelForm):
    """A plain ModelForm whose text is cleaned (no dd/mm/yyyy date boxes)."""


class StaleRecordError(Exception):
    """Somebody else saved the record after this form was opened."""


@dataclass
class Difference:
    """One field as she typed it and as it is stored now, shown side by side."""

    label: str
    yours: str
    theirs: str


class VersionedModelForm(CellmeetModelForm):
    """Refuses to overwrite a record that someone else saved since the form was opened.

    The model needs a `version` integer field. On a conflict the form comes back with
    the user's entries, a message naming what the other person changed, and the
    current version, so saving again is a deliberate choice.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    conflict_message = _(
        "Someone else saved this record after you opened it. Your entries are kept "
        "below. Check the current values and save again to keep yours."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stale = False
        self.conflicts = []
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk:
            current = type(self.instance).objects.filter(pk=self.instance.pk).first()
            if current is not None and cleaned_data.get("version") != current.version:
                self._report_conflict(current)
        return cleaned_data

    def _report_conflict(self, current):
        self.stale = True
        changed = []
        for name, field in self.fields.items():
            if name == "version" or name not in self.cleaned_data:
                continue
            try:
                current_value = getattr(current, name)
            except (AttributeError, ValueError):
                continue
            if isinstance(current_value, models.Manager):
                continue
            if current_value != self.cleaned_data[name]:
                theirs = _shown_value(current, name, current_value)
                changed.append(f"{field.label}: {theirs}")
                yours = _shown_choice(field, self.cleaned_data[name])
                self.conflicts.append(Difference(str(field.label), str(yours), str(theirs)))
        message = str(self.conflict_message)
        if changed:
            message += " " + str(_("Current values:")) + " " + "; ".join(changed) + "."
        self.add_error(None, message)
        data = self.data.copy()
        data[self.add_prefix("version")] = str(current.version)
        self.data = data

    @transaction.atomic
    def save(self, commit=True):
        instance = super().save(commit=False)
        if instance.pk:
            claim_next_version(instance, self.cleaned_data.get("version"))
        if commit:
            instance.save()
            self.save_m2m()
        return instance


def claim_next_version(instance, expected):
    """Compare-and-set: move the stored record from the version she started from to the
    next one, or raise StaleRecordError if someone else saved it since. Call it inside
    the transaction that then saves the record."""
    updated = (
        type(instance)
        .objects.filter(pk=instance.pk, version=expected)
        .update(version=models.F("version") + 1)
    )
    if not updated:
        raise StaleRecordError
    instance.version = expected + 1


@dataclass
class RowChanges:
    """A formset's rows as plain data for a service to apply: the fields of each new
    row (in the order typed), of each changed row by id, and the ids to delete."""

    new: list = dataclasses.field(default_factory=list)
    changed: dict = dataclasses.field(default_factory=dict)
    deleted: list = dataclasses.field(default_factory=list)


def form_values(form, names=None):
    """A valid model form's values as plain data, read from its instance once the
    model's own clean() has run: {attname: value} ("speaker_id": 3), and the ids of a
    many-to-many field by its name. `names`: these model fields, not the form's."""
    values = {}
    for name in form._meta.fields if names is None else names:
        if name not in form.fields and names is None:
            continue
        model_field = form.instance._meta.get_field(name)
        if model_field.many_to_many:
            values[name] = [item.pk for item in form.cleaned_data.get(name) or []]
        else:
            values[model_field.attname] = getattr(form.instance, model_field.attname)
    return values


def row_changes(formset):
    """The RowChanges of a valid model formset: only the rows its own save() would
    have written, each as form_values()."""
    changes = RowChanges()
    deleted = formset.deleted_forms
    for form in formset.forms:
        if form in deleted:
            if form.instance.pk is not None:
                changes.deleted.append(form.instance.pk)
            continue
        if not form.has_changed():
            continue
        fields = form_values(form)
        if form.instance.pk is None:
            changes.new.append(fields)
        else:
            changes.changed[form.instance.pk] = fields
    return changes


def _shown_value(instance, name, value):
    """A stored value as a person reads it: labels for choices, dd/mm/yyyy for dates."""
    if value in (None, ""):
        return "—"
    display = getattr(instance, f"get_{name}_display", None)
    if display is not None:
        return display()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return value


def _shown_choice(field, value):
    """A submitted value as a person reads it."""
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    choices = getattr(field, "choices", None)
    if choices is not None and not isinstance(field, forms.ModelChoiceField):
        return dict(choices).get(value, value)
    return value


def entries_not_saved(forms_with_data):
    """What she typed into text boxes that differs from what is stored, to copy by hand.

    `forms_with_data` are bound forms (formsets are walked row by row); each entry is a
    Difference of the field's label, her text and the stored text ("" for a new row).
    """
    entries = []
    for form in _each_form(forms_with_data):
        for name, field in form.fields.items():
            if not isinstance(field, forms.CharField) or isinstance(
                field.widget, forms.HiddenInput
            ):
                continue
            yours = form[name].value() or ""
            stored = form[name].initial or ""
            if str(yours).strip() and str(yours) != str(stored):
                entries.append(Difference(str(field.label), str(yours), str(stored)))
    return entries


def error_messages(forms_with_data):
    """Every error of bound forms and formsets as "Label: message", in the page's
    language: what a save refused for a capture made offline says to her."""
    texts = []
    for item in forms_with_data:
        if isinstance(item, forms.BaseFormSet):
            texts.extend(str(error) for error in item.non_form_errors())
    for form in _each_form(forms_with_data):
        for name, errors in form.errors.items():
            field = form.fields.get(name)
            for error in errors:
                texts.append(f"{field.label}: {error}" if field is not None else str(error))
    return list(dict.fromkeys(texts))


def _each_form(items):
    for item in items:
        if isinstance(item, forms.BaseForm):
            yield item
        elif isinstance(item, forms.BaseFormSet):
            yield from item.forms
        elif isinstance(item, list | tuple):
            yield from _each_form(item)
        else:  # a part of the page that holds forms in its attributes
            yield from _each_form(
                [
                    v
                    for v in vars(item).values()
                    if isinstance(v, forms.BaseForm | forms.BaseFormSet | list)
                ]
            )


def save_unless_stale(form):
    """Save a valid VersionedModelForm; on a last-moment conflict, put the error on it."""
    try:
        return form.save()
    except StaleRecordError:
        form.stale = True
        form.add_error(None, form.conflict_message)
        return None


def shared_choices(queryset):
    """The options of a choice of records, read once for a whole page: set them on
    every field that offers them with `offer_choices` (one query, not one per row).
    Validation still goes through each field's own queryset."""
    return [(item.pk, str(item)) for item in queryset]


def offer_choices(field, choices):
    blank = [("", field.empty_label)] if getattr(field, "empty_label", None) is not None else []
    field.choices = blank + list(choices)


def mark_needed(field, *, needed=True):
    """A box that must be filled before the minutes can be finalized (a draft may be
    saved without it): marked for the eye by the stylesheet and for screen readers by
    aria-required. Not `required`, which would stop the browser saving the draft."""
    if needed and not field.required:  # a required field is marked already
        field.widget.attrs["aria-required"] = "true"


def row_errors(formset, part, anchor):
    """(label, anchor) for each box with an error in a formset's rows, e.g. "Guest 2:
    Name" linked to that box; errors about the rows as a whole link to `anchor`."""
    items = [(part, anchor)] if formset.non_form_errors() else []
    for number, form in enumerate(formset.forms, start=1):
        for name in form.errors:
            if name in form.fields:
                label = _("%(part)s %(number)s: %(field)s") % {
                    "part": part,
                    "number": number,
                    "field": form.fields[name].label,
                }
                items.append((label, form[name].auto_id))
            else:
                items.append((_("%(part)s %(number)s") % {"part": part, "number": number}, anchor))
    return items

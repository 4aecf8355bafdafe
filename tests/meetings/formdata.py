"""Build the POST data of the minutes record page the way a browser would.

The record page is one HTML form made of the minutes form (no prefix), three
formsets ("attendance", "guests", "speeches") and the forms of the parts other apps
add (editor.extra_parts, e.g. the resolution and its tasks). `record_post_data(response)`
walks the bound forms the page was rendered from and sends what a browser sends:

- only fields that are on the page (a field the template leaves out is not sent,
  exactly as with a real browser: the view then sees it as empty);
- text, hidden, number and date boxes with their current text, empty or not;
- a checkbox as "on" only when ticked, a radio group only when one is chosen;
- a select with its selected option ("" for the blank one), a multiple select
  with every selected option (nothing when none is);
- no file inputs (a browser sends an empty part; the tests add files themselves).

It works on a first GET (initial values) and on a page that came back with errors
(the user's entries), so a test can "press Save again" on what it was shown.
"""

from django import forms
from django.forms import BaseForm, BaseFormSet
from django.forms.widgets import ChoiceWidget
from django.urls import reverse

SUBMIT_SAVE = {"save": "1"}
SUBMIT_FINALIZE = {"finalize": "1"}


def _is_on_page(html, name):
    return f'name="{name}"' in html


def _field_items(form, html):
    for bound in form:
        name = bound.html_name
        if not _is_on_page(html, name):
            continue
        widget = bound.field.widget
        value = bound.value()
        if isinstance(widget, forms.FileInput):
            continue
        if isinstance(widget, forms.CheckboxInput):
            if widget.check_test(value):
                yield name, "on"
            continue
        if isinstance(widget, ChoiceWidget):
            chosen = [item for item in widget.format_value(value) if item != ""]
            if widget.allow_multiple_selected:
                if chosen:
                    yield name, chosen
                continue
            if isinstance(widget, forms.RadioSelect):
                if chosen:
                    yield name, chosen[0]
                continue
            yield name, chosen[0] if chosen else ""
            continue
        shown = widget.format_value(value)
        yield name, "" if shown is None else str(shown)


def _formset_items(formset, html):
    yield from _field_items(formset.management_form, html)
    for form in formset.forms:
        yield from _field_items(form, html)


def _part_items(part, html):
    """Every form and formset an extra part of the page holds, in its attributes."""
    for value in vars(part).values():
        for item in value if isinstance(value, list | tuple) else [value]:
            if isinstance(item, BaseFormSet):
                yield from _formset_items(item, html)
            elif isinstance(item, BaseForm):
                yield from _field_items(item, html)


def record_post_data(response, **changes):
    """The record page's form as the browser would submit it, with `changes` applied.

    `changes` are extra or replaced fields, e.g. conclusion="...". A value of None
    removes the field (an unticked checkbox, a radio group left unchosen).
    """
    editor = response.context["editor"]
    html = response.content.decode()
    data = dict(_field_items(editor.minutes, html))
    for formset in (editor.attendance, editor.guests, editor.speeches):
        if formset is not None:  # a step of the recording flow holds some of them
            data.update(_formset_items(formset, html))
    for part in getattr(editor, "extra_parts", []):
        data.update(_part_items(part, html))
    data.update(SUBMIT_SAVE)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def attendance_prefix(response, member):
    """The form prefix ("attendance-3") of a member's attendance row on the page."""
    for form in response.context["editor"].attendance.forms:
        if form.instance.member_id == member.pk:
            return form.prefix
    raise LookupError(f"{member} has no attendance row on the page")


def attendance_marks(response, marks):
    """POST fields for {member: status or (status, reason)}."""
    data = {}
    for member, value in marks.items():
        status, reason = value if isinstance(value, tuple) else (value, "")
        prefix = attendance_prefix(response, member)
        data[f"{prefix}-status"] = status
        data[f"{prefix}-reason"] = reason
    return data


def speech_prefix(response, speech):
    for form in response.context["editor"].speeches.forms:
        if form.instance.pk == speech.pk:
            return form.prefix
    raise LookupError(f"speech {speech.pk} is not on the page")


def record_url(meeting):
    return reverse("meetings:record", args=[meeting.pk])


def open_record(client, meeting):
    response = client.get(record_url(meeting))
    assert response.status_code == 200
    return response


def add_rows(data, prefix, rows):
    """What the page's "Add a row" button does: new numbered rows, TOTAL_FORMS raised."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    for offset, fields in enumerate(rows):
        data[f"{prefix}-{total + offset}-id"] = ""
        for name, value in fields.items():
            data[f"{prefix}-{total + offset}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(total + len(rows))
    return data


def blank_rows(data, prefix):
    """Indexes of the empty rows the page offers after the saved ones."""
    return range(int(data[f"{prefix}-INITIAL_FORMS"]), int(data[f"{prefix}-TOTAL_FORMS"]))


def type_rows(data, prefix, rows):
    """Fill the blank rows on the page, then press "Add a row" for the rest, as a user would."""
    blank = list(blank_rows(data, prefix))
    for index, fields in zip(blank, rows, strict=False):
        for name, value in fields.items():
            data[f"{prefix}-{index}-{name}"] = value
    return add_rows(data, prefix, rows[len(blank) :])

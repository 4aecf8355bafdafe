"""Choosing members of a cell by name, light at 2,000 members.

A page that lets her pick members (the chair, a speaker, the lead of each task...) reads
the cell's roster once (`Roster`) and lists it once, in one `<datalist id="cell-members">`
(templates/members/_roster_datalist.html). Each box that picks a member is a text box
referring to that list (`MemberPick`; several members: `MemberPicks`, which
static/js/member-picker.js turns into a search with chips): no `<option>` list per box.

Without JavaScript the name typed (or chosen from the browser's suggestions) is what is
sent: the server finds the member by that name, tone marks and case aside. A name that is
nobody's, or several members' (and not one of the list's labels), comes back on the box
with a translated message and the text kept. A member's id is accepted too (what the
tests and older pages send).
"""

import re
import unicodedata
from functools import cached_property

from django import forms
from django.utils.translation import gettext_lazy as _

DATALIST_ID = "cell-members"

NOT_ON_ROSTER = _(
    "No member of this cell is called “%(value)s”. Choose a name from the list of members."
)
# Several names in one box are separated by this (a name never holds it).
SEPARATOR = ";"


def plain(text):
    """Text as a search compares it: without tone marks, case or extra spaces."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.lower().split())


class Roster:
    """The members a page offers, read once (one query, whatever the number of boxes):
    the label each is listed under, unique within the cell, and back from a typed name."""

    def __init__(self, queryset):
        self.queryset = queryset

    @cached_property
    def labels(self):
        """{pk: label}, in the roster's order. Namesakes are told apart by their year
        of birth (else their party card number, else their number in the system)."""
        rows = list(self.queryset.values_list("pk", "full_name", "birth_date", "card_number"))
        counts = {}
        for _pk, name, _born, _card in rows:
            counts[name] = counts.get(name, 0) + 1
        labels = {}
        taken = set()
        for pk, name, born, card in rows:
            label = name
            if counts[name] > 1:
                detail = born.year if born else (card or f"#{pk}")
                label = f"{name} ({detail})"
                if label in taken:
                    label = f"{name} (#{pk})"
            taken.add(label)
            labels[pk] = label
        return labels

    @cached_property
    def _by_label(self):
        return {label: pk for pk, label in self.labels.items()}

    @cached_property
    def _by_plain(self):
        found = {}
        for pk, label in self.labels.items():
            found.setdefault(plain(label), set()).add(pk)
        return found

    def label_of(self, pk):
        try:
            return self.labels.get(int(pk), "")
        except (TypeError, ValueError):
            return ""

    def find(self, text):
        """The pk (as text) a typed name or id stands for; the text itself if it is
        nobody's or several members', for the field to refuse it with the text kept."""
        text = " ".join(str(text).split())
        if not text or text.isdigit():
            return text
        if text in self._by_label:
            return str(self._by_label[text])
        found = self._by_plain.get(plain(text), set())
        if len(found) == 1:
            return str(next(iter(found)))
        return text


class MemberPick(forms.TextInput):
    """One member, typed or chosen from the page's one list of the cell's members."""

    def __init__(self, roster, attrs=None):
        defaults = {"list": DATALIST_ID, "autocomplete": "off", "class": "form-control"}
        super().__init__(attrs={**defaults, **(attrs or {})})
        self.roster = roster

    def format_value(self, value):
        if value in (None, ""):
            return ""
        text = str(value)
        return self.roster.label_of(text) if text.isdigit() else text

    def value_from_datadict(self, data, files, name):
        return self.roster.find(data.get(name, ""))


class MemberPicks(MemberPick):
    """Several members, their names separated by “;” (the chips of member-picker.js
    write the same). Each posted value may also be a member's id."""

    def __init__(self, roster, attrs=None):
        super().__init__(roster, attrs={"class": "form-control member-picker", **(attrs or {})})

    def format_value(self, value):
        if value in (None, "", []):
            return ""
        items = value if isinstance(value, list | tuple) else [value]
        return f"{SEPARATOR} ".join(super(MemberPicks, self).format_value(item) for item in items)

    def value_from_datadict(self, data, files, name):
        names = []
        for posted in data.getlist(name) if hasattr(data, "getlist") else [data.get(name, "")]:
            names.extend(part for part in re.split(r"[;\n]", str(posted)) if part.strip())
        return [self.roster.find(text) for text in names]

    def value_omitted_from_data(self, data, files, name):
        return False  # an empty box means nobody chosen


def offer_members(field, roster):
    """Make a model choice field (one member or several) pick from `roster`, the page's
    one list. Validation still goes through the field's own queryset."""
    several = isinstance(field, forms.ModelMultipleChoiceField)
    attrs = {
        key: value
        for key, value in field.widget.attrs.items()
        if key not in {"size", "class", "multiple"}
    }
    field.widget = (MemberPicks if several else MemberPick)(roster, attrs=attrs)
    # The typed name is shown in the message, and kept in the box.
    field.error_messages = {
        **field.error_messages,
        "invalid_choice": NOT_ON_ROSTER,
        "invalid_pk_value": _(
            "No member of this cell is called “%(pk)s”. Choose a name from the list of members."
        ),
    }

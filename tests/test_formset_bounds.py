"""Every formset is bounded (cellmeet/limits.py): a POST claiming two thousand million
rows is answered at once with a form error, on the admin's add pages and on the
recording forms alike, and the minutes of the largest real cell fit Django's limit on
the number of fields in a request."""

import re
from datetime import date

import pytest
from django.conf import settings
from django.contrib import admin
from django.forms import BaseFormSet
from django.test import RequestFactory
from django.urls import reverse

from cellmeet import limits
from meetings.forms import MinutesEditor
from members.models import Member
from tests.factories import UserFactory
from tests.helpers import at
from tests.meetings.formdata import record_post_data

HUGE = "2147483648"


@pytest.fixture
def superuser(db):
    return UserFactory(username="quan-tri", is_superuser=True, is_staff=True)


def admins_with_inlines():
    return sorted(
        f"{model._meta.app_label}.{model._meta.model_name}"
        for model, model_admin in admin.site._registry.items()
        if model_admin.inlines
    )


def _model_admin(label):
    return next(
        model_admin
        for model, model_admin in admin.site._registry.items()
        if f"{model._meta.app_label}.{model._meta.model_name}" == label
    )


def test_every_admin_inline_is_bounded(superuser):
    request = RequestFactory().get("/")
    request.user = superuser
    for label in admins_with_inlines():
        for inline in _model_admin(label).get_inline_instances(request):
            formset = inline.get_formset(request)
            assert formset.absolute_max <= limits.LARGEST_CELL_MEMBERS, inline
            assert formset.max_num <= formset.absolute_max, inline
            assert formset.validate_max, inline


@pytest.mark.parametrize("label", admins_with_inlines())
def test_an_admin_add_form_refuses_a_huge_row_count_at_once(client, superuser, label):
    """Every inline of the page claims 2,147,483,648 rows: a form error, and no row built
    beyond the bound (building them held a worker for a minute)."""
    client.force_login(superuser, backend="django.contrib.auth.backends.ModelBackend")
    app_label, model_name = label.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_add")
    page = client.get(url)
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": HUGE, f"{prefix}-INITIAL_FORMS": "0"})
    assert data, label
    response = client.post(url, data)
    assert response.status_code == 200
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        assert len(formset.forms) <= formset.absolute_max
        assert len(formset.forms) <= formset.initial_form_count() + formset.extra
        assert formset.non_form_errors(), formset.prefix


def test_the_recording_form_refuses_a_huge_row_count_on_every_row_kind(world, login, make_meeting):
    meeting = make_meeting(when=at(2026, 10, 5))
    client = login(world.secretary)
    url = reverse("meetings:record", args=[meeting.pk])
    data = record_post_data(client.get(url))
    prefixes = [name[: -len("-TOTAL_FORMS")] for name in data if name.endswith("-TOTAL_FORMS")]
    assert {"attendance", "guests", "speeches", "tasks", "decisions"} <= set(prefixes)
    for prefix in prefixes:
        data[f"{prefix}-TOTAL_FORMS"] = HUGE
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["errors"]
    for formset in _formsets(response.context["editor"]):
        assert len(formset.forms) <= formset.absolute_max <= limits.LARGEST_CELL_MEMBERS


def _formsets(editor):
    for part in [editor, *editor.extra_parts]:
        for value in vars(part).values():
            if isinstance(value, BaseFormSet):
                yield value


def _fields_posted(client, meeting):
    url = reverse("meetings:record", args=[meeting.pk])
    data = record_post_data(client.get(url))
    for name in list(data):
        if re.fullmatch(r"attendance-\d+-id", name):
            data[name.replace("-id", "-status")] = "present"
    return data


def test_the_minutes_of_the_largest_cell_fit_the_field_limit(world, login, make_meeting, roster):
    """Fields per member, measured on the page; every other field at its bound."""
    client = login(world.secretary)
    small = make_meeting(when=at(2026, 9, 5))
    before = len(_fields_posted(client, small))
    Member.objects.bulk_create(
        Member(
            organization=world.cell,
            full_name=f"Đảng viên {number:03d}",
            sort_key=f"dang vien {number:03d}",
            gender="male",
            status="official",
            admitted_on=date(2000, 1, 1),
        )
        for number in range(20)
    )
    larger = make_meeting(when=at(2026, 10, 5))
    data = _fields_posted(client, larger)
    assert (len(data) - before) / 20 <= limits.MINUTES_FIELDS_PER_MEMBER

    editor = MinutesEditor(larger)
    single_fields = [name for name in data if not re.search(r"-(\d+|TOTAL|INITIAL|M\w+)", name)]
    rows_at_their_bound = sum(
        formset.absolute_max * (len(formset.empty_form.fields) + 1) + 4  # + DELETE, counts
        for formset in _formsets(editor)
        if formset.prefix != "attendance"
    )
    assert len(single_fields) + rows_at_their_bound <= limits.MINUTES_OTHER_FIELDS
    needed = (
        limits.LARGEST_CELL_MEMBERS * limits.MINUTES_FIELDS_PER_MEMBER + limits.MINUTES_OTHER_FIELDS
    )
    assert needed * 1.25 <= settings.DATA_UPLOAD_MAX_NUMBER_FIELDS

from datetime import date

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from cellmeet.forms import DayFirstDateInput, parse_typed_date


class DateForm(forms.Form):
    day = forms.DateField(widget=DayFirstDateInput)
    moment = forms.DateTimeField()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_slashed_date_is_day_first_in_both_languages(language):
    with translation.override(language):
        form = DateForm({"day": "03/04/2026", "moment": "03/04/2026 19:30"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == date(2026, 4, 3)
    moment = form.cleaned_data["moment"]
    assert (moment.day, moment.month, moment.hour, moment.minute) == (3, 4, 19, 30)


def test_an_impossible_day_first_date_is_refused_with_a_vietnamese_message():
    with translation.override("vi"):
        form = DateForm({"day": "13/13/2026", "moment": "03/04/2026 19:30"})
        assert not form.is_valid()
        assert "Nhập một ngày hợp lệ" in str(form.errors["day"])


@pytest.mark.parametrize("language", ["vi", "en"])
def test_text_outside_a_form_is_read_as_the_date_boxes_read_it(language):
    with translation.override(language):
        assert parse_typed_date("03/04/2026") == date(2026, 4, 3)
        assert parse_typed_date("31/02/2026") is None
        assert parse_typed_date("April 3") is None


def test_dates_are_shown_day_first():
    with translation.override("vi"):
        rendered = DayFirstDateInput().render("day", date(2026, 4, 3))
    assert 'value="03/04/2026"' in rendered
    assert 'type="text"' in rendered


def test_the_interface_is_vietnamese_even_for_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    content = response.content.decode()
    assert '<html lang="vi">' in content
    assert "Đăng nhập" in content


def test_the_language_switch_changes_to_english_and_back(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log in" in client.get(reverse("login")).content.decode()
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert "Đăng nhập" in client.get(reverse("login")).content.decode()


def test_time_zone_is_vietnam(settings):
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.LANGUAGE_CODE == "vi"


def test_not_found_page_is_translated(world, login):
    response = login(world.secretary).get("/orgs/999999/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_forbidden_page_is_translated(world, login):
    response = login(world.viewer).get(reverse("members:member_create", args=[world.cell.pk]))
    assert response.status_code == 403
    assert "Không được phép" in response.content.decode()


def test_server_error_page_renders_without_a_request_and_is_translated():
    with translation.override("vi"):
        html = render_to_string("500.html")
    assert "Đã xảy ra lỗi" in html

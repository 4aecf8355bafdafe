"""Email is configured from the environment (cellmeet/mail.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from cellmeet.mail import CONSOLE_BACKEND, SMTP_BACKEND, email_settings


def test_email_url_gives_host_port_account_and_tls():
    found = email_settings(
        {
            "EMAIL_URL": "smtp://chibo%40example.org:m%E1%BA%ADt-kh%E1%BA%A9u@mail.example.org:587/?tls=1",
            "DEFAULT_FROM_EMAIL": "Chi bộ thôn Đông <chibo@example.org>",
        }
    )
    assert found["EMAIL_BACKEND"] == SMTP_BACKEND
    assert (found["EMAIL_HOST"], found["EMAIL_PORT"]) == ("mail.example.org", 587)
    assert found["EMAIL_HOST_USER"] == "chibo@example.org"
    assert found["EMAIL_HOST_PASSWORD"] == "mật-khẩu"
    assert (found["EMAIL_USE_TLS"], found["EMAIL_USE_SSL"]) == (True, False)
    assert found["DEFAULT_FROM_EMAIL"] == "Chi bộ thôn Đông <chibo@example.org>"


def test_smtps_means_implicit_tls_on_465():
    found = email_settings({"EMAIL_URL": "smtps://u:p@mail.example.org"})
    assert (found["EMAIL_PORT"], found["EMAIL_USE_SSL"], found["EMAIL_USE_TLS"]) == (
        465,
        True,
        False,
    )


def test_the_usual_variables_work_without_email_url():
    found = email_settings(
        {
            "EMAIL_HOST": "smtp.example.org",
            "EMAIL_PORT": "2525",
            "EMAIL_HOST_USER": "u",
            "EMAIL_HOST_PASSWORD": "p",
            "EMAIL_USE_TLS": "true",
        },
        default_backend=CONSOLE_BACKEND,
    )
    assert found["EMAIL_BACKEND"] == SMTP_BACKEND  # a host was given: it is used
    assert (found["EMAIL_HOST"], found["EMAIL_PORT"], found["EMAIL_USE_TLS"]) == (
        "smtp.example.org",
        2525,
        True,
    )


def test_development_prints_messages_unless_told_otherwise():
    assert email_settings({}, default_backend=CONSOLE_BACKEND)["EMAIL_BACKEND"] == CONSOLE_BACKEND
    assert email_settings({"EMAIL_URL": "console://"})["EMAIL_BACKEND"] == CONSOLE_BACKEND


@pytest.mark.parametrize(
    "environ",
    [
        {"EMAIL_URL": "imap://mail.example.org"},
        {"EMAIL_HOST": "mail.example.org", "EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"},
    ],
)
def test_a_wrong_setting_stops_the_start_with_a_clear_message(environ):
    with pytest.raises(ImproperlyConfigured):
        email_settings(environ)

import html
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory


def run_with_prod_settings(code, **environment):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(environment, DJANGO_SETTINGS_MODULE="cellmeet.settings.prod")
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_with_prod_settings("print('started')", ALLOWED_HOSTS="cellmeet.example")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_hashes_passwords_with_argon2_and_never_debugs():
    result = run_with_prod_settings(
        "from django.conf import settings as s; print(s.PASSWORD_HASHERS[0], s.DEBUG)",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="cellmeet.example",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.contrib.auth.hashers.Argon2PasswordHasher", "False"]


@pytest.mark.django_db
def test_login_locks_out_after_repeated_wrong_passwords(client):
    UserFactory(username="bithu-test")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "bithu-test", "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": "bithu-test", "password": "secret-pass-123"}
    )
    assert response.status_code == 429
    assert "30" in response.content.decode()


@pytest.mark.django_db
def test_the_right_password_logs_in(client):
    UserFactory(username="bithu-test")
    request = RequestFactory().post("/")
    assert authenticate(request=request, username="bithu-test", password="secret-pass-123")
    response = client.post(
        reverse("login"), {"username": "bithu-test", "password": "secret-pass-123"}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_wrong_password_says_so_in_vietnamese(client):
    UserFactory(username="bithu-test")
    response = client.post(reverse("login"), {"username": "bithu-test", "password": "nope"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "bithu-test" in content  # the username typed is kept
    with translation.override("vi"):
        expected = AuthenticationForm.error_messages["invalid_login"] % {
            "username": AuthenticationForm().fields["username"].label
        }
    assert str(expected) in html.unescape(content)
    assert "Please enter a correct" not in content


@pytest.mark.django_db
def test_the_login_page_keeps_its_own_cache_control(client):
    response = client.get(reverse("login"))
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert "Content-Security-Policy" in response


@pytest.mark.django_db
def test_a_signed_in_page_is_private_and_never_stored(world, login):
    response = login(world.viewer).get(reverse("meetings:list"))
    assert response["Cache-Control"] == "private, no-store"
    assert "Expires" not in response


def test_production_cookies_are_secure_unless_a_local_scan_says_otherwise():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    result = run_with_prod_settings(code, SECRET_KEY="x" * 60, ALLOWED_HOSTS="cellmeet.example")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]

"""Local development: `make run`. Never use in production."""

import os

from cellmeet.mail import CONSOLE_BACKEND, email_settings

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, STORAGES, env_bool

DEBUG = env_bool("DEBUG", True)
# Dev only: `manage.py seed_demo` and its fictional data (never in production).
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Messages are printed in the console unless EMAIL_URL or EMAIL_HOST says otherwise.
globals().update(email_settings(os.environ, default_backend=CONSOLE_BACKEND))

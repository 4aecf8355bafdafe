"""The test suite: fast hashing, in-memory files kept apart from development data."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import INSTALLED_APPS

DEBUG = False
SECRET_KEY = "test-only-key"
# The demo data is tested too (tests/demo); production settings do not install it.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="cellmeet-test-media-"))
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="cellmeet-test-static-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

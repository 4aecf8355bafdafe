"""The test suite: fast hashing, files on a throwaway local disk kept apart from
development data.

Background jobs run immediately, in the process that enqueues them: most tests check
what a job produces (the stored signed PDF, the minutes book), and must not depend on a
worker being there. tests/test_background_jobs.py switches to the database backend and
runs the real worker (`manage.py worker`, a subprocess with CELLMEET_TEST_WORKER set,
on the same test database and media folder); so the SQLite test database is a file.
"""

import os
import tempfile
from pathlib import Path

from cellmeet.storage import media_storages

from .base import *  # noqa: F403
from .base import DATABASES, INSTALLED_APPS, TASKS

DEBUG = False
SECRET_KEY = "test-only-key"
# The demo data is tested too (tests/demo); production settings do not install it.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A worker started by a test is handed the test's media folder.
MEDIA_ROOT = Path(
    os.environ.get("CELLMEET_TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="cellmeet-test-media-")
)
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="cellmeet-test-static-"))
# Always the local disk, whatever the environment says: tests/test_object_storage.py
# switches to its own local S3-compatible server.
STORAGES = {
    **media_storages({}, MEDIA_ROOT),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATABASE_TASKS = TASKS
if not os.environ.get("CELLMEET_TEST_WORKER"):
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a worker process can open the test database too.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.mkdtemp(prefix="cellmeet-test-db-")) / "test.sqlite3"),
        **DATABASES["default"].get("TEST", {}),
    }

# Jobs run at once here: warming the boards at every status change would compute boards
# in thousands of tests that never look at one (tests/oversight/test_board_cache.py
# turns it on).
CELLMEET_WARM_BOARDS = False

"""Settings shared by every environment. Environment-specific modules import this."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _
from xstatic.pkg import bootstrap as xstatic_bootstrap

from cellmeet import limits
from cellmeet.mail import email_settings
from cellmeet.storage import media_storages

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "cellmeet",
    "members",
    "resolutions",
    "meetings",
    "printing",
    "oversight",
    "rating",
    "dues",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, which serves static files already compressed; before everything
    # that writes the body. Why compressing pages is safe here: cellmeet/middleware.py.
    "cellmeet.middleware.CompressPagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cellmeet.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Needs the signed-in user: a busy database keeps her submission (cellmeet/kept.py).
    "cellmeet.middleware.DatabaseBusyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "cellmeet.middleware.SecurityHeadersMiddleware",
    "cellmeet.middleware.PrivateByDefaultMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cellmeet.urls"
WSGI_APPLICATION = "cellmeet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "members.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
# SQLite, the embedded default, serves several threads (runserver) or workers
# (gunicorn) at once. WAL lets pages be read while someone saves; a writer waits up
# to `timeout` seconds for the lock instead of failing; and BEGIN IMMEDIATE takes the
# write lock when a transaction starts, so a transaction that read first never finds
# its snapshot stale when it writes (that fails at once, "database is locked",
# whatever the timeout) and checks made inside it hold until it commits.
# synchronous=FULL: a save the secretary saw confirmed survives a power cut too.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
        "timeout": int(os.environ.get("SQLITE_TIMEOUT", "20")),
        "transaction_mode": "IMMEDIATE",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock an account+address pair out for 30 minutes after 5 failed logins.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Django's own "vi" locale has no input formats; ours make 03/04/2026 mean 3 April.
FORMAT_MODULE_PATH = ["cellmeet.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", xstatic_bootstrap.BASE_DIR),
]
# Uploaded files live outside the web root and are served by views that check access.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Media on the local disk, or on S3-compatible object storage shared by several web
# hosts and workers (MEDIA_STORAGE_URL or AWS_STORAGE_BUCKET_NAME…: cellmeet/storage.py).
STORAGES = {
    **media_storages(os.environ, MEDIA_ROOT),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Sized for the minutes of the largest real cell, with margin: see cellmeet/limits.py.
DATA_UPLOAD_MAX_NUMBER_FIELDS = limits.DATA_UPLOAD_MAX_NUMBER_FIELDS

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_AGE = 60 * 60 * 12
# A stale page must not cost what was typed: see cellmeet/kept.py.
CSRF_FAILURE_VIEW = "cellmeet.kept.csrf_failure"
# What a person sent that could not be saved is kept this long, up to this size.
CELLMEET_KEPT_SUBMISSION_HOURS = int(os.environ.get("CELLMEET_KEPT_SUBMISSION_HOURS", "24"))
CELLMEET_KEPT_SUBMISSION_MAX_BYTES = 2 * 1024 * 1024
# The recording page saves the draft in the background after this long without typing.
CELLMEET_AUTOSAVE_IDLE_SECONDS = 60
# After minutes change status, a background job computes again the compliance boards of
# the committees above (oversight/board_cache.py), so the first reviewer finds them ready.
CELLMEET_WARM_BOARDS = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline script or style anywhere: pages load code and styles from our own static
# files only. Bootstrap's CSS draws its form icons as data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Browser features the site never uses (cellmeet.middleware.SecurityHeadersMiddleware).
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
    "bluetooth=(), display-capture=(), fullscreen=(self)"
)

# One cache for every web host and worker when REDIS_URL is set; else each process
# keeps its own in memory.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "cellmeet",
        }
    }

# Background jobs (Django's Tasks API, backported by django-tasks): kept in the
# database and run by `manage.py worker` (printing/tasks.py and notifications/tasks.py
# list them). The same code runs on an RQ or Celery backend by changing this setting.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Email (notifications/): EMAIL_URL or EMAIL_HOST/EMAIL_PORT/EMAIL_HOST_USER/
# EMAIL_HOST_PASSWORD/EMAIL_USE_TLS, and DEFAULT_FROM_EMAIL, the sender people see
# (cellmeet/mail.py; README, "Email"). Development prints messages (settings/dev.py).
globals().update(email_settings(os.environ))
# What notifications/ sends: the reminders' defaults, which an organisation may change
# (notifications.models.NotificationSettings). Retries of temporary SMTP failures:
# notifications.delivery (MAX_ATTEMPTS, RETRY_BACKOFF).
CELLMEET_NOTIFICATIONS = {
    # An invitation entry lasts this long in the calendar when no end is recorded.
    "MEETING_MINUTES": 120,
}

# Import of members from a spreadsheet: refuse files larger than this.
MEMBER_IMPORT_MAX_BYTES = 2 * 1024 * 1024
MEMBER_IMPORT_MAX_ROWS = 1000

# Party dues (dues/): whether committees above a cell may see its members' salary bases
# and the amounts each paid (QĐ 01-QĐ/TW: the base is the member's own business; the
# superior receives totals). Off unless the committee decides otherwise.
DUES_SUPERIORS_SEE_BASES = env_bool("DUES_SUPERIORS_SEE_BASES", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "botocore": {"level": "WARNING"},
    },
}

# Rules of cell meetings that vary between provinces (DOMAIN.md, "config").
CELLMEET_MEETINGS = {
    # Warn (never block) when fewer attend, or someone is absent with reason this often.
    "ATTENDANCE_TARGET_PERCENT": 85,
    "ABSENT_WITH_REASON_STREAK": 3,
    "REGULAR_MEETING_MINIMUM_MINUTES": 90,
    # A thematic meeting held the same day runs separately after the regular one, the
    # two together at least 120 minutes: 30 minutes is what that leaves the thematic one.
    "THEMATIC_MEETING_MINIMUM_MINUTES": 30,
    "SAME_DAY_COMBINED_MINIMUM_MINUTES": 120,
    # The regular meeting's recording page offers what a cell committee meeting held
    # this many days before it prepared (its draft resolution and agenda).
    "COMMITTEE_PREPARES_DAYS": 45,
    # The default 100-point self-score form; a superior organisation may set its own.
    "QUALITY_CRITERIA": [
        {"code": "time", "label": _("Time kept"), "max": 5},
        {"code": "attendance", "label": _("Attendance"), "max": 5},
        {"code": "preparation", "label": _("Preparation"), "max": 10},
        {"code": "conduct", "label": _("Conduct of the meeting"), "max": 30},
        {"code": "chairing", "label": _("Chairing"), "max": 10},
        {"code": "principles", "label": _("Organisational principles"), "max": 5},
        {"code": "results", "label": _("Results of the resolution"), "max": 30},
        {"code": "closing", "label": _("Closing"), "max": 5},
    ],
    # (minimum points, level): Tốt ≥ 90, Khá 70–<90, Trung bình 50–<70, Kém < 50.
    "QUALITY_LEVELS": [(90, "good"), (70, "fair"), (50, "average"), (0, "poor")],
    # Lead reports of thematic meetings.
    "LEAD_REPORT_MAX_BYTES": 10 * 1024 * 1024,
}

# Decisions that need their own majority (meetings/decisions.py): the share of the vote
# denominator (official members summoned, as for any vote) that must approve, and
# whether "at least" that share or "more than" it. Admission and recognition as an
# official member: at least two thirds (DOMAIN.md); the others: more than half.
CELLMEET_DECISION_THRESHOLDS = {
    "admission": (2, 3, "at_least"),
    "recognition": (2, 3, "at_least"),
    "exemption": (1, 2, "more_than"),
    "discipline": (1, 2, "more_than"),
}
# Probationary members whose 12 months of probation end within this many days (or have
# ended) are listed on the cell's page until a recognition decision is recorded.
CELLMEET_RECOGNITION_REMINDER_DAYS = 30

# Printing. The PDF embeds Liberation Serif 2 (Times-metric, full Vietnamese), named
# by file so that the older Liberation 1, which lacks ơ and ư, is never picked.
CELLMEET_PDF_FONT_DIR = Path(
    os.environ.get("CELLMEET_PDF_FONT_DIR", "/usr/share/fonts/truetype/liberation2")
)
# The address printed in QR codes of signed minutes, e.g. https://chibo.example.vn.
# Empty: taken from the request that first prints the minutes.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
# Optional PAdES signature of stored signed minutes (PEM files; see README).
CELLMEET_SIGNING_CERT = os.environ.get("CELLMEET_SIGNING_CERT", "")
CELLMEET_SIGNING_KEY = os.environ.get("CELLMEET_SIGNING_KEY", "")
CELLMEET_SIGNING_KEY_PASSWORD = os.environ.get("CELLMEET_SIGNING_KEY_PASSWORD", "")
CELLMEET_SIGNING_CHAIN = os.environ.get("CELLMEET_SIGNING_CHAIN", "")
# An RFC 3161 timestamp authority (its HTTP address): each countersigned tree head's
# root is timestamped there when set (printing.timestamps).
CELLMEET_TIMESTAMP_URL = os.environ.get("CELLMEET_TIMESTAMP_URL", "")

# Party terms: resolution numbers restart each term ("05-NQ/CB"). Terms run five
# years from 2020 (2020–2025, 2025–2030, ...).
CELLMEET_TERMS = {"FIRST_YEAR": 2020, "YEARS": 5}

# The national "Sổ tay đảng viên" app (HD 42-HD/BTCTW, 28/10/2025; DOMAIN.md): the
# meeting's documents go there at least BEFORE_DAYS days before the meeting day and
# the finished ones within AFTER_DAYS days after it. Counted in calendar days: the
# documents are on time when uploaded by the end of the last day allowed
# (printing/national_app.py, the compliance board's HD 42 columns).
CELLMEET_NATIONAL_APP = {"RULE": "HD 42-HD/BTCTW (28/10/2025)", "BEFORE_DAYS": 1, "AFTER_DAYS": 2}

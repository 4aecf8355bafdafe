"""Request middleware: the language served (Vietnamese first), security headers, and
the answer to a save the database was too busy to take."""

import logging

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils import translation

from cellmeet import kept

logger = logging.getLogger(__name__)


class VietnameseFirstLocaleMiddleware:
    """Serve Vietnamese unless the user chose another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which on
    many commune-office computers says English. Only an explicit choice counts here.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class DatabaseBusyMiddleware:
    """A save that found SQLite busy past its timeout ("database is locked") answers a
    page saying so, with what she sent kept (cellmeet.kept.database_busy), not a 500.

    SQLite queues saves (settings: WAL, BEGIN IMMEDIATE, SQLITE_TIMEOUT); this is the
    safety net for a write lock held longer than that."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if kept.is_database_busy(exception):
            logger.warning("Database busy on %s %s: %s", request.method, request.path, exception)
            return kept.database_busy(request)
        return None


class SecurityHeadersMiddleware:
    """Headers Django does not send by itself: a Permissions-Policy for every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


# What a signed-in page, a printout or an export carries: never kept by a shared
# browser or a proxy. Static files are answered by WhiteNoise before this runs.
PRIVATE_CACHE_CONTROL = "private, no-store"
DOWNLOAD_CONTENT_TYPES = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument",
    "application/vnd.oasis.opendocument",
    "text/csv",
    "text/calendar",
)


class PrivateByDefaultMiddleware:
    """Every response for a signed-in user, and every document, is private and not stored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Asked before and after the view: signing out is still a signed-in answer.
        signed_in_before = _signed_in(request)
        response = self.get_response(request)
        if signed_in_before or _signed_in(request) or _is_document(response):
            response.headers["Cache-Control"] = PRIVATE_CACHE_CONTROL
            response.headers.pop("Expires", None)
        return response


def _signed_in(request):
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def _is_document(response):
    content_type = response.headers.get("Content-Type", "")
    return (
        content_type.startswith(DOWNLOAD_CONTENT_TYPES) or "Content-Disposition" in response.headers
    )


# Text compresses to a fifth or less; PDFs, spreadsheets and images are compressed already.
COMPRESSED_CONTENT_TYPES = (
    "text/html",
    "text/plain",
    "text/csv",
    "text/calendar",
    "application/json",
)


class CompressPagesMiddleware(GZipMiddleware):
    """GZip for pages (a province board is megabytes of HTML), not for documents.

    BREACH (compression plus a secret in a page that also reflects what an attacker
    sent) does not reach what our pages hold: Django masks the CSRF token afresh in
    every response, so it is never the same secret twice (see Django's "Cross Site
    Request Forgery protection" docs, BREACH), and Django's GZipMiddleware pads every
    compressed response with a random number of bytes ("Heal The Breach", Django 4.2),
    which hides the length differences the attack measures. The session cookie never
    appears in a page. tests/test_scale_settings.py checks both safeguards."""

    def process_response(self, request, response):
        content_type = response.headers.get("Content-Type", "")
        if not content_type.startswith(COMPRESSED_CONTENT_TYPES):
            return response
        return super().process_response(request, response)

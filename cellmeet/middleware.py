"""Request middleware: the language served (Vietnamese first) and security headers."""

from django.conf import settings
from django.utils import translation


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

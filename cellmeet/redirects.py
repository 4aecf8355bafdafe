"""Where a form sends her back afterwards: one rule for every `next` address a request
carries (a hidden field of our own pages, or a link someone was sent)."""

import re

from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.utils.encoding import iri_to_uri
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import i18n

NEXT_FIELD = "next"
# The id of a box or section on our own page, for "Save and stay" (#guests, #top).
_ANCHOR = re.compile(r"[A-Za-z][\w-]{0,63}")


def safe_next(request, default):
    """The page of this site the request's `next` names (POST, then GET), else `default`.

    Only an absolute path on this host is followed. Never a bare word or a view name
    (`x`, `meetings:list`: redirect() would try to reverse it and fail with a server
    error), another site (`//evil.example/`, `https://…`, `/\\evil.example`), a scheme
    (`javascript:`), nor a control character that would break the Location header.
    """
    target = request.POST.get(NEXT_FIELD) or request.GET.get(NEXT_FIELD) or ""
    if _is_local_path(request, target):
        return target
    return default


def _is_local_path(request, target):
    return (
        target.startswith("/")
        and target.isprintable()
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    )


def redirect_to_next(request, default):
    return HttpResponseRedirect(safe_next(request, default))


def safe_anchor(value, default="top"):
    """A fragment to come back to on the same page: an id, or `default`."""
    return value if value and _ANCHOR.fullmatch(value) else default


class LoginView(auth_views.LoginView):
    """Django's sign-in page, with `next` through safe_next (else LOGIN_REDIRECT_URL)."""

    def get_redirect_url(self):
        return safe_next(self.request, "")


class LogoutView(auth_views.LogoutView):
    """Django's sign-out, with `next` through safe_next (else LOGOUT_REDIRECT_URL)."""

    def get_redirect_url(self):
        return safe_next(self.request, "")


def set_language(request):
    """Django's language switch, sent back to a page of ours by safe_next (else home).

    Django's own view would follow a bare word as a relative address."""
    response = i18n.set_language(request)
    if isinstance(response, HttpResponseRedirect):
        response["Location"] = iri_to_uri(safe_next(request, "/"))
    return response

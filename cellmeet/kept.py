"""Keep what a person sent when it cannot be saved, and offer it back on the form.

A POST that arrives after the session ended, or with a stale CSRF token (she signed
out and in again in another tab), is kept server-side under a random one-time token.
It is only ever shown back on the form for her to check and save herself: a kept
POST is never replayed (that would defeat CSRF). It is kept

- for the person who signs in next with that browser, and only if she is the one who
  last opened a keeping form there (a signed cookie names her); once claimed, only
  she can see it;
- for CELLMEET_KEPT_SUBMISSION_HOURS;
- only up to CELLMEET_KEPT_SUBMISSION_MAX_BYTES of fields; files are never kept.

Only views marked with @keeps_submissions keep anything (never the login form).
"""

import functools
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.db import OperationalError
from django.dispatch import receiver
from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cellmeet.models import KeptSubmission
from cellmeet.redirects import redirect_to_next

EDITOR_COOKIE = "cellmeet_editor"
EDITOR_COOKIE_SALT = "cellmeet.kept.editor"
SESSION_KEY = "cellmeet_kept_tokens"
AUTOSAVE_HEADER = "HTTP_X_CELLMEET_AUTOSAVE"
# The offline queue's sync (meetings/offline.py): it answers in JSON, refusals too.
OFFLINE_SYNC_HEADER = "HTTP_X_CELLMEET_OFFLINE_SYNC"
# Fields that are not typed text: never worth showing back to copy.
_NOT_TEXT = re.compile(r"(^csrfmiddlewaretoken$|-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$|-id$)")


def is_autosave(request):
    return request.META.get(AUTOSAVE_HEADER) == "1"


def is_offline_sync(request):
    return request.META.get(OFFLINE_SYNC_HEADER) == "1"


def _hours():
    return settings.CELLMEET_KEPT_SUBMISSION_HOURS


def _fresh():
    return KeptSubmission.objects.filter(created_at__gte=timezone.now() - timedelta(hours=_hours()))


def _forget_expired():
    KeptSubmission.objects.filter(
        created_at__lt=timezone.now() - timedelta(hours=_hours())
    ).delete()


def _posted_fields(request):
    """What was posted, without NUL characters: nobody types one, and PostgreSQL
    cannot store one in a text or JSON column (a hostile post raised a server error)."""
    return [
        [_without_nul(name), _without_nul(value)]
        for name, values in request.POST.lists()
        if name != "csrfmiddlewaretoken"
        for value in values
    ]


def _without_nul(text):
    return text.replace("\x00", "")


def keep(request, *, user=None):
    """Keep the POST of this request; None when it is too big to keep."""
    expected = user.pk if user is not None else _editor_named_by_cookie(request)
    kept = keep_fields(
        _posted_fields(request),
        path=request.path,
        user=user,
        expected_user_id=expected,
        files_dropped=bool(request.FILES),
    )
    if kept is not None and user is None:
        request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, []), kept.token][-5:]
    return kept


def keep_fields(fields, *, path, user, expected_user_id=None, files_dropped=False):
    """Keep [[name, value], …] sent to the form at `path` (a capture made offline, a
    POST); None when it is too big to keep. Her earlier kept copy of that form goes."""
    fields = [[_without_nul(str(name)), _without_nul(str(value))] for name, value in fields]
    fields = [pair for pair in fields if pair[0] != "csrfmiddlewaretoken"]
    size = sum(len(name.encode()) + len(value.encode()) for name, value in fields)
    if size > settings.CELLMEET_KEPT_SUBMISSION_MAX_BYTES:
        return None
    _forget_expired()
    if user is not None:
        KeptSubmission.objects.filter(user=user, path=path).delete()
        expected_user_id = user.pk
    return KeptSubmission.objects.create(
        token=secrets.token_urlsafe(32),
        user=user,
        expected_user_id=expected_user_id,
        path=path,
        fields=fields,
        files_dropped=files_dropped,
    )


def _editor_named_by_cookie(request):
    try:
        return int(request.get_signed_cookie(EDITOR_COOKIE, salt=EDITOR_COOKIE_SALT))
    except (KeyError, ValueError, signing.BadSignature):
        return None


@receiver(user_logged_in)
def claim_kept_submissions(sender, request, user, **kwargs):
    """What this browser sent while signed out becomes hers, if it was hers."""
    if request is None or not hasattr(request, "session"):
        return
    tokens = request.session.pop(SESSION_KEY, [])
    for kept in _fresh().filter(token__in=tokens, user=None):
        if kept.expected_user_id in (None, user.pk):
            kept.user = user
            kept.save(update_fields=["user"])
        else:
            kept.delete()


def pending_for(user, path):
    """Her latest kept submission of this form, or None."""
    return _fresh().filter(user=user, path=path).order_by("-created_at").first()


def find(user, token, path):
    return _fresh().filter(user=user, path=path, token=token).first()


def forget(user, path):
    KeptSubmission.objects.filter(user=user, path=path).delete()


def as_data(kept):
    data = QueryDict(mutable=True)
    for name, value in kept.fields:
        data.appendlist(name, value)
    return data


def typed_texts(fields):
    """The values someone typed (not ids, counts or choices), to copy by hand."""
    return [
        value
        for name, value in fields
        if not _NOT_TEXT.search(name) and re.search(r"[^\W\d_]", value) and len(value) > 2
    ]


def keeps_submissions(view):
    """Mark a form view whose submissions are kept when they cannot be saved.

    Put it above @login_required: a POST that arrives signed out is kept, she is sent to
    sign in, and the form offers it back afterwards. The CSRF failure view keeps the
    submissions of marked views too.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and not request.user.is_authenticated:
            if is_autosave(request):
                return JsonResponse({"saved": False, "reason": "signed_out"}, status=401)
            if keep(request) is not None:
                messages.warning(
                    request,
                    _(
                        "You were signed out, so nothing was saved. What you sent is kept "
                        "for %(hours)s hours: sign in again and the form offers it back."
                    )
                    % {"hours": _hours()},
                )
            return redirect_to_login(request.get_full_path())
        response = view(request, *args, **kwargs)
        if request.user.is_authenticated:
            response.set_signed_cookie(
                EDITOR_COOKIE,
                str(request.user.pk),
                salt=EDITOR_COOKIE_SALT,
                max_age=settings.SESSION_COOKIE_AGE + _hours() * 3600,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    wrapper.keeps_submissions = True
    return wrapper


def _view_keeps_submissions(path):
    try:
        return getattr(resolve(path).func, "keeps_submissions", False)
    except Resolver404:
        return False


def csrf_failure(request, reason=""):
    """The page for a stale form: in Vietnamese, and the submission is not lost."""
    if is_autosave(request) or is_offline_sync(request):
        return JsonResponse({"saved": False, "reason": "stale_page"}, status=403)
    # A failed Origin or Referer check may be a forged cross-site POST: never keep those.
    same_site = not reason.startswith(("Origin checking failed", "Referer checking failed"))
    keepable = same_site and request.method == "POST" and _view_keeps_submissions(request.path)
    user = request.user if request.user.is_authenticated else None
    kept = keep(request, user=user) if keepable else None
    context = {
        "kept": kept,
        "keepable": keepable,
        "texts": typed_texts(_posted_fields(request)) if keepable else [],
        "files_sent": bool(request.FILES),
        "hours": _hours(),
        "signed_in": user is not None,
        "form_path": request.path if keepable else "",
    }
    return render(request, "403_csrf.html", context, status=403)


def is_database_busy(exception):
    """SQLite's "database is locked": another save held the write lock past SQLITE_TIMEOUT."""
    return isinstance(exception, OperationalError) and "locked" in str(exception)


def database_busy(request):
    """The page for a save the database was too busy to take: nothing was saved, what she
    sent is kept for the form to offer back (as for a stale page), she presses Save again.

    Keeping it is a write too, and the database may still be busy: then, as for a form
    that keeps nothing, her text is shown for her to copy, as on the stale-page page."""
    if is_autosave(request):
        return JsonResponse({"saved": False, "reason": "busy"}, status=503)
    keepable = request.method == "POST" and _view_keeps_submissions(request.path)
    user = request.user if request.user.is_authenticated else None
    kept = None
    if keepable and user is not None:
        try:
            kept = keep(request, user=user)
        except OperationalError:
            kept = None
    context = {
        "kept": kept,
        # Not kept (a form that keeps nothing, or keeping failed): hers to copy.
        "texts": typed_texts(_posted_fields(request)) if kept is None else [],
        "files_sent": bool(request.FILES),
        "hours": _hours(),
        "form_path": request.path,
    }
    response = render(request, "503_busy.html", context, status=503)
    response["Retry-After"] = "5"
    return response


@login_required
@require_POST
def discard(request, token):
    """She chose "Dismiss": forget her kept submission (only ever her own)."""
    KeptSubmission.objects.filter(user=request.user, token=token).delete()
    return redirect_to_next(request, reverse("home"))

"""The minutes book of a cell's year, printed by a background job.

Printing a year's book takes seconds (many pages laid out); a web worker must not wait
for it. `/cells/<id>/minutes-book/<year>.pdf` serves the stored book when one exists
for what the records say now; otherwise it starts the job (once, whoever else asks)
and sends the user to a page that refreshes itself until the book is ready, then
offers the file. A backend that runs jobs at once (the tests' ImmediateBackend) gets
the book served straight away, as before.

A book of signed minutes is printed once per content: the key below is a digest of all
it prints, so it changes when minutes are signed, returned or reviewed, and a stored
book serves every later download. A book with drafts is a working copy: printed anew
on every request.
"""

import hashlib
import json
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header

from meetings import tasks
from meetings.models import Meeting, MeetingStatus, MinutesBook, MinutesBookStatus, Review
from members.access import get_organization_for

# Bump when the book's layout changes, so books stored before are printed again.
BOOK_LAYOUT_VERSION = 1
# A job not done after this long is taken as lost (a broker that dropped it, a
# database restored without it): the next request starts it again.
LOST_AFTER = timedelta(minutes=30)
# How often the "being prepared" page asks again (a <meta http-equiv="refresh">).
REFRESH_SECONDS = 3

BOOK_STATUSES = {MeetingStatus.SIGNED, MeetingStatus.RETURNED}


def content_key(organization, year, *, include_drafts=False, site_url=""):
    """A digest of everything the book prints; random for a book with drafts."""
    if include_drafts:
        return uuid.uuid4().hex
    meetings = list(
        Meeting.objects.current()
        .filter(organization=organization, year=year, status__in=BOOK_STATUSES)
        .order_by("pk")
        .values_list("pk", "status", "fingerprint")
    )
    reviews = list(
        Review.objects.filter(meeting_id__in=[pk for pk, _, _ in meetings])
        .order_by("pk")
        .values_list("pk", "meeting_id", "verdict", "comment")
    )
    header = [organization.name, *(ancestor.name for ancestor in organization.ancestors())]
    text = json.dumps(
        [BOOK_LAYOUT_VERSION, organization.pk, year, site_url, header, meetings, reviews],
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def prepare_minutes_book(organization, year, *, include_drafts=False, user=None, site_url=""):
    """The book for what the records say now: stored, or its job started."""
    book, created = MinutesBook.objects.get_or_create(
        organization=organization,
        year=year,
        include_drafts=include_drafts,
        content_key=content_key(
            organization, year, include_drafts=include_drafts, site_url=site_url
        ),
        defaults={"requested_by": user},
    )
    if created or _needs_another_run(book):
        if not created:
            book.status = MinutesBookStatus.PENDING
            book.requested_at = timezone.now()
            book.requested_by = user
            book.save(update_fields=["status", "requested_at", "requested_by"])
        tasks.build_minutes_book.enqueue(book.pk, site_url=site_url)
        book.refresh_from_db()
    return book


def _needs_another_run(book):
    if book.status == MinutesBookStatus.FAILED:
        return True
    if book.status == MinutesBookStatus.READY:
        return not book.file or not book.file.storage.exists(book.file.name)
    return book.requested_at < timezone.now() - LOST_AFTER


def _site_url(request):
    return settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")


def _book_response(book):
    with book.file.open("rb") as handle:
        content = handle.read()
    response = HttpResponse(content, content_type="application/pdf")
    name = f"so-bien-ban-{book.organization_id}-{book.year}.pdf"
    response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename=name)
    return response


def get_minutes_book_for(user, pk):
    """A prepared book, reached through its cell: 404 to outsiders, like the cell."""
    book = MinutesBook.objects.filter(pk=pk).first()
    if book is None:
        raise Http404
    organization = get_organization_for(user, book.organization_id)
    if not organization.is_cell:
        raise Http404
    book.organization = organization
    return book


@login_required
def minutes_book(request, pk, year):
    organization = get_organization_for(request.user, pk)
    if not organization.is_cell:
        raise Http404
    book = prepare_minutes_book(
        organization,
        year,
        include_drafts=request.GET.get("drafts") == "1",
        user=request.user,
        site_url=_site_url(request),
    )
    if book.is_ready:
        return _book_response(book)
    return redirect("meetings:minutes_book_status", pk=book.pk)


@login_required
def minutes_book_status(request, pk):
    book = get_minutes_book_for(request.user, pk)
    context = {
        "book": book,
        "organization": book.organization,
        "refresh_seconds": REFRESH_SECONDS if book.status == MinutesBookStatus.PENDING else None,
    }
    return render(request, "meetings/minutes_book_status.html", context)


@login_required
def minutes_book_download(request, pk):
    book = get_minutes_book_for(request.user, pk)
    if not book.is_ready:
        return redirect("meetings:minutes_book_status", pk=book.pk)
    return _book_response(book)


urlpatterns = [
    path("cells/<int:pk>/minutes-book/<int:year>.pdf", minutes_book, name="minutes_book"),
    path("minutes-books/<int:pk>/", minutes_book_status, name="minutes_book_status"),
    path("minutes-books/<int:pk>/book.pdf", minutes_book_download, name="minutes_book_download"),
]

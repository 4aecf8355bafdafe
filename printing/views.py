"""Printing's pages: the PDFs of a meeting (minutes, resolution, attendance sheet),
the verify page a printed QR code leads to, a cell's minutes book for a year, and
the national app's package and marks (printing.national_app)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cellmeet.downloads import ZIP, document_response
from meetings import record
from meetings.access import get_meeting_for
from meetings.models import Meeting, MeetingStatus
from members.access import access_for, get_organization_for
from printing import ledger, national_app, pdf
from printing.books import read_book
from printing.models import MinutesBook, MinutesBookStatus
from printing.tasks import prepare_minutes_book

# How often the "being prepared" page asks again (a <meta http-equiv="refresh">).
REFRESH_SECONDS = 3


@login_required
def meeting_minutes_pdf(request, pk):
    meeting = get_meeting_for(request.user, pk)
    return document_response(pdf.minutes_pdf_bytes(meeting, request), pdf.pdf_filename(meeting))


@login_required
def meeting_resolution_pdf(request, pk):
    """The resolution printed beside the minutes, with the same access."""
    meeting = get_meeting_for(request.user, pk)
    content = pdf.render_resolution(meeting, request)
    if content is None:
        raise Http404
    return document_response(content, pdf.resolution_filename(meeting))


@login_required
def meeting_attendance_sheet(request, pk):
    meeting = get_meeting_for(request.user, pk)
    return document_response(
        pdf.render_attendance_sheet(meeting), f"danh-sach-du-hop-{meeting.pk}.pdf"
    )


def _normalized_fingerprint(text):
    return "".join(char for char in (text or "").lower() if char in "0123456789abcdef")


MINIMUM_FINGERPRINT_DIGITS = 12


def verify(request, fingerprint=None):
    """Anyone may learn whether signed minutes with this fingerprint exist and whether
    that version is current; only those entitled to the cell see what they are and
    what happened to them."""
    typed = request.GET.get("code")
    if fingerprint is None and typed:
        return redirect("printing:verify", fingerprint=_normalized_fingerprint(typed) or "0")
    context = {"fingerprint": fingerprint, "searched": fingerprint is not None}
    status = 200
    if fingerprint is not None:
        digits = _normalized_fingerprint(fingerprint)
        if len(digits) < MINIMUM_FINGERPRINT_DIGITS:
            context["too_short"] = True
            status = 404
        else:
            matches = list(
                Meeting.objects.filter(
                    # A page printed before the chain carries the content's own fingerprint.
                    Q(fingerprint__startswith=digits) | Q(legacy_fingerprint__startswith=digits)
                )
                .exclude(fingerprint="")
                .select_related("organization", "superseded_by", "chair", "note_taker")[:2]
            )
            meeting = matches[0] if len(matches) == 1 else None
            context["meeting_exists"] = meeting is not None
            if meeting is not None:
                # Its place in the chain and, with ?root=, whether the book's root holds it.
                context["place"] = ledger.place_of(meeting, typed_root=request.GET.get("root"))
            if meeting is None:
                status = 404
            elif request.user.is_authenticated and access_for(request.user).can_view(
                meeting.organization
            ):
                context["superseded"] = meeting.status == MeetingStatus.SUPERSEDED
                context["returned"] = meeting.status == MeetingStatus.RETURNED
                context["meeting"] = meeting
                context["minutes"] = record.record_of(meeting)
            else:
                # A stranger learns that the code is genuine and whether this version
                # still stands: never that it was returned, reviewed or corrected.
                context["is_current_version"] = (
                    meeting.status == MeetingStatus.SIGNED and meeting.is_current
                )
    return render(request, "printing/verify.html", context, status=status)


def _site_url(request):
    return settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")


def _book_response(book):
    return document_response(read_book(book), f"so-bien-ban-{book.organization_id}-{book.year}.pdf")


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
    return redirect("printing:minutes_book_status", pk=book.pk)


@login_required
def minutes_book_status(request, pk):
    book = get_minutes_book_for(request.user, pk)
    context = {
        "book": book,
        "organization": book.organization,
        "refresh_seconds": REFRESH_SECONDS if book.status == MinutesBookStatus.PENDING else None,
    }
    return render(request, "printing/minutes_book_status.html", context)


@login_required
def minutes_book_download(request, pk):
    book = get_minutes_book_for(request.user, pk)
    if not book.is_ready:
        return redirect("printing:minutes_book_status", pk=book.pk)
    return _book_response(book)


# ---------------------------------------------------------------- the national app (HD 42)


@login_required
def national_app_package(request, pk):
    """The ZIP for the national app: those who keep the cell's records upload it."""
    meeting = get_meeting_for(request.user, pk, edit=True)
    return document_response(
        national_app.build_package(meeting, request),
        national_app.package_filename(meeting),
        content_type=ZIP,
        attachment=True,
    )


@login_required
@require_POST
def national_app_mark(request, pk, stage):
    """Mark a stage as uploaded to the app now (action=unmark takes the mark back)."""
    meeting = get_meeting_for(request.user, pk, edit=True)
    if stage not in national_app.STAGES:
        raise Http404
    if request.POST.get("action") == "unmark":
        national_app.unmark(meeting, stage)
        messages.success(request, _("The mark was taken back."))
    else:
        try:
            national_app.mark_uploaded(meeting, stage, user=request.user)
        except national_app.MarkError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Marked as uploaded to the national app."))
    return redirect("meetings:detail", pk=meeting.pk)

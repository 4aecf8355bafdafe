"""The minutes book of a cell's year: a cover and a contents page, then the stored
signed PDF of each meeting, appended as it is (never laid out again).

Assembling a book is a background job: `/cells/<id>/minutes-book/<year>.pdf` serves
the stored book when one exists for what the records say now; otherwise it starts
the job (once, whoever else asks) and sends the user to a page that refreshes itself
until the book is ready, then offers the file. A backend that runs jobs at once (the
tests' ImmediateBackend) gets the book served straight away.

Only the cover and the contents (and a page of notes after minutes that a superior
reviewed, or that are still drafts) are rendered by WeasyPrint; the signed minutes
are the files stored when they were signed (printing.pdf.store_signed_minutes; one
still missing is rendered and stored first, from its sealed content). The stored book
keeps the fingerprints it holds; the key below is a digest of them and of all else
the book prints, so it changes when minutes are signed, returned, superseded or
reviewed, and a stored book serves every later download. A book with drafts is a
working copy: assembled anew on every request.
"""

import hashlib
import io
import json
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from meetings import record
from meetings.models import Meeting, MeetingStatus, Review
from printing import ledger, pdf
from printing.models import MinutesBook, MinutesBookStatus

# Bump when the book's layout changes, so books stored before are assembled again.
BOOK_LAYOUT_VERSION = 3  # 3: the cover prints the year's Merkle root and chain head
# A job not done after this long is taken as lost (a broker that dropped it, a
# database restored without it): the next request starts it again.
LOST_AFTER = timedelta(minutes=30)

BOOK_STATUSES = {MeetingStatus.SIGNED, MeetingStatus.RETURNED}
DRAFT_STATUSES = {MeetingStatus.DRAFT, MeetingStatus.FINALIZED}
COVER_LABEL = "Bìa"
CONTENTS_LABEL = "Mục lục"


def book_meetings(organization, year, *, include_drafts=False):
    """The year's minutes in date order: signed ones, and drafts when asked for."""
    statuses = BOOK_STATUSES | (DRAFT_STATUSES if include_drafts else set())
    return (
        Meeting.objects.current()
        .filter(organization=organization, year=year, status__in=statuses)
        .order_by("scheduled_at", "pk")
    )


def content_key(organization, year, *, include_drafts=False):
    """A digest of everything the book prints; random for a book with drafts. The
    signed minutes print as stored: their fingerprints stand for them."""
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
        [BOOK_LAYOUT_VERSION, organization.pk, year, header, meetings, reviews],
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class BookEntry:
    """One meeting of the book: its minutes' PDF, and a page of notes if it has some."""

    meeting: Meeting
    title: str
    scheduled_at: object
    is_draft: bool
    reviews: list
    minutes: PdfReader
    notes: PdfReader | None = None
    first_page: int = 0  # 1-based, in the book

    @property
    def pages(self):
        return len(self.minutes.pages) + (len(self.notes.pages) if self.notes else 0)


@dataclass
class AssembledBook:
    content: bytes
    fingerprints: list = field(default_factory=list)
    page_count: int = 0
    entries: list = field(default_factory=list)


def minutes_file(meeting, *, site_url=""):
    """The signed minutes' stored PDF, as signed (rendered from the sealed content and
    stored first if it is missing); a draft is rendered now, from its live rows."""
    if not pdf.is_signed_record(meeting):
        return pdf.render_minutes(meeting, site_url=site_url)
    if not meeting.minutes_pdf or not meeting.minutes_pdf.storage.exists(meeting.minutes_pdf.name):
        meeting = pdf.store_signed_minutes(meeting, site_url=site_url)
    with meeting.minutes_pdf.open("rb") as handle:
        return handle.read()


def book_entries(organization, year, *, include_drafts=False, site_url="", progress=None):
    """progress(done, total), if given, is called as the minutes are put in."""
    entries = []
    meetings = list(book_meetings(organization, year, include_drafts=include_drafts))
    if progress:
        progress(0, len(meetings))
    for meeting in meetings:
        minutes = record.record_of(meeting)
        content = minutes_file(meeting, site_url=site_url)
        entry = BookEntry(
            meeting=meeting,
            title=minutes.title,
            scheduled_at=minutes.scheduled_at,
            is_draft=not pdf.is_signed_record(meeting),
            reviews=list(meeting.reviews.order_by("created_at", "pk")),
            minutes=PdfReader(io.BytesIO(content)),
        )
        if entry.is_draft or entry.reviews:
            notes = pdf.render_pdf(
                "pdf/minutes_book_notes.html",
                {**pdf.header_context(organization), "year": year, "entry": entry},
            )
            entry.notes = PdfReader(io.BytesIO(notes))
        entries.append(entry)
        if progress:
            progress(len(entries), len(meetings))
    return entries


def _front_matter(organization, year, entries):
    """Cover and contents, with the page where each meeting starts. The contents are
    rendered again only if they turn out longer than the page numbers assumed."""
    front_pages = 2
    for _attempt in range(3):
        page = front_pages + 1
        for entry in entries:
            entry.first_page = page
            page += entry.pages
        context = {
            **pdf.header_context(organization),
            "year": year,
            "entries": entries,
            "tree": ledger.year_tree(organization.pk, year),
        }
        front = PdfReader(io.BytesIO(pdf.render_pdf("pdf/minutes_book.html", context)))
        if len(front.pages) == front_pages:
            return front
        front_pages = len(front.pages)
    raise RuntimeError("the contents of the minutes book do not settle")


def assemble_minutes_book(organization, year, *, include_drafts=False, site_url="", progress=None):
    """The book's PDF: the cover and contents, then each meeting's PDF appended as it
    is (page labels and an outline added), with the fingerprints it holds."""
    entries = book_entries(
        organization, year, include_drafts=include_drafts, site_url=site_url, progress=progress
    )
    front = _front_matter(organization, year, entries)
    writer = PdfWriter()
    writer.append(front, import_outline=False)
    for entry in entries:
        writer.append(entry.minutes, import_outline=False)
        if entry.notes:
            writer.append(entry.notes, import_outline=False)
    total = len(writer.pages)
    # Labels as the contents number the pages: the cover, the contents, then 3, 4…
    writer.set_page_label(0, 0, prefix=COVER_LABEL)
    writer.set_page_label(1, len(front.pages) - 1, prefix=CONTENTS_LABEL)
    if total > len(front.pages):
        writer.set_page_label(len(front.pages), total - 1, style="/D", start=len(front.pages) + 1)
    writer.add_outline_item(title=COVER_LABEL, page_number=0)
    writer.add_outline_item(title=CONTENTS_LABEL, page_number=1)
    for number, entry in enumerate(entries, start=1):
        day = timezone.localtime(entry.scheduled_at)
        title = f"{number}. {entry.title} ({day:%d/%m/%Y})"
        item = writer.add_outline_item(title=title, page_number=entry.first_page - 1)
        if entry.notes:
            notes_page = entry.first_page - 1 + len(entry.minutes.pages)
            writer.add_outline_item(
                title="Ghi chú kèm biên bản", page_number=notes_page, parent=item
            )
    writer.add_metadata(
        {
            "/Title": f"Sổ biên bản sinh hoạt chi bộ {year} – {organization.name}",
            "/Author": organization.name,
            "/Producer": "cellmeet",
        }
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    fingerprints = [entry.meeting.fingerprint for entry in entries if not entry.is_draft]
    return AssembledBook(buffer.getvalue(), fingerprints, total, entries)


def read_book(book):
    with book.file.open("rb") as handle:
        return handle.read()


def needs_another_run(book):
    if book.status == MinutesBookStatus.FAILED:
        return True
    if book.status == MinutesBookStatus.READY:
        return not book.file or not book.file.storage.exists(book.file.name)
    return book.requested_at < timezone.now() - LOST_AFTER


def build_book_now(book, *, site_url=""):
    """The work of build_minutes_book, in this process (the committee's zip job calls
    it for each cell whose book is not stored yet)."""

    def progress(done, total):
        MinutesBook.objects.filter(pk=book.pk).update(minutes_done=done, minutes_total=total)

    try:
        assembled = assemble_minutes_book(
            book.organization,
            book.year,
            include_drafts=book.include_drafts,
            site_url=site_url,
            progress=progress,
        )
    except Exception:
        MinutesBook.objects.filter(pk=book.pk).update(
            status=MinutesBookStatus.FAILED, finished_at=timezone.now()
        )
        raise
    drafts = "-ban-nhap" if book.include_drafts else ""
    book.file.save(
        f"so-bien-ban-{book.organization.pk}-{book.year}{drafts}.pdf",
        ContentFile(assembled.content),
        save=False,
    )
    book.fingerprints = assembled.fingerprints
    book.page_count = assembled.page_count
    book.minutes_done = book.minutes_total = len(assembled.entries)
    book.status = MinutesBookStatus.READY
    book.finished_at = timezone.now()
    fields = ["file", "fingerprints", "page_count", "minutes_done", "minutes_total"]
    book.save(update_fields=[*fields, "status", "finished_at"])
    earlier = MinutesBook.objects.filter(
        organization=book.organization, year=book.year, include_drafts=book.include_drafts
    ).exclude(pk=book.pk)
    for old in earlier.exclude(status=MinutesBookStatus.PENDING):
        if old.file:
            old.file.delete(save=False)
        old.delete()

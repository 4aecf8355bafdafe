"""Background jobs (Django's Tasks API, backported by django-tasks).

The default backend keeps them in the database and `manage.py worker` runs them
(README, "Background jobs"); the tests run them at once. Every job may run twice (a
worker killed mid-job starts it again when it comes back): each one checks what is
already done before doing it.
"""

from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task

from meetings import pdf
from meetings.models import MinutesBook, MinutesBookStatus


@task()
def store_signed_minutes(meeting_pk, site_url=""):
    """Once the seal is committed: print the signed minutes and store the file (the
    first download prints them if this has not run yet)."""
    pdf.store_signed_minutes_by_pk(meeting_pk, site_url=site_url)


@task()
def build_minutes_book(book_pk, site_url=""):
    """Assemble a cell's minutes book for a year from the stored signed PDFs
    (meetings.books), store it, and drop the earlier books of that cell and year: they
    no longer say what the records say."""
    book = MinutesBook.objects.select_related("organization").filter(pk=book_pk).first()
    if book is None or book.is_ready:
        return
    build_book_now(book, site_url=site_url)


def build_book_now(book, *, site_url=""):
    """The work of build_minutes_book, in this process (the committee's zip job calls
    it for each cell whose book is not stored yet)."""
    from meetings.books import assemble_minutes_book

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

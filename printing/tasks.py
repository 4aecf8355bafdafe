"""Background jobs (Django's Tasks API, backported by django-tasks).

The default backend keeps them in the database and `manage.py worker` runs them
(README, "Background jobs"); the tests run them at once. Every job may run twice (a
worker killed mid-job starts it again when it comes back): each one checks what is
already done before doing it.
"""

from django.utils import timezone
from django_tasks import task

from cellmeet import jobs
from printing import books, pdf
from printing.models import MinutesBook, MinutesBookStatus


@task(priority=jobs.URGENT)
def store_signed_minutes(meeting_pk, site_url=""):
    """Once the seal is committed: print the signed minutes and store the file (the
    first download prints them if this has not run yet)."""
    pdf.store_signed_minutes_by_pk(meeting_pk, site_url=site_url)


@task(priority=jobs.NORMAL)
def build_minutes_book(book_pk, site_url=""):
    """Assemble a cell's minutes book for a year from the stored signed PDFs
    (printing.books), store it, and drop the earlier books of that cell and year: they
    no longer say what the records say."""
    book = MinutesBook.objects.select_related("organization").filter(pk=book_pk).first()
    if book is None or book.is_ready:
        return
    books.build_book_now(book, site_url=site_url)


def prepare_minutes_book(organization, year, *, include_drafts=False, user=None, site_url=""):
    """The book for what the records say now: stored, or its job started."""
    book, created = MinutesBook.objects.get_or_create(
        organization=organization,
        year=year,
        include_drafts=include_drafts,
        content_key=books.content_key(organization, year, include_drafts=include_drafts),
        defaults={"requested_by": user},
    )
    if created or books.needs_another_run(book):
        if not created:
            book.status = MinutesBookStatus.PENDING
            book.requested_at = timezone.now()
            book.requested_by = user
            book.save(update_fields=["status", "requested_at", "requested_by"])
        build_minutes_book.enqueue(book.pk, site_url=site_url)
        book.refresh_from_db()
    return book


def stored_minutes_book(organization, year, *, site_url=""):
    """The cell's stored book (signed minutes only) for what the records say now,
    assembled in this process if it is not stored yet: for a job that needs many
    cells' books (oversight.books) and must not wait for other jobs."""
    book, _created = MinutesBook.objects.get_or_create(
        organization=organization,
        year=year,
        include_drafts=False,
        content_key=books.content_key(organization, year),
    )
    if not book.is_ready or not book.file.storage.exists(book.file.name):
        book.organization = organization
        books.build_book_now(book, site_url=site_url)
    return book

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
    """Print a cell's minutes book for a year (meetings.books), store it, and drop the
    earlier books of that cell and year: they no longer say what the records say."""
    book = MinutesBook.objects.select_related("organization").filter(pk=book_pk).first()
    if book is None or book.is_ready:
        return
    try:
        content = pdf.render_minutes_book(
            book.organization, book.year, include_drafts=book.include_drafts, site_url=site_url
        )
    except Exception:
        MinutesBook.objects.filter(pk=book.pk).update(
            status=MinutesBookStatus.FAILED, finished_at=timezone.now()
        )
        raise
    drafts = "-ban-nhap" if book.include_drafts else ""
    book.file.save(
        f"so-bien-ban-{book.organization.pk}-{book.year}{drafts}.pdf",
        ContentFile(content),
        save=False,
    )
    book.status = MinutesBookStatus.READY
    book.finished_at = timezone.now()
    book.save(update_fields=["file", "status", "finished_at"])
    earlier = MinutesBook.objects.filter(
        organization=book.organization, year=book.year, include_drafts=book.include_drafts
    ).exclude(pk=book.pk)
    for old in earlier.exclude(status=MinutesBookStatus.PENDING):
        if old.file:
            old.file.delete(save=False)
        old.delete()

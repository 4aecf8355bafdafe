"""Minutes books printed by a background job (meetings/books.py): reached through the
cell, like the book itself (meetings:minutes_book, in the main matrix)."""

from tests.access_rules import seen_by_cell


def ready_book(world):
    from django.core.files.base import ContentFile

    from meetings.models import MinutesBook, MinutesBookStatus

    book = MinutesBook.objects.create(
        organization=world.cell, year=2026, content_key="0" * 64, status=MinutesBookStatus.READY
    )
    book.file.save("so-bien-ban.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return book


MATRIX = {
    "meetings:minutes_book_status": ("get", lambda w: {"pk": ready_book(w).pk}, seen_by_cell()),
    "meetings:minutes_book_download": ("get", lambda w: {"pk": ready_book(w).pk}, seen_by_cell()),
}

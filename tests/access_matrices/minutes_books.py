"""Minutes books printed by a background job (printing/books.py): reached through the
cell, like the book itself (printing:minutes_book, in the main matrix)."""

from tests.access_rules import ANY_REDIRECT, expect, seen_by_cell


def reviews_the_commune(ok=200):
    """Reviewing a committee's subtree: its reviewers and administrators above."""
    return expect(secretary=404, viewer=404, reviewer=ok, admin=ok, outsider=404, far_reviewer=404)


def ready_book(world):
    from django.core.files.base import ContentFile

    from printing.models import MinutesBook, MinutesBookStatus

    book = MinutesBook.objects.create(
        organization=world.cell, year=2026, content_key="0" * 64, status=MinutesBookStatus.READY
    )
    book.file.save("so-bien-ban.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return book


MATRIX = {
    "printing:minutes_book_status": ("get", lambda w: {"pk": ready_book(w).pk}, seen_by_cell()),
    "printing:minutes_book_download": ("get", lambda w: {"pk": ready_book(w).pk}, seen_by_cell()),
}


def on_commune(world):
    return {"pk": world.commune.pk, "year": 2026}


# A committee's year as one zip (oversight/books.py): for those who review the subtree
# (a cell's people do not see the commune). Without a zip made, the download sends
# back to the page that asks for one. On a cell: tests/oversight/test_committee_books.py.
MATRIX["oversight:committee_books"] = ("get", on_commune, reviews_the_commune())
MATRIX["oversight:committee_books_download"] = (
    "get",
    on_commune,
    reviews_the_commune(ANY_REDIRECT),
)

# The monthly countersignature of the chain heads (oversight/heads.py): for those who
# review the subtree; pressing the button sends back to the page.
MATRIX["oversight:tree_heads"] = ("get", lambda w: {"pk": w.commune.pk}, reviews_the_commune())

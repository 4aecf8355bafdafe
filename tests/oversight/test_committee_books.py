"""A committee's year as one zip (oversight/books.py): every cell's minutes book, built
by a background job, with its progress on a page that refreshes itself."""

import io
import zipfile

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from oversight.models import CommitteeBooks, CommitteeBooksStatus
from printing.models import MinutesBook
from tests.helpers import at, complete, sign
from tests.printing.pdftools import flat, page_count, page_text, pdf_text, toc_entries
from tests.printing.test_background_jobs import run_worker_until_the_queue_is_empty

TASK = "oversight.books.build_committee_books"


def page_url(organization):
    return reverse("oversight:committee_books", args=[organization.pk, 2026])


def download_url(organization):
    return reverse("oversight:committee_books_download", args=[organization.pk, 2026])


@pytest.fixture
def signed_year(world, roster, make_meeting):
    return [
        sign(complete(make_meeting(when=at(2026, month, 5)), roster), world, roster)
        for month in (4, 8)
    ]


@pytest.fixture
def database_jobs(settings):
    """Jobs go to the database, as in production, until the test ends."""
    settings.TASKS = settings.DATABASE_TASKS


def zip_entries(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def stored(meeting):
    meeting.refresh_from_db()
    with meeting.minutes_pdf.open("rb") as handle:
        return handle.read()


def test_a_reviewer_gets_every_cells_book_in_one_zip(signed_year, world, login):
    client = login(world.reviewer)
    asked = client.post(page_url(world.commune))
    assert asked.status_code == 302
    assert asked["Location"] == page_url(world.commune)
    page = client.get(page_url(world.commune)).content.decode()  # the tests run jobs at once
    assert 'data-books-status="ready"' in page
    assert 'http-equiv="refresh"' not in page
    assert download_url(world.commune) in page

    response = client.get(download_url(world.commune))
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    entries = zip_entries(b"".join(response.streaming_content))
    assert sorted(entries) == ["001-chi-bo-thon-dong-2026.pdf", "002-chi-bo-thon-tay-2026.pdf"]
    # Each cell's book, as stored for the cell: the same file its own page serves.
    cell_book = MinutesBook.objects.get(organization=world.cell)
    with cell_book.file.open("rb") as handle:
        assert entries["001-chi-bo-thon-dong-2026.pdf"] == handle.read()
    book = entries["001-chi-bo-thon-dong-2026.pdf"]
    firsts = [first for *_, first in toc_entries(book)]
    for first, meeting in zip(firsts, signed_year, strict=True):
        minutes = stored(meeting)
        for offset in range(page_count(minutes)):
            assert page_text(book, first + offset) == page_text(minutes, offset + 1)
    empty = entries["002-chi-bo-thon-tay-2026.pdf"]
    assert "CHI BỘ THÔN TÂY" in flat(page_text(empty, 1))
    assert "Chưa có biên bản nào trong năm." in flat(pdf_text(empty))
    # The cells' books are stored: the cell's own download serves the same file.
    direct = client.get(reverse("printing:minutes_book", args=[world.cell.pk, 2026]))
    assert direct.content == entries["001-chi-bo-thon-dong-2026.pdf"]


def test_new_minutes_make_the_zip_outdated(signed_year, world, roster, make_meeting, login):
    client = login(world.reviewer)
    client.post(page_url(world.commune))
    assert 'data-books-status="ready"' in client.get(page_url(world.commune)).content.decode()
    sign(complete(make_meeting(when=at(2026, 10, 5)), roster), world, roster)
    page = client.get(page_url(world.commune)).content.decode()
    assert 'data-books-status="ready"' not in page
    assert download_url(world.commune) not in page
    assert client.get(download_url(world.commune))["Location"] == page_url(world.commune)
    client.post(page_url(world.commune))
    content = b"".join(client.get(download_url(world.commune)).streaming_content)
    book = zip_entries(content)["001-chi-bo-thon-dong-2026.pdf"]
    assert "tháng 10/2026" in flat(pdf_text(book))
    assert CommitteeBooks.objects.count() == 1  # the outdated zip is gone


def test_a_cell_has_no_committee_zip(world, login):
    assert login(world.reviewer).get(page_url(world.cell)).status_code == 404
    assert login(world.secretary).get(page_url(world.cell)).status_code == 403
    assert login(world.far_reviewer).post(page_url(world.commune)).status_code == 404
    assert not CommitteeBooks.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_page_shows_progress_while_the_worker_prepares_the_zip(
    signed_year, world, login, database_jobs
):
    client = login(world.reviewer)
    page = client.get(page_url(world.commune)).content.decode()
    assert "Chuẩn bị toàn bộ sổ biên bản năm 2026" in page  # nothing asked yet: the button
    client.post(page_url(world.commune))
    archive = CommitteeBooks.objects.get()
    assert archive.status == CommitteeBooksStatus.PENDING
    waiting = client.get(page_url(world.commune)).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in waiting
    assert 'data-books-status="pending"' in waiting
    assert "Đang chuẩn bị: đang chờ đến lượt" in waiting
    assert download_url(world.commune) not in waiting
    # Asking again joins the job already waiting.
    client.post(page_url(world.commune))
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 1

    # Half-way, as the job records it after each cell: the count is shown.
    CommitteeBooks.objects.filter(pk=archive.pk).update(cells_total=2, cells_done=1)
    halfway = client.get(page_url(world.commune)).content.decode()
    assert "Đang chuẩn bị: 1/2 chi bộ" in halfway
    assert '<progress class="w-100" max="2" value="1"' in halfway
    CommitteeBooks.objects.filter(pk=archive.pk).update(cells_total=0, cells_done=0)

    run_worker_until_the_queue_is_empty()

    archive.refresh_from_db()
    assert archive.status == CommitteeBooksStatus.READY
    assert (archive.cells_done, archive.cells_total) == (2, 2)
    ready = client.get(page_url(world.commune)).content.decode()
    assert 'http-equiv="refresh"' not in ready
    assert "2 chi bộ" in ready
    content = b"".join(client.get(download_url(world.commune)).streaming_content)
    assert len(zip_entries(content)) == 2

"""The minutes book assembled from the stored signed PDFs (printing/books.py): each
meeting's pages are the stored file's pages, the contents point at them, the book is
stored once per content and served again without printing anything."""

import io

import pytest
import weasyprint
from django.urls import reverse
from pypdf import PdfReader

from meetings import services
from meetings.models import Meeting
from printing import tasks
from printing.models import MinutesBook
from tests.helpers import at, complete, sign
from tests.printing.pdftools import flat, page_count, page_text, pdf_text, toc_entries
from tests.printing.test_background_jobs import run_worker_until_the_queue_is_empty

MONTHS = (3, 6, 9)


def book_url(world):
    return reverse("printing:minutes_book", args=[world.cell.pk, 2026])


def stored_pdf(meeting):
    meeting = Meeting.objects.get(pk=meeting.pk)
    with meeting.minutes_pdf.open("rb") as handle:
        return handle.read()


@pytest.fixture
def stored_year(book_year):
    """The year with each signed PDF stored, as the job signing leaves does (it runs
    once the signing is committed, which these tests' transactions never are)."""
    for meeting in book_year["signed"]:
        tasks.store_signed_minutes.call(meeting.pk)
    return book_year


def sign_and_store(meeting, world, roster, on_commit):
    with on_commit(execute=True):
        meeting = sign(complete(meeting, roster), world, roster)
    return Meeting.objects.get(pk=meeting.pk)


@pytest.fixture
def renders(monkeypatch):
    """How many documents WeasyPrint lays out (the library's call, counted and run)."""
    calls = []
    real = weasyprint.HTML.write_pdf

    def counted(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", counted)
    return calls


def test_each_meeting_is_its_stored_pdf_page_for_page(book_year, world, login):
    content = login(world.secretary).get(book_url(world)).content
    entries = toc_entries(content)
    assert [title for _, title, _, _, _ in entries] == [
        f"Sinh hoạt chi bộ thường kỳ tháng {m}/2026" for m in MONTHS
    ]
    page = 3
    for (_, _, _, _, first), meeting in zip(entries, book_year["signed"], strict=True):
        stored = stored_pdf(meeting)
        # The contents give the page where the stored file starts in the book…
        assert first == page
        # …and every page of it is the stored page, text for text.
        for offset in range(page_count(stored)):
            assert page_text(content, first + offset) == page_text(stored, offset + 1)
        page = first + page_count(stored)
        if meeting.pk == book_year["signed"][1].pk:  # returned: a page of notes follows
            notes = flat(page_text(content, page))
            assert "GHI CHÚ KÈM BIÊN BẢN" in notes
            assert "Bổ sung lý do vắng mặt của đảng viên." in notes
            page += 1
    assert page - 1 == page_count(content)


def test_the_book_has_an_outline_and_page_labels_as_the_contents_say(book_year, world, login):
    content = login(world.secretary).get(book_url(world)).content
    reader = PdfReader(io.BytesIO(content))
    top = [item for item in reader.outline if not isinstance(item, list)]
    outline = [(item.title, reader.get_destination_page_number(item)) for item in top]
    # Under the returned June minutes, their notes: the page after the minutes.
    [notes] = [item for item in reader.outline if isinstance(item, list)]
    entries = toc_entries(content)
    assert [(item.title, reader.get_destination_page_number(item)) for item in notes] == [
        ("Ghi chú kèm biên bản", entries[2][4] - 2)
    ]
    assert outline[:2] == [("Bìa", 0), ("Mục lục", 1)]
    assert outline[2:] == [
        (f"{n}. {title} ({day})", first - 1) for n, title, day, _, first in entries
    ]
    labels = reader.page_labels
    assert labels[:2] == ["Bìa", "Mục lục"]
    assert labels[2:] == [str(number) for number in range(3, len(reader.pages) + 1)]


def test_the_second_request_prints_nothing_and_new_minutes_make_a_new_book(
    stored_year, world, roster, make_meeting, login, renders, django_capture_on_commit_callbacks
):
    client = login(world.reviewer)
    first = client.get(book_url(world)).content
    # The cover and contents, and the notes after the returned minutes; no minutes.
    assert len(renders) == 2
    book = MinutesBook.objects.get()
    assert book.fingerprints == [meeting.fingerprint for meeting in stored_year["signed"]]
    assert book.page_count == page_count(first)

    renders.clear()
    assert client.get(book_url(world)).content == first
    assert renders == []  # served from the stored book

    november = make_meeting(when=at(2026, 11, 5))
    november = sign_and_store(november, world, roster, django_capture_on_commit_callbacks)
    assert len(renders) == 1  # signing stored its PDF, once
    renders.clear()
    second = client.get(book_url(world)).content
    assert len(renders) == 2
    assert second != first
    assert "tháng 11/2026" in flat(pdf_text(second))
    book = MinutesBook.objects.get()  # the earlier one is gone with its file
    assert book.fingerprints[-1] == november.fingerprint
    entries = toc_entries(second)
    assert entries[-1][1] == "Sinh hoạt chi bộ thường kỳ tháng 11/2026"
    assert page_text(second, entries[-1][4]) == page_text(stored_pdf(november), 1)


def test_superseded_minutes_leave_the_book_and_their_correction_enters(
    book_year, world, roster, login
):
    client = login(world.secretary)
    june = book_year["signed"][1]
    client.get(book_url(world))
    correction = services.start_correction(june, user=world.secretary)
    without = client.get(book_url(world)).content
    assert [title for _, title, _, _, _ in toc_entries(without)] == [
        f"Sinh hoạt chi bộ thường kỳ tháng {m}/2026" for m in (3, 9)
    ]
    correction = sign(complete(correction, roster), world, roster)
    corrected = client.get(book_url(world)).content
    book = MinutesBook.objects.get()
    assert june.fingerprint not in book.fingerprints
    assert correction.fingerprint in book.fingerprints
    june_page = toc_entries(corrected)[1][4]
    assert page_text(corrected, june_page) == page_text(stored_pdf(correction), 1)


def test_a_missing_stored_pdf_is_printed_and_stored_first(stored_year, world, login, renders):
    march = Meeting.objects.get(pk=stored_year["signed"][0].pk)
    march.minutes_pdf.storage.delete(march.minutes_pdf.name)
    Meeting.objects.filter(pk=march.pk).update(minutes_pdf="")
    renders.clear()
    content = login(world.secretary).get(book_url(world)).content
    assert len(renders) == 3  # the March minutes, from their sealed content, then as before
    stored = stored_pdf(march)
    assert stored.startswith(b"%PDF-")
    first = toc_entries(content)[0][4]
    for offset in range(page_count(stored)):
        assert page_text(content, first + offset) == page_text(stored, offset + 1)


@pytest.mark.django_db(transaction=True)
def test_the_waiting_page_counts_the_minutes_put_in_then_offers_the_book(
    book_year, world, login, settings
):
    settings.TASKS = settings.DATABASE_TASKS  # the worker runs the job, as deployed
    client = login(world.reviewer)
    status_url = client.get(book_url(world))["Location"]
    book = MinutesBook.objects.get()
    waiting = client.get(status_url).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in waiting
    assert "Đang chuẩn bị: đang chờ đến lượt" in waiting
    # Half-way, as the job records it after each minutes: the count is shown.
    MinutesBook.objects.filter(pk=book.pk).update(minutes_total=3, minutes_done=2)
    halfway = client.get(status_url).content.decode()
    assert "Đang chuẩn bị: 2/3 biên bản" in halfway
    assert '<progress class="w-100" max="3" value="2"' in halfway
    MinutesBook.objects.filter(pk=book.pk).update(minutes_total=0, minutes_done=0)

    run_worker_until_the_queue_is_empty()

    book.refresh_from_db()
    assert (book.minutes_done, book.minutes_total) == (3, 3)
    ready = client.get(status_url).content.decode()
    assert 'http-equiv="refresh"' not in ready
    assert "Đang chuẩn bị" not in ready
    assert reverse("printing:minutes_book_download", args=[book.pk]) in ready

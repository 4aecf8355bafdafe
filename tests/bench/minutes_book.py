"""How long a cell's minutes book takes: `python -m tests.bench.minutes_book` (also run
by `python -m tests.bench`).

A cell of 30 members with a year of 12 signed monthly minutes (tests/bench/__main__.py's
builder; each one's PDF stored when signed), in a throwaway test database. Times with
time.perf_counter:

1. the book assembled from the stored signed PDFs (printing.books.assemble_minutes_book:
   cover and contents rendered, the stored files appended);
2. the old path: every meeting laid out again in one WeasyPrint document
   (tests/bench/templates/bench/minutes_book_laid_out.html, the template used before);
3. merging the same stored PDFs with pypdf and nothing else (the floor of (1));
4. a cached request: GET /cells/<id>/minutes-book/<year>.pdf once the book is stored.

Prints milliseconds and merges the figures into bench-results.json (the keys start
with `minutes_book_`). No assertions.
"""

import argparse
import io
import json
import statistics
import sys
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent.parent
RESULTS_FILE = REPOSITORY / "bench-results.json"
BENCH_TEMPLATES = Path(__file__).resolve().parent / "templates"


def timed_ms(function, runs):
    times = []
    for _ in range(max(1, runs)):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def build_year(builder):
    """12 regular meetings, signed (their PDFs stored at signing, as in production)."""
    return [builder.meeting(month, "regular") for month in range(1, 13)]


def laid_out_again(cell, year):
    """The book as it was printed before: one document laying every meeting out."""
    from django.conf import settings
    from django.test import override_settings

    from printing import pdf
    from printing.books import book_meetings

    entries = []
    for meeting in book_meetings(cell, year).select_related(
        "organization", "chair", "note_taker", "presenter"
    ):
        context = pdf.minutes_document_context(meeting)
        context["reviews"] = list(meeting.reviews.order_by("created_at"))
        entries.append(context)
    context = {**pdf.header_context(cell), "year": year, "entries": entries}
    engine = {**settings.TEMPLATES[0], "DIRS": [BENCH_TEMPLATES, *settings.TEMPLATES[0]["DIRS"]]}
    with override_settings(TEMPLATES=[engine, *settings.TEMPLATES[1:]]):
        return pdf.render_pdf("bench/minutes_book_laid_out.html", context)


def merged_only(meetings):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for meeting in meetings:
        with meeting.minutes_pdf.open("rb") as handle:
            writer.append(io.BytesIO(handle.read()), import_outline=False)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def run_cases(builder, meetings, year, runs, save=None):
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from meetings.models import Meeting
    from printing.books import assemble_minutes_book

    cell = builder.cell
    meetings = list(Meeting.objects.filter(pk__in=[m.pk for m in meetings]).order_by("pk"))
    assembled = assemble_minutes_book(cell, year)
    old = laid_out_again(cell, year)
    if save:
        Path(save).mkdir(parents=True, exist_ok=True)
        (Path(save) / "bench-book-assembled.pdf").write_bytes(assembled.content)
        (Path(save) / "bench-book-laid-out.pdf").write_bytes(old)

    admin = get_user_model().objects.create_superuser("bench-admin", password="x-bench-1")
    client = Client()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("printing:minutes_book", args=[cell.pk, year])
    first = client.get(url)  # the tests' ImmediateBackend assembles and stores it here
    assert first.status_code == 200, first.status_code

    def cached():
        response = client.get(url)
        assert response.status_code == 200 and response.content == first.content

    cases = [
        ("assembled from the stored PDFs", lambda: assemble_minutes_book(cell, year), runs),
        ("laid out again (old path)", lambda: laid_out_again(cell, year), max(1, runs // 2)),
        ("merging the stored PDFs only", lambda: merged_only(meetings), runs),
        ("cached request (stored book)", cached, runs * 2),
    ]
    results = {}
    print(
        f"minutes book: {len(meetings)} signed meetings, {assembled.page_count} pages "
        f"({len(assembled.content) // 1024} KiB assembled, {len(old) // 1024} KiB laid out)"
    )
    width = max(len(label) for label, *_ in cases)
    print(f"{'':{width}}  runs  median (ms)  min (ms)")
    for label, function, count in cases:
        times = timed_ms(function, count)
        results[label] = statistics.median(times)
        print(f"{label:{width}}  {count:>4}  {statistics.median(times):>11.1f}  {min(times):>8.1f}")
    assembled_ms = results["assembled from the stored PDFs"]
    old_ms = results["laid out again (old path)"]
    merge_ms = results["merging the stored PDFs only"]
    cached_ms = results["cached request (stored book)"]
    print(f"laid out again / assembled: {old_ms / assembled_ms:5.1f}×")
    print(f"assembled / merging only:   {assembled_ms / merge_ms:5.1f}×")
    print(f"cached request / merging:   {cached_ms / merge_ms:5.2f}×")
    return {
        "minutes_book_meetings": len(meetings),
        "minutes_book_pages": assembled.page_count,
        "minutes_book_assembled_ms": round(assembled_ms, 1),
        "minutes_book_laid_out_ms": round(old_ms, 1),
        "minutes_book_merge_ms": round(merge_ms, 1),
        "minutes_book_cached_request_ms": round(cached_ms, 1),
        # The book as a download costs when it is not stored yet, over the floor.
        "minutes_book_vs_merge_ratio": round(assembled_ms / merge_ms, 2),
        "minutes_book_cached_vs_merge_ratio": round(cached_ms / merge_ms, 2),
        "minutes_book_laid_out_vs_assembled_ratio": round(old_ms / assembled_ms, 2),
    }


def record(figures):
    results = {}
    if RESULTS_FILE.exists():
        try:
            results = json.loads(RESULTS_FILE.read_text())
        except ValueError:
            results = {}
    results.update(figures)
    RESULTS_FILE.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(f"figures merged into {RESULTS_FILE.name}")


def main(argv=None):
    from tests.bench.__main__ import YEAR, Builder, django_setup

    parser = argparse.ArgumentParser(prog="python -m tests.bench.minutes_book", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each (default 5)")
    parser.add_argument("--save", metavar="FOLDER", help="also write the two books into FOLDER")
    args = parser.parse_args(argv)

    django_setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        settings.SITE_URL = "https://chibo.example.vn"
        started = time.perf_counter()
        builder = Builder()
        meetings = build_year(builder)
        print(f"cellmeet minutes book benchmark (built in {time.perf_counter() - started:.1f} s)")
        record(run_cases(builder, meetings, YEAR, args.runs, save=args.save))
        return 0
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    sys.exit(main())

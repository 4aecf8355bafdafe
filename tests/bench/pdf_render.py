"""Printing near WeasyPrint's own cost: `python -m tests.bench.pdf_render` (also run by
`python -m tests.bench`, hence `make bench`).

Builds the benchmark's cell and year of signed minutes (tests.bench.Builder) in a
throwaway test database, then times with time.perf_counter:

1. one typical signed monthly minutes: printing.pdf.render_minutes (ms per PDF);
2. plain HTML of the same page count and font (Liberation Serif 13.5 pt, A4, the same
   margins, paragraphs only) rendered by WeasyPrint as it comes, with its @font-face
   in the document: the floor our minutes are compared with.

Each run is timed twice: the CPU time of this process (time.process_time), which
other work on a shared machine barely moves, and the wall-clock time. It prints the
median and minimum of each and the ratios of the medians, and merges into
bench-results.json at the top of the repository: minutes_pdf_ms, plain_pdf_ms and
minutes_pdf_vs_plain_ratio (CPU time), minutes_pdf_wall_ms, plain_pdf_wall_ms and
minutes_pdf_vs_plain_wall_ratio (wall clock), minutes_pdf_pages. No assertions.
"""

import argparse
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent.parent
RESULTS_FILE = REPOSITORY / "bench-results.json"

PARAGRAPH = (
    "Chi bộ đã lãnh đạo hoàn thành cơ bản các nhiệm vụ đề ra trong tháng; đảng viên "
    "phát huy vai trò tiên phong, gương mẫu, vận động nhân dân tham gia xây dựng nông "
    "thôn mới, giữ gìn an ninh trật tự và vệ sinh môi trường ở khu dân cư. "
)


def page_count(content):
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


def plain_html(paragraphs):
    from django.conf import settings

    folder = Path(settings.CELLMEET_PDF_FONT_DIR)
    faces = "\n".join(
        f'@font-face {{ font-family: "Liberation Serif"; font-weight: {weight}; '
        f"font-style: {style}; src: url({(folder / name).as_uri()}); }}"
        for weight, style, name in [
            ("normal", "normal", "LiberationSerif-Regular.ttf"),
            ("bold", "normal", "LiberationSerif-Bold.ttf"),
        ]
    )
    body = "".join(f"<p>{PARAGRAPH * 2}</p>" for _ in range(paragraphs))
    return (
        f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><style>{faces}"
        "@page { size: A4; margin: 20mm 15mm 20mm 30mm; }"
        "html { font-family: 'Liberation Serif'; font-size: 13.5pt; line-height: 1.4; }"
        f"p {{ text-align: justify; margin: 0 0 4pt 0; }}</style></head><body>{body}</body></html>"
    )


def render_plain(html):
    import weasyprint

    return weasyprint.HTML(string=html).write_pdf()


def plain_of_pages(pages):
    """The plain HTML with the most paragraphs that still fills exactly `pages` pages."""
    paragraphs = 1
    while page_count(render_plain(plain_html(paragraphs + 1))) <= pages:
        paragraphs += 1
    return plain_html(paragraphs)


def timed(function, runs):
    """([CPU seconds], [wall seconds]) of each run."""
    cpu, wall = [], []
    for _ in range(max(1, runs)):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        function()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    return cpu, wall


def ms(times):
    return round(statistics.median(times) * 1000, 1)


def measure(meeting, runs):
    """Print and return the figures for one signed meeting's minutes."""
    import weasyprint

    from printing import pdf

    minutes = pdf.render_minutes(meeting)  # warm-up: the stylesheet and fonts, once
    pages = page_count(minutes)
    html = plain_of_pages(pages)
    render_plain(html)
    ours_cpu, ours_wall = timed(lambda: pdf.render_minutes(meeting), runs)
    plain_cpu, plain_wall = timed(lambda: render_plain(html), runs)
    figures = {
        "minutes_pdf_ms": ms(ours_cpu),
        "plain_pdf_ms": ms(plain_cpu),
        "minutes_pdf_vs_plain_ratio": round(ms(ours_cpu) / ms(plain_cpu), 2),
        "minutes_pdf_wall_ms": ms(ours_wall),
        "plain_pdf_wall_ms": ms(plain_wall),
        "minutes_pdf_vs_plain_wall_ratio": round(ms(ours_wall) / ms(plain_wall), 2),
        "minutes_pdf_pages": pages,
    }
    print(f"PDF rendering against the plain-HTML floor — WeasyPrint {weasyprint.__version__}")
    print(f"{'':30}  runs  CPU median  CPU min  wall median  wall min (ms)")
    plain_pages = page_count(render_plain(html))
    for label, cpu, wall in [
        (f"signed minutes ({pages} pages)", ours_cpu, ours_wall),
        (f"plain HTML ({plain_pages} pages)", plain_cpu, plain_wall),
    ]:
        print(
            f"{label:30}  {len(cpu):>4}  {ms(cpu):>10.1f}  {min(cpu) * 1000:>7.1f}"
            f"  {ms(wall):>11.1f}  {min(wall) * 1000:>8.1f}"
        )
    print(
        f"ratio minutes / plain, medians: {figures['minutes_pdf_vs_plain_ratio']:.2f}× CPU, "
        f"{figures['minutes_pdf_vs_plain_wall_ratio']:.2f}× wall clock"
    )
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"(load average {load}, {os.cpu_count()} CPUs: a busy machine makes medians noisy)")
    merge_results(figures)
    return figures


def merge_results(figures):
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
    parser = argparse.ArgumentParser(prog="python -m tests.bench.pdf_render", description=__doc__)
    parser.add_argument("--runs", type=int, default=9, help="timed runs of each (default 9)")
    args = parser.parse_args(argv)

    from tests.bench.__main__ import TYPICAL_MONTH, Builder, django_setup

    django_setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        settings.SITE_URL = "https://chibo.example.vn"
        builder = Builder()
        builder.year()
        from meetings.models import Meeting

        typical = Meeting.objects.get(
            organization=builder.cell, kind="regular", scheduled_at__month=TYPICAL_MONTH
        )
        measure(typical, args.runs)
        return 0
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    sys.exit(main())

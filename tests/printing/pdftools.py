"""Reading printed PDFs back with the poppler and zbar command-line tools."""

import io
import re
import subprocess
import tempfile
from pathlib import Path

from pypdf import PdfReader


def _run(args, pdf_bytes):
    """Run a poppler tool on the PDF given on stdin ("-") and return its stdout as text."""
    result = subprocess.run(args, input=pdf_bytes, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def pdf_text(pdf_bytes, *, layout=False, first=None, last=None):
    """The text of the PDF (or of pages first..last), pages separated by form feeds."""
    args = ["pdftotext", "-enc", "UTF-8", "-layout" if layout else "-raw"]
    if first is not None:
        args += ["-f", str(first)]
    if last is not None:
        args += ["-l", str(last)]
    return _run([*args, "-", "-"], pdf_bytes)


def page_text(pdf_bytes, page, *, layout=False):
    return pdf_text(pdf_bytes, layout=layout, first=page, last=page)


def flat(text):
    """Whitespace collapsed to single spaces: phrases split over lines still match."""
    return " ".join(text.split())


def page_count(pdf_bytes):
    match = re.search(r"^Pages:\s+(\d+)$", _run(["pdfinfo", "-"], pdf_bytes), re.MULTILINE)
    return int(match.group(1))


def pdf_fonts(pdf_bytes):
    """pdffonts rows as dicts: name (subset prefix removed), type, embedded, subset, unicode."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf_bytes)
        output = subprocess.run(
            ["pdffonts", str(path)], capture_output=True, check=True, text=True
        ).stdout
    rows = []
    for line in output.splitlines()[2:]:
        parts = line.split()
        if len(parts) < 7:
            continue
        # name, type (one or two words), encoding, emb, sub, uni, object ID (two fields)
        name, emb, sub, uni = parts[0], parts[-5], parts[-4], parts[-3]
        rows.append(
            {
                "name": name.split("+", 1)[-1],
                "type": " ".join(parts[1:-6]),
                "embedded": emb == "yes",
                "subset": sub == "yes",
                "unicode": uni == "yes",
            }
        )
    return rows


def qr_payloads(pdf_bytes, *, pages=None, resolution=150):
    """Every QR code zbarimg finds on the pages (all by default), rendered at `resolution` dpi."""
    payloads = []
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "document.pdf"
        source.write_bytes(pdf_bytes)
        for first, last in [(p, p) for p in pages] if pages is not None else [(None, None)]:
            args = ["pdftoppm", "-png", "-r", str(resolution)]
            if first is not None:
                args += ["-f", str(first), "-l", str(last)]
            subprocess.run([*args, str(source), str(Path(folder) / "page")], check=True)
        for image in sorted(Path(folder).glob("page*.png")):
            result = subprocess.run(
                ["zbarimg", "-q", "--raw", str(image)], capture_output=True, text=True
            )
            # zbarimg exits with 4 when it finds no symbol.
            if result.returncode not in (0, 4):
                raise RuntimeError(result.stderr)
            payloads += [line for line in result.stdout.splitlines() if line]
    return payloads


def pdf_metadata(pdf_bytes):
    """The document information dictionary, keys as in the PDF ("/Title", ...)."""
    return dict(PdfReader(io.BytesIO(pdf_bytes)).metadata or {})


def toc_entries(content):
    """[(number, title, date, rest, page)] read from the table of contents on page 2:
    "1. Sinh hoạt chi bộ thường kỳ tháng 3/2026 (05/03/2026) – bản nháp .......... 3"."""
    text = page_text(content, 2, layout=True)
    assert "MỤC LỤC" in text
    pattern = r"^\s*(\d+)\. (.+?) \((\d\d/\d\d/\d{4})\)(.*?)\.{3,}\s*(\d+)\s*$"
    return [
        (int(n), title, day, rest, int(page))
        for n, title, day, rest, page in re.findall(pattern, text, re.MULTILINE)
    ]


def spaceless(text):
    """Text with every space removed: pdftotext may drop a space between two glyphs of
    small print (a page footer's "081A A1EE" read back as "081AA1EE")."""
    return "".join(text.split())

"""Printing loads only our own files: fonts, static files and data: URIs, never another
file of the server nor anything from the network."""

import http.server
import threading

import pytest
from django.conf import settings

from printing.pdf import PROJECT_FILES_FETCHER, render_pdf
from tests.printing.pdftools import pdf_fonts, pdf_text


@pytest.fixture
def template_dir(tmp_path, settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return tmp_path


@pytest.fixture
def web_server():
    """A local HTTP server that counts what it is asked for."""
    asked = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"p { color: red }")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", asked
    server.shutdown()


def print_html(template_dir, body):
    (template_dir / "hostile.html").write_text(
        "<html><head><style>{{ font_faces|safe }} body { font-family: 'Liberation Serif' }"
        f"</style></head><body><p>Nội dung in</p>{body}</body></html>",
        encoding="utf-8",
    )
    return render_pdf("hostile.html", {})


def test_a_file_reference_outside_our_folders_is_not_read(template_dir):
    pdf = print_html(
        template_dir,
        '<object data="file:///etc/passwd" type="text/plain"></object>'
        '<iframe src="file:///etc/passwd"></iframe>'
        '<link rel="attachment" href="file:///etc/passwd">'
        '<img src="file:///etc/passwd">'
        "<style>@import url(file:///etc/passwd);</style>",
    )
    assert "root:" not in pdf_text(pdf)
    assert b"root:x:0:0" not in pdf
    with pytest.raises(ValueError):
        PROJECT_FILES_FETCHER.fetch("file:///etc/passwd")
    with pytest.raises(ValueError):
        PROJECT_FILES_FETCHER.fetch(
            (settings.CELLMEET_PDF_FONT_DIR / ".." / ".." / ".." / ".." / "etc" / "passwd").as_uri()
        )


def test_nothing_is_fetched_from_the_network(template_dir, web_server):
    base, asked = web_server
    print_html(
        template_dir,
        f'<link rel="stylesheet" href="{base}/style.css"><img src="{base}/pixel.png">'
        f'<link rel="attachment" href="{base}/file.txt">',
    )
    assert asked == []
    with pytest.raises(ValueError):
        PROJECT_FILES_FETCHER.fetch(f"{base}/style.css")


def test_fonts_static_files_and_data_uris_still_load(template_dir):
    pdf = print_html(
        template_dir,
        '<img src="data:image/svg+xml;base64,'
        'PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSI0IiBoZWlnaHQ9IjQiLz4=">',
    )
    assert [font["name"] for font in pdf_fonts(pdf)] == ["Liberation-Serif"]
    static_css = settings.BASE_DIR / "static" / "css" / "cellmeet.css"
    assert PROJECT_FILES_FETCHER.fetch(static_css.as_uri()).read().startswith(b"/*")

"""Uploads that are not what they claim: zip bombs dressed as office files, and
polyglots (a file that is a PDF and an HTML page, a PDF and a zip, a .docx that is a
PDF). Every hostile file is built here; none is stored. Stored files are only ever
served as downloads, never sniffed."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.models import Meeting
from meetings.uploads import validate_lead_report
from tests.meetings.formdata import open_record, record_post_data, record_url

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def zip_of(entries, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_of(**extra):
    return zip_of(
        {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>", **extra}
    )


def bomb_docx():
    """A few hundred kilobytes that unpack to 300 MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/image1.png", "w", force_zip64=True) as part:
            chunk = bytes(1024 * 1024)
            for _ in range(300):
                part.write(chunk)
    return buffer.getvalue()


def many_parts_docx():
    return docx_of(**{f"word/part{index}.xml": "<x/>" for index in range(5000)})


HOSTILE = {
    "zip bomb": ("du-thao.docx", bomb_docx),
    "thousands of parts": ("du-thao.docx", many_parts_docx),
    "PDF and HTML": (
        "bao-cao.pdf",
        lambda: (
            b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"
            + PDF[9:]
        ),
    ),
    "PDF with a zip appended": ("bao-cao.pdf", lambda: PDF + docx_of()),
    "a .pdf that is a zip": ("bao-cao.pdf", docx_of),
    "a .docx that is a PDF": ("du-thao.docx", lambda: docx_of()[:30] + b"%PDF-1.4" + docx_of()),
    "PNG and HTML": (
        "trang-1.png",
        lambda: b"\x89PNG\r\n\x1a\n<!DOCTYPE html><svg onload=alert(1)>" + bytes(32),
    ),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_the_checker_refuses_hostile_files(kind):
    name, build = HOSTILE[kind]
    with pytest.raises(ValidationError):
        validate_lead_report(SimpleUploadedFile(name, build()))


def test_a_docx_in_which_pdf_bytes_sit_inside_a_part_is_still_a_docx():
    # Deep inside a part (past the first kilobyte) the bytes mean nothing to a reader.
    genuine = docx_of(**{"word/media/notes.txt": "x" * 4096 + "%PDF-1.4"})
    assert validate_lead_report(SimpleUploadedFile("du-thao.docx", genuine))


def test_genuine_files_pass():
    for name, content in [("bao-cao.pdf", PDF), ("du-thao.docx", docx_of())]:
        assert validate_lead_report(SimpleUploadedFile(name, content))
    # A real document with compressible text stays well inside the ratio.
    text = docx_of(**{"word/document.xml": "<w:p>Chi bộ thôn Đông</w:p>" * 2000})
    assert validate_lead_report(SimpleUploadedFile("du-thao.docx", text))


@pytest.mark.parametrize("kind", ["zip bomb", "PDF and HTML", "a .docx that is a PDF"])
def test_the_record_page_stores_none_of_them(kind, world, login, make_meeting):
    name, build = HOSTILE[kind]
    secretary = login(world.secretary)
    meeting = make_meeting(kind="thematic")
    data = record_post_data(open_record(secretary, meeting), lead_report_title="Báo cáo")
    data["lead_report"] = SimpleUploadedFile(name, build())
    response = secretary.post(record_url(meeting), data)
    assert response.status_code == 200
    assert response.context["editor"].minutes.errors["lead_report"]
    assert not Meeting.objects.get(pk=meeting.pk).lead_report


def test_a_guidance_document_that_is_a_bomb_is_refused(world, login):
    from oversight.guidance import validate_guidance_document

    with pytest.raises(ValidationError):
        validate_guidance_document(SimpleUploadedFile("huong-dan.docx", bomb_docx()))
    with pytest.raises(ValidationError):
        validate_guidance_document(SimpleUploadedFile("bang.xlsx", PDF + docx_of()))


def test_stored_files_are_downloads_that_are_never_sniffed(world, login, make_meeting):
    meeting = make_meeting(kind="thematic")
    meeting.lead_report.save("bao-cao.pdf", io.BytesIO(PDF), save=False)
    Meeting.objects.filter(pk=meeting.pk).update(lead_report=meeting.lead_report.name)
    response = login(world.viewer).get(reverse("meetings:lead_report", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"

"""Printing: every PDF of cellmeet is made here, from templates/pdf/.

Official documents are Vietnamese whatever the interface language, set in
Liberation Serif 2 (Times-metric, full Vietnamese), text normalised to NFC.
Minutes print from their content (meetings.record): signed minutes from the
content sealed at signing, never from live rows. They are rendered once, when
sealed, and stored with the fingerprint in the PDF's metadata.

The stored signed minutes are PDF/A-3u (ISO 19005-3, Unicode text: meant to be read
in decades), with the sealed record embedded as a JSON attachment
(`SEALED_RECORD_NAME`, AFRelationship /Data): the content exactly as fingerprinted,
its cell, sequence and previous fingerprint, so the file alone lets anyone recompute
the fingerprint (README, "Checking the archive").
"""

import json
import logging
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from cellmeet.text import clean_text
from meetings import chain, record
from meetings.models import Meeting, MeetingStatus, membership_on, roster_for
from members.models import Position, PositionRole
from printing.signing import sign_pdf_if_configured

logger = logging.getLogger(__name__)

SHORT_FINGERPRINT_LENGTH = 16
ARCHIVAL_VARIANT = "pdf/a-3u"
SEALED_RECORD_NAME = "sealed-record.json"
SEALED_RECORD_FORMAT = "cellmeet-sealed-record-1"


def short_fingerprint(fingerprint):
    """The first 16 hex digits in groups of four: enough to type, and to find."""
    head = fingerprint[:SHORT_FINGERPRINT_LENGTH].upper()
    return " ".join(head[i : i + 4] for i in range(0, len(head), 4))


def verify_url(meeting, request=None, *, site_url=""):
    return absolute_url(
        reverse("printing:verify", args=[meeting.fingerprint]), request, site_url=site_url
    )


def absolute_url(path, request=None, *, site_url=""):
    """SITE_URL when set; else the address the user came by (or was given)."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    if request is not None:
        return request.build_absolute_uri(path)
    return site_url.rstrip("/") + path


def qr_data_uri(payload):
    """A PNG, four pixels a module, printed without smoothing (image-rendering in
    static/css/pdf.css): drawn as one image, where an SVG is hundreds of paths."""
    return segno.make(payload, error="m").png_data_uri(scale=4, border=0)


def _font_face_css():
    folder = settings.CELLMEET_PDF_FONT_DIR
    faces = [
        ("normal", "normal", "LiberationSerif-Regular.ttf"),
        ("bold", "normal", "LiberationSerif-Bold.ttf"),
        ("normal", "italic", "LiberationSerif-Italic.ttf"),
        ("bold", "italic", "LiberationSerif-BoldItalic.ttf"),
    ]
    return "\n".join(
        f'@font-face {{ font-family: "Liberation Serif"; font-weight: {weight}; '
        f"font-style: {style}; src: url({(folder / name).as_uri()}); }}"
        for weight, style, name in faces
    )


class ProjectFilesFetcher(URLFetcher):
    """What a print template may load: our own static files, the font directory and
    data: URIs (the QR code). Any other file, and the network, is refused."""

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            response = DataHandler().data_open(Request(url))
            return URLFetcherResponse(url, response.read(), dict(response.headers))
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if any(path.is_relative_to(folder) for folder in _allowed_folders()):
                return URLFetcherResponse(url, path.read_bytes())
        raise ValueError(f"Printing may not load {url[:80]}")


def _allowed_folders():
    folders = [Path(settings.CELLMEET_PDF_FONT_DIR), Path(settings.STATIC_ROOT)]
    for entry in settings.STATICFILES_DIRS:
        folders.append(Path(entry[1] if isinstance(entry, tuple | list) else entry))
    return [folder.resolve() for folder in folders]


# Made once: WeasyPrint asks it for every font, image and style sheet of a document.
PROJECT_FILES_FETCHER = ProjectFilesFetcher()


STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "css" / "pdf.css"

_print_setup = threading.local()


def print_setup():
    """(font configuration, shared stylesheet): made once per thread and font folder.

    Parsing the stylesheet and loading the four font faces cost about as much as
    laying out a page, so every document of a worker reuses them (a thread of its
    own each: a FontConfiguration is not shared between threads).
    """
    key = (str(settings.CELLMEET_PDF_FONT_DIR), STYLESHEET.stat().st_mtime_ns)
    cached = getattr(_print_setup, "value", None)
    if cached is None or cached[0] != key:
        font_config = FontConfiguration()
        stylesheet = CSS(
            string=_font_face_css() + "\n" + STYLESHEET.read_text(encoding="utf-8"),
            base_url=str(settings.BASE_DIR),
            url_fetcher=PROJECT_FILES_FETCHER,
            font_config=font_config,
        )
        _print_setup.value = cached = (key, font_config, stylesheet)
    return cached[1], cached[2]


def render_pdf(template, context, *, archival=False, attachments=()):
    """HTML from a print template, then PDF bytes. Always Vietnamese.

    <meta> tags of the template become the PDF's metadata (custom ones included).
    `archival` makes a PDF/A-3u file, with `attachments` (weasyprint.Attachment)
    embedded as associated files.
    """
    with translation.override("vi"):
        html = render_to_string(template, context)
    font_config, stylesheet = print_setup()
    document = HTML(
        string=clean_text(html),
        base_url=str(settings.BASE_DIR),
        url_fetcher=PROJECT_FILES_FETCHER,
    )
    options = {"pdf_variant": ARCHIVAL_VARIANT, "attachments": list(attachments)}
    return document.write_pdf(
        stylesheets=[stylesheet],
        font_config=font_config,
        custom_metadata=True,
        **(options if archival else {}),
    )


def header_context(organization):
    ancestors = organization.ancestors()
    return {
        "superior": ancestors[-1] if ancestors else None,
        "organization": organization,
    }


def minutes_document_context(meeting, request=None, *, site_url=""):
    """The minutes to print, from their content: sealed once signed."""
    context = record.minutes_context(meeting)
    minutes = context["minutes"]
    context.update(
        {
            "meeting": meeting,
            "superior": minutes.superior,
            "organization": minutes.organization,
            "is_draft": not is_signed_record(meeting),
        }
    )
    if not context["is_draft"]:
        url = verify_url(meeting, request, site_url=site_url)
        context.update(
            {
                "verify_url": url,
                "verify_form_url": absolute_url(
                    reverse("printing:verify_form"), request, site_url=site_url
                ),
                "qr_code": qr_data_uri(url),
                "short_fingerprint": short_fingerprint(meeting.fingerprint),
            }
        )
    return context


def is_signed_record(meeting):
    """Signed minutes, and signed minutes later returned or replaced, are records."""
    return bool(meeting.fingerprint) and meeting.status in {
        MeetingStatus.SIGNED,
        MeetingStatus.RETURNED,
        MeetingStatus.SUPERSEDED,
    }


def render_minutes(meeting, request=None, *, site_url="", archival=False):
    """The minutes' PDF; `archival` (signed minutes only): PDF/A-3u with the sealed
    record attached, as stored."""
    context = minutes_document_context(meeting, request, site_url=site_url)
    if not archival:
        return render_pdf("pdf/minutes.html", context)
    return render_pdf(
        "pdf/minutes.html", context, archival=True, attachments=[sealed_record_attachment(meeting)]
    )


def sealed_record(meeting):
    """The sealed record as the stored PDF embeds it: the content exactly as
    fingerprinted (a string) and its place in the cell's chain."""
    return {
        "format": SEALED_RECORD_FORMAT,
        "chain_format": chain.CHAIN_FORMAT,
        "cell": meeting.organization_id,
        "sequence": meeting.chain_sequence,
        "previous_fingerprint": meeting.previous_fingerprint,
        "fingerprint": meeting.fingerprint,
        "content": meeting.signed_content,
    }


def sealed_record_attachment(meeting):
    data = json.dumps(sealed_record(meeting), ensure_ascii=False, indent=1).encode("utf-8")
    return Attachment(
        string=data,
        name=SEALED_RECORD_NAME,
        description="Biên bản niêm phong (JSON): nội dung đã ký và vị trí trong chuỗi",
        relationship="Data",
        url_fetcher=PROJECT_FILES_FETCHER,
    )


def minutes_pdf_bytes(meeting, request=None):
    """The printed minutes: signed ones from storage (rendered now if still missing)."""
    if not is_signed_record(meeting):
        return render_minutes(meeting, request)
    if not meeting.minutes_pdf or not meeting.minutes_pdf.storage.exists(meeting.minutes_pdf.name):
        meeting = store_signed_minutes(meeting, request)
    with meeting.minutes_pdf.open("rb") as handle:
        return handle.read()


@transaction.atomic
def store_signed_minutes(meeting, request=None, *, site_url=""):
    """Render signed minutes from their sealed content and store the file, once."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_pdf and meeting.minutes_pdf.storage.exists(meeting.minutes_pdf.name):
        return meeting
    content = sign_pdf_if_configured(
        render_minutes(meeting, request, site_url=site_url, archival=True)
    )
    meeting.minutes_pdf.save(
        f"bien-ban-{meeting.pk}-{meeting.fingerprint[:12]}.pdf", ContentFile(content), save=False
    )
    meeting.save(update_fields=["minutes_pdf", "updated_at"])
    return meeting


def store_signed_minutes_by_pk(pk, *, site_url=""):
    """After the seal is committed: print and store the signed minutes."""
    meeting = Meeting.objects.get(pk=pk)
    if is_signed_record(meeting):
        store_signed_minutes(meeting, site_url=site_url)


def render_resolution(meeting, request=None, *, site_url=""):
    """The meeting's resolution as its own document ("NGHỊ QUYẾT Số 05-NQ/CB"), from the
    minutes' content: frozen with the signed minutes. None when there is none."""
    context = minutes_document_context(meeting, request, site_url=site_url)
    if context["resolution"] is None:
        return None
    return render_pdf("pdf/resolution.html", context)


def resolution_filename(meeting):
    return f"nghi-quyet-{meeting.meeting_date:%Y-%m-%d}-{meeting.pk}.pdf"


def pdf_filename(meeting):
    # The planned day: a file name that does not change once the meeting is held.
    return f"bien-ban-{meeting.meeting_date:%Y-%m-%d}-{meeting.pk}.pdf"


def render_attendance_sheet(meeting):
    day = meeting.meeting_date
    notes = {"exempt": "Miễn sinh hoạt", "away": "Sinh hoạt tạm thời nơi khác"}
    rows = [
        {
            "member": member,
            "official": membership_on(member, day) == "official",
            "note": notes.get(member.activity_status, ""),
        }
        for member in roster_for(meeting)
    ]
    secretary = (
        Position.objects.current(day)
        .filter(organization=meeting.organization, role=PositionRole.SECRETARY)
        .select_related("member")
        .first()
    )
    context = {
        **header_context(meeting.organization),
        "meeting": meeting,
        "rows": rows,
        "secretary": secretary.member if secretary else None,
    }
    return render_pdf("pdf/attendance_sheet.html", context)

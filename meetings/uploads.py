"""What an uploaded document may be: checked by name, by size, by its first bytes and,
for office files, by what the archive holds. One checker, with an allow-list per use."""

import re
import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from cellmeet.archives import ArchiveOutOfProportion, check_archive_proportions, is_zip
from meetings.rules import meeting_setting

ZIP = b"PK\x03\x04"
# extension → the bytes a genuine file of that kind starts with
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": (ZIP,),
    "odt": (ZIP,),
    "xlsx": (ZIP,),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
# Every ZIP starts with the same bytes: look inside for what makes it a document.
ZIP_MARKERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "odt": "mimetype"}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

ZIP_TYPES = set(ZIP_MARKERS)
# Readers look this far for a PDF header, browsers this far for HTML (sniffing).
SNIFFED_BYTES = 1024
PDF_HEADER = b"%PDF-"
HTML_MARKERS = re.compile(
    rb"<\s*(!doctype\s+html|html|head|body|script|iframe|svg|object|embed)",
    re.IGNORECASE,
)

LEAD_REPORT_TYPES = ("pdf", "docx", "odt", "png", "jpg", "jpeg")


def extension_of(name):
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _is_genuine_zip_document(upload, extension):
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            check_archive_proportions(archive, upload.size)
            if ZIP_MARKERS[extension] not in set(archive.namelist()):
                return False
            if extension == "odt":
                with archive.open("mimetype") as mimetype:
                    return mimetype.read(len(ODT_MIMETYPE) + 1).strip() == ODT_MIMETYPE
            return True
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        return False
    finally:
        upload.seek(0)


def _is_another_kind_too(upload, head, extension):
    """A polyglot: a file that a browser, a PDF reader or an unzip tool would also open
    as something other than what its name says (HTML in a PDF, a PDF in a .docx, a
    zip appended to a PDF or an image)."""
    if HTML_MARKERS.search(head):
        return True
    if extension != "pdf" and PDF_HEADER in head:
        return True
    return extension not in ZIP_TYPES and is_zip(upload)


def validate_document(upload, *, allowed, max_bytes, type_message):
    """Refuse a file that is not of an allowed kind, too large, or not what it claims."""
    extension = extension_of(upload.name)
    if extension not in allowed:
        raise ValidationError(type_message, code="file_type")
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="file_size",
        )
    upload.seek(0)
    head = upload.read(SNIFFED_BYTES)
    upload.seek(0)
    genuine = any(head.startswith(signature) for signature in SIGNATURES[extension])
    if genuine:
        genuine = not _is_another_kind_too(upload, head, extension)
    if genuine and extension in ZIP_TYPES:
        try:
            genuine = _is_genuine_zip_document(upload, extension)
        except ArchiveOutOfProportion:
            raise ValidationError(
                _(
                    "The file unpacks to far more data than a document of its size holds: "
                    "it may be damaged or harmful. Save it again from your office program."
                ),
                code="file_archive",
            ) from None
    if not genuine:
        raise ValidationError(
            _("The file does not look like a genuine .%(extension)s file.")
            % {"extension": extension},
            code="file_content",
        )
    return upload


def validate_lead_report(upload):
    return validate_document(
        upload,
        allowed=LEAD_REPORT_TYPES,
        max_bytes=meeting_setting("LEAD_REPORT_MAX_BYTES"),
        type_message=_(
            "Upload a PDF, Word (.docx), OpenDocument (.odt) or image (PNG, JPEG) file."
        ),
    )

"""What a lead report may be: checked by name, by size and by its first bytes."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from meetings.rules import meeting_setting

ZIP = b"PK\x03\x04"
# extension → the bytes a genuine file of that kind starts with
ALLOWED_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": (ZIP,),
    "odt": (ZIP,),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}


def extension_of(name):
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def validate_lead_report(upload):
    extension = extension_of(upload.name)
    if extension not in ALLOWED_SIGNATURES:
        raise ValidationError(
            _("Upload a PDF, Word (.docx), OpenDocument (.odt) or image (PNG, JPEG) file.")
        )
    limit = meeting_setting("LEAD_REPORT_MAX_BYTES")
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in ALLOWED_SIGNATURES[extension]):
        raise ValidationError(
            _("The file does not look like a genuine .%(extension)s file.")
            % {"extension": extension}
        )
    return upload

"""A generated document as a download: one place for its headers, so every PDF and
workbook names itself the same safe way (RFC 6266 through Django's
content_disposition_header, whatever the file name's letters)."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"


def document_response(content, filename, *, content_type=PDF, attachment=False):
    """PDFs open in the browser (inline); workbooks and ZIPs are saved (attachment=True)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=attachment, filename=filename
    )
    return response

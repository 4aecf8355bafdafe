"""Checking the archive of signed minutes: every fingerprint, every stored file.

Used by `manage.py verify_records` (for auditors, and after every restore) and by
the backup, whose manifest lists what the check must find again.
"""

import io
import json
from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from meetings.models import Meeting
from meetings.record import file_digest, fingerprint_of
from printing import pdf


@dataclass
class RecordCheck:
    meeting_id: int
    fingerprint: str
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems


def signed_records():
    """Every sealed version of minutes: signed, returned and superseded alike."""
    return Meeting.objects.exclude(fingerprint="").order_by("pk")


def stored_pdf_fingerprints(pdf_bytes):
    """The fingerprints written in a stored PDF's metadata (keywords and our own key)."""
    metadata = PdfReader(io.BytesIO(pdf_bytes)).metadata or {}
    return {
        str(value).strip()
        for key, value in metadata.items()
        if key == "/Keywords" or ("cellmeet" in key.lower() and "fingerprint" in key.lower())
    }


def check_record(meeting):
    """What is wrong with one sealed record, in plain words (nothing when all holds)."""
    check = RecordCheck(meeting_id=meeting.pk, fingerprint=meeting.fingerprint)
    problems = check.problems
    if fingerprint_of(meeting.signed_content) != meeting.fingerprint:
        problems.append("the sealed content does not match its fingerprint")
    try:
        content = json.loads(meeting.signed_content)
    except ValueError:
        problems.append("the sealed content is not readable")
        return check
    if content.get("meeting") != meeting.pk:
        problems.append("the sealed content belongs to another meeting")
    _check_lead_report(meeting, content, problems)
    _check_stored_pdf(meeting, problems)
    return check


def _check_lead_report(meeting, content, problems):
    sealed_digest = content.get("lead_report_sha256")
    if not sealed_digest:
        return
    if not meeting.lead_report or not meeting.lead_report.storage.exists(meeting.lead_report.name):
        problems.append("the lead report file is missing")
    elif file_digest(meeting.lead_report) != sealed_digest:
        problems.append("the lead report file differs from the one signed")


def _check_stored_pdf(meeting, problems):
    stored = meeting.minutes_pdf
    if not stored or not stored.storage.exists(stored.name):
        problems.append("the stored PDF is missing")
        return
    with stored.open("rb") as handle:
        content = handle.read()
    try:
        fingerprints = stored_pdf_fingerprints(content)
    except (PyPdfError, ValueError):
        problems.append("the stored PDF is not readable")
        return
    if meeting.fingerprint not in fingerprints:
        problems.append("the stored PDF carries another fingerprint")


def verify_records(*, render_missing=False, site_url=""):
    """Check every sealed record; with render_missing, print the PDFs not stored yet
    (from their sealed content) before checking them."""
    checks = []
    for meeting in signed_records().iterator(chunk_size=500):
        if render_missing and not (
            meeting.minutes_pdf and meeting.minutes_pdf.storage.exists(meeting.minutes_pdf.name)
        ):
            meeting = pdf.store_signed_minutes(meeting, site_url=site_url)
        checks.append(check_record(meeting))
    return checks

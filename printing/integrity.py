"""Checking the archive of signed minutes: every fingerprint, every link of every
cell's chain, every countersigned head, every stored file.

Used by `manage.py verify_records` (for auditors, and after every restore) and by
the backup, whose manifest lists what the check must find again.

Each record is checked alone (its fingerprint recomputed from its content and its
place in the chain, its stored PDF and lead report), then each cell's chain in
sequence order: a gap is a removed record, a record that does not name the
fingerprint of the one before it follows a rewritten, inserted or moved record.
"""

import io
import json
from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from meetings import chain
from meetings.models import Meeting
from meetings.record import file_digest, fingerprint_of
from members.models import Organization
from printing import heads, pdf


@dataclass
class RecordCheck:
    meeting_id: int
    fingerprint: str
    organization_id: int = None
    sequence: int = None
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems


@dataclass
class Finding:
    """One thing wrong, at its place: the cell, the sequence in its chain, the meeting."""

    organization_id: int
    sequence: int
    meeting_id: int
    problem: str

    def __str__(self):
        if self.organization_id is None:
            return self.problem
        place = f"cell {self.organization_id}, sequence {self.sequence}"
        if self.meeting_id:
            place += f" (meeting {self.meeting_id})"
        return f"{place}: {self.problem}"


@dataclass
class Verification:
    """The result of verify_records: every record's check and the chains' findings."""

    checks: list = field(default_factory=list)
    chain_findings: list = field(default_factory=list)

    @property
    def findings(self):
        """Everything wrong, cell by cell in sequence order."""
        found = list(self.chain_findings)
        for check in self.checks:
            found += [
                Finding(check.organization_id, check.sequence, check.meeting_id, problem)
                for problem in check.problems
            ]
        return sorted(found, key=lambda item: (item.organization_id or 0, item.sequence or 0))

    @property
    def ok(self):
        return not self.chain_findings and all(check.ok for check in self.checks)

    def first_broken(self):
        """{cell id: the first sequence at which its chain or a record is broken}."""
        first = {}
        for finding in self.findings:
            first.setdefault(finding.organization_id, finding.sequence)
        return first


def signed_records():
    """Every sealed version of minutes: signed, returned and superseded alike."""
    return Meeting.objects.exclude(fingerprint="").order_by("pk")


def records_in_chain_order(organizations=None):
    """Sealed records cell by cell, each cell's in chain order (unplaced ones last)."""
    records = Meeting.objects.exclude(fingerprint="")
    if organizations is not None:
        records = records.filter(organization__in=organizations)
    return records.order_by("organization_id", "chain_sequence", "pk")


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
    check = RecordCheck(
        meeting_id=meeting.pk,
        fingerprint=meeting.fingerprint,
        organization_id=meeting.organization_id,
        sequence=meeting.chain_sequence,
    )
    problems = check.problems
    if meeting.chain_sequence is None:
        problems.append("the record has no place in its cell's chain")
    elif chain.fingerprint_of(meeting) != meeting.fingerprint:
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
    if meeting.fingerprint not in fingerprints and not _printed_before_the_chain(
        meeting, fingerprints
    ):
        problems.append("the stored PDF carries another fingerprint")
        return
    if meeting.fingerprint in fingerprints and not _attachment_holds(meeting, content):
        problems.append(
            "the sealed record attached to the stored PDF does not match its fingerprint"
        )


def _attachment_holds(meeting, pdf_bytes):
    """The sealed record a PDF/A embeds recomputes to the meeting's fingerprint (a PDF
    stored before PDF/A has none). Compared with the fingerprint rather than the row, so
    content changed in the database is reported once, as content."""
    attached = attached_sealed_record(pdf_bytes)
    if attached is None:
        return True
    try:
        recomputed = chain.link_fingerprint(
            attached["content"],
            cell=attached["cell"],
            sequence=attached["sequence"],
            previous=attached["previous_fingerprint"],
        )
    except (KeyError, TypeError, AttributeError):
        return False
    return recomputed == meeting.fingerprint == attached.get("fingerprint")


def attached_sealed_record(pdf_bytes):
    """The sealed record a stored PDF/A embeds (printing.pdf), or None (older PDFs)."""
    try:
        attachments = PdfReader(io.BytesIO(pdf_bytes)).attachments
        data = attachments.get(pdf.SEALED_RECORD_NAME)
        return json.loads(data[0]) if data else None
    except (PyPdfError, ValueError, KeyError):
        return {}


def _printed_before_the_chain(meeting, fingerprints):
    """A PDF stored before the chain carries the fingerprint of the content alone."""
    legacy = meeting.legacy_fingerprint
    return (
        bool(legacy) and legacy in fingerprints and legacy == fingerprint_of(meeting.signed_content)
    )


def check_chain(records):
    """What is wrong with the links of one cell's records, given in chain order."""
    findings = []
    expected, previous = 1, chain.GENESIS
    for meeting in records:
        sequence = meeting.chain_sequence
        if sequence is None:
            continue  # check_record reports it
        if sequence > expected:
            missing = f"{expected}" if sequence == expected + 1 else f"{expected}–{sequence - 1}"
            findings.append(
                Finding(
                    meeting.organization_id,
                    expected,
                    None,
                    f"sequence {missing} is missing: a signed record was removed",
                )
            )
        elif meeting.previous_fingerprint != previous:
            findings.append(
                Finding(
                    meeting.organization_id,
                    sequence,
                    meeting.pk,
                    f"does not link to sequence {sequence - 1}: a record was rewritten, "
                    "inserted or moved",
                )
            )
        expected, previous = sequence + 1, meeting.fingerprint
    return findings


def organizations_to_verify(*, cell=None, province=None):
    """The organisations whose records to check: one cell, a subtree, or all (None)."""
    if cell is not None:
        return Organization.objects.filter(pk=cell)
    if province is not None:
        root = Organization.objects.get(pk=province)
        return Organization.objects.subtree_of(root)
    return None


def verify_records(*, render_missing=False, site_url="", organizations=None):
    """Check every sealed record and every cell's chain (of `organizations` only, when
    given); with render_missing, print the PDFs not stored yet (from their sealed
    content) before checking them."""
    verification = Verification()
    cell_records, cell = [], None
    for meeting in records_in_chain_order(organizations).iterator(chunk_size=500):
        if meeting.organization_id != cell:
            verification.chain_findings += check_chain(cell_records)
            cell_records, cell = [], meeting.organization_id
        cell_records.append(meeting)
        if render_missing and not (
            meeting.minutes_pdf and meeting.minutes_pdf.storage.exists(meeting.minutes_pdf.name)
        ):
            meeting = pdf.store_signed_minutes(meeting, site_url=site_url)
        verification.checks.append(check_record(meeting))
    verification.chain_findings += check_chain(cell_records)
    verification.chain_findings += [
        Finding(cell, sequence, None, problem)
        for cell, sequence, problem in heads.check_heads(organizations)
    ]
    return verification

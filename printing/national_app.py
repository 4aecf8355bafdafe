"""The national "Sổ tay đảng viên" app (HD 42-HD/BTCTW, 28/10/2025): what a cell
uploads there for a meeting, when, and the secretary's marks that it did.

cellmeet does not replace the app: it produces exactly what goes there and lets the
superior see who met the deadlines.

- **The package**: one ZIP per meeting with the documents due BEFORE the meeting (the
  agenda, the draft resolution, the lead report, the superior's guidance) and AFTER it
  (the signed minutes, the resolution), PDFs and the original uploaded files, and a
  manifest (`MANIFEST_NAME`) listing them.
- **The superior's guidance** lives in oversight, above printing: oversight adds its
  files through `package_contributions` (a signal this module sends, as the workflow
  sends its own), so the package keeps one home here and printing imports nothing
  above it.
- **The deadlines** are one setting with the rule's reference
  (`CELLMEET_NATIONAL_APP`): before = by the end of the day BEFORE_DAYS before the
  meeting day; after = by the end of the day AFTER_DAYS after it (calendar days, the
  cell's local time). The meeting day is the day it was held (as recorded), else the
  day planned (Meeting.held_on).
- **The marks** (NationalAppUpload): one per meeting and stage, time-stamped when the
  secretary marks, never typed. A correction of returned minutes keeps the "before"
  mark of the version it replaces (printing.receivers).
"""

import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import record
from meetings.models import Meeting, MeetingStatus
from meetings.preparation import preparing_committee_meeting
from meetings.uploads import extension_of
from printing import pdf
from printing.models import NationalAppStage, NationalAppUpload

BEFORE = NationalAppStage.BEFORE
AFTER = NationalAppStage.AFTER
STAGES = (BEFORE, AFTER)

# ---------------------------------------------------------------- the deadlines


def rule():
    """The rule in force (one setting): its reference and its two numbers of days."""
    return settings.CELLMEET_NATIONAL_APP


def last_day(stage, meeting_day):
    """The last day the stage's documents are on time: uploaded by its end."""
    if stage == BEFORE:
        return meeting_day - timedelta(days=rule()["BEFORE_DAYS"])
    return meeting_day + timedelta(days=rule()["AFTER_DAYS"])


def meeting_day(started_at, scheduled_at, zone=None):
    """The day of a meeting from its two times (Meeting.held_on, for plain values), in
    `zone` (default: the current time zone; a board of 30,000 meetings passes it)."""
    return timezone.localdate(started_at or scheduled_at, zone)


def is_on_time(stage, day, uploaded_at):
    return timezone.localdate(uploaded_at) <= last_day(stage, day)


def stage_counts(stage, day, uploaded_at, today):
    """(due, uploaded on time) of one meeting's stage, for the compliance board: due
    once uploaded or once its last day has passed."""
    if uploaded_at is not None:
        return 1, int(is_on_time(stage, day, uploaded_at))
    return int(today > last_day(stage, day)), 0


# ---------------------------------------------------------------- the marks


@dataclass
class StageStatus:
    """What the meeting page says of one stage."""

    stage: str
    label: str
    day: object  # the meeting day
    upload: NationalAppUpload | None
    can_mark: bool
    today: object

    @property
    def last_day(self):
        return last_day(self.stage, self.day)

    @property
    def on_time(self):
        return self.upload is not None and is_on_time(self.stage, self.day, self.upload.uploaded_at)

    @property
    def overdue(self):
        return self.upload is None and self.today > self.last_day


def can_mark_after(meeting):
    """The finished documents exist once the minutes are signed."""
    return pdf.is_signed_record(meeting)


def stage_statuses(meeting, today=None):
    """Both stages of a meeting: their last day, their mark, whether it may be set."""
    today = today or timezone.localdate()
    day = meeting.held_on
    uploads = {
        upload.stage: upload
        for upload in NationalAppUpload.objects.filter(meeting=meeting).select_related("marked_by")
    }
    return [
        StageStatus(
            stage=stage,
            label=str(NationalAppStage(stage).label),
            day=day,
            upload=uploads.get(stage),
            can_mark=stage == BEFORE or can_mark_after(meeting),
            today=today,
        )
        for stage in STAGES
    ]


class MarkError(Exception):
    """A mark that cannot be set, with the reason in plain words."""


@transaction.atomic
def mark_uploaded(meeting, stage, *, user, now=None):
    """The stage's documents are in the app now (a second mark keeps the first).
    `now`: only for data built after the fact (the demo), as sign_minutes takes it."""
    if stage == AFTER and not can_mark_after(meeting):
        raise MarkError(_("The minutes are not signed yet: there is nothing to upload after."))
    existing = NationalAppUpload.objects.filter(meeting=meeting, stage=stage).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return NationalAppUpload.objects.create(
                meeting=meeting, stage=stage, marked_by=user, uploaded_at=now or timezone.now()
            )
    except IntegrityError:  # marked at the same moment by someone else
        return NationalAppUpload.objects.get(meeting=meeting, stage=stage)


@transaction.atomic
def unmark(meeting, stage):
    for upload in NationalAppUpload.objects.filter(meeting=meeting, stage=stage):
        upload.delete()  # one by one: the board's receivers see each deletion


def carry_before_mark(returned_pk, correction_pk):
    """A correction is the same meeting on the same day: what went to the app before
    it still did. The finished documents go up again once the correction is signed."""
    upload = NationalAppUpload.objects.filter(meeting_id=returned_pk, stage=BEFORE).first()
    if upload is not None:
        NationalAppUpload.objects.get_or_create(
            meeting_id=correction_pk,
            stage=BEFORE,
            defaults={"uploaded_at": upload.uploaded_at, "marked_by_id": upload.marked_by_id},
        )


# ---------------------------------------------------------------- the package

# Sent by `package_files` with sender=Meeting, meeting, stage; each receiver returns a
# list of PackageFile for that stage (oversight: the superior's guidance).
package_contributions = Signal()

FOLDERS = {BEFORE: "1-truoc-buoi-sinh-hoat", AFTER: "2-sau-buoi-sinh-hoat"}
FOLDER_TITLES = {
    BEFORE: "Gửi lên ứng dụng trước buổi sinh hoạt",
    AFTER: "Gửi lên ứng dụng sau buổi sinh hoạt",
}
MANIFEST_NAME = "DANH-MUC.txt"


@dataclass
class PackageFile:
    """One file of the package: its name in its stage's folder, what it is (for the
    manifest, in Vietnamese) and its bytes."""

    name: str
    title: str
    content: bytes


def stored_file_bytes(field):
    """The bytes of an uploaded file, or None when it is missing from storage."""
    if not field or not field.storage.exists(field.name):
        return None
    with field.open("rb") as handle:
        return handle.read()


def render_agenda(meeting):
    context = {
        **pdf.header_context(meeting.organization),
        "meeting": meeting,
        "secretary": record.secretary_on(meeting.organization, meeting.meeting_date),
    }
    return pdf.render_pdf("pdf/national_app_agenda.html", context)


def draft_resolution(meeting, request=None):
    """The draft resolution the meeting takes up: the one the cell committee prepared
    for it, else the meeting's own while its minutes are not signed."""
    committee = preparing_committee_meeting(meeting)
    if committee is not None:
        content = pdf.render_resolution(committee, request)
        if content is not None:
            return content
    if pdf.is_signed_record(meeting):
        return None
    return pdf.render_resolution(meeting, request)


def before_files(meeting, request=None):
    files = [PackageFile("chuong-trinh-sinh-hoat.pdf", "Chương trình sinh hoạt", b"")]
    files[0].content = render_agenda(meeting)
    resolution = draft_resolution(meeting, request)
    if resolution is not None:
        files.append(PackageFile("du-thao-nghi-quyet.pdf", "Dự thảo nghị quyết", resolution))
    lead_report = stored_file_bytes(meeting.lead_report)
    if lead_report is not None:
        extension = extension_of(meeting.lead_report.name) or "bin"
        title = "Báo cáo đề dẫn (tệp gốc)"
        if meeting.lead_report_title:
            title = f"{title}: {meeting.lead_report_title}"
        files.append(PackageFile(f"bao-cao-de-dan.{extension}", title, lead_report))
    return files


def after_files(meeting, request=None):
    """The finished documents: only once the minutes are signed."""
    if not pdf.is_signed_record(meeting):
        return []
    files = [
        PackageFile(
            "bien-ban-da-ky.pdf", "Biên bản sinh hoạt đã ký", pdf.minutes_pdf_bytes(meeting)
        )
    ]
    resolution = pdf.render_resolution(meeting, request)
    if resolution is not None:
        files.append(PackageFile("nghi-quyet.pdf", "Nghị quyết", resolution))
    return files


def package_files(meeting, request=None):
    """{stage: [PackageFile]}: ours, then what the apps above contribute."""
    files = {BEFORE: before_files(meeting, request), AFTER: after_files(meeting, request)}
    for stage in STAGES:
        for _receiver, contributed in package_contributions.send(
            sender=Meeting, meeting=meeting, stage=stage
        ):
            files[stage].extend(contributed or [])
    return files


def manifest(meeting, files):
    """The package's contents, in Vietnamese: each file, what it is, its size and its
    SHA-256, and the deadlines of the rule."""
    day = meeting.held_on
    lines = [
        f"Hồ sơ gửi ứng dụng Sổ tay đảng viên – {meeting.title}",
        f"{meeting.organization.name}; ngày sinh hoạt {day:%d/%m/%Y}",
        f"Theo {rule()['RULE']}",
        "",
    ]
    for stage in STAGES:
        lines.append(
            f"{FOLDERS[stage]}/ – {FOLDER_TITLES[stage]}, "
            f"hạn chót hết ngày {last_day(stage, day):%d/%m/%Y}"
        )
        if not files[stage]:
            lines.append("  (chưa có: biên bản chưa ký)" if stage == AFTER else "  (không có)")
        for entry in files[stage]:
            digest = hashlib.sha256(entry.content).hexdigest()
            lines.append(
                f"  {entry.name} – {entry.title} ({len(entry.content)} byte, SHA-256 {digest})"
            )
        lines.append("")
    if meeting.status == MeetingStatus.PLANNED:
        lines.append("Buổi sinh hoạt chưa diễn ra.")
    return "\n".join(lines).rstrip() + "\n"


def build_package(meeting, request=None):
    """The ZIP: the manifest, then one folder per stage."""
    files = package_files(meeting, request)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST_NAME, manifest(meeting, files).encode("utf-8"))
        for stage in STAGES:
            for entry in files[stage]:
                archive.writestr(f"{FOLDERS[stage]}/{entry.name}", entry.content)
    return buffer.getvalue()


def package_filename(meeting):
    return f"so-tay-dang-vien-{meeting.meeting_date:%Y-%m-%d}-{meeting.pk}.zip"

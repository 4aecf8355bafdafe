"""The national app "Sổ tay đảng viên" (HD 42, printing/national_app.py): the
package's contents before and after the meeting, the deadlines at their boundaries,
and the secretary's marks."""

import io
import zipfile
from datetime import date, datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, MeetingKind, MeetingStatus
from oversight.models import Guidance, GuidanceDocument
from printing import national_app
from printing.models import NationalAppStage, NationalAppUpload
from resolutions.models import Resolution, ResolutionKind
from tests.helpers import adopt, at, complete, sign
from tests.test_html_validity import problems_in

BEFORE, AFTER = NationalAppStage.BEFORE, NationalAppStage.AFTER
PDF = b"%PDF-1.4\n% a lead report\n"


def local(year, month, day, hour=0, minute=0, second=0):
    return timezone.make_aware(datetime(year, month, day, hour, minute, second))


def zip_names(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.namelist(), archive.read(national_app.MANIFEST_NAME).decode("utf-8")


def publish_guidance(world, month=10):
    guidance = Guidance.objects.create(
        organization=world.commune,
        year=2026,
        month=month,
        orientation="Tập trung thu hoạch vụ mùa, phòng chống bão lũ.",
        published_at=timezone.now(),
    )
    document = GuidanceDocument(guidance=guidance, title="Kế hoạch tuyên truyền tháng 10")
    document.file.save("ke-hoach.pdf", ContentFile(b"%PDF-1.4\n% guidance\n"), save=True)
    return guidance


# ---------------------------------------------------------------- the deadlines


@pytest.mark.parametrize(
    ("stage", "uploaded_at", "on_time"),
    [
        # The meeting is on 10/6: before = by the end of 9/6.
        (BEFORE, local(2026, 6, 9, 23, 59, 59), True),
        (BEFORE, local(2026, 6, 10, 0, 0, 0), False),
        # After = by the end of 12/6.
        (AFTER, local(2026, 6, 12, 23, 59, 59), True),
        (AFTER, local(2026, 6, 13, 0, 0, 0), False),
    ],
)
def test_the_deadlines_hold_to_the_last_second_of_the_last_day(stage, uploaded_at, on_time):
    assert national_app.is_on_time(stage, date(2026, 6, 10), uploaded_at) is on_time


def test_a_stage_is_due_the_day_after_its_last_day_or_once_uploaded():
    day = date(2026, 6, 10)
    assert national_app.last_day(BEFORE, day) == date(2026, 6, 9)
    assert national_app.last_day(AFTER, day) == date(2026, 6, 12)
    assert national_app.stage_counts(BEFORE, day, None, date(2026, 6, 9)) == (0, 0)
    assert national_app.stage_counts(BEFORE, day, None, date(2026, 6, 10)) == (1, 0)
    assert national_app.stage_counts(AFTER, day, None, date(2026, 6, 12)) == (0, 0)
    assert national_app.stage_counts(AFTER, day, None, date(2026, 6, 13)) == (1, 0)
    uploaded = local(2026, 6, 11, 8)
    assert national_app.stage_counts(AFTER, day, uploaded, date(2026, 6, 11)) == (1, 1)


def test_the_deadlines_follow_the_setting(settings):
    settings.CELLMEET_NATIONAL_APP = {"RULE": "HD khác", "BEFORE_DAYS": 3, "AFTER_DAYS": 5}
    assert national_app.last_day(BEFORE, date(2026, 6, 10)) == date(2026, 6, 7)
    assert national_app.last_day(AFTER, date(2026, 6, 10)) == date(2026, 6, 15)


def test_the_meeting_day_is_the_day_it_was_held():
    planned, held = local(2026, 6, 10, 19), local(2026, 6, 11, 8)
    assert national_app.meeting_day(None, planned) == date(2026, 6, 10)
    assert national_app.meeting_day(held, planned) == date(2026, 6, 11)


# ---------------------------------------------------------------- the package


def test_the_package_before_holds_agenda_draft_resolution_lead_report_and_guidance(
    world, login, roster, make_meeting
):
    meeting = make_meeting(MeetingKind.THEMATIC, when=at(2026, 10, 20))
    meeting.agenda = "1. Thông tin thời sự.\n2. Báo cáo đề dẫn chuyên đề."
    meeting.lead_report_title = "Học tập và làm theo tư tưởng Hồ Chí Minh"
    meeting.save()
    meeting.lead_report.save("bao-cao.pdf", ContentFile(PDF), save=True)
    adopt(meeting, [("Tổ chức học tập chuyên đề", roster["official"][0], date(2026, 11, 30))])
    publish_guidance(world)

    response = login(world.secretary).get(
        reverse("printing:national_app_package", args=[meeting.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"so-tay-dang-vien-2026-10-20-{meeting.pk}.zip" in response["Content-Disposition"]
    names, manifest = zip_names(response.content)
    assert names == [
        "DANH-MUC.txt",
        "1-truoc-buoi-sinh-hoat/chuong-trinh-sinh-hoat.pdf",
        "1-truoc-buoi-sinh-hoat/du-thao-nghi-quyet.pdf",
        "1-truoc-buoi-sinh-hoat/bao-cao-de-dan.pdf",
        "1-truoc-buoi-sinh-hoat/huong-dan-cap-tren-1.pdf",
        "1-truoc-buoi-sinh-hoat/huong-dan-cap-tren-1-01-ke-hoach-tuyen-truyen-thang-10.pdf",
    ]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        # The original files as uploaded, the printed ones as PDFs.
        assert archive.read("1-truoc-buoi-sinh-hoat/bao-cao-de-dan.pdf") == PDF
        for name in names[1:]:
            assert archive.read(name).startswith(b"%PDF-")
    assert "HD 42-HD/BTCTW (28/10/2025)" in manifest
    assert "hạn chót hết ngày 19/10/2026" in manifest
    assert "hạn chót hết ngày 22/10/2026" in manifest
    assert "(chưa có: biên bản chưa ký)" in manifest
    assert "Báo cáo đề dẫn (tệp gốc): Học tập và làm theo tư tưởng Hồ Chí Minh" in manifest


def test_the_signed_package_holds_the_stored_minutes_and_the_resolution(
    world, roster, make_meeting
):
    meeting = make_meeting(when=at(2026, 10, 5))
    adopt(meeting, [("Vệ sinh môi trường", roster["official"][1], date(2026, 11, 30))])
    meeting = sign(complete(meeting, roster), world, roster)
    names, manifest = zip_names(national_app.build_package(meeting))
    assert [name for name in names if name.startswith("2-")] == [
        "2-sau-buoi-sinh-hoat/bien-ban-da-ky.pdf",
        "2-sau-buoi-sinh-hoat/nghi-quyet.pdf",
    ]
    # Signed, the meeting's own resolution is no longer a draft to send before it.
    assert "1-truoc-buoi-sinh-hoat/du-thao-nghi-quyet.pdf" not in names
    assert "Biên bản sinh hoạt đã ký" in manifest
    with zipfile.ZipFile(io.BytesIO(national_app.build_package(meeting))) as archive:
        meeting.refresh_from_db()
        with meeting.minutes_pdf.open("rb") as stored:
            assert archive.read("2-sau-buoi-sinh-hoat/bien-ban-da-ky.pdf") == stored.read()


def test_the_regular_meeting_sends_the_draft_the_cell_committee_prepared(
    world, roster, make_meeting
):
    committee = make_meeting(MeetingKind.COMMITTEE, when=at(2026, 10, 1))
    Resolution.objects.create(
        meeting=committee,
        number=1,
        kind=ResolutionKind.DRAFT,
        title="Nghị quyết lãnh đạo tháng 10",
    )
    Meeting.objects.filter(pk=committee.pk).update(status=MeetingStatus.FINALIZED)
    regular = make_meeting(when=at(2026, 10, 5), start=False)
    files = national_app.before_files(regular)
    assert [entry.name for entry in files] == [
        "chuong-trinh-sinh-hoat.pdf",
        "du-thao-nghi-quyet.pdf",
    ]
    # A meeting of another kind has no committee draft, and here no resolution.
    extraordinary = make_meeting(MeetingKind.EXTRAORDINARY, when=at(2026, 10, 6), start=False)
    assert [entry.name for entry in national_app.before_files(extraordinary)] == [
        "chuong-trinh-sinh-hoat.pdf"
    ]


# ---------------------------------------------------------------- the marks


def test_the_secretary_marks_and_takes_back_with_who_and_when(world, login, make_meeting):
    meeting = make_meeting(when=at(2026, 10, 5), start=False)
    client = login(world.secretary)
    url = reverse("printing:national_app_mark", args=[meeting.pk, "before"])
    response = client.post(url, {"action": "mark"})
    assert response.status_code == 302
    upload = NationalAppUpload.objects.get(meeting=meeting, stage=BEFORE)
    assert upload.marked_by == world.secretary
    assert abs(upload.uploaded_at - timezone.now()) < timedelta(minutes=1)
    client.post(url, {"action": "mark"})  # a second mark keeps the first
    assert NationalAppUpload.objects.get(meeting=meeting, stage=BEFORE).pk == upload.pk

    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert 'id="national-app-before"' in page
    assert "04/10/2026" in page  # the before stage's last day
    assert reverse("printing:national_app_package", args=[meeting.pk]) in page
    assert page.count('name="action" value="unmark"') == 1  # before marked, after not
    assert problems_in(page) == []

    client.post(url, {"action": "unmark"})
    assert not NationalAppUpload.objects.filter(meeting=meeting).exists()


def test_after_is_marked_only_once_the_minutes_are_signed(world, login, make_meeting):
    meeting = make_meeting(when=at(2026, 10, 5))
    client = login(world.secretary)
    response = client.post(
        reverse("printing:national_app_mark", args=[meeting.pk, "after"]), follow=True
    )
    assert not NationalAppUpload.objects.filter(meeting=meeting).exists()
    assert [message.level_tag for message in response.context["messages"]] == ["error"]


def test_an_unknown_stage_is_not_found(world, login, make_meeting):
    meeting = make_meeting(start=False)
    client = login(world.secretary)
    url = reverse("printing:national_app_mark", args=[meeting.pk, "during"])
    assert client.post(url).status_code == 404


def test_viewers_do_not_see_the_panel(world, login, make_meeting):
    meeting = make_meeting(start=False)
    page = login(world.viewer).get(reverse("meetings:detail", args=[meeting.pk]))
    assert 'id="national-app"' not in page.content.decode()


def test_only_published_guidance_of_the_month_goes_before_the_meeting(world, make_meeting):
    from oversight.guidance import national_app_files

    meeting = make_meeting(when=at(2026, 10, 5), start=False)
    publish_guidance(world, month=9)  # another month
    Guidance.objects.create(
        organization=world.superior, year=2026, month=10, orientation="Bản nháp chưa ban hành."
    )
    assert national_app_files(Meeting, meeting=meeting, stage=BEFORE) == []
    published = publish_guidance(world, month=10)
    names = [entry.name for entry in national_app_files(Meeting, meeting=meeting, stage=BEFORE)]
    assert names == [
        "huong-dan-cap-tren-1.pdf",
        "huong-dan-cap-tren-1-01-ke-hoach-tuyen-truyen-thang-10.pdf",
    ]
    assert national_app_files(Meeting, meeting=meeting, stage=AFTER) == []
    # Guidance made only of documents prints no page of its own.
    Guidance.objects.filter(pk=published.pk).update(orientation="")
    names = [entry.name for entry in national_app_files(Meeting, meeting=meeting, stage=BEFORE)]
    assert names == ["huong-dan-cap-tren-1-01-ke-hoach-tuyen-truyen-thang-10.pdf"]


def test_a_correction_keeps_the_before_mark_but_not_the_after_one(world, roster, make_meeting):
    from meetings import services

    meeting = sign(complete(make_meeting(when=at(2026, 10, 5)), roster), world, roster)
    before = national_app.mark_uploaded(meeting, BEFORE, user=world.secretary)
    national_app.mark_uploaded(meeting, AFTER, user=world.secretary)
    services.return_minutes(meeting, user=world.reviewer, comment="Bổ sung lý do vắng mặt.")
    correction = services.start_correction(meeting, user=world.secretary)
    carried = NationalAppUpload.objects.get(meeting=correction)
    assert (carried.stage, carried.uploaded_at, carried.marked_by) == (
        BEFORE,
        before.uploaded_at,
        world.secretary,
    )
    assert NationalAppUpload.objects.filter(meeting=meeting).count() == 2

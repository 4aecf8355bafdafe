"""The record page (meetings:record): what the secretary types is saved as one, or
nothing is saved and every entry comes back on the page with the error beside it."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from meetings import services
from meetings.models import Attendance, AttendanceStatus, Guest, Meeting, MeetingStatus, Speech
from tests.helpers import mark
from tests.meetings.formdata import (
    SUBMIT_FINALIZE,
    add_rows,
    attendance_marks,
    attendance_prefix,
    blank_rows,
    open_record,
    record_post_data,
    record_url,
    speech_prefix,
    type_rows,
)

P, E, U = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.ABSENT_EXCUSED,
    AttendanceStatus.ABSENT_UNEXCUSED,
)


def statuses(meeting):
    return dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "status"))


def message_list(response):
    return list(get_messages(response.wsgi_request))


def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def secretary(world, login):
    return login(world.secretary)


def everyone_present(roster):
    return dict.fromkeys([*roster["official"], roster["probationary"]], P)


# -- attendance -------------------------------------------------------------------------


def test_attendance_marks_are_saved(secretary, make_meeting, roster):
    meeting = make_meeting()
    official = roster["official"]
    page = open_record(secretary, meeting)
    marks = {
        official[0]: P,
        official[1]: P,
        official[2]: (E, "đi viện"),
        official[3]: U,
        roster["exempt"]: P,
    }
    response = secretary.post(
        record_url(meeting), record_post_data(page, **attendance_marks(page, marks))
    )
    assert response.status_code == 302
    rows = {row.member: row for row in Attendance.objects.filter(meeting=meeting)}
    assert rows[official[0]].status == P
    assert rows[official[1]].status == P
    assert (rows[official[2]].status, rows[official[2]].reason) == (E, "đi viện")
    assert rows[official[3]].status == U
    assert rows[roster["exempt"]].status == P
    assert rows[official[4]].status == AttendanceStatus.UNMARKED  # left alone on the page


def test_saving_the_page_unchanged_keeps_what_was_saved(secretary, make_meeting, roster):
    meeting = make_meeting()
    mark(meeting, {roster["official"][0]: (E, "ốm"), roster["official"][1]: P})
    before = statuses(meeting)
    response = secretary.post(
        record_url(meeting), record_post_data(open_record(secretary, meeting))
    )
    assert response.status_code == 302
    assert statuses(meeting) == before
    assert Attendance.objects.get(meeting=meeting, member=roster["official"][0]).reason == "ốm"


def test_absence_with_reason_needs_a_reason_and_nothing_is_saved_without_it(
    secretary, make_meeting, roster
):
    meeting = make_meeting()
    official = roster["official"]
    page = open_record(secretary, meeting)
    conclusion = "Kết luận riêng của bí thư về việc làm đường liên thôn"
    data = record_post_data(
        page,
        conclusion=conclusion,
        **attendance_marks(page, {official[0]: P, official[1]: (E, "   ")}),
        **{"guests-0-name": "Đồng chí Khách Mời"},
    )
    before = statuses(meeting)

    response = secretary.post(record_url(meeting), data)

    assert response.status_code == 200
    editor = response.context["editor"]
    row_errors = {form.instance.member_id: form.errors for form in editor.attendance.forms}
    assert "reason" in row_errors[official[1].pk]
    assert not row_errors[official[0].pk]
    html = response.content.decode()
    assert conclusion in html
    assert "Đồng chí Khách Mời" in html
    present_radio = f'name="{attendance_prefix(page, official[0])}-status"'
    assert present_radio in html
    assert editor.attendance.forms[0].data  # the page is bound to what was typed
    meeting.refresh_from_db()
    assert meeting.conclusion == ""
    assert statuses(meeting) == before
    assert not Guest.objects.filter(meeting=meeting).exists()


def test_the_page_that_comes_back_keeps_the_typed_attendance(secretary, make_meeting, roster):
    meeting = make_meeting()
    official = roster["official"]
    page = open_record(secretary, meeting)
    data = record_post_data(page, **attendance_marks(page, {official[0]: P, official[1]: (E, "")}))
    response = secretary.post(record_url(meeting), data)
    assert response.status_code == 200
    # Re-posting what came back, with the reason now filled in, saves both rows.
    again = record_post_data(response, **{f"{attendance_prefix(page, official[1])}-reason": "ốm"})
    assert again[f"{attendance_prefix(page, official[0])}-status"] == P
    assert secretary.post(record_url(meeting), again).status_code == 302
    assert statuses(meeting)[official[0].pk] == P
    assert Attendance.objects.get(meeting=meeting, member=official[1]).reason == "ốm"


# -- guests and speeches ----------------------------------------------------------------


def test_guests_and_speeches_are_added(secretary, make_meeting, roster):
    meeting = make_meeting()
    speaker = roster["official"][2]
    page = open_record(secretary, meeting)
    data = record_post_data(page)
    type_rows(
        data,
        "guests",
        [{"name": "Lê Văn Thanh", "title": "Đảng ủy viên", "unit": "Đảng ủy xã Yên Hòa"}],
    )
    type_rows(
        data,
        "speeches",
        [
            {"speaker": str(speaker.pk), "summary": "Đề nghị sửa đường liên thôn."},
            {"guest_name": "Lê Văn Thanh", "summary": "Biểu dương chi bộ."},
        ],
    )
    response = secretary.post(record_url(meeting), data)
    assert response.status_code == 302
    guest = Guest.objects.get(meeting=meeting)
    assert (guest.name, guest.title, guest.unit) == (
        "Lê Văn Thanh",
        "Đảng ủy viên",
        "Đảng ủy xã Yên Hòa",
    )
    speeches = list(Speech.objects.filter(meeting=meeting))
    assert [(s.speaker, s.guest_name, s.summary) for s in speeches] == [
        (speaker, "", "Đề nghị sửa đường liên thôn."),
        (None, "Lê Văn Thanh", "Biểu dương chi bộ."),
    ]


def test_a_speech_without_a_speaker_is_refused(secretary, make_meeting):
    meeting = make_meeting()
    page = open_record(secretary, meeting)
    data = record_post_data(page, **{"speeches-0-summary": "Ai đó phát biểu."})
    response = secretary.post(record_url(meeting), data)
    assert response.status_code == 200
    assert "speaker" in response.context["editor"].speeches.forms[0].errors
    assert not Speech.objects.filter(meeting=meeting).exists()


def test_added_speech_rows_keep_the_rows_typed_before(secretary, make_meeting, roster):
    meeting = make_meeting()
    official = roster["official"]
    page = open_record(secretary, meeting)
    data = record_post_data(page)
    assert len(blank_rows(data, "speeches")) < 4  # so some rows must be added
    type_rows(
        data,
        "speeches",
        [
            {"speaker": str(official[0].pk), "summary": "Ý kiến thứ nhất"},
            {"speaker": str(official[1].pk), "summary": "Ý kiến thứ hai"},
            {"speaker": str(official[2].pk), "summary": "Ý kiến thứ ba"},
            {"speaker": "", "guest_name": "Khách", "summary": "Ý kiến thứ tư"},
        ],
    )
    assert data["speeches-TOTAL_FORMS"] == "4"
    response = secretary.post(record_url(meeting), data)
    assert response.status_code == 302
    assert list(Speech.objects.filter(meeting=meeting).values_list("summary", flat=True)) == [
        "Ý kiến thứ nhất",
        "Ý kiến thứ hai",
        "Ý kiến thứ ba",
        "Ý kiến thứ tư",
    ]

    # Next visit: the four saved rows and a blank one; one more added after them all.
    page = open_record(secretary, meeting)
    assert page.context["editor"].speeches.initial_form_count() == 4
    data = record_post_data(page)
    add_rows(data, "speeches", [{"speaker": str(official[3].pk), "summary": "Ý kiến thứ năm"}])
    assert secretary.post(record_url(meeting), data).status_code == 302
    assert list(Speech.objects.filter(meeting=meeting).values_list("summary", flat=True)) == [
        "Ý kiến thứ nhất",
        "Ý kiến thứ hai",
        "Ý kiến thứ ba",
        "Ý kiến thứ tư",
        "Ý kiến thứ năm",
    ]


def test_added_speech_rows_come_back_when_something_else_is_wrong(secretary, make_meeting, roster):
    meeting = make_meeting()
    official = roster["official"]
    page = open_record(secretary, meeting)
    data = record_post_data(page, **attendance_marks(page, {official[1]: (E, "")}))
    typed = ["Ý kiến đầu tiên", "Ý kiến thứ hai", "Ý kiến thêm vào"]
    type_rows(data, "speeches", [{"speaker": str(official[0].pk), "summary": t} for t in typed])
    response = secretary.post(record_url(meeting), data)
    assert response.status_code == 200
    speeches = response.context["editor"].speeches
    assert speeches.total_form_count() == int(data["speeches-TOTAL_FORMS"]) >= 3
    assert [form["summary"].value() for form in speeches.forms][:3] == typed
    html = response.content.decode()
    for text in typed:
        assert text in html
    assert f'name="speeches-{speeches.total_form_count() - 1}-summary"' in html
    # Pressing Save again with the reason filled in keeps all three.
    again = record_post_data(
        response, **{f"{attendance_prefix(page, official[1])}-reason": "đi công tác"}
    )
    assert secretary.post(record_url(meeting), again).status_code == 302
    assert list(Speech.objects.filter(meeting=meeting).values_list("summary", flat=True)) == typed


def test_a_speech_is_deleted_with_its_delete_box(secretary, make_meeting, roster):
    meeting = make_meeting()
    kept = Speech.objects.create(
        meeting=meeting, speaker=roster["official"][0], summary="Giữ lại", order=1
    )
    dropped = Speech.objects.create(
        meeting=meeting, speaker=roster["official"][1], summary="Xóa đi", order=2
    )
    page = open_record(secretary, meeting)
    assert f'name="{speech_prefix(page, dropped)}-DELETE"' in page.content.decode()
    data = record_post_data(page, **{f"{speech_prefix(page, dropped)}-DELETE": "on"})
    response = secretary.post(record_url(meeting), data)
    assert response.status_code == 302
    assert list(Speech.objects.filter(meeting=meeting)) == [kept]


# -- the vote and the adoption of the minutes -------------------------------------------


def test_votes_for_more_than_the_official_members_present_are_refused(
    secretary, make_meeting, roster
):
    meeting = make_meeting()
    page = open_record(secretary, meeting)
    data = record_post_data(
        page,
        vote_method="hands",
        votes_for="7",  # 6 official members present; the probationary one does not vote
        votes_against="0",
        votes_other="0",
        conclusion="Kết luận sẽ không được lưu",
        **attendance_marks(page, everyone_present(roster)),
    )
    response = secretary.post(record_url(meeting), data)
    assert response.status_code == 200
    assert "votes_for" in response.context["editor"].minutes.errors
    meeting.refresh_from_db()
    assert (meeting.votes_for, meeting.conclusion) == (None, "")
    assert set(statuses(meeting).values()) == {AttendanceStatus.UNMARKED}

    data["votes_for"] = "6"
    assert secretary.post(record_url(meeting), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.votes_for == 6


def test_the_tally_counts_all_three_columns(secretary, make_meeting, roster):
    meeting = make_meeting()
    page = open_record(secretary, meeting)
    data = record_post_data(
        page,
        vote_method="hands",
        votes_for="4",
        votes_against="2",
        votes_other="1",
        **attendance_marks(page, everyone_present(roster)),
    )
    response = secretary.post(record_url(meeting), data)
    assert response.status_code == 200
    assert "votes_for" in response.context["editor"].minutes.errors


def test_the_tally_is_checked_against_the_attendance_submitted_with_it(
    secretary, make_meeting, roster
):
    official = roster["official"]
    meeting = make_meeting()
    mark(meeting, dict.fromkeys(official, P))  # saved earlier: 6 official members present
    page = open_record(secretary, meeting)
    fewer = {**dict.fromkeys(official[:3], P), **dict.fromkeys(official[3:], U)}
    data = record_post_data(
        page, vote_method="hands", votes_for="5", **attendance_marks(page, fewer)
    )
    response = secretary.post(record_url(meeting), data)
    assert response.status_code == 200
    assert "votes_for" in response.context["editor"].minutes.errors
    meeting.refresh_from_db()
    assert meeting.votes_for is None
    assert statuses(meeting)[official[5].pk] == P  # still as saved before


def test_a_tally_matching_the_attendance_typed_on_the_same_page_is_accepted(
    secretary, make_meeting, roster
):
    meeting = make_meeting()  # nobody marked present in the database yet
    page = open_record(secretary, meeting)
    data = record_post_data(
        page,
        vote_method="hands",
        votes_for="6",
        **attendance_marks(page, dict.fromkeys(roster["official"], P)),
    )
    assert secretary.post(record_url(meeting), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.votes_for == 6


def test_minutes_adopted_by_more_members_than_present_are_refused(secretary, make_meeting, roster):
    meeting = make_meeting()
    page = open_record(secretary, meeting)
    marks = attendance_marks(page, everyone_present(roster))  # 7 present
    response = secretary.post(
        record_url(meeting), record_post_data(page, minutes_adopted_votes="8", **marks)
    )
    assert response.status_code == 200
    assert "minutes_adopted_votes" in response.context["editor"].minutes.errors
    meeting.refresh_from_db()
    assert meeting.minutes_adopted_votes is None

    response = secretary.post(
        record_url(meeting), record_post_data(page, minutes_adopted_votes="7", **marks)
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_adopted_votes == 7


# -- save and finalize ------------------------------------------------------------------


def complete_data(page, roster, **changes):
    official = roster["official"]
    return record_post_data(
        page,
        chair=str(official[0].pk),
        note_taker=str(official[1].pk),
        start_time="19:30",
        end_time="21:10",
        news_briefing="Thông tin thời sự tháng 10.",
        conclusion="Chi bộ thống nhất các nhiệm vụ tháng 11.",
        vote_method="hands",
        votes_for="6",
        votes_against="0",
        votes_other="0",
        minutes_adopted_votes="7",
        **attendance_marks(page, everyone_present(roster)),
        **changes,
    )


def test_finalizing_incomplete_minutes_saves_the_draft_and_lists_what_is_missing(
    secretary, make_meeting, roster
):
    meeting = make_meeting()
    english(secretary)
    page = open_record(secretary, meeting)
    data = record_post_data(page, conclusion="Kết luận đã gõ", **SUBMIT_FINALIZE)
    data.pop("save")

    response = secretary.post(record_url(meeting), data)

    assert response.status_code == 302
    assert response.url == record_url(meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DRAFT
    assert meeting.conclusion == "Kết luận đã gõ"
    [warning] = message_list(response)
    assert warning.level == messages.WARNING
    for item in ["who chaired the meeting", "who took the notes", "the news briefing"]:
        assert item in warning.message
    assert "the chair's conclusion" not in warning.message


def test_finalizing_complete_minutes_from_the_page(secretary, make_meeting, roster):
    meeting = make_meeting()
    page = open_record(secretary, meeting)
    data = complete_data(page, roster, **SUBMIT_FINALIZE)
    response = secretary.post(record_url(meeting), data)
    assert response.status_code == 302
    assert response.url == reverse("meetings:detail", args=[meeting.pk])
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.FINALIZED
    assert meeting.duration_minutes == 100
    assert [m.level for m in message_list(response)] == [messages.SUCCESS]


def test_save_draft_never_finalizes(secretary, make_meeting, roster):
    meeting = make_meeting()
    response = secretary.post(
        record_url(meeting), complete_data(open_record(secretary, meeting), roster)
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DRAFT
    assert services.missing_for_finalize(meeting) == []


def test_finalized_minutes_cannot_be_opened_for_recording(secretary, make_meeting, roster):
    meeting = make_meeting()
    secretary.post(
        record_url(meeting),
        complete_data(open_record(secretary, meeting), roster, **SUBMIT_FINALIZE),
    )
    response = secretary.get(record_url(meeting))
    assert response.status_code == 302
    assert response.url == reverse("meetings:detail", args=[meeting.pk])


# -- two people editing the same minutes ------------------------------------------------


def test_a_stale_save_is_refused_and_keeps_the_second_users_text(world, make_meeting):
    meeting = make_meeting()
    first, second = Client(), Client()
    first.force_login(world.secretary, backend="django.contrib.auth.backends.ModelBackend")
    second.force_login(world.admin, backend="django.contrib.auth.backends.ModelBackend")
    first_page, second_page = open_record(first, meeting), open_record(second, meeting)
    assert first_page.context["editor"].minutes["version"].value() == meeting.version

    saved = first.post(
        record_url(meeting), record_post_data(first_page, conclusion="Kết luận của người thứ nhất")
    )
    assert saved.status_code == 302

    theirs = "Kết luận của người thứ hai, gõ rất lâu"
    refused = second.post(record_url(meeting), record_post_data(second_page, conclusion=theirs))

    assert refused.status_code == 200
    [conflict] = refused.context["editor"].minutes.non_field_errors()
    html = refused.content.decode()
    assert escape(conflict) in html  # told on the page, not only in the context
    assert theirs in html
    meeting.refresh_from_db()
    assert meeting.conclusion == "Kết luận của người thứ nhất"

    again = second.post(record_url(meeting), record_post_data(refused))
    assert again.status_code == 302
    meeting.refresh_from_db()
    assert meeting.conclusion == theirs


def test_the_conflict_names_what_the_other_person_changed(world, make_meeting):
    meeting = make_meeting()
    first, second = Client(), Client()
    for client, user in ((first, world.secretary), (second, world.admin)):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        english(client)
    first_page, second_page = open_record(first, meeting), open_record(second, meeting)
    first.post(record_url(meeting), record_post_data(first_page, dues_report="Đã thu đủ đảng phí"))
    refused = second.post(record_url(meeting), record_post_data(second_page))
    [error] = refused.context["editor"].minutes.non_field_errors()
    assert "Đã thu đủ đảng phí" in error


def test_saving_again_after_a_conflict_works_when_the_other_person_deleted_a_speech(
    world, make_meeting, roster
):
    meeting = make_meeting()
    speech = Speech.objects.create(
        meeting=meeting, speaker=roster["official"][0], summary="Sẽ bị xóa", order=1
    )
    first, second = Client(), Client()
    first.force_login(world.secretary, backend="django.contrib.auth.backends.ModelBackend")
    second.force_login(world.admin, backend="django.contrib.auth.backends.ModelBackend")
    first_page, second_page = open_record(first, meeting), open_record(second, meeting)
    deleted = record_post_data(first_page, **{f"{speech_prefix(first_page, speech)}-DELETE": "on"})
    assert first.post(record_url(meeting), deleted).status_code == 302

    theirs = "Kết luận người thứ hai"
    refused = second.post(record_url(meeting), record_post_data(second_page, conclusion=theirs))
    assert refused.status_code == 200

    again = second.post(record_url(meeting), record_post_data(refused))
    assert again.status_code == 302
    meeting.refresh_from_db()
    assert meeting.conclusion == theirs


def test_rows_of_another_meeting_cannot_be_changed_from_this_page(
    world, login, secretary, make_meeting, roster
):
    meeting = make_meeting()
    other = Meeting.objects.create(
        organization=world.sibling_cell,
        kind="regular",
        scheduled_at=meeting.scheduled_at,
        status=MeetingStatus.DRAFT,
    )
    foreign_row = Attendance.objects.create(
        meeting=other,
        member=world.sibling_member,
        membership_at_meeting="official",
        activity_at_meeting="active",
    )
    foreign_speech = Speech.objects.create(meeting=other, guest_name="Khách", summary="Gốc")
    page = open_record(secretary, meeting)
    first_row = page.context["editor"].attendance.forms[0].prefix
    data = record_post_data(
        page,
        **{
            f"{first_row}-id": str(foreign_row.pk),
            f"{first_row}-status": AttendanceStatus.ABSENT_UNEXCUSED,
            "speeches-0-id": str(foreign_speech.pk),
            "speeches-0-guest_name": "Khách",
            "speeches-0-summary": "Đã sửa",
        },
    )
    secretary.post(record_url(meeting), data)
    foreign_row.refresh_from_db()
    foreign_speech.refresh_from_db()
    assert foreign_row.status == AttendanceStatus.UNMARKED
    assert (foreign_speech.meeting, foreign_speech.summary) == (other, "Gốc")
    assert not Attendance.objects.filter(meeting=meeting, member=world.sibling_member).exists()
    assert set(Speech.objects.filter(summary="Đã sửa").values_list("meeting", flat=True)) <= {
        meeting.pk
    }


# -- the lead report of a thematic meeting ----------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def _docx():
    """A minimal Word file: a ZIP holding word/document.xml."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


DOCX = _docx()
# Any ZIP starts like a .docx; what is inside tells them apart.
ZIP_NAMED_DOCX = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00notes.txt" + bytes(32)


@pytest.fixture
def thematic(make_meeting):
    return make_meeting(kind="thematic")


def upload(secretary, meeting, name, content, **changes):
    page = open_record(secretary, meeting)
    data = record_post_data(page, lead_report_title="Báo cáo đề dẫn quý IV", **changes)
    data["lead_report"] = SimpleUploadedFile(name, content)
    return secretary.post(record_url(meeting), data)


@pytest.mark.parametrize(
    ("name", "content"),
    [("bao-cao.pdf", PDF), ("trang-1.png", PNG), ("du-thao.docx", DOCX), ("BAO-CAO.PDF", PDF)],
)
def test_a_genuine_lead_report_is_stored_privately(secretary, thematic, name, content):
    response = upload(secretary, thematic, name, content)
    assert response.status_code == 302
    thematic.refresh_from_db()
    stored = Path(thematic.lead_report.path).resolve()
    assert stored.is_relative_to((Path(django_settings.MEDIA_ROOT) / "private").resolve())
    assert not stored.is_relative_to(Path(django_settings.STATIC_ROOT).resolve())
    assert stored.read_bytes() == content
    assert thematic.lead_report_title == "Báo cáo đề dẫn quý IV"


def test_a_stored_lead_report_has_no_public_address(secretary, thematic, client):
    upload(secretary, thematic, "bao-cao.pdf", PDF)
    thematic.refresh_from_db()
    name = thematic.lead_report.name
    for address in (
        f"{django_settings.MEDIA_URL}{name}",
        f"{django_settings.MEDIA_URL}private/{name}",
        f"{django_settings.STATIC_URL}{name}",
    ):
        assert secretary.get(address).status_code == 404
    detail = secretary.get(reverse("meetings:detail", args=[thematic.pk])).content.decode()
    assert reverse("meetings:lead_report", args=[thematic.pk]) in detail
    assert name not in detail


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("chuong-trinh.exe", b"MZ\x90\x00\x03\x00\x00\x00"),
        ("bao-cao.pdf", b"MZ\x90\x00 this is a program renamed to pdf"),
        ("bao-cao.docx", b"%PDF-1.4\n not a word file"),
        ("nen.docx", ZIP_NAMED_DOCX),
        ("anh.png", b"GIF89a\x01\x00\x01\x00"),
        ("khong-duoi", PDF),
    ],
)
def test_a_lead_report_that_is_not_what_it_claims_is_refused(secretary, thematic, name, content):
    response = upload(secretary, thematic, name, content, conclusion="Kết luận chưa lưu")
    assert response.status_code == 200
    [error] = response.context["editor"].minutes.errors["lead_report"]
    assert escape(error) in response.content.decode()
    assert "Kết luận chưa lưu" in response.content.decode()
    thematic.refresh_from_db()
    assert not thematic.lead_report
    assert thematic.conclusion == ""


def test_a_lead_report_over_the_size_limit_is_refused(secretary, thematic, settings):
    settings.CELLMEET_MEETINGS = {**settings.CELLMEET_MEETINGS, "LEAD_REPORT_MAX_BYTES": 1000}
    response = upload(secretary, thematic, "bao-cao.pdf", PDF + b"0" * 1000)
    assert response.status_code == 200
    assert "lead_report" in response.context["editor"].minutes.errors
    thematic.refresh_from_db()
    assert not thematic.lead_report

    assert upload(secretary, thematic, "bao-cao.pdf", PDF + b"0" * 100).status_code == 302
    thematic.refresh_from_db()
    assert thematic.lead_report


def test_the_lead_report_survives_later_saves(secretary, thematic):
    upload(secretary, thematic, "bao-cao.pdf", PDF)
    page = open_record(secretary, thematic)
    response = secretary.post(record_url(thematic), record_post_data(page, conclusion="Thêm"))
    assert response.status_code == 302
    thematic.refresh_from_db()
    assert thematic.lead_report
    assert Path(thematic.lead_report.path).read_bytes() == PDF


def download(client, meeting):
    response = client.get(reverse("meetings:lead_report", args=[meeting.pk]))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    response.close()
    return response, body


@pytest.mark.parametrize("role", ["secretary", "viewer", "reviewer", "admin"])
def test_insiders_download_the_lead_report_as_an_attachment(world, login, thematic, role):
    upload(login(world.secretary), thematic, "bao-cao.pdf", PDF)
    response, body = download(login(world.user(role)), thematic)
    assert response.status_code == 200
    assert body == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"bao-cao-de-dan-{thematic.pk}.pdf" in response["Content-Disposition"]


@pytest.mark.parametrize("role", ["outsider", "far_reviewer"])
def test_outsiders_cannot_learn_the_lead_report_exists(world, login, thematic, role):
    upload(login(world.secretary), thematic, "bao-cao.pdf", PDF)
    response, body = download(login(world.user(role)), thematic)
    assert response.status_code == 404
    assert PDF not in body


def test_no_lead_report_file_is_a_404(world, login, thematic):
    response, _body = download(login(world.secretary), thematic)
    assert response.status_code == 404


# -- who may use the record page --------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"), [("viewer", 403), ("reviewer", 403), ("outsider", 404)]
)
def test_only_the_cells_record_keepers_may_post_minutes(world, login, make_meeting, role, status):
    meeting = make_meeting()
    page = open_record(login(world.secretary), meeting)
    data = record_post_data(page, conclusion="Không được phép")
    response = login(world.user(role)).post(record_url(meeting), data)
    assert response.status_code == status
    meeting.refresh_from_db()
    assert meeting.conclusion == ""


def test_a_planned_meeting_sends_the_secretary_to_start_recording(world, login, make_meeting):
    meeting = make_meeting(start=False)
    response = login(world.secretary).get(record_url(meeting))
    assert response.status_code == 302
    assert response.url == reverse("meetings:detail", args=[meeting.pk])
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.PLANNED


# -- fields the page does not show ------------------------------------------------------


def test_saving_an_extraordinary_meeting_keeps_its_topic(secretary, make_meeting):
    meeting = make_meeting(kind="extraordinary", topic="Xét kết nạp đảng viên mới")
    page = open_record(secretary, meeting)
    response = secretary.post(record_url(meeting), record_post_data(page, conclusion="Đồng ý"))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.conclusion == "Đồng ý"
    assert meeting.topic == "Xét kết nạp đảng viên mới"

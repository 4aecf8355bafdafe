"""A secretary plans, records, finalizes and signs meeting minutes in a real browser."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import AttendanceStatus, Meeting, MeetingStatus
from tests.e2e.journeys import all_parts_on_one_page, secretary_chairs, sign_both

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def next_month_day(day):
    first_of_next_month = (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(day=1)
    return first_of_next_month.replace(day=day)


def minimal_pdf():
    """A one-page PDF with a correct cross-reference table, written by hand."""
    text = b"BT /F1 24 Tf 72 720 Td (Bao cao de dan chuyen de) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref_at,
    )
    return bytes(pdf)


def attendance_index(meeting, member):
    """The row of the attendance formset for a member (the formset's own order)."""
    member_ids = list(
        meeting.attendances.order_by("member__sort_key", "pk").values_list("member_id", flat=True)
    )
    return member_ids.index(member.pk)


def plan_meeting(page, world, *, kind, day, topic=""):
    """From the cell page: plan a meeting, land on its page, start recording."""
    expect(page.get_by_role("heading", name=world.cell.name)).to_be_visible()
    page.locator(f"a[href$='/orgs/{world.cell.pk}/meetings/new/']").click()
    page.select_option("#id_kind", kind)
    page.fill("#id_day", day.strftime("%d/%m/%Y"))
    page.fill("#id_start", "19:30")
    page.fill("#id_location", "Nhà văn hóa thôn Đông")
    if topic:
        page.fill("#id_topic", topic)
    page.locator("form:has(#id_kind) button[type=submit]").click()

    expect(page.get_by_text("Đã lên kế hoạch cuộc họp.")).to_be_visible()
    meeting = Meeting.objects.get(organization=world.cell)
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/$"))
    assert meeting.status == MeetingStatus.PLANNED
    local = timezone.localtime(meeting.scheduled_at)
    assert (local.date(), local.hour, local.minute) == (day, 19, 30)
    expect(page.locator("#meeting-status")).to_have_text("Đã lên kế hoạch")

    # Time passes and the meeting is held. The browser cannot move the clock, and
    # minutes of a meeting still to come cannot be finalized, so the planned day
    # moves back two months, to a day already past.
    held = day - timedelta(days=61)
    meeting.scheduled_at -= timedelta(days=61)
    meeting.save()
    page.reload()

    page.locator(f"form[action$='/meetings/{meeting.pk}/start/'] button").click()
    all_parts_on_one_page(page, meeting)
    expect(page.locator("#id_start_time")).to_have_value("19:30")
    expect(page.locator("#id_held_on")).to_have_value(held.strftime("%d/%m/%Y"))
    return meeting, held


def test_secretary_plans_records_finalizes_and_signs_a_regular_meeting(
    world,
    roster,
    page,
    live_server,
    log_in,
):
    chair = secretary_chairs(world, roster)
    note_taker, speaker = roster["official"][1], roster["official"][2]
    absent = roster["official"][5]
    assert note_taker.user_id is None
    day = next_month_day(10)

    log_in(page, "bithu-e2e")
    meeting, day = plan_meeting(page, world, kind="regular", day=day)
    expect(page.locator("h1")).to_have_text(f"Sinh hoạt chi bộ thường kỳ tháng {day:%-m/%Y}")

    # 1. Opening
    page.fill("#id_chair", chair.full_name)
    page.fill("#id_note_taker", note_taker.full_name)
    page.fill("#id_guests-0-name", "Đinh Văn Quang")
    page.fill("#id_guests-0-title", "Đảng ủy viên")
    page.fill("#id_guests-0-unit", "Đảng bộ xã Yên Hòa")

    # 2. Attendance: everyone present, then one member absent with reason.
    counts = page.locator("#present-count")
    expect(counts).to_have_text(re.compile(r"^Có mặt 0/7 \(0([.,]0)?%\)$"))
    page.locator("#all-present").click()
    expect(counts).to_have_text(re.compile(r"^Có mặt 7/7 \(100([.,]0)?%\)$"))
    row = attendance_index(meeting, absent)
    page.locator(f"label[for=id_attendance-{row}-status_1]").click()
    expect(page.locator(f"#id_attendance-{row}-status_1")).to_be_checked()
    page.fill(f"#id_attendance-{row}-reason", "Đi công tác")
    expect(counts).to_have_text(re.compile(r"^Có mặt 6/7 \(85[.,]7%\)$"))

    # 3. Proceedings and 4. Discussion
    page.fill("#id_news_briefing", "Thông tin thời sự tháng này theo tài liệu của Đảng ủy xã.")
    page.fill("#id_speeches-0-speaker", speaker.full_name)
    page.fill("#id_speeches-0-summary", "Đề nghị sửa đường liên thôn trước Tết.")
    page.locator("[data-add-row=speeches]").click()
    page.fill("#id_speeches-1-guest_name", "Đinh Văn Quang")
    page.fill("#id_speeches-1-summary", "Biểu dương chi bộ thu đảng phí đầy đủ.")

    # 5. Closing
    page.fill("#id_conclusion", "Chi bộ thống nhất sửa đường liên thôn trong tháng tới.")
    page.select_option("#id_vote_method", "hands")
    page.fill("#id_votes_for", "5")
    page.fill("#id_votes_against", "0")
    page.fill("#id_votes_other", "0")
    page.fill("#id_minutes_adopted_votes", "6")
    page.fill("#id_end_time", "21:15")

    page.locator("button[name=save]").click()
    expect(page.get_by_text(re.compile(r"Đã lưu bản nháp lúc \d\d:\d\d\."))).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/record/$"))
    # What was typed is kept.
    expect(page.locator("#id_chair")).to_have_value(chair.full_name)
    expect(page.locator("#id_note_taker")).to_have_value(note_taker.full_name)
    expect(page.locator("#id_guests-0-name")).to_have_value("Đinh Văn Quang")
    expect(page.locator(f"#id_attendance-{row}-status_1")).to_be_checked()
    expect(page.locator(f"#id_attendance-{row}-reason")).to_have_value("Đi công tác")
    expect(page.locator("input[name$='-status'][value=present]:checked")).to_have_count(6)
    expect(counts).to_have_text(re.compile(r"^Có mặt 6/7 \(85[.,]7%\)$"))
    expect(page.locator("#id_speeches-0-speaker")).to_have_value(speaker.full_name)
    expect(page.locator("#id_speeches-1-guest_name")).to_have_value("Đinh Văn Quang")
    expect(page.locator("#id_speeches-1-summary")).to_have_value(
        "Biểu dương chi bộ thu đảng phí đầy đủ."
    )
    expect(page.locator("#id_vote_method")).to_have_value("hands")
    expect(page.locator("#id_votes_for")).to_have_value("5")
    expect(page.locator("#id_minutes_adopted_votes")).to_have_value("6")
    expect(page.locator("#id_end_time")).to_have_value("21:15")
    page.screenshot(path="/tmp/cellmeet-record.png", full_page=True)

    page.locator("button[name=finalize]").click()
    sign_both(page, meeting)
    expect(page.get_by_text("Vắng có lý do: Vũ Văn Em (Đi công tác).")).to_be_visible()
    page.screenshot(path="/tmp/cellmeet-signed.png", full_page=True)

    # Frozen: the record page sends her back, and nothing offers to change the minutes.
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/record/")
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/$"))
    expect(page.locator(".alert-danger")).to_have_text("Chỉ có thể sửa bản nháp.")
    for editing in [
        "a[href$='/record/']",
        "a[href$='/plan/']",
        "form[action$='/start/']",
        "form[action$='/finalize/']",
        "form[action$='/reopen/']",
        "form[action$='/sign/']",
        "form[action$='/correct/']",
        "button[name=save]",
        "button[name=finalize]",
    ]:
        expect(page.locator(editing)).to_have_count(0)

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SIGNED
    assert (meeting.chair, meeting.note_taker) == (chair, note_taker)
    assert meeting.attendances.filter(status=AttendanceStatus.PRESENT).count() == 6
    excused = meeting.attendances.get(status=AttendanceStatus.ABSENT_EXCUSED)
    assert (excused.member, excused.reason) == (absent, "Đi công tác")
    assert [guest.name for guest in meeting.guests.all()] == ["Đinh Văn Quang"]
    assert [(s.speaker, s.guest_name) for s in meeting.speeches.all()] == [
        (speaker, ""),
        (None, "Đinh Văn Quang"),
    ]
    assert (meeting.vote_method, meeting.votes_for, meeting.votes_against) == ("hands", 5, 0)
    assert (meeting.votes_other, meeting.minutes_adopted_votes) == (0, 6)
    assert timezone.localtime(meeting.ended_at).strftime("%H:%M") == "21:15"
    assert re.fullmatch(r"[0-9a-f]{64}", meeting.fingerprint)
    assert dict(meeting.signatures.values_list("role", "method")) == {
        "chair": "account",
        "note_taker": "paper",
    }


def test_thematic_meeting_with_a_lead_report_upload(
    world,
    roster,
    page,
    live_server,
    log_in,
    tmp_path,
):
    chair = secretary_chairs(world, roster)
    note_taker, presenter = roster["official"][1], roster["official"][2]
    topic = "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
    day = next_month_day(20)
    report = tmp_path / "bao-cao-de-dan.pdf"
    report.write_bytes(minimal_pdf())
    program = tmp_path / "bao-cao.exe"
    program.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00" + bytes(64))
    fake_pdf = tmp_path / "ghi-chu.pdf"
    fake_pdf.write_text("Đây là một tệp văn bản, không phải PDF.\n", encoding="utf-8")

    log_in(page, "bithu-e2e")
    meeting, day = plan_meeting(page, world, kind="thematic", day=day, topic=topic)
    quarter = (
        "IV" if day.month >= 10 else "III" if day.month >= 7 else "II" if day.month >= 4 else "I"
    )
    expect(page.locator("h1")).to_have_text(f"Sinh hoạt chuyên đề quý {quarter}/{day.year}")
    expect(page.locator("#id_topic")).to_have_value(topic)

    page.fill("#id_chair", chair.full_name)
    page.fill("#id_note_taker", note_taker.full_name)
    page.locator("#all-present").click()
    expect(page.locator("#present-count")).to_have_text(re.compile(r"7/7 \(100([.,]0)?%\)"))
    page.fill("#id_presenter", presenter.full_name)
    page.fill("#id_lead_report_title", "Báo cáo đề dẫn chuyên đề")
    page.fill("#id_speeches-0-speaker", chair.full_name)
    page.fill("#id_speeches-0-summary", "Liên hệ bản thân về nêu gương.")
    page.locator("[data-add-row=speeches]").click()
    expect(page.locator("#id_speeches-TOTAL_FORMS")).to_have_value("2")
    page.fill("#id_speeches-1-speaker", note_taker.full_name)
    page.fill("#id_speeches-1-summary", "Đề nghị mỗi đảng viên đăng ký một việc làm cụ thể.")
    page.fill("#id_conclusion", "Mỗi đảng viên đăng ký việc làm theo chuyên đề.")
    page.fill("#id_lessons_learned", "Cần gửi báo cáo đề dẫn sớm hơn.")
    page.select_option("#id_vote_method", "hands")
    page.fill("#id_votes_for", "6")
    page.fill("#id_votes_against", "0")
    page.fill("#id_votes_other", "0")
    page.fill("#id_minutes_adopted_votes", "7")
    page.fill("#id_end_time", "21:45")

    # Refused uploads: an error at the file, and everything else still typed in.
    for upload, error in [
        (
            program,
            "Xin tải lên tệp PDF, Word (.docx), OpenDocument (.odt) hoặc tệp ảnh (PNG, JPEG).",
        ),
        (fake_pdf, "Tệp này có vẻ không phải là tệp .pdf thật."),
    ]:
        page.set_input_files("#id_lead_report", upload)
        page.locator("button[name=finalize]").click()
        # The summary at the top names the file field and says to choose it again.
        expect(page.locator("#errors")).to_be_visible()
        expect(page.locator("#errors a[href='#id_lead_report']")).to_have_count(1)
        expect(page.locator("#error_1_id_lead_report")).to_have_text(error)
        expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/record/$"))
        expect(page.locator("#id_presenter")).to_have_value(presenter.full_name)
        expect(page.locator("#id_lead_report_title")).to_have_value("Báo cáo đề dẫn chuyên đề")
        expect(page.locator("#id_chair")).to_have_value(chair.full_name)
        expect(page.locator("input[name$='-status'][value=present]:checked")).to_have_count(7)
        expect(page.locator("#id_speeches-1-summary")).to_have_value(
            "Đề nghị mỗi đảng viên đăng ký một việc làm cụ thể."
        )
        expect(page.locator("#id_conclusion")).to_have_value(
            "Mỗi đảng viên đăng ký việc làm theo chuyên đề."
        )
        expect(page.locator("#id_votes_for")).to_have_value("6")
        expect(page.locator("#id_end_time")).to_have_value("21:45")
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.DRAFT and not meeting.lead_report
    page.screenshot(path="/tmp/cellmeet-upload-error.png")
    page.locator("#proceedings").screenshot(path="/tmp/cellmeet-upload-error-field.png")

    page.set_input_files("#id_lead_report", report)
    page.locator("button[name=finalize]").click()
    sign_both(page, meeting)

    link = page.locator(f"a[href$='/meetings/{meeting.pk}/lead-report/']")
    expect(link).to_have_text("tải tệp về")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"bao-cao-de-dan-{meeting.pk}.pdf"
    assert download.path().read_bytes() == report.read_bytes()

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SIGNED
    assert meeting.presenter == presenter
    assert meeting.lead_report.name.endswith(".pdf")
    assert meeting.speeches.count() == 2
    assert re.fullmatch(r"[0-9a-f]{64}", meeting.fingerprint)


# Bugs found while writing the journeys above; strict, so they flag when fixed.


@pytest.fixture
def record_page(world, make_meeting, page, live_server, log_in):
    world.secretary.username = "bithu-e2e"
    world.secretary.save()
    meeting = make_meeting()
    log_in(page, "bithu-e2e")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/record/")
    return page


def test_an_added_speaker_row_offers_only_the_members_of_this_cell(world, record_page):
    page = record_page
    page.locator("[data-add-row=speeches]").click()
    offered = page.locator("#id_speeches-1-speaker option").all_inner_texts()
    assert world.sibling_member.full_name not in offered
    assert offered == page.locator("#id_speeches-0-speaker option").all_inner_texts()


def test_an_added_row_takes_the_cursor(record_page):
    page = record_page
    page.locator("[data-add-row=guests]").click()
    expect(page.locator("#id_guests-1-name")).to_be_focused()
    page.locator("[data-add-row=speeches]").click()
    expect(page.locator("#id_speeches-1-speaker")).to_be_focused()

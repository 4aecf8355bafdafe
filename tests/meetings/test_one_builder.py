"""One builder each: the searched text, the meeting's day, the download headers, and
the numbers of the printed minutes (Django's floatformat, read back from the PDF)."""

from datetime import timedelta

from cellmeet.downloads import document_response
from meetings.models import AttendanceStatus, Guest, Meeting, MeetingStatus, Speech
from meetings.record import record_of
from meetings.search_text import minutes_texts, searchable_content
from oversight import search
from printing import pdf
from tests.helpers import at, complete, mark
from tests.printing.pdftools import flat, pdf_text


def test_the_snippets_come_from_the_words_the_search_text_folds(world):
    meeting = Meeting.objects.create(
        organization=world.cell,
        kind="extraordinary",
        topic="Kết nạp đảng viên",
        scheduled_at=at(2026, 3, 4),
        status=MeetingStatus.DRAFT,
        conclusion="Đồng ý kết nạp quần chúng Lò Văn Pấng.",
    )
    Guest.objects.create(meeting=meeting, name="Phạm Minh Tuấn", title="", unit="Đảng ủy xã")
    Speech.objects.create(meeting=meeting, summary="Đề nghị xem xét hồ sơ.")
    texts = minutes_texts(meeting)
    assert "Phạm Minh Tuấn, Đảng ủy xã" in texts  # a blank title leaves no ", ,"
    folded = searchable_content(meeting)
    assert folded.startswith(search.searchable(*texts))
    assert "pham minh tuan, dang uy xa" in folded
    snippet = search.snippet_for(meeting, ["dang", "uy"])
    assert "<mark>Đảng</mark> <mark>ủy</mark>" in snippet


def test_a_snippet_escapes_the_minutes_and_marks_the_words():
    snippet = search.highlighted_snippet('Đề án <b>"nông thôn"</b> & mới', ["nong", "moi"])
    assert snippet == (
        "Đề án &lt;b&gt;&quot;<mark>nông</mark> thôn&quot;&lt;/b&gt; &amp; <mark>mới</mark>"
    )


def test_the_printed_record_takes_its_day_from_the_same_rule_as_the_meeting(
    world, make_meeting, roster
):
    meeting = make_meeting(when=at(2026, 10, 5))
    complete(meeting, roster)
    meeting.started_at = at(2026, 10, 6, 8, 0)  # held the day after it was planned
    meeting.ended_at = meeting.started_at + timedelta(hours=2)
    meeting.save()
    minutes = record_of(meeting)
    assert (minutes.held_on, minutes.meeting_date) == (meeting.held_on, meeting.meeting_date)
    assert meeting.held_on != meeting.meeting_date
    text = flat(pdf_text(pdf.render_minutes(meeting)))
    assert "ngày 06 tháng 10 năm 2026" in text
    assert "kết thúc vào lúc 10 giờ 00 phút cùng ngày" in text


def test_the_printed_percentages_have_a_decimal_comma_and_no_zero_decimals(
    world, make_meeting, roster
):
    meeting = make_meeting()
    complete(meeting, roster, votes_for=6)
    mark(meeting, {roster["probationary"]: (AttendanceStatus.ABSENT_EXCUSED, "Đi công tác")})
    text = flat(pdf_text(pdf.render_minutes(meeting)))
    assert "Có mặt: 6/7 đồng chí (85,7%)" in text
    assert "Tán thành: 6/6 (100%)" in text


def test_downloads_name_their_file_in_ascii_and_in_utf_8():
    plain = document_response(b"%PDF-", "bien-ban-2026-10-05-1.pdf")
    assert plain["Content-Disposition"] == 'inline; filename="bien-ban-2026-10-05-1.pdf"'
    vietnamese = document_response(b"%PDF-", "biên bản.pdf", attachment=True)
    assert vietnamese["Content-Disposition"] == (
        "attachment; filename*=utf-8''bi%C3%AAn%20b%E1%BA%A3n.pdf"
    )

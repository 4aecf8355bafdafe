"""Printed minutes, read back as a reader of the paper would: text, fonts, QR codes,
metadata, the stored copy, the verification page, the minutes book, the attendance
sheet and the optional PAdES signature.

The PDFs are always Vietnamese by design, so their text is asserted in Vietnamese;
web pages are asserted through their context, or in English (the message ids).
"""

import datetime as dt
import io
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import AttendanceStatus, Guest, MeetingStatus, Speech
from members.models import Position, PositionRole
from printing import pdf
from printing.signing import sign_pdf
from tests.factories import MemberFactory
from tests.helpers import (
    adopt,
    at,
    build_roster,
    build_world,
    complete,
    mark,
    meeting_maker,
    review,
    sign,
)
from tests.printing.pdftools import (
    flat,
    page_count,
    page_text,
    pdf_fonts,
    pdf_metadata,
    pdf_text,
    qr_payloads,
    toc_entries,
)

SECTION_TITLES = [
    "I. THÀNH PHẦN DỰ HỌP",
    "II. NỘI DUNG SINH HOẠT",
    "III. KẾT LUẬN CỦA CHỦ TRÌ",
    "IV. BIỂU QUYẾT",
]

# ---------------------------------------------------------------- helpers


def minutes_url(meeting):
    return reverse("printing:minutes_pdf", args=[meeting.pk])


def download(client, url):
    """The PDF served at url, asserting a PDF came back."""
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return response.content


def build_rich_meeting(world, roster, make_meeting, adopt):
    """October 2026, signed: one member absent with reason, one without, a guest,
    speeches, the review of September's task and a new resolution with two tasks."""
    official = roster["official"]
    september = make_meeting(when=at(2026, 9, 5))
    _, (dues_task,) = adopt(
        september, [("Vận động thu nộp đảng phí đầy đủ", official[2], dt.date(2026, 9, 30))]
    )
    meeting = complete(make_meeting(when=at(2026, 10, 5)), roster, votes_for=4)
    mark(
        meeting,
        {
            official[5]: (AttendanceStatus.ABSENT_EXCUSED, "Ốm, đang điều trị tại bệnh viện"),
            official[4]: AttendanceStatus.ABSENT_UNEXCUSED,
        },
    )
    meeting.refresh_from_db()
    meeting.minutes_adopted_votes = 5
    meeting.save()
    Guest.objects.create(
        meeting=meeting, name="Phạm Minh Tuấn", title="Đảng ủy viên", unit="Đảng ủy xã Yên Hòa"
    )
    Speech.objects.create(
        meeting=meeting, speaker=official[3], summary="Đề nghị sửa đường liên thôn.", order=1
    )
    Speech.objects.create(
        meeting=meeting, guest_name="Phạm Minh Tuấn", summary="Ghi nhận sự cố gắng.", order=2
    )
    review(dues_task, meeting, "done", evaluation="praise")
    adopt(
        meeting,
        [
            ("Tu sửa đường bê tông liên thôn", official[3], dt.date(2026, 11, 30)),
            ("Thăm hỏi gia đình chính sách", roster["probationary"], dt.date(2026, 11, 20)),
        ],
        title="Nghị quyết lãnh đạo tháng 11/2026",
    )
    return sign(meeting, world, roster)


@dataclass(frozen=True)
class RichPdf:
    """The rich signed minutes as downloaded by the secretary: bytes and the few facts
    the tests compare them with. Plain values, no model instances: the rows they were
    made from are gone."""

    content: bytes
    fingerprint: str
    names: dict


@pytest.fixture(scope="module")
def rich(django_db_setup, django_db_blocker):
    """Rendered once for the module (WeasyPrint, then a QR code and fonts to embed).

    The world is built in a transaction rolled back before any test runs, so no row
    outlives the fixture and the tests, which only read the bytes, stay independent
    of it and of each other."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        roster = build_roster(world)
        meeting = build_rich_meeting(world, roster, meeting_maker(world), adopt)
        client = Client()
        client.force_login(world.secretary, backend="django.contrib.auth.backends.ModelBackend")
        result = RichPdf(
            content=download(client, minutes_url(meeting)),
            fingerprint=meeting.fingerprint,
            names={
                "official": [member.full_name for member in roster["official"]],
                "probationary": roster["probationary"].full_name,
            },
        )
        transaction.set_rollback(True)
    return result


@pytest.fixture
def rich_pdf(rich):
    return rich.content


# ---------------------------------------------------------------- what the minutes say


def test_the_first_download_of_signed_minutes_works(signed_meeting, world, login):
    response = login(world.secretary).get(minutes_url(signed_meeting))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    assert qr_payloads(response.content) == [
        f"http://testserver/verify/{signed_meeting.fingerprint}/"
    ]


def test_signed_minutes_print_every_required_part(rich_pdf, rich):
    text = flat(pdf_text(rich_pdf))
    for expected in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "ĐẢNG BỘ XÃ YÊN HÒA",  # the superior, upper case
        "CHI BỘ THÔN ĐÔNG",
        "Yên Hòa, ngày 05 tháng 10 năm 2026",
        "BIÊN BẢN",
        "Sinh hoạt chi bộ thường kỳ tháng 10/2026",
        "Vào lúc 19 giờ 30 phút, ngày 05 tháng 10 năm 2026",
        "Địa điểm: Nhà văn hóa thôn.",
        "Chủ trì: đồng chí Nguyễn Thị Lan. Thư ký: đồng chí Trần Văn An.",
        "Đồng chí Phạm Minh Tuấn, Đảng ủy viên, Đảng ủy xã Yên Hòa",
        # attendance: 9 on the roster, the away member and the absent exempt one not summoned
        "Tổng số đảng viên của chi bộ: 9 đồng chí (8 đảng viên chính thức, 1 đảng viên dự bị)",
        "Có mặt: 5/7 đồng chí (71,4%)",
        "Vắng có lý do: 1 (đồng chí Vũ Văn Em – Ốm, đang điều trị tại bệnh viện)",
        "Vắng không lý do: 1 (đồng chí Hoàng Thị Dung)",
        "Đồng chí Phạm Văn Cường: Đề nghị sửa đường liên thôn.",
        "Đồng chí Phạm Minh Tuấn: Ghi nhận sự cố gắng.",
        "Chi bộ ban hành Nghị quyết số 02-NQ/CB: Nghị quyết lãnh đạo tháng 11/2026.",
        # the vote: 6 official members summoned, percentages with a decimal comma
        "Số đảng viên chính thức có quyền biểu quyết: 6",
        "Tán thành: 4/6 (66,7%); không tán thành: 0/6 (0%); ý kiến khác: 0/6 (0%)",
        "Kết luận được thông qua",
        "Biên bản đã được thông qua trước chi bộ, 5/5 đồng chí có mặt tán thành",
        "Buổi sinh hoạt kết thúc vào lúc 21 giờ 05 phút cùng ngày.",
        "Trang 1/",
        # Its place in the cell's chain of signed minutes, on every page and in the box.
        "Biên bản số 1 · Trang 1/",
        "Đây là biên bản đã ký thứ 1 của chi bộ",
    ]:
        assert expected in text, expected
    for name in rich.names["official"][:4] + [rich.names["probationary"]]:
        assert name in text
    assert "Nguyễn Thị Lan" in text and "Đỗ Thị Gấm" in text


def test_the_sections_come_in_order(rich_pdf):
    text = flat(pdf_text(rich_pdf))
    positions = [text.index(title) for title in SECTION_TITLES]
    assert positions == sorted(positions)
    assert text.index("BIÊN BẢN") < positions[0]
    assert text.index("THƯ KÝ") > positions[-1]


def test_the_signature_blocks_carry_roles_and_full_names(rich_pdf):
    lines = [line.strip() for line in pdf_text(rich_pdf, layout=True).splitlines()]
    roles = next(i for i, line in enumerate(lines) if "THƯ KÝ" in line and "CHỦ TRÌ" in line)
    assert lines[roles].index("THƯ KÝ") < lines[roles].index("CHỦ TRÌ")
    below = [line for line in lines[roles + 1 : roles + 8] if line]
    names = next(line for line in below if "Trần Văn An" in line)
    assert names.index("Trần Văn An") < names.index("Nguyễn Thị Lan")  # note-taker left


def test_the_resolution_tasks_and_the_review_table_are_printed(rich_pdf):
    text = flat(pdf_text(rich_pdf))
    review_part = text[text.index("Kiểm điểm việc thực hiện") : text.index("III. KẾT LUẬN")]
    for expected in [
        "Vận động thu nộp đảng phí",
        "Nghị quyết số 01-NQ/CB, hạn 30/09/2026",
        "Lê Thị Bình",
        "Hoàn thành",
        "Biểu dương",
    ]:
        assert expected in review_part, expected
    tasks_part = text[text.index("III. KẾT LUẬN") : text.index("IV. BIỂU QUYẾT")]
    for expected in [
        "Tu sửa đường bê tông liên thôn",
        "Phạm Văn Cường (chủ trì)",
        "30/11/2026",
        "Thăm hỏi gia đình chính sách",
        "Đỗ Thị Gấm (chủ trì)",
        "20/11/2026",
    ]:
        assert expected in tasks_part, expected


def test_the_subsections_are_numbered_without_gaps(rich_pdf):
    text = pdf_text(rich_pdf).replace("\f", "\n")  # a heading may open a page
    part = text[text.index("II. NỘI DUNG SINH HOẠT") : text.index("III. KẾT LUẬN")]
    numbers = [int(n) for n in re.findall(r"^(\d)\. \S", part, re.MULTILINE)]
    assert numbers == list(range(1, len(numbers) + 1))


def test_the_signatures_never_stand_alone_on_a_page(world, roster, make_meeting):
    meeting = complete(make_meeting(), roster)
    speaker = roster["official"][2]
    for order in range(1, 31):  # one more line each time: the end sweeps a page boundary
        Speech.objects.create(
            meeting=meeting, speaker=speaker, summary=f"Ý kiến số {order}.", order=order
        )
        content = pdf.render_minutes(meeting)
        pages = pdf_text(content).split("\f")
        signed = next(i for i, page in enumerate(pages) if "THƯ KÝ" in page)
        assert "Buổi sinh hoạt kết thúc" in pages[signed], f"{order} speeches"


def test_only_liberation_serif_is_used_and_embedded(rich_pdf):
    fonts = pdf_fonts(rich_pdf)
    assert fonts
    for font in fonts:
        assert font["name"].replace("-", "").startswith("LiberationSerif"), font
        assert font["embedded"], font
        assert font["unicode"], font
    names = {font["name"] for font in fonts}
    assert not any(other in name for name in names for other in ("DejaVu", "Times", "Sans"))


def test_the_draft_has_a_watermark_and_no_verification(world, roster, make_meeting, login):
    meeting = complete(make_meeting(), roster)
    content = download(login(world.secretary), minutes_url(meeting))
    text = flat(pdf_text(content))
    assert "BẢN NHÁP" in text
    assert "Xác thực bản giấy" not in text
    assert qr_payloads(content) == []
    metadata = pdf_metadata(content)
    assert not any("fingerprint" in key.lower() for key in metadata)
    assert "/Keywords" not in metadata and "/Subject" not in metadata
    assert pdf_fonts(content)  # the draft is printed with the same fonts
    assert all(f["name"].startswith("Liberation") for f in pdf_fonts(content))


def test_signed_minutes_have_one_qr_code_with_the_verify_url(rich, rich_pdf):
    fingerprint = rich.fingerprint
    assert qr_payloads(rich_pdf) == [f"http://testserver/verify/{fingerprint}/"]
    text = flat(pdf_text(rich_pdf))
    assert "BẢN NHÁP" not in text
    assert pdf.short_fingerprint(fingerprint) in text
    assert "http://testserver/verify/" in text.replace(" ", "")


def test_the_qr_code_uses_site_url_when_set(signed_meeting, world, login, settings):
    settings.SITE_URL = "https://cellmeet.example.vn"
    content = download(login(world.secretary), minutes_url(signed_meeting))
    expected = f"https://cellmeet.example.vn/verify/{signed_meeting.fingerprint}/"
    assert qr_payloads(content) == [expected]


def test_the_full_fingerprint_is_in_the_metadata(rich, rich_pdf):
    fingerprint = rich.fingerprint
    metadata = pdf_metadata(rich_pdf)
    assert fingerprint in metadata["/Subject"]
    assert metadata["/Keywords"] == fingerprint
    # WeasyPrint keeps custom <meta> names, dropping the hyphen: /cellmeetfingerprint.
    custom = [key for key in metadata if "cellmeet" in key.lower() and "fingerprint" in key.lower()]
    assert custom
    assert all(metadata[key] == fingerprint for key in custom)
    assert "Sinh hoạt chi bộ thường kỳ tháng 10/2026" in metadata["/Title"]
    assert metadata["/Author"] == "Chi bộ thôn Đông"


# ---------------------------------------------------------------- the stored copy


def test_signed_minutes_are_stored_once_and_served_as_stored(
    signed_meeting, world, login, monkeypatch
):
    client = login(world.secretary)
    first = download(client, minutes_url(signed_meeting))
    signed_meeting.refresh_from_db()
    assert signed_meeting.minutes_pdf
    with signed_meeting.minutes_pdf.open("rb") as handle:
        stored = handle.read()
    assert stored == first

    calls = []
    monkeypatch.setattr(pdf, "render_minutes", lambda *args, **kwargs: calls.append(args))
    second = download(client, minutes_url(signed_meeting))
    third = download(login(world.reviewer), minutes_url(signed_meeting))
    assert calls == []
    assert first == second == third


def test_a_draft_is_rendered_fresh_each_time(world, roster, make_meeting, login, monkeypatch):
    meeting = complete(make_meeting(), roster)
    client = login(world.secretary)
    calls = []
    render = pdf.render_minutes

    def spy(*args, **kwargs):
        calls.append(args[0].pk)
        return render(*args, **kwargs)

    monkeypatch.setattr(pdf, "render_minutes", spy)
    download(client, minutes_url(meeting))
    meeting.conclusion = "Kết luận đã sửa lại sau khi đọc."
    meeting.save()
    content = download(client, minutes_url(meeting))
    assert calls == [meeting.pk, meeting.pk]
    assert "Kết luận đã sửa lại sau khi đọc." in flat(pdf_text(content))
    meeting.refresh_from_db()
    assert not meeting.minutes_pdf


def test_the_stored_pdf_does_not_follow_later_settings(signed_meeting, world, login, settings):
    client = login(world.secretary)
    first = download(client, minutes_url(signed_meeting))
    settings.SITE_URL = "https://elsewhere.example"
    assert download(client, minutes_url(signed_meeting)) == first


# ---------------------------------------------------------------- the verification page


def verify_url(fingerprint):
    return reverse("printing:verify", args=[fingerprint])


def english(client):
    client.cookies["django_language"] = "en"
    return client


def assert_reveals_nothing(response, meeting, roster, typed):
    page = response.content.decode()
    assert response.context.get("meeting") is None
    for member in [*roster["official"], roster["probationary"], roster["exempt"], roster["away"]]:
        assert member.full_name not in page
    assert meeting.organization.name not in page
    assert minutes_url(meeting) not in page
    assert reverse("meetings:detail", args=[meeting.pk]) not in page
    if len(typed) < len(meeting.fingerprint):  # nothing beyond what was typed
        assert meeting.fingerprint[len(typed) :] not in page
    signed = timezone.localtime(meeting.signed_at)
    assert signed.strftime("%H:%M %d/%m/%Y") not in page


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_verification_tells_outsiders_only_that_the_minutes_exist(
    who, signed_meeting, world, roster, login
):
    client = english(login(world.user(who)))
    fingerprint = signed_meeting.fingerprint
    response = client.get(verify_url(fingerprint))
    assert response.status_code == 200
    assert response.context["meeting_exists"] is True
    assert "Signed minutes with this code exist" in response.content.decode()
    assert_reveals_nothing(response, signed_meeting, roster, typed=fingerprint)

    short = pdf.short_fingerprint(fingerprint)
    response = client.get(reverse("printing:verify_form"), {"code": short}, follow=True)
    assert response.status_code == 200
    assert response.context["meeting_exists"] is True
    assert fingerprint not in response.content.decode()
    assert_reveals_nothing(response, signed_meeting, roster, typed=fingerprint[:16])


@pytest.mark.parametrize("who", ["secretary", "reviewer"])
def test_verification_shows_the_record_to_those_entitled(who, signed_meeting, world, login):
    client = login(world.user(who))
    response = client.get(verify_url(signed_meeting.fingerprint))
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["meeting"] == signed_meeting
    assert "Chi bộ thôn Đông" in page
    assert "Nguyễn Thị Lan" in page  # the chair
    assert "Trần Văn An" in page  # the note-taker
    assert timezone.localtime(signed_meeting.signed_at).strftime("%H:%M %d/%m/%Y") in page
    assert f'href="{minutes_url(signed_meeting)}"' in page


def test_the_short_code_finds_the_record(signed_meeting, world, login):
    fingerprint = signed_meeting.fingerprint
    short = pdf.short_fingerprint(fingerprint)
    assert re.fullmatch(r"[0-9A-F]{4}( [0-9A-F]{4}){3}", short)
    client = login(world.secretary)
    response = client.get(reverse("printing:verify_form"), {"code": short})
    assert response.status_code == 302
    assert response["Location"] == verify_url(fingerprint[:16])
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert response.context["meeting"] == signed_meeting
    # Typed sloppily: lower case, dashes, spaces around.
    sloppy = " " + short.lower().replace(" ", "-") + " "
    response = client.get(reverse("printing:verify_form"), {"code": sloppy}, follow=True)
    assert response.context["meeting"] == signed_meeting


def test_an_unknown_code_is_not_found(signed_meeting, world, login):
    unknown = "ffff" * 4 if not signed_meeting.fingerprint.startswith("ffff") else "0000" * 4
    client = english(login(world.secretary))
    response = client.get(reverse("printing:verify_form"), {"code": unknown}, follow=True)
    assert response.status_code == 404
    assert response.context["meeting_exists"] is False
    assert "No signed minutes have this code" in response.content.decode()
    assert "Chi bộ thôn Đông" not in response.content.decode()


def test_a_code_that_is_too_short_is_refused(signed_meeting, world, login):
    client = english(login(None))
    too_short = pdf.short_fingerprint(signed_meeting.fingerprint)[:9]  # 8 hex digits
    response = client.get(reverse("printing:verify_form"), {"code": too_short}, follow=True)
    assert response.status_code == 404
    assert response.context["too_short"] is True
    assert "at least the first 12 characters" in response.content.decode()
    assert response.context.get("meeting_exists") is None


@pytest.fixture
def superseded(signed_meeting, world):
    services.return_minutes(signed_meeting, user=world.reviewer, comment="Thiếu ý kiến phát biểu")
    correction = services.start_correction(signed_meeting, user=world.secretary)
    signed_meeting.refresh_from_db()
    assert signed_meeting.status == MeetingStatus.SUPERSEDED
    return signed_meeting, correction


@pytest.mark.parametrize(
    ("who", "entitled"),
    [("secretary", True), ("reviewer", True), ("outsider", False), ("anonymous", False)],
)
def test_superseded_minutes_say_so(who, entitled, superseded, world, roster, login):
    old, correction = superseded
    response = english(login(world.user(who))).get(verify_url(old.fingerprint))
    page = response.content.decode()
    assert response.status_code == 200
    current = f'href="{reverse("meetings:detail", args=[correction.pk])}"'
    if entitled:
        assert response.context["superseded"] is True
        assert "replaced by a corrected version" in page
        assert current in page
    else:  # only that this version no longer stands (tests/meetings/test_verify_privacy.py)
        assert response.context["is_current_version"] is False
        assert "replaced by a corrected version" not in page
        assert current not in page
        assert_reveals_nothing(response, old, roster, typed=old.fingerprint)


# ---------------------------------------------------------------- the minutes book


def book_url(world, drafts=False):
    url = reverse("printing:minutes_book", args=[world.cell.pk, 2026])
    return url + "?drafts=1" if drafts else url


def test_the_minutes_book_has_a_cover_a_toc_and_the_signed_minutes(book_year, world, login, roster):
    content = download(login(world.secretary), book_url(world))
    cover = flat(page_text(content, 1))
    assert "SỔ BIÊN BẢN" in cover
    assert "CHI BỘ THÔN ĐÔNG" in cover
    assert "Năm 2026" in cover

    entries = toc_entries(content)
    titles = [title for _, title, _, _, _ in entries]
    assert titles == [f"Sinh hoạt chi bộ thường kỳ tháng {m}/2026" for m in (3, 6, 9)]
    assert [day for _, _, day, _, _ in entries] == ["05/03/2026", "05/06/2026", "05/09/2026"]
    assert not any("bản nháp" in rest for *_, rest, _ in entries)

    pages = page_count(content)
    previous = 2
    for _, title, _, _, page in entries:
        assert previous < page <= pages
        text = flat(page_text(content, page))
        assert "BIÊN BẢN" in text and title in text, (title, page)
        # it starts there: the pages before it (after the TOC) do not carry its title
        assert all(title not in page_text(content, p) for p in range(3, page))
        previous = page

    text = flat(pdf_text(content))
    assert "Sinh hoạt chi bộ thường kỳ tháng 7/2026" not in text
    assert "BẢN NHÁP" not in text
    assert "Bổ sung lý do vắng mặt của đảng viên." in text
    assert text.count("Nhận xét của cấp trên") == 1


def test_the_minutes_book_notes_the_reviews_where_they_belong(book_year, world, login):
    content = download(login(world.reviewer), book_url(world))
    june = {title: page for _, title, _, _, page in toc_entries(content)}[
        "Sinh hoạt chi bộ thường kỳ tháng 6/2026"
    ]
    september = {title: page for _, title, _, _, page in toc_entries(content)}[
        "Sinh hoạt chi bộ thường kỳ tháng 9/2026"
    ]
    june_pages = flat(pdf_text(content, first=june, last=september - 1))
    assert "Nhận xét của cấp trên" in june_pages
    assert "Bổ sung lý do vắng mặt của đảng viên." in june_pages


def test_the_minutes_book_can_include_drafts(book_year, world, login):
    content = download(login(world.secretary), book_url(world, drafts=True))
    entries = toc_entries(content)
    assert [title for _, title, _, _, _ in entries] == [
        f"Sinh hoạt chi bộ thường kỳ tháng {m}/2026" for m in (3, 6, 7, 9)
    ]
    marked = [title for _, title, _, rest, _ in entries if "bản nháp" in rest]
    assert marked == ["Sinh hoạt chi bộ thường kỳ tháng 7/2026"]
    july = entries[2][4]
    assert "Sinh hoạt chi bộ thường kỳ tháng 7/2026" in flat(page_text(content, july))
    july_pages = flat(pdf_text(content, first=july, last=entries[3][4] - 1))
    assert "BẢN NHÁP – biên bản chưa được ký." in july_pages
    # One QR code for each signed meeting, none for the draft: look where codes are printed.
    pages = [p for p in range(3, page_count(content) + 1) if "Xác thực" in page_text(content, p)]
    payloads = qr_payloads(content, pages=pages)
    fingerprints = [meeting.fingerprint for meeting in book_year["signed"]]
    assert payloads == [f"http://testserver/verify/{fp}/" for fp in fingerprints]


def test_an_empty_year_prints_an_empty_book(world, roster, login):
    content = download(login(world.secretary), book_url(world))
    assert "Chưa có biên bản nào trong năm." in flat(pdf_text(content))
    assert page_count(content) == 2


# ---------------------------------------------------------------- the attendance sheet


def test_the_attendance_sheet_is_one_page_with_the_whole_roster(world, roster, make_meeting, login):
    MemberFactory(
        organization=world.cell, full_name="Lý Văn Quang", admitted_on=dt.date(2000, 1, 1)
    )
    Position.objects.create(
        member=world.member,
        organization=world.cell,
        role=PositionRole.SECRETARY,
        started_on=dt.date(2025, 1, 1),
    )
    meeting = make_meeting(when=at(2026, 11, 5), start=False)
    url = reverse("printing:attendance_sheet", args=[meeting.pk])
    content = download(login(world.secretary), url)
    assert page_count(content) == 1

    lines = pdf_text(content, layout=True).splitlines()
    roster_names = services.roster_for(meeting)
    assert len(roster_names) == 10
    rows = []
    for member in roster_names:
        row = next(i for i, line in enumerate(lines) if member.full_name in line)
        expected = "Dự bị" if member == roster["probationary"] else "Chính thức"
        assert expected in lines[row], lines[row]
        rows.append(row)
    assert rows == sorted(rows)  # in Vietnamese order, by given name
    text = flat(pdf_text(content))
    assert "DANH SÁCH ĐẢNG VIÊN DỰ SINH HOẠT" in text
    assert "Sinh hoạt chi bộ thường kỳ tháng 11/2026" in text
    assert "Tổng số: 10 đồng chí." in text
    assert "Miễn sinh hoạt" in text and "Sinh hoạt tạm thời nơi khác" in text
    signature = text[text.index("T/M CHI BỘ") :]
    assert "BÍ THƯ" in signature
    assert "Nguyễn Thị Lan" in signature


# ---------------------------------------------------------------- PAdES


@pytest.fixture
def certificate(tmp_path):
    """A throwaway self-signed certificate; the key is PEM, with or without a password."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "Chi bộ thôn Đông (thử nghiệm)"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    cert_file = tmp_path / "cert.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))

    def key_file(password=""):
        encryption = (
            serialization.BestAvailableEncryption(password.encode())
            if password
            else serialization.NoEncryption()
        )
        path = tmp_path / ("key-protected.pem" if password else "key.pem")
        path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
            )
        )
        return str(path)

    return {"cert": str(cert_file), "key": key_file}


def validate_signatures(content, cert_file):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    def validate():
        reader = PdfFileReader(io.BytesIO(content))
        context = ValidationContext(trust_roots=[load_cert_from_pemder(cert_file)])
        return [validate_pdf_signature(sig, context) for sig in reader.embedded_signatures]

    # pyHanko runs asyncio.run(); the browser tests leave an event loop in this thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        statuses = pool.submit(validate).result()
    for status in statuses:
        assert status.intact
        assert status.valid
        assert status.trusted
        assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    return statuses


def test_signed_minutes_carry_a_pades_signature_when_configured(
    certificate, settings, world, roster, make_meeting, login
):
    settings.CELLMEET_SIGNING_CERT = certificate["cert"]
    settings.CELLMEET_SIGNING_KEY = certificate["key"]()
    meeting = sign(complete(make_meeting(), roster), world, roster)
    content = download(login(world.secretary), minutes_url(meeting))
    (status,) = validate_signatures(content, certificate["cert"])
    assert status.signing_cert.subject.native["common_name"] == "Chi bộ thôn Đông (thử nghiệm)"
    # The signed file is still the readable minutes, with its QR code and metadata.
    assert "Sinh hoạt chi bộ thường kỳ tháng 10/2026" in flat(pdf_text(content))
    assert qr_payloads(content) == [f"http://testserver/verify/{meeting.fingerprint}/"]
    assert pdf_metadata(content)["/Keywords"] == meeting.fingerprint


def test_without_configuration_the_pdf_has_no_signature(signed_meeting, world, login):
    from pyhanko.pdf_utils.reader import PdfFileReader

    content = download(login(world.secretary), minutes_url(signed_meeting))
    assert PdfFileReader(io.BytesIO(content)).embedded_signatures == []


def test_drafts_are_never_pades_signed(certificate, settings, world, roster, make_meeting, login):
    from pyhanko.pdf_utils.reader import PdfFileReader

    settings.CELLMEET_SIGNING_CERT = certificate["cert"]
    settings.CELLMEET_SIGNING_KEY = certificate["key"]()
    meeting = complete(make_meeting(), roster)
    content = download(login(world.secretary), minutes_url(meeting))
    assert PdfFileReader(io.BytesIO(content)).embedded_signatures == []


def test_sign_pdf_with_a_password_protected_key(certificate):
    import weasyprint

    original = weasyprint.HTML(string="<p>Xin chào</p>").write_pdf()
    signed = sign_pdf(
        original,
        cert_file=certificate["cert"],
        key_file=certificate["key"]("mật-khẩu-thử"),
        key_password="mật-khẩu-thử",
    )
    assert signed.startswith(original)  # an incremental update: the original is untouched
    validate_signatures(signed, certificate["cert"])


def test_sign_pdf_with_a_wrong_password_says_what_is_wrong(certificate):
    import weasyprint

    original = weasyprint.HTML(string="<p>Xin chào</p>").write_pdf()
    with pytest.raises(ImproperlyConfigured):
        sign_pdf(
            original,
            cert_file=certificate["cert"],
            key_file=certificate["key"]("mật-khẩu-thử"),
            key_password="sai-mật-khẩu",
        )

"""Signed minutes that cannot be taken apart, read back page by page: the
verification code and "Trang x/y" in the footer of every page, the QR code with the
signatures and the signing line on one page, and no page holding only the
verification block, whatever the length of the minutes."""

import json

import pytest

from meetings.models import Speech
from printing import pdf
from tests.helpers import complete, sign
from tests.printing.pdftools import flat, page_count, page_text, pdf_text, qr_payloads, spaceless

# Long enough for a second page; each speech adds one line, so the sweep below moves
# the end of the minutes across the page boundary a line at a time.
LONG_BRIEFING = "\n".join(
    f"{n}. Thông tin về tình hình kinh tế – xã hội của xã và công tác xây dựng Đảng trong "
    "tháng, các văn bản mới của cấp trên cần quán triệt đến từng đảng viên."
    for n in range(1, 9)
)


SITE = "https://chibo-dong.yenhoa.example.vn"


@pytest.fixture
def long_signed(world, roster, make_meeting, settings):
    settings.SITE_URL = SITE
    meeting = complete(make_meeting(), roster)
    meeting.news_briefing = LONG_BRIEFING
    meeting.state_of_mind = "Đảng viên và nhân dân phấn khởi, tin tưởng."
    meeting.save()
    speaker = roster["official"][2]
    for order in range(1, 5):
        Speech.objects.create(
            meeting=meeting, speaker=speaker, summary=f"Ý kiến số {order}.", order=order
        )
    return sign(meeting, world, roster)


def with_speeches(meeting, count):
    """The signed meeting, its sealed content given `count` speeches (in memory only):
    the minutes print from that content, so this moves where the last page breaks."""
    content = json.loads(meeting.signed_content)
    content["speeches"] = [
        {"speaker": "Phạm Văn Cường", "summary": f"Ý kiến số {n}."} for n in range(1, count + 1)
    ]
    meeting.signed_content = json.dumps(content, ensure_ascii=False)
    return meeting


def pages_of(content):
    return pdf_text(content).rstrip("\f").split("\f")


def assert_cannot_be_taken_apart(content, meeting):
    code = pdf.short_fingerprint(meeting.fingerprint)
    pages = pages_of(content)
    total = len(pages)
    assert total == page_count(content)
    for number, text in enumerate(pages, start=1):
        # pdftotext may drop a space of the small footer ("081AA1EE" for "081A A1EE"),
        # so the footer is compared without spaces.
        sequence = meeting.chain_sequence
        footer = f"Mã xác thực {code} · Biên bản số {sequence} · Trang {number}/{total}"
        assert spaceless(footer) in spaceless(text), number
    # The QR code, the signing line and both signatures: all on one page.
    with_qr = [n for n in range(1, total + 1) if qr_payloads(content, pages=[n])]
    assert len(with_qr) == 1
    last = flat(pages[with_qr[0] - 1])
    for expected in ["THƯ KÝ", "CHỦ TRÌ", "Trần Văn An", "Nguyễn Thị Lan", "Ký lúc", "Xác thực"]:
        assert expected in last, expected
    # The last page holds more than the verification block: the adoption read back and
    # the end of the meeting come with it.
    end = flat(pages[-1])
    assert "Biên bản đã được thông qua trước chi bộ" in end
    assert "Buổi sinh hoạt kết thúc" in end
    assert end.index("Buổi sinh hoạt kết thúc") < end.index("Xác thực bản giấy")
    # The address to type is whole on one line.
    lines = pdf_text(content, layout=True).splitlines()
    assert any(f"{SITE}/verify/" in line for line in lines), "the address broke over two lines"


def test_the_code_and_page_number_are_on_every_page(long_signed):
    content = pdf.minutes_pdf_bytes(long_signed)
    assert page_count(content) >= 2
    assert_cannot_be_taken_apart(content, long_signed)
    assert qr_payloads(content) == [f"{SITE}/verify/{long_signed.fingerprint}/"]


# From 6 to 18 speeches the end of the minutes crosses the bottom of page 2. Printed
# before, 9 to 12 speeches left page 3 holding only the verification block (the code,
# the address and the signing line), with no code on pages 1 and 2.
@pytest.mark.parametrize("speeches", [6, 8, 9, 10, 11, 12, 14, 18])
def test_wherever_the_page_breaks_the_record_stays_with_the_signatures(long_signed, speeches):
    meeting = with_speeches(long_signed, speeches)
    assert_cannot_be_taken_apart(pdf.render_minutes(meeting), meeting)


def test_drafts_carry_page_numbers_but_no_code(world, roster, make_meeting):
    meeting = complete(make_meeting(), roster)
    content = pdf.render_minutes(meeting)
    for number, text in enumerate(pages_of(content), start=1):
        assert f"Trang {number}/" in text
        assert "Mã xác thực" not in text


def test_the_code_of_each_minutes_is_on_its_own_pages_of_the_book(world, roster, make_meeting):
    from printing.books import assemble_minutes_book
    from tests.helpers import at

    first = sign(complete(make_meeting(when=at(2026, 9, 5)), roster), world, roster)
    second = sign(complete(make_meeting(when=at(2026, 10, 5)), roster), world, roster)
    content = assemble_minutes_book(world.cell, 2026).content
    codes = [pdf.short_fingerprint(m.fingerprint) for m in (first, second)]
    seen = []
    for number in range(3, page_count(content) + 1):  # after the cover and the contents
        text = flat(page_text(content, number))
        found = [code for code in codes if spaceless(code) in spaceless(text)]
        assert len(found) == 1, number
        seen.append(found[0])
    assert seen == sorted(seen, key=codes.index) and set(seen) == set(codes)

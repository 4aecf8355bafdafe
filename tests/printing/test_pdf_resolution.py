"""What the printed minutes say about tasks and sections, and the resolution printed
as its own document beside them, frozen with the signed minutes — read back from the
PDFs (pdftotext), never from the templates' context."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from cellmeet.sealed import MinutesFrozenError
from members.models import Position, PositionRole
from printing import pdf
from resolutions.models import Resolution
from tests.helpers import at, complete, review, sign
from tests.printing.pdftools import flat, page_count, page_text, pdf_text, spaceless


def resolution_url(meeting):
    return reverse("printing:resolution_pdf", args=[meeting.pk])


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


# ---------------------------------------------------------------- the task review


def test_a_carried_over_task_prints_the_deadline_in_force(world, roster, make_meeting, adopt):
    lead = roster["official"][3]
    september = make_meeting(when=at(2026, 9, 5))
    _, (task,) = adopt(september, [("Bê tông hóa đường nội đồng", lead, dt.date(2026, 9, 30))])
    october = make_meeting(when=at(2026, 10, 5))
    review(task, october, "partly", decision="carry_over", new_due_on=dt.date(2026, 11, 30))
    november = complete(make_meeting(when=at(2026, 11, 5)), roster)
    review(task, november, "in_progress")
    november = sign(november, world, roster)

    text = flat(pdf_text(pdf.minutes_pdf_bytes(november)))
    part = text[text.index("Kiểm điểm việc thực hiện") : text.index("III. KẾT LUẬN")]
    assert "hạn 30/11/2026, gia hạn từ 30/09/2026" in part
    assert "Đang thực hiện, chưa đến hạn (hạn 30/11/2026)" in part
    assert "hạn 30/09/2026)" not in part  # the original deadline is not given as in force

    # October's own review still shows the deadline that was in force then.
    october = sign(complete(october, roster), world, roster)
    text = flat(pdf_text(pdf.minutes_pdf_bytes(october)))
    assert "(Nghị quyết số 01-NQ/CB, hạn 30/09/2026)" in text
    assert "hạn mới 30/11/2026" in text


# ---------------------------------------------------------------- every section, in order

SECTIONS_IN_ORDER = [
    "Đại biểu dự: Không có.",
    "I. THÀNH PHẦN DỰ HỌP",
    "Chương trình sinh hoạt: Không có.",
    "Đảng phí: Không có.",
    "II. NỘI DUNG SINH HOẠT",
    "1. Thông tin thời sự, chính trị Thông tin thời sự tháng 10.",
    "2. Tình hình tư tưởng của đảng viên và nhân dân Không có.",
    "3. Kiểm điểm việc thực hiện nghị quyết tháng trước",
    "4. Phương hướng, nhiệm vụ tháng tới Không có.",
    "5. Thảo luận Không có ý kiến phát biểu.",
    "6. Các nội dung khác Không có.",
    "III. KẾT LUẬN CỦA CHỦ TRÌ",
    "Nghị quyết: Không có.",
    "IV. BIỂU QUYẾT",
    "Chi bộ tự đánh giá chất lượng buổi sinh hoạt: Không có.",
    "Thư ký đã đọc lại biên bản. Biên bản đã được thông qua trước chi bộ, 7/7 đồng chí",
    "Buổi sinh hoạt kết thúc",
]


def test_empty_sections_say_khong_co_in_their_place(signed_meeting):
    text = flat(pdf_text(pdf.minutes_pdf_bytes(signed_meeting)).replace("\f", "\n"))
    positions = []
    for expected in SECTIONS_IN_ORDER:
        assert expected in text, expected
        positions.append(text.index(expected))
    assert positions == sorted(positions)


# ---------------------------------------------------------------- the resolution document


@pytest.fixture
def with_resolution(world, roster, make_meeting, adopt):
    """October's minutes, signed, with resolution 01-NQ/CB: two tasks, the first led by
    Phạm Văn Cường with two others; the cell's secretary is Nguyễn Thị Lan."""
    official = roster["official"]
    Position.objects.create(
        member=official[0],
        organization=world.cell,
        role=PositionRole.SECRETARY,
        started_on=dt.date(2025, 9, 1),
        term="2025–2030",
    )
    meeting = complete(make_meeting(), roster)
    resolution, (road, visit) = adopt(
        meeting,
        [
            ("Tu sửa đường bê tông liên thôn", official[3], dt.date(2026, 11, 30)),
            ("Thăm hỏi gia đình chính sách", roster["probationary"], dt.date(2026, 11, 20)),
        ],
        title="Nghị quyết lãnh đạo tháng 11/2026",
    )
    resolution.body = "Tập trung lãnh đạo hoàn thành các nhiệm vụ trọng tâm tháng 11."
    resolution.save()
    road.assignees.set([official[4], official[5]])
    return sign(meeting, world, roster)


RESOLUTION_PARTS = [
    "ĐẢNG BỘ XÃ YÊN HÒA",
    "CHI BỘ THÔN ĐÔNG",
    "ĐẢNG CỘNG SẢN VIỆT NAM",
    "Yên Hòa, ngày 05 tháng 10 năm 2026",
    "NGHỊ QUYẾT",
    "Số 01-NQ/CB",
    "Nghị quyết lãnh đạo tháng 11/2026",
    "Tập trung lãnh đạo hoàn thành các nhiệm vụ trọng tâm tháng 11.",
    "Tu sửa đường bê tông liên thôn",
    "Thăm hỏi gia đình chính sách",
    "T/M CHI BỘ",
    "BÍ THƯ",
]


def test_the_resolution_prints_as_its_own_document(with_resolution, world, login):
    content = download(login(world.secretary), resolution_url(with_resolution))
    text = flat(pdf_text(content))
    for expected in RESOLUTION_PARTS:
        assert expected in text, expected
    positions = [text.index(part) for part in RESOLUTION_PARTS]
    assert positions == sorted(positions)
    assert "BIÊN BẢN" not in text
    # Each row: the task, its lead, the others, the deadline (cells read in order).
    road = text[text.index("Tu sửa đường") : text.index("Thăm hỏi gia đình")]
    for earlier, later in [
        ("Phạm Văn Cường", "Hoàng Thị Dung, Vũ Văn Em"),
        ("Hoàng Thị Dung, Vũ Văn Em", "30/11/2026"),
    ]:
        assert road.index(earlier) < road.index(later)
    visit = text[text.index("Thăm hỏi gia đình") : text.index("T/M CHI BỘ")]
    assert visit.index("Đỗ Thị Gấm") < visit.index("–") < visit.index("20/11/2026")
    # Signed for the cell by its secretary, named under the signature.
    assert text.index("Nguyễn Thị Lan") > text.index("BÍ THƯ")
    # Every page carries the minutes' code: it belongs with them.
    code = pdf.short_fingerprint(with_resolution.fingerprint)
    for number in range(1, page_count(content) + 1):
        footer = f"Mã xác thực {code} · Trang {number}/"  # compared without spaces: see
        assert spaceless(footer) in spaceless(page_text(content, number))  # test_pdf_pages


def test_the_resolution_is_frozen_with_the_signed_minutes(with_resolution, world, roster, login):
    client = login(world.secretary)
    before = flat(pdf_text(download(client, resolution_url(with_resolution))))
    lead, secretary = roster["official"][3], roster["official"][0]
    lead.full_name, secretary.full_name = "Phạm Văn Cương", "Nguyễn Thị Lân"
    lead.save()
    secretary.save()
    world.cell.name = "Chi bộ khu dân cư Đông"
    world.cell.save()
    resolution = Resolution.objects.get(meeting=with_resolution)
    resolution.number = 7
    with pytest.raises(MinutesFrozenError):
        resolution.save()

    after = flat(pdf_text(download(client, resolution_url(with_resolution))))
    assert after == before
    assert "Phạm Văn Cường" in after and "Phạm Văn Cương" not in after
    assert "Nguyễn Thị Lan" in after and "Nguyễn Thị Lân" not in after
    assert "Số 01-NQ/CB" in after and "CHI BỘ THÔN ĐÔNG" in after


def test_the_meeting_page_offers_the_resolution_of_signed_minutes(with_resolution, world, login):
    client = login(world.secretary)
    page = client.get(reverse("meetings:detail", args=[with_resolution.pk]))
    assert resolution_url(with_resolution) in page.content.decode()


def test_a_draft_page_does_not_offer_it_and_prints_it_as_a_draft(
    world, roster, make_meeting, adopt, login
):
    meeting = complete(make_meeting(), roster)
    adopt(meeting, [("Tổng vệ sinh", roster["official"][2], dt.date(2026, 10, 31))])
    client = login(world.secretary)
    page = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert resolution_url(meeting) not in page.content.decode()
    text = flat(pdf_text(download(client, resolution_url(meeting))))
    assert "BẢN NHÁP" in text and "NGHỊ QUYẾT" in text
    assert "Mã xác thực" not in text


def test_minutes_without_a_resolution_have_none_to_print(signed_meeting, world, login):
    client = login(world.secretary)
    assert client.get(resolution_url(signed_meeting)).status_code == 404
    page = client.get(reverse("meetings:detail", args=[signed_meeting.pk]))
    assert resolution_url(signed_meeting) not in page.content.decode()


def test_content_sealed_in_format_2_still_prints(with_resolution):
    """Minutes signed before format 3 kept neither the secretary nor the deadline in
    force: they print as before, the resolution with an unnamed signer."""
    content = json.loads(with_resolution.signed_content)
    assert content["format"] == 3 and content["secretary"]["name"] == "Nguyễn Thị Lan"
    content["format"] = 2
    del content["secretary"]
    for item in content["task_reviews"]:
        item.pop("due_in_force", None)
    with_resolution.signed_content = json.dumps(content, ensure_ascii=False)  # in memory
    minutes = flat(pdf_text(pdf.render_minutes(with_resolution)))
    assert "Tu sửa đường bê tông liên thôn" in minutes
    document = flat(pdf_text(pdf.render_resolution(with_resolution)))
    assert "Số 01-NQ/CB" in document and "T/M CHI BỘ" in document
    assert "Nguyễn Thị Lan" not in document.split("BÍ THƯ", 1)[1]

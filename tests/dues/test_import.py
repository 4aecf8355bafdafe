"""The portal's payment statement: upload, map the columns, check, record; a
malformed file is refused whole, with a translated message, and changes nothing."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dues.models import DuesEntry

STATEMENT = (
    "Mã giao dịch;Số thẻ đảng;Họ và tên;Số tiền;Ngày nộp\n"
    "GD001;01.001234;Nguyễn Thị Lan;123.457;05/03/2026\n"
    "GD002;;Trần Văn Hưu;35.500;06/03/2026\n"
    "GD003;99.999999;Người Lạ Mặt;5.000;07/03/2026\n"
)


def urls(world):
    args = [world.cell.pk, 2026, 3]
    return reverse("dues:import_upload", args=args), reverse("dues:import_preview", args=args)


def mapping_of(form):
    """The columns the page proposes, as its confirmation form posts them."""
    return {name: form[name].value() or "" for name in form.fields}


def upload(client, world, content, name="sao-ke.csv"):
    return client.post(urls(world)[0], {"file": SimpleUploadedFile(name, content)})


def test_a_statement_is_previewed_then_recorded_with_unmatched_rows_reported(
    world, login, dues_cell
):
    client = login(world.secretary)
    response = upload(client, world, STATEMENT.encode())
    assert response.status_code == 302
    preview = client.get(urls(world)[1])
    page = preview.content.decode()
    assert page.count('class="table-warning unmatched"') == 1  # Người Lạ Mặt
    assert not DuesEntry.objects.exists()  # nothing before the confirmation

    form = preview.context["form"]
    mapping = mapping_of(form)
    assert mapping["amount"] == "3" and mapping["card_number"] == "1"
    done = client.post(urls(world)[1], mapping)
    assert done.status_code == 200
    result = done.context["result"]
    assert [row.number for row in result.unmatched] == [4]
    assert "Người Lạ Mặt" in done.content.decode()
    lan = DuesEntry.objects.get(member=dues_cell["insured"], year=2026, month=3)
    assert (lan.paid_amount, lan.paid_on, lan.channel, lan.receipt) == (
        Decimal("123457"),
        date(2026, 3, 5),
        "portal",
        "GD001",
    )
    assert lan.due == Decimal("123457")  # computed from her profile
    hưu = DuesEntry.objects.get(member=dues_cell["retired"])  # matched by name
    assert hưu.paid_amount == Decimal("35500")
    assert DuesEntry.objects.count() == 2


def test_the_columns_are_mapped_by_hand_when_the_headings_are_unknown(world, login, dues_cell):
    client = login(world.secretary)
    content = b"A,B,C\n01.001234,50000,2026-03-05\n"
    assert upload(client, world, content).status_code == 302
    preview = client.get(urls(world)[1])
    assert preview.context["problems"]  # nothing guessed: the user must choose
    client.post(urls(world)[1], {"card_number": "0", "amount": "1", "paid_on": "2"})
    assert DuesEntry.objects.get(member=dues_cell["insured"]).paid_amount == Decimal("50000")


def test_an_excel_statement_is_read(world, login, dues_cell):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Số thẻ đảng", "Số tiền", "Ngày nộp", "Mã giao dịch"])
    workbook.active.append(["01.001234", 123457, date(2026, 3, 5), "GD9"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = login(world.secretary)
    assert upload(client, world, buffer.getvalue(), "sao-ke.xlsx").status_code == 302
    form = client.get(urls(world)[1]).context["form"]
    client.post(urls(world)[1], mapping_of(form))
    entry = DuesEntry.objects.get(member=dues_cell["insured"])
    assert (entry.paid_amount, entry.paid_on, entry.receipt) == (
        Decimal("123457"),
        date(2026, 3, 5),
        "GD9",
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"  \n \n", "Tệp không có dữ liệu."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe binary", "Tệp này không phải là bảng kê"),
        (b"PK\x03\x04 not really a workbook", "Tệp này không phải là bảng kê"),
        ("Số tiền\n50000\n".encode(), "Dòng đầu tiên phải là tiêu đề các cột"),
        ("Số thẻ đảng;Số tiền\n".encode(), "Tệp có tiêu đề nhưng không có khoản nộp nào."),
    ],
)
def test_a_malformed_file_is_refused_with_a_translated_message_and_changes_nothing(
    world, login, dues_cell, content, message
):
    client = login(world.secretary)
    response = upload(client, world, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DuesEntry.objects.exists()
    assert client.get(urls(world)[1]).status_code == 302  # no statement kept to apply


def test_an_unreadable_amount_in_a_matched_row_refuses_the_whole_statement(world, login, dues_cell):
    client = login(world.secretary)
    content = (
        "Số thẻ đảng;Họ và tên;Số tiền;Ngày nộp\n"
        "01.001234;Nguyễn Thị Lan;123.457;05/03/2026\n"
        ";Trần Văn Hưu;ba mươi nghìn;06/03/2026\n"
    ).encode()
    upload(client, world, content)
    form = client.get(urls(world)[1]).context["form"]
    response = client.post(urls(world)[1], mapping_of(form))
    assert response.status_code == 200
    assert "Dòng 3" in response.content.decode()
    assert not DuesEntry.objects.exists()

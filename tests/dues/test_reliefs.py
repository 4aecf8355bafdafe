"""The cell's keepers record exemptions and reductions; the rule bounds them."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from dues import services
from dues.models import DuesRelief
from tests.test_access_matrix import assert_no_inline_code


def test_the_secretary_records_a_reduction_and_the_ledger_applies_it(world, login, dues_cell):
    client = login(world.secretary)
    response = client.post(
        reverse("dues:reliefs", args=[world.cell.pk]),
        {
            "member": dues_cell["insured"].pk,
            "kind": "reduction",
            "percent": "50",
            "decision": "QĐ 21-QĐ/ĐU",
            "starts_on": "01/03/2026",
            "ends_on": "31/08/2026",
        },
    )
    assert response.status_code == 302
    relief = DuesRelief.objects.get()
    assert relief.created_by == world.secretary
    rows = {row.member: row for row in services.ledger_rows(world.cell, 2026, 3)}
    assert rows[dues_cell["insured"]].due.amount == Decimal("61728")  # half of 123,456.78
    page = client.get(reverse("dues:ledger", args=[world.cell.pk, 2026, 3])).content.decode()
    assert "QĐ 21-QĐ/ĐU" in page
    assert_no_inline_code(page)


def test_a_reduction_the_rule_does_not_allow_is_refused(world, login, dues_cell):
    response = login(world.secretary).post(
        reverse("dues:reliefs", args=[world.cell.pk]),
        {
            "member": dues_cell["insured"].pk,
            "kind": "reduction",
            "percent": "40",
            "decision": "QĐ 22",
            "starts_on": "01/03/2026",
            "ends_on": "31/08/2026",
        },
    )
    assert response.status_code == 200
    assert "30 %, 50 %, 70 %" in response.content.decode()
    assert not DuesRelief.objects.exists()


def test_a_member_of_another_cell_cannot_be_given_a_relief(world, login, dues_cell):
    response = login(world.secretary).post(
        reverse("dues:reliefs", args=[world.cell.pk]),
        {
            "member": world.sibling_member.pk,
            "kind": "exemption",
            "decision": "QĐ 23",
            "starts_on": date(2026, 3, 1).strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 200
    assert not DuesRelief.objects.exists()

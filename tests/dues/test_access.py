"""Who sees what of the dues: a member her own, the cell's secretary and treasurer the
cell's ledger, committees above the totals. Salary bases never leak (tested against
every page and file that could carry them)."""

import io
from datetime import date

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dues import services
from dues.models import MemberDuesProfile
from members.models import Role
from tests.printing.pdftools import flat, pdf_text

# The base and the due computed from it (1 %), as the pages and files write them.
SALARY_SHOWN = ["12.345.678", "12345678", "123.457", "123457"]


@pytest.fixture
def march(world, dues_cell):
    payments = {
        member: {
            "category": member.dues_profile.category,
            "base_amount": member.dues_profile.base_amount,
            "paid": True,
            "paid_on": date(2026, 3, 10),
            "channel": "cash",
            "receipt": "BL-1",
        }
        for member in dues_cell.values()
    }
    services.record_month(world.cell, 2026, 3, payments, user=world.secretary)


def month_url(name, organization):
    return reverse(name, args=[organization.pk, 2026, 3])


def shown(content):
    return [text for text in SALARY_SHOWN if text in content]


def xlsx_text(content):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return " ".join(
        str(value) for row in workbook.active.iter_rows(values_only=True) for value in row
    )


def test_the_secretary_sees_the_bases_in_the_ledger_and_the_report(world, login, march):
    """The control: the same checks below can find the base, so they can fail."""
    client = login(world.secretary)
    assert "12345678" in client.get(month_url("dues:ledger", world.cell)).content.decode()
    assert shown(flat(pdf_text(client.get(month_url("dues:report_pdf", world.cell)).content)))
    assert shown(xlsx_text(client.get(month_url("dues:report_xlsx", world.cell)).content))


@pytest.mark.parametrize("role", ["reviewer", "admin"])
def test_committees_above_get_totals_without_bases(world, login, march, role):
    client = login(world.user(role))
    pdf = flat(pdf_text(client.get(month_url("dues:report_pdf", world.cell)).content))
    assert "163.957" in pdf  # the month's collected total
    assert shown(pdf) == []
    assert world.member.full_name not in pdf
    workbook = xlsx_text(client.get(month_url("dues:report_xlsx", world.cell)).content)
    assert "163957" in workbook
    assert shown(workbook) == [] and world.member.full_name not in workbook
    rollup = client.get(month_url("dues:rollup", world.commune)).content.decode()
    assert "163.957" in rollup and shown(rollup) == []


def test_a_setting_lets_committees_above_see_the_bases(world, login, march, settings):
    settings.DUES_SUPERIORS_SEE_BASES = True
    client = login(world.reviewer)
    assert shown(xlsx_text(client.get(month_url("dues:report_xlsx", world.cell)).content))


def test_a_member_sees_her_own_dues_and_nobody_elses(world, login, march, dues_cell):
    retired = dues_cell["retired"]
    retired.user = world.viewer
    retired.save()
    page = login(world.viewer).get(reverse("dues:mine")).content.decode()
    assert "7.100.001" in page  # her own pension
    assert shown(page) == []  # not world.member's salary
    assert login(world.viewer).get(month_url("dues:ledger", world.cell)).status_code == 403


def test_a_member_enters_her_own_base(world, login, dues_cell):
    dues_cell["student"].user = world.viewer
    dues_cell["student"].save()
    response = login(world.viewer).post(
        reverse("dues:mine"), {"category": "insured", "base_amount": "6000000"}
    )
    assert response.status_code == 302
    profile = MemberDuesProfile.objects.get(member=dues_cell["student"])
    assert (profile.category, profile.base_amount) == ("insured", 6000000)


def test_the_treasurer_keeps_the_dues_and_sees_nothing_else(world, login, treasurer, march):
    client = login(treasurer)
    assert client.get(month_url("dues:ledger", world.cell)).status_code == 200
    assert client.get(month_url("dues:import_upload", world.cell)).status_code == 200
    assert client.get(month_url("dues:report_pdf", world.cell)).status_code == 200
    # Her role opens the dues ledger only: the cell's other records stay closed.
    assert client.get(reverse("members:member_list", args=[world.cell.pk])).status_code == 404
    assert client.get(reverse("members:member_detail", args=[world.member.pk])).status_code == 404
    assert client.get(month_url("dues:ledger", world.sibling_cell)).status_code == 404
    assert client.get(month_url("dues:rollup", world.commune)).status_code == 404


def test_a_treasurer_role_belongs_to_a_cell(world):
    role = Role(user=world.viewer, organization=world.commune, kind="cell_treasurer")
    with pytest.raises(ValidationError):
        role.full_clean()


def test_the_members_record_shows_her_arrears_to_the_keepers_only(world, login, dues_cell):
    url = reverse("members:member_detail", args=[dues_cell["student"].pk])
    keeper_page = login(world.secretary).get(url).content.decode()
    assert 'id="member-dues"' in keeper_page
    for role in ("viewer", "reviewer"):
        assert 'id="member-dues"' not in login(world.user(role)).get(url).content.decode()

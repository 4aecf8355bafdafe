"""Recording a cell's months, its month reports and a year that reconciles, and the
warnings for unpaid months."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from dues import services
from dues.models import DuesEntry, DuesRelief, MemberDuesProfile
from tests.dues.conftest import SALARY
from tests.factories import MemberFactory


def pay_all(cell, year, month, members, *, user, skip=()):
    payments = {}
    for member in members:
        profile = MemberDuesProfile.objects.get(member=member)
        payments[member] = {
            "category": profile.category,
            "base_amount": profile.base_amount,
            "paid": member not in skip,
            "paid_on": date(year, month, 10),
            "channel": "cash",
            "receipt": f"BL-{month:02d}-{member.pk}",
        }
    return services.record_month(cell, year, month, payments, user=user)


def test_recording_a_month_computes_each_due(world, dues_cell):
    entries = pay_all(world.cell, 2026, 3, dues_cell.values(), user=world.secretary)
    dues = {entry.member_id: entry.due for entry in entries}
    assert dues[dues_cell["insured"].pk] == Decimal("123457")  # 1 % of 12,345,678, half up
    assert dues[dues_cell["retired"].pk] == Decimal("35500")  # 0.5 % of 7,100,001 = 35,500.005
    assert dues[dues_cell["student"].pk] == Decimal("5000")
    assert dues[dues_cell["veteran"].pk] == 0  # 50 years of Party age on 19 May 2020
    assert all(entry.paid_amount == entry.due for entry in entries)


def test_a_year_of_payments_reconciles(world, dues_cell):
    """Every month and the year: collected = kept + remitted, collected = what was paid."""
    members = list(dues_cell.values())
    DuesRelief.objects.create(
        member=dues_cell["retired"],
        kind="reduction",
        percent=30,
        decision="QĐ 7/QĐ-ĐU",
        starts_on=date(2026, 2, 1),
        ends_on=date(2026, 7, 31),
    )
    totals = {"collected": Decimal(0), "kept": Decimal(0), "remitted": Decimal(0)}
    for month in range(1, 13):
        skip = [dues_cell["student"]] if month in (4, 9) else []
        pay_all(world.cell, 2026, month, members, user=world.secretary, skip=skip)
        report = services.month_report(world.cell, 2026, month)
        assert report.collected == report.kept + report.remitted
        for name in totals:
            totals[name] += getattr(report, name)
    paid = sum(
        DuesEntry.objects.filter(year=2026)
        .values_list("paid_amount", flat=True)
        .exclude(paid_amount=None)
    )
    assert totals["collected"] == paid
    assert totals["collected"] == totals["kept"] + totals["remitted"]
    assert totals["kept"] > 0 and totals["remitted"] > totals["kept"]  # a cell keeps 30 %


def test_the_month_report_keeps_the_cells_share(world, dues_cell):
    pay_all(world.cell, 2026, 3, dues_cell.values(), user=world.secretary)
    report = services.month_report(world.cell, 2026, 3)
    assert report.collected == Decimal("163957")  # 123,457 + 35,500 + 5,000
    assert report.kept == Decimal("49187")  # 30 % = 49,187.1
    assert report.remitted == Decimal("114770")


def test_the_rollup_adds_up_the_cells_without_members(world, dues_cell):
    pay_all(world.cell, 2026, 3, dues_cell.values(), user=world.secretary)
    rows, totals = services.rollup(world.commune, 2026, 3)
    assert [cell for cell, _split in rows] == [world.cell, world.sibling_cell]
    assert totals.collected == Decimal("163957")
    assert totals.kept + totals.remitted == totals.collected


def test_two_unpaid_months_warn_and_three_propose_removal(world, dues_cell):
    members = list(dues_cell.values())
    student = dues_cell["student"]
    for month in (1, 2, 3):
        pay_all(
            world.cell,
            2026,
            month,
            members,
            user=world.secretary,
            skip=[student] if month in (1, 3) else [],
        )
    warnings = {w.member: w for w in services.warnings_for(world.cell, 2026, 3)}
    assert warnings[student].months == [1, 3]
    assert not warnings[student].proposes_removal
    pay_all(world.cell, 2026, 4, members, user=world.secretary, skip=[student])
    warnings = {w.member: w for w in services.warnings_for(world.cell, 2026, 4)}
    assert warnings[student].proposes_removal
    assert dues_cell["veteran"] not in warnings  # exempt: nothing owed, nothing unpaid


def test_months_not_recorded_count_as_unpaid_unless_exempt(world, dues_cell):
    # Nothing recorded: the cell does not keep its ledger here, nobody owes anything.
    assert services.unpaid_months(dues_cell["student"], 2026, 3) == []
    # The ledger began in January (one member's payment recorded).
    pay_all(world.cell, 2026, 1, [dues_cell["insured"]], user=world.secretary)
    assert services.unpaid_months(dues_cell["student"], 2026, 3) == [1, 2, 3]
    # 50 years of Party age: nothing due since February 2026 (QĐ 342 had no such rule).
    assert services.unpaid_months(dues_cell["veteran"], 2026, 3) == [1]


def test_the_month_in_progress_counts_only_once_recorded_unpaid(world, dues_cell):
    student = dues_cell["student"]
    on = date(2026, 3, 10)
    pay_all(world.cell, 2026, 1, [dues_cell["insured"]], user=world.secretary)
    assert services.unpaid_months(student, 2026, 3, today=on) == [1, 2]
    assert services.unpaid_months(student, 2026, 12, today=on) == [1, 2]  # nor months ahead
    pay_all(world.cell, 2026, 3, [student], user=world.secretary, skip=[student])
    assert services.unpaid_months(student, 2026, 3, today=on) == [1, 2, 3]
    warnings = {w.member: w for w in services.warnings_for(world.cell, 2026, 3, today=on)}
    assert warnings[student].proposes_removal
    assert not warnings[dues_cell["retired"]].proposes_removal  # January, February


def test_in_january_the_record_still_shows_last_years_arrears(world, dues_cell):
    student, retired = dues_cell["student"], dues_cell["retired"]
    for month in range(1, 13):
        pay_all(
            world.cell,
            2026,
            month,
            [student, retired],
            user=world.secretary,
            skip=[student] if month >= 10 else [],
        )
    assert services.arrears_years(student, date(2027, 1, 10)) == [(2026, [10, 11, 12]), (2027, [])]
    assert services.arrears_years(retired, date(2027, 1, 10)) == [(2027, [])]
    # From February, a new year: January is over and was not recorded.
    assert services.arrears_years(student, date(2027, 2, 10)) == [(2027, [1])]


def test_the_secretary_records_the_month_in_one_form(world, login, dues_cell):
    client = login(world.secretary)
    url = reverse("dues:ledger", args=[world.cell.pk, 2026, 3])
    data = {}
    for member in dues_cell.values():
        profile = member.dues_profile
        prefix = f"m{member.pk}"
        data[f"{prefix}-category"] = profile.category
        data[f"{prefix}-base_amount"] = "" if profile.base_amount is None else profile.base_amount
        data[f"{prefix}-channel"] = "cash"
    insured = dues_cell["insured"]
    data[f"m{insured.pk}-paid"] = "on"
    data[f"m{insured.pk}-paid_on"] = "10/03/2026"
    data[f"m{insured.pk}-receipt"] = "BL-0001"
    response = client.post(url, data)
    assert response.status_code == 302
    entry = DuesEntry.objects.get(member=insured, year=2026, month=3)
    assert (entry.due, entry.paid_amount, entry.paid_on) == (
        Decimal("123457"),
        Decimal("123457"),
        date(2026, 3, 10),
    )
    assert entry.recorded_by == world.secretary
    assert DuesEntry.objects.filter(year=2026, month=3, paid_on=None).count() == 3


def test_a_payment_without_its_day_is_refused(world, login, dues_cell):
    client = login(world.secretary)
    insured = dues_cell["insured"]
    data = {f"m{m.pk}-category": m.dues_profile.category for m in dues_cell.values()}
    data |= {f"m{m.pk}-channel": "cash" for m in dues_cell.values()}
    data[f"m{insured.pk}-paid"] = "on"
    response = client.post(reverse("dues:ledger", args=[world.cell.pk, 2026, 3]), data)
    assert response.status_code == 200
    assert not DuesEntry.objects.exists()


@pytest.mark.parametrize("month", [0, 13])
def test_a_month_outside_the_year_is_not_found(world, login, month):
    response = login(world.secretary).get(reverse("dues:ledger", args=[world.cell.pk, 2026, month]))
    assert response.status_code == 404


def test_the_ledger_shows_the_warnings_with_a_link_to_the_member(world, login, dues_cell):
    student = dues_cell["student"]
    for month in (1, 2, 3):
        pay_all(world.cell, 2026, month, dues_cell.values(), user=world.secretary, skip=[student])
    page = login(world.secretary).get(reverse("dues:ledger", args=[world.cell.pk, 2026, 3]))
    warnings = page.content.decode().split('id="dues-warnings"')[1].split("</section>")[0]
    assert reverse("members:member_detail", args=[student.pk]) in warnings
    assert str(SALARY) not in warnings


def test_months_before_admission_are_not_owed(world):
    newcomer = MemberFactory(
        organization=world.cell,
        full_name="Vũ Thị Mới",
        status="probationary",
        admitted_on=date(2026, 3, 15),
    )
    services.record_month(  # the cell's ledger began in January
        world.cell, 2026, 1, {world.member: {"category": "other"}}, user=world.secretary
    )
    assert services.unpaid_months(newcomer, 2026, 4) == [3, 4]

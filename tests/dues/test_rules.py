"""What a member owes each month, at each rule's boundary, and how a cell's
collections split: computed with Decimal, rounded half up to whole đồng."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dues import services
from dues.models import DuesRelief, DuesRule
from dues.rules import party_age_reached, round_dong, split_collected
from tests.factories import CellFactory, MemberFactory


@pytest.fixture
def member(world):
    return MemberFactory(
        organization=world.cell, full_name="Lê Văn Tâm", admitted_on=date(1990, 5, 20)
    )


def due(member, year, month, category="insured", base="8000000"):
    base = None if base is None else Decimal(base)
    return services.due_for(member, year, month, category=category, base_amount=base).amount


def test_both_decisions_are_seeded_as_dated_rules(db):
    assert [(rule.name, rule.valid_from) for rule in DuesRule.objects.order_by("valid_from")] == [
        ("QĐ 342-QĐ/TW", date(2010, 1, 1)),
        ("QĐ 01-QĐ/TW", date(2026, 2, 1)),
    ]


@pytest.mark.parametrize(("year", "month"), [(2026, 1), (2026, 3)])
def test_the_shares_kept_are_those_the_texts_state(world, year, month):
    """DOMAIN.md (QĐ 342; the 2026 shares are not in the texts and copy them): a cell
    under a grassroots committee 30–50 % (the lower bound until the committee sets it),
    a commune grassroots organisation 90 %, other grassroots organisations 70 %, each
    level above 50 %."""
    rule = services.rule_for(year, month)
    grassroots_cell = CellFactory(
        name="Chi bộ cơ sở Bến xe", kind="grassroots_cell", parent=world.superior
    )
    shares = {
        organization.kind: rule.cell_share_for(organization)
        for organization in (world.cell, grassroots_cell, world.commune, world.superior)
    }
    assert shares == {
        "cell": Decimal(30),
        "grassroots_cell": Decimal(70),
        "grassroots_committee": Decimal(90),
        "superior_committee": Decimal(50),
    }
    assert "Not in the texts (placeholders)" in rule.note
    assert "DOMAIN.md" in rule.note


def test_insured_member_pays_one_percent_of_the_base(member):
    assert due(member, 2026, 3) == Decimal("80000")


def test_retired_member_pays_half_a_percent_of_the_pension(member):
    assert due(member, 2026, 3, "retired", "6500000") == Decimal("32500")


def test_february_2026_switches_from_qd_342_to_qd_01(member):
    assert services.rule_for(2026, 1).name == "QĐ 342-QĐ/TW"
    assert services.rule_for(2026, 2).name == "QĐ 01-QĐ/TW"
    assert due(member, 2026, 1, "student", None) == Decimal("3000")
    assert due(member, 2026, 2, "student", None) == Decimal("5000")


def test_dues_round_half_up_to_whole_dong(member):
    # 0.5 % of 1,234,567 đ is 6,172.835 đ → 6,173 đ; 1 % of 1,234,550 đ is 12,345.5 → 12,346.
    assert due(member, 2026, 3, "retired", "1234567") == Decimal("6173")
    assert due(member, 2026, 3, "insured", "1234550") == Decimal("12346")
    assert due(member, 2026, 3, "insured", "1234549") == Decimal("12345")
    assert round_dong(Decimal("2.5")) == Decimal("3")


@pytest.mark.parametrize(
    ("admitted_on", "exempt_in_march"),
    [
        (date(1976, 3, 1), True),  # 50 years complete on 1 March 2026, to the day
        (date(1976, 3, 2), False),  # one day short on the month's first day
        (date(1976, 2, 29), True),  # anniversary of a leap day: 28 February
    ],
)
def test_fifty_years_of_party_age_exempt_to_the_day(world, admitted_on, exempt_in_march):
    member = MemberFactory(
        organization=world.cell, full_name="Đào Văn Lão", admitted_on=admitted_on
    )
    assert (due(member, 2026, 3) == 0) is exempt_in_march


def test_party_age_exemption_starts_with_qd_01(world):
    """QĐ 342 had no exemption by Party age: January 2026 is still due."""
    member = MemberFactory(
        organization=world.cell, full_name="Đào Văn Lão", admitted_on=date(1970, 1, 1)
    )
    assert due(member, 2026, 1) == Decimal("80000")
    assert due(member, 2026, 2) == 0


def test_party_age_helper_counts_the_anniversary_itself():
    assert party_age_reached(date(1976, 6, 15), 50, date(2026, 6, 15))
    assert not party_age_reached(date(1976, 6, 15), 50, date(2026, 6, 14))


def test_a_reduction_expiring_mid_year_stops_at_its_end(member):
    DuesRelief.objects.create(
        member=member,
        kind="reduction",
        percent=50,
        decision="QĐ 12/QĐ-ĐU",
        starts_on=date(2026, 2, 1),
        ends_on=date(2026, 6, 15),
    )
    assert due(member, 2026, 2) == Decimal("40000")
    assert due(member, 2026, 6) == Decimal("40000")  # 1 June lies within the reduction
    assert due(member, 2026, 7) == Decimal("80000")


def test_a_seventy_percent_reduction_rounds_half_up(member):
    DuesRelief.objects.create(
        member=member,
        kind="reduction",
        percent=70,
        decision="QĐ 13/QĐ-ĐU",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 12, 31),
    )
    # 1 % of 1,234,550 = 12,345.5; 30 % of that = 3,703.65 → 3,704 (rounded once, at the end).
    assert due(member, 2026, 4, "insured", "1234550") == Decimal("3704")


def test_an_exemption_by_decision_makes_the_month_free(member):
    DuesRelief.objects.create(
        member=member, kind="exemption", decision="QĐ 14/QĐ-ĐU", starts_on=date(2026, 4, 1)
    )
    assert due(member, 2026, 3) == Decimal("80000")
    assert due(member, 2026, 4) == 0


def test_a_reduction_lasts_at_most_twelve_months(member):
    relief = DuesRelief(
        member=member,
        kind="reduction",
        percent=30,
        decision="QĐ 15",
        starts_on=date(2026, 3, 1),
        ends_on=date(2027, 3, 1),
    )
    with pytest.raises(ValidationError) as error:
        relief.full_clean()
    assert "ends_on" in error.value.message_dict
    relief.ends_on = date(2027, 2, 28)
    relief.full_clean()


def test_a_reduction_must_be_one_the_rule_allows(member):
    relief = DuesRelief(
        member=member,
        kind="reduction",
        percent=40,
        decision="QĐ 16",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 9, 30),
    )
    with pytest.raises(ValidationError) as error:
        relief.full_clean()
    assert "percent" in error.value.message_dict


@pytest.mark.parametrize("collected", ["0", "1", "5", "33333", "1000001", "99999999"])
def test_kept_and_remitted_always_add_up_to_collected(collected):
    split = split_collected(Decimal(collected), Decimal("30"))
    assert split.kept + split.remitted == split.collected
    assert split.kept == round_dong(Decimal(collected) * Decimal("0.3"))

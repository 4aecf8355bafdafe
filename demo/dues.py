"""A year of Party dues for the demo cells: profiles, the months recorded through the
ledger's own service (so the dues are computed by the rules), most paid, a few
members behind (two and three months) so the warnings show."""

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model

from demo.organization import CELLS
from dues import services
from dues.models import DuesEntry, DuesRule, MemberDuesProfile
from dues.rules import party_age_reached
from meetings.models import Meeting
from members.models import ActivityStatus, CellType, Member, Organization


@dataclass
class DuesReport:
    cells_filled: list = field(default_factory=list)
    cells_skipped: list = field(default_factory=list)
    months: int = 0

    def summary(self):
        text = f"Recorded {self.months} months of Party dues in {len(self.cells_filled)} cells."
        if self.cells_skipped:
            text += f" Skipped {len(self.cells_skipped)} cells that already have dues."
        return text


def seed_dues(today=None):
    """The months of this year before the current one, for each demo cell that keeps
    its records here (it has meetings) and has no dues yet. Entries protect their
    members from deletion, as attendance rows do."""
    today = today or date.today()
    report = DuesReport()
    user = get_user_model().objects.filter(username="bithu").first()
    codes = [spec.code for spec in CELLS]
    for cell in Organization.objects.filter(code__in=codes).order_by("code"):
        if not Meeting.objects.filter(organization=cell).exists():
            continue
        if DuesEntry.objects.filter(organization=cell, year=today.year).exists():
            report.cells_skipped.append(cell)
            continue
        report.months += fill_cell_year(cell, today, user)
        report.cells_filled.append(cell)
    return report


def fill_cell_year(cell, today, user):
    # Seeded by the cell's name, not its id: the same cell gets the same year in every
    # database (ids differ with what was created before).
    rng = random.Random(cell.code or cell.name)
    members = list(Member.objects.roster_of(cell))
    for member in members:
        _profile(member, cell, today, rng)
    # Two members behind with their dues, among those who owe them every month, so the
    # arrears are real ones.
    owing = [member for member in members if _owes_dues(member, today)]
    behind = rng.sample(owing, min(2, len(owing)))
    skipped = {behind[0].pk: {3, 4}} if behind else {}
    if len(behind) > 1:
        skipped[behind[1].pk] = {2, 4, 5}
    months = range(1, today.month)
    for month in months:
        payments = {}
        for member in members:
            profile = member.dues_profile
            paid = month not in skipped.get(member.pk, set())
            portal = rng.random() < 0.4
            payments[member] = {
                "category": profile.category,
                "base_amount": profile.base_amount,
                "paid": paid,
                "paid_on": date(today.year, month, rng.randint(3, 25)),
                "channel": "portal" if portal else "cash",
                "receipt": f"{'DVC' if portal else 'BL'}-{month:02d}{member.pk:05d}",
            }
        services.record_month(cell, today.year, month, payments, user=user)
    return len(months)


def _owes_dues(member, today):
    """Active, a member all year (months before admission are not owed), and under the
    Party age that exempts."""
    rule = DuesRule.objects.in_force_on(today)
    years = rule.exempt_after_party_years if rule else None
    member_all_year = member.admitted_on is None or member.admitted_on < date(today.year, 1, 1)
    return (
        member.activity_status == ActivityStatus.ACTIVE
        and member_all_year
        and not party_age_reached(member.admitted_on, years, today)
    )


def _profile(member, cell, today, rng):
    age = today.year - member.birth_date.year if member.birth_date else 45
    if age >= 62:
        category, base = "retired", Decimal(rng.randrange(4_000, 9_000) * 1000)
    elif age < 23:
        category, base = "student", None
    elif cell.cell_type == CellType.VILLAGE and rng.random() < 0.6:
        category, base = "other", None
    else:
        category, base = "insured", Decimal(rng.randrange(5_000, 16_000) * 1000)
    profile, _created = MemberDuesProfile.objects.get_or_create(
        member=member, defaults={"category": category, "base_amount": base}
    )
    member.dues_profile = profile

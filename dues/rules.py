"""The dues arithmetic, written once: what a member owes for a month under a rule,
and how a cell's collections split between what it keeps and what it remits.

Money is Decimal and whole đồng. A due is rounded once, at the end, half up (ROUND_HALF_UP:
12,345.5 đ → 12,346 đ), as a cashier rounds; a cell's share is rounded the same way and
the remittance is what is left, so kept + remitted = collected, always.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from dues.models import ReliefKind

WHOLE_DONG = Decimal("1")
HUNDRED = Decimal("100")


def round_dong(amount):
    return Decimal(amount).quantize(WHOLE_DONG, rounding=ROUND_HALF_UP)


def first_day(year, month):
    return date(year, month, 1)


def party_age_reached(admitted_on, years, on):
    """Whether `years` of Party age are complete on the day `on` (to the day: the
    anniversary of admission counts; 29 February falls back to 28 February)."""
    if admitted_on is None or years is None:
        return False
    try:
        anniversary = admitted_on.replace(year=admitted_on.year + years)
    except ValueError:
        anniversary = admitted_on.replace(year=admitted_on.year + years, day=28)
    return anniversary <= on


@dataclass(frozen=True)
class Due:
    amount: Decimal
    rule: object
    relief: object = None
    exempt_by_party_age: bool = False


def compute_due(*, rule, category, base_amount, admitted_on, relief, year, month):
    """What is owed for (year, month) under `rule`.

    Exempt (0 đ) when the member has completed the rule's Party age by the month's
    first day, or holds an exemption covering the month; a reduction takes its percent
    off; percent categories apply to `base_amount` (none entered: nothing computed, 0 đ).
    """
    if party_age_reached(admitted_on, rule.exempt_after_party_years, first_day(year, month)):
        return Due(Decimal(0), rule, exempt_by_party_age=True)
    if relief is not None and relief.kind == ReliefKind.EXEMPTION:
        return Due(Decimal(0), rule, relief)
    percent, flat = rule.rate_for(category)
    amount = flat if flat is not None else (base_amount or Decimal(0)) * percent / HUNDRED
    if relief is not None and relief.kind == ReliefKind.REDUCTION:
        amount = amount * (HUNDRED - Decimal(relief.percent)) / HUNDRED
    return Due(round_dong(amount), rule, relief)


def uses_base(rule, category):
    """Whether the category's dues are a percentage of a base amount."""
    percent, _flat = rule.rate_for(category)
    return percent is not None


@dataclass(frozen=True)
class Split:
    collected: Decimal
    kept: Decimal
    remitted: Decimal


def split_collected(collected, share_percent):
    """The cell keeps its share (rounded half up), and remits the rest."""
    kept = round_dong(collected * share_percent / HUNDRED)
    return Split(collected=collected, kept=kept, remitted=collected - kept)

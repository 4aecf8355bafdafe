"""Party dues workflows: computing what is due, recording payments, the cell's month
report, arrears and the warnings they raise. Views call these; they never compute.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dues.models import DuesEntry, DuesRelief, DuesRule, MemberDuesProfile
from dues.rules import Due, Split, compute_due, first_day, split_collected
from members.models import Member, Organization

# Warnings (QĐ 01-QĐ/TW): the secretary is told after two unpaid months in a year; at
# three without good reason the cell considers proposing the member's removal.
REMINDER_MONTHS = 2
REMOVAL_MONTHS = 3


class DuesError(ValidationError):
    """A dues operation refused, with a message for the user."""


def rule_for(year, month):
    rule = DuesRule.objects.in_force_on(first_day(year, month))
    if rule is None:
        raise DuesError(
            _("No Party dues rule is in force for %(month)02d/%(year)s.")
            % {"month": month, "year": year}
        )
    return rule


def relief_for(member, year, month, reliefs=None):
    """The exemption or reduction covering the month (the latest started), if any."""
    day = first_day(year, month)
    if reliefs is None:
        reliefs = DuesRelief.objects.filter(member=member).covering(day)
    covering = [
        relief
        for relief in reliefs
        if relief.starts_on <= day and (relief.ends_on is None or relief.ends_on >= day)
    ]
    return max(covering, key=lambda relief: relief.starts_on, default=None)


def due_for(member, year, month, *, category, base_amount, rule=None, reliefs=None) -> Due:
    rule = rule or rule_for(year, month)
    return compute_due(
        rule=rule,
        category=category,
        base_amount=base_amount,
        admitted_on=member.admitted_on,
        relief=relief_for(member, year, month, reliefs),
        year=year,
        month=month,
    )


# ---------------------------------------------------------------- the month ledger


@dataclass
class LedgerRow:
    member: Member
    entry: DuesEntry | None
    category: str
    base_amount: Decimal | None
    due: Due


def ledger_rows(cell, year, month):
    """One row per member on the cell's roster for the month, with her entry if
    recorded, else what the ledger proposes from her profile. Fixed query count."""
    rule = rule_for(year, month)
    members = list(
        Member.objects.roster_of(cell)
        .select_related("dues_profile")
        .prefetch_related("dues_reliefs")
    )
    entries = {
        entry.member_id: entry
        for entry in DuesEntry.objects.for_month(year, month).filter(member__in=members)
    }
    rows = []
    for member in members:
        entry = entries.get(member.pk)
        profile = getattr(member, "dues_profile", None)
        if entry is not None:
            category, base = entry.category, entry.base_amount
        else:
            category = profile.category if profile else "other"
            base = profile.base_amount if profile else None
        due = due_for(
            member,
            year,
            month,
            category=category,
            base_amount=base,
            rule=rule,
            reliefs=list(member.dues_reliefs.all()),
        )
        rows.append(LedgerRow(member, entry, category, base, due))
    return rows


@transaction.atomic
def record_month(cell, year, month, payments, *, user):
    """Record the month for the cell's members: `payments` maps a member to a dict of
    category, base_amount, paid (bool), paid_amount, paid_on, channel, receipt.

    The due is computed here from the rule in force; a member's profile keeps the last
    category and base so that next month starts from them. Returns the entries."""
    rule = rule_for(year, month)
    saved = []
    for member, values in payments.items():
        if member.organization_id != cell.pk:
            raise DuesError(_("%(member)s is not a member of this cell.") % {"member": member})
        due = due_for(
            member,
            year,
            month,
            category=values["category"],
            base_amount=values.get("base_amount"),
            rule=rule,
        )
        entry = DuesEntry.objects.filter(member=member, year=year, month=month).first()
        entry = entry or DuesEntry(member=member, year=year, month=month)
        entry.organization = cell
        entry.category = values["category"]
        entry.base_amount = values.get("base_amount")
        entry.rule = rule
        entry.relief = due.relief
        entry.exempt_by_party_age = due.exempt_by_party_age
        entry.due = due.amount
        _apply_payment(entry, values)
        entry.recorded_by = user
        entry.save()
        MemberDuesProfile.objects.update_or_create(
            member=member,
            defaults={"category": entry.category, "base_amount": entry.base_amount},
        )
        saved.append(entry)
    return saved


@transaction.atomic
def save_own_base(member, *, category, base_amount, user):
    """The member's own category and base amount, proposed for the coming months."""
    if getattr(user, "member", None) != member:
        raise DuesError(_("Only the member herself changes her base amount here."))
    profile, _created = MemberDuesProfile.objects.update_or_create(
        member=member, defaults={"category": category, "base_amount": base_amount}
    )
    return profile


def _apply_payment(entry, values):
    if not values.get("paid"):
        entry.paid_amount = None
        entry.paid_on = None
        entry.channel = ""
        entry.receipt = ""
        return
    if not values.get("paid_on"):
        raise DuesError(_("Write the day %(member)s paid.") % {"member": entry.member})
    amount = values.get("paid_amount")
    entry.paid_amount = entry.due if amount is None else amount
    entry.paid_on = values["paid_on"]
    entry.channel = values.get("channel") or "cash"
    entry.receipt = values.get("receipt", "")


@transaction.atomic
def grant_relief(relief, *, user):
    """Record an exemption or a reduction decided for a member of the cell (checked
    against the rule in force on its first day). Months already recorded keep their
    due; the ledger applies the relief when a month is recorded."""
    relief.full_clean()
    relief.created_by = user
    relief.save()
    return relief


# ---------------------------------------------------------------- reports


@dataclass
class MonthReport:
    organization: Organization
    year: int
    month: int
    share_percent: Decimal
    collected: Decimal
    kept: Decimal
    remitted: Decimal
    members_due: int
    members_paid: int
    entries: list = field(default_factory=list)
    rule: DuesRule | None = None


def month_report(cell, year, month):
    """The cell's month: collected (what its members paid for the month), kept (its
    share under the rule in force) and remitted upward (the rest)."""
    rule = rule_for(year, month)
    entries = list(
        DuesEntry.objects.for_month(year, month)
        .filter(organization=cell)
        .select_related("member")
        .order_by("member__sort_key", "member_id")
    )
    collected = sum(
        (entry.paid_amount or Decimal(0) for entry in entries if entry.is_paid), Decimal(0)
    )
    share = rule.cell_share_for(cell)
    split = split_collected(collected, share)
    return MonthReport(
        organization=cell,
        year=year,
        month=month,
        share_percent=share,
        rule=rule,
        collected=split.collected,
        kept=split.kept,
        remitted=split.remitted,
        members_due=sum(1 for entry in entries if entry.due > 0),
        # An exempt member's month recorded as settled is not a payment.
        members_paid=sum(1 for entry in entries if entry.is_paid and entry.paid_amount),
        entries=entries,
    )


def rollup(organization, year, month):
    """The month's totals of every cell under `organization`: no member, no base.
    Returns ([(cell, Split)], Split of the totals)."""
    cells = list(Organization.objects.subtree_of(organization).cells().order_by("path"))
    rule = rule_for(year, month)
    collected_by_cell = dict(
        DuesEntry.objects.for_month(year, month)
        .paid()
        .filter(organization__in=cells)
        .values_list("organization")
        .annotate(total=Sum("paid_amount"))
    )
    rows = [
        (
            cell,
            split_collected(
                collected_by_cell.get(cell.pk) or Decimal(0), rule.cell_share_for(cell)
            ),
        )
        for cell in cells
    ]
    collected = sum((split.collected for _cell, split in rows), Decimal(0))
    kept = sum((split.kept for _cell, split in rows), Decimal(0))
    return rows, Split(collected=collected, kept=kept, remitted=collected - kept)


# ---------------------------------------------------------------- arrears and warnings


_LOOK_UP = object()


def ledger_starts(organization_ids):
    """{cell id: the first day of the first month its ledger recorded}; a cell that
    never recorded a month is not in it."""
    firsts = (
        DuesEntry.objects.filter(organization_id__in=organization_ids)
        .values("organization_id")
        .annotate(first=Min(F("year") * 100 + F("month")))
        .order_by()
    )
    return {row["organization_id"]: first_day(*divmod(row["first"], 100)) for row in firsts}


def unpaid_months(
    member,
    year,
    up_to_month,
    *,
    entries=None,
    reliefs=None,
    rules=None,
    today=None,
    since=_LOOK_UP,
):
    """The months of `year` up to `up_to_month` the member owes: a recorded month
    with something due and nothing paid, or a month over (before today's) and not
    recorded at all, unless an exemption (by Party age or decision) covers it.

    A month not recorded counts only once the cell keeps its ledger here: from `since`,
    the first month its ledger recorded (ledger_starts; looked up unless given). A
    cell that never used the ledger, or the months before it began, owe nothing
    here; the month in progress counts only once the cell has recorded it unpaid."""
    if since is _LOOK_UP:
        since = ledger_starts([member.organization_id]).get(member.organization_id)
    if entries is None:
        entries = DuesEntry.objects.filter(member=member, year=year)
    by_month = {entry.month: entry for entry in entries}
    reliefs = list(member.dues_reliefs.all()) if reliefs is None else reliefs
    rules = list(DuesRule.objects.order_by("-valid_from")) if rules is None else rules
    today = timezone.localdate() if today is None else today
    this_month = first_day(today.year, today.month)
    months = []
    admitted = member.admitted_on.replace(day=1) if member.admitted_on else None
    for month in range(1, up_to_month + 1):
        if admitted and first_day(year, month) < admitted:
            continue  # not yet a member
        entry = by_month.get(month)
        if entry is not None:
            if entry.owes:
                months.append(month)
            continue
        if since is None or not since <= first_day(year, month) < this_month:
            continue  # before the ledger began, or not over yet, and nothing recorded
        rule = next((rule for rule in rules if rule.valid_from <= first_day(year, month)), None)
        if rule is None:
            continue
        due = compute_due(
            rule=rule,
            category="other",
            base_amount=None,
            admitted_on=member.admitted_on,
            relief=relief_for(member, year, month, reliefs),
            year=year,
            month=month,
        )
        if due.amount > 0:
            months.append(month)
    return months


def arrears_years(member, today=None):
    """[(year, unpaid months)] the member's record shows: this year's months so far;
    in January also last year's, when the warnings (and their emails, sent for the
    months already over) still speak of them."""
    today = timezone.localdate() if today is None else today
    since = ledger_starts([member.organization_id]).get(member.organization_id)
    years = [(today.year, unpaid_months(member, today.year, today.month, today=today, since=since))]
    if today.month == 1:
        last = unpaid_months(member, today.year - 1, 12, today=today, since=since)
        if len(last) >= REMINDER_MONTHS:
            years.insert(0, (today.year - 1, last))
    return years


@dataclass
class Warning:
    member: Member
    months: list
    proposes_removal: bool


def warnings_for(cell, year, up_to_month, *, today=None):
    """Members of the cell with two or more unpaid months in the year (a reminder to
    the secretary); three or more make it a proposal to the cell (removal, xóa tên)."""
    return warnings_in([cell], year, up_to_month, today=today).get(cell.pk, [])


def warnings_in(cells, year, up_to_month, *, today=None):
    """{cell id: [Warning]} for the members on the rosters of `cells` (warnings_for),
    in a fixed number of queries however many cells and members."""
    members = list(
        Member.objects.filter(organization__in=cells)
        .on_roster()
        .in_vietnamese_order()
        .select_related("organization")
        .prefetch_related("dues_reliefs")
    )
    rules = list(DuesRule.objects.order_by("-valid_from"))
    starts = ledger_starts([cell.pk for cell in cells])
    entries = {}
    for entry in DuesEntry.objects.filter(member__in=members, year=year):
        entries.setdefault(entry.member_id, []).append(entry)
    found = {}
    for member in members:
        months = unpaid_months(
            member,
            year,
            up_to_month,
            entries=entries.get(member.pk, []),
            reliefs=list(member.dues_reliefs.all()),
            rules=rules,
            today=today,
            since=starts.get(member.organization_id),
        )
        if len(months) >= REMINDER_MONTHS:
            found.setdefault(member.organization_id, []).append(
                Warning(member, months, len(months) >= REMOVAL_MONTHS)
            )
    return found

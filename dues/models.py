"""The Party dues ledger: the dated rules, each member's category and reliefs, and
one entry per member and month (what was due, what was paid, how).

The rules are data (DuesRule): QĐ 342-QĐ/TW (2010) for the months before February
2026, QĐ 01-QĐ/TW (in force 1/2/2026) after; a new decision is a new row, not new
code. Amounts are whole đồng (Decimal, no fractions); dues.rules computes them.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Member, Organization

MONEY = {"max_digits": 14, "decimal_places": 0}


class DuesCategory(models.TextChoices):
    """What a member's monthly dues are computed from (the rule's table)."""

    INSURED = "insured", _("Compulsory social insurance (salary base)")
    RETIRED = "retired", _("Retired (pension)")
    STUDENT = "student", _("Pupil or student")
    OTHER = "other", _("Other members")


class DuesRuleQuerySet(models.QuerySet):
    def in_force_on(self, day):
        """The rule governing `day`: the latest one in force by then."""
        return self.filter(valid_from__lte=day).order_by("-valid_from").first()


class DuesRule(models.Model):
    """One decision on Party dues, from the day it is in force until the next one.

    `rates` maps each DuesCategory to {"percent": "1"} (of the member's base amount)
    or {"flat": "5000"} (đồng a month). `cell_shares` maps an organisation kind to the
    percentage of collected dues the cell keeps; the rest is remitted upward.
    """

    name = models.CharField(_("decision"), max_length=120)
    valid_from = models.DateField(_("in force from"), unique=True)
    rates = models.JSONField(_("rates by category"))
    exempt_after_party_years = models.PositiveSmallIntegerField(
        _("exempt from this Party age (years)"), null=True, blank=True
    )
    reduction_percents = models.JSONField(_("reductions allowed (%)"), default=list)
    max_reduction_months = models.PositiveSmallIntegerField(_("longest reduction (months)"))
    cell_shares = models.JSONField(_("share kept by the cell (%)"))
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()
    objects = DuesRuleQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("Party dues rule")
        verbose_name_plural = _("Party dues rules")

    def __str__(self):
        return f"{self.name} ({self.valid_from:%d/%m/%Y})"

    def rate_for(self, category):
        """(percent, flat): one of them is None."""
        rate = self.rates.get(category) or self.rates[DuesCategory.OTHER]
        percent = rate.get("percent")
        flat = rate.get("flat")
        return (
            Decimal(percent) if percent is not None else None,
            Decimal(flat) if flat is not None else None,
        )

    def cell_share_for(self, organization):
        shares = self.cell_shares
        return Decimal(str(shares.get(organization.kind, shares["default"])))


class MemberDuesProfile(models.Model):
    """What the ledger proposes each month for a member: her category and base amount
    (the previous month's insured salary or the pension), entered by her or by the
    cell's dues keepers. Never shown to other members."""

    member = models.OneToOneField(
        Member, on_delete=models.CASCADE, related_name="dues_profile", verbose_name=_("member")
    )
    category = models.CharField(_("dues category"), max_length=16, choices=DuesCategory.choices)
    base_amount = models.DecimalField(
        _("base amount (đồng)"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dues profile")
        verbose_name_plural = _("dues profiles")

    def __str__(self):
        return str(self.member)


class ReliefKind(models.TextChoices):
    EXEMPTION = "exemption", _("Exemption")
    REDUCTION = "reduction", _("Reduction")


class DuesReliefQuerySet(models.QuerySet):
    def covering(self, first_day):
        """Reliefs that cover a month: its first day lies within them."""
        return self.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=first_day), starts_on__lte=first_day
        )


class DuesRelief(models.Model):
    """An exemption or a reduction granted on application, by a decision, for a time.

    A relief covers a month when the month's first day lies between its start and its
    end (both included): a reduction ending on 15 June covers June, not July.
    """

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="dues_reliefs", verbose_name=_("member")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ReliefKind.choices)
    percent = models.PositiveSmallIntegerField(_("reduction (%)"), null=True, blank=True)
    decision = models.CharField(_("decision reference"), max_length=120)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = DuesReliefQuerySet.as_manager()

    class Meta:
        ordering = ["member", "-starts_on"]
        verbose_name = _("dues exemption or reduction")
        verbose_name_plural = _("dues exemptions and reductions")

    def __str__(self):
        return f"{self.member}: {self.get_kind_display()} ({self.decision})"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date must come after the start date.")})
        if self.kind != ReliefKind.REDUCTION:
            self.percent = None
            return
        if not self.ends_on:
            raise ValidationError({"ends_on": _("A reduction is granted until a set date.")})
        if not self.starts_on:
            return
        rule = DuesRule.objects.in_force_on(self.starts_on)
        if rule is None:
            return
        if self.percent not in rule.reduction_percents:
            allowed = ", ".join(f"{value} %" for value in rule.reduction_percents)
            raise ValidationError(
                {
                    "percent": _("The rule allows these reductions: %(allowed)s.")
                    % {"allowed": allowed}
                }
            )
        if self.ends_on >= _add_months(self.starts_on, rule.max_reduction_months):
            raise ValidationError(
                {
                    "ends_on": _("A reduction lasts at most %(months)s months.")
                    % {"months": rule.max_reduction_months}
                }
            )


def _add_months(day, months):
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    return date(year, month + 1, 1) if day.day == 1 else _same_day(year, month + 1, day.day)


def _same_day(year, month, day):
    while True:
        try:
            return date(year, month, day)
        except ValueError:
            day -= 1


class PaymentChannel(models.TextChoices):
    PORTAL = "portal", _("National public-service portal")
    CASH = "cash", _("Cash to the cell")


class DuesEntryQuerySet(models.QuerySet):
    def for_month(self, year, month):
        return self.filter(year=year, month=month)

    def paid(self):
        return self.filter(paid_on__isnull=False)


class DuesEntry(models.Model):
    """A member's dues for one month: computed when recorded, kept as recorded (a later
    rule or profile change does not rewrite the past)."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="dues_entries", verbose_name=_("member")
    )
    # The cell the member belonged to that month: its ledger and its report.
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="dues_entries"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    category = models.CharField(_("dues category"), max_length=16, choices=DuesCategory.choices)
    base_amount = models.DecimalField(_("base amount (đồng)"), **MONEY, null=True, blank=True)
    rule = models.ForeignKey(DuesRule, on_delete=models.PROTECT, related_name="+")
    relief = models.ForeignKey(
        DuesRelief, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    exempt_by_party_age = models.BooleanField(default=False)
    due = models.DecimalField(_("due (đồng)"), **MONEY)
    paid_amount = models.DecimalField(_("paid (đồng)"), **MONEY, null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    channel = models.CharField(
        _("paid through"), max_length=16, choices=PaymentChannel.choices, blank=True
    )
    receipt = models.CharField(_("receipt number"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = DuesEntryQuerySet.as_manager()

    class Meta:
        ordering = ["year", "month", "member__sort_key"]
        verbose_name = _("dues entry")
        verbose_name_plural = _("dues entries")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "month"], name="dues_entry_one_per_member_month"
            ),
        ]

    def __str__(self):
        return f"{self.member} {self.month:02d}/{self.year}"

    @property
    def is_paid(self):
        return self.paid_on is not None

    @property
    def owes(self):
        """Whether this month counts as unpaid: something was due and nothing paid."""
        return self.due > 0 and not self.is_paid

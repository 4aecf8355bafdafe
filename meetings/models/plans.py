"""A cell's annual plan of thematic topics."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from meetings.rules import ROMAN_QUARTERS
from members.models import (
    Member,
    Organization,
)


class ThematicPlan(models.Model):
    """A cell's annual plan of thematic topics, reported to the superior."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="thematic_plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    filed_at = models.DateTimeField(_("filed with the superior at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "organization__path"]
        verbose_name = _("thematic plan")
        verbose_name_plural = _("thematic plans")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="one_plan_per_year")
        ]

    def __str__(self):
        return f"{self.organization} {self.year}"


class ThematicPlanItem(models.Model):
    plan = models.ForeignKey(ThematicPlan, on_delete=models.CASCADE, related_name="items")
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=list(ROMAN_QUARTERS.items()))
    topic = models.CharField(_("topic"), max_length=300)
    presenter = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("presenter of the lead report"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["quarter", "pk"]
        verbose_name = _("planned thematic topic")
        verbose_name_plural = _("planned thematic topics")

    def __str__(self):
        return self.topic

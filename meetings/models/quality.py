"""The 100-point self-score form of a meeting (the default or a superior's own), and
the superior's own score of a cell's signed minutes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from meetings.models.minutes import Meeting, now
from meetings.rules import (
    meeting_setting,
    quality_level_label,
)
from members.models import (
    Organization,
)

# What the record measures for a line of the form (meetings.quality_measures computes
# each); a criterion names one with its "measure" key.
QUALITY_MEASURES = (
    "length",  # the meeting's length against its kind's minimum
    "attendance",  # the share of the summoned members present
    "committee_before",  # a cell committee meeting prepared it
    "tasks_reviewed",  # the earlier resolutions' open tasks reviewed at it
    "speakers",  # the share of the members present who spoke
    "signed_promptly",  # the minutes signed within the set number of days
)


class QualityScheme(models.Model):
    """A superior organisation's 100-point form for a meeting's self-score.

    Cells use the scheme of their nearest ancestor that has one, or the default
    in settings.CELLMEET_MEETINGS["QUALITY_CRITERIA"].
    """

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="quality_scheme"
    )
    criteria = models.JSONField(
        help_text=_(
            'A list of {"code": ..., "label": ..., "max": ...}; the maxima add up to 100. '
            'A line the record can measure names its "measure": length, attendance, '
            "committee_before, tasks_reviewed, speakers or signed_promptly."
        )
    )

    class Meta:
        verbose_name = _("quality scoring scheme")
        verbose_name_plural = _("quality scoring schemes")

    def __str__(self):
        return str(self.organization)

    def clean(self):
        try:
            total = sum(int(item["max"]) for item in self.criteria)
            codes = [str(item["code"]) for item in self.criteria]
            labels_present = all(item.get("label") for item in self.criteria)
            measures = [item.get("measure") for item in self.criteria if item.get("measure")]
        except (TypeError, KeyError, ValueError, AttributeError) as error:
            raise ValidationError(
                _("Each criterion needs a code, a label and a maximum.")
            ) from error
        unknown = [str(name) for name in measures if str(name) not in QUALITY_MEASURES]
        if unknown:
            raise ValidationError(
                _("Unknown measure: %(names)s. Known measures: %(known)s.")
                % {"names": ", ".join(unknown), "known": ", ".join(QUALITY_MEASURES)}
            )
        if total != 100 or len(set(codes)) != len(codes) or not labels_present:
            raise ValidationError(_("The maxima must add up to 100 and the codes be distinct."))


def quality_criteria_for(organization):
    ancestor_ids = organization.ancestor_ids(include_self=True)
    schemes = {
        scheme.organization_id: scheme.criteria
        for scheme in QualityScheme.objects.filter(organization_id__in=ancestor_ids)
    }
    for organization_id in reversed(ancestor_ids):
        if organization_id in schemes:
            return schemes[organization_id]
    return meeting_setting("QUALITY_CRITERIA")


class SuperiorScore(models.Model):
    """A superior committee's own 100-point score of a cell's signed minutes, kept
    beside them: it is not part of the sealed minutes (their self-score is)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="superior_scores")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("scoring committee"),
    )
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The form as it stood when scored ({"code", "label", "max"} each) and the points.
    criteria = models.JSONField(default=list)
    scores = models.JSONField(_("points"), default=dict)
    scored_at = models.DateTimeField(default=now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-scored_at", "-pk"]
        verbose_name = _("superior's score of a meeting")
        verbose_name_plural = _("superior's scores of meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organization"], name="one_superior_score_per_committee"
            )
        ]

    def __str__(self):
        return f"{self.meeting}: {self.total}/100"

    @property
    def total(self):
        return sum(int(points) for points in (self.scores or {}).values())

    @property
    def level_label(self):
        return quality_level_label(self.scores)

    def rows(self):
        return [
            {"label": item["label"], "max": item["max"], "points": self.scores.get(item["code"])}
            for item in self.criteria
        ]

"""The 100-point self-score form of a meeting: the default or a superior's own."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetings.rules import (
    meeting_setting,
)
from members.models import (
    Organization,
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
        help_text=_('A list of {"code": ..., "label": ..., "max": ...}; the maxima add up to 100.')
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
        except (TypeError, KeyError, ValueError) as error:
            raise ValidationError(
                _("Each criterion needs a code, a label and a maximum.")
            ) from error
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

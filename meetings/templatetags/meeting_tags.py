"""Template tags of the minutes pages: a cell's year at a glance, status badges."""

from django import template
from django.utils import timezone

from meetings.year import year_overview

register = template.Library()


@register.inclusion_tag("meetings/_year_grid.html")
def year_at_a_glance(organization, year=None):
    year = year or timezone.localdate().year
    return {"organization": organization, "overview": year_overview(organization, year)}


@register.simple_tag
def status_badge_class(status):
    return {
        "planned": "text-bg-light border",
        "draft": "text-bg-warning",
        "finalized": "text-bg-info",
        "signed": "text-bg-success",
        "returned": "text-bg-danger",
        "superseded": "text-bg-secondary",
    }.get(status, "text-bg-secondary")

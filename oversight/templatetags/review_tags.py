"""The cell page's notice of minutes returned for correction (oversight.review)."""

from django import template

from oversight.review import returned_minutes

register = template.Library()


@register.inclusion_tag("oversight/_returned_notice.html")
def returned_minutes_notice(organization):
    if not organization.is_cell:
        return {"returned": []}
    return {"returned": returned_minutes(organization)}

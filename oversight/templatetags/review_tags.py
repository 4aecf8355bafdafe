"""The superior's review on the meeting page and the cell page's notice of minutes
returned for correction (oversight.review)."""

from django import template

from oversight.review import ReturnForm, returned_minutes, superior_scores_of

register = template.Library()


@register.inclusion_tag("oversight/_returned_notice.html")
def returned_minutes_notice(organization):
    if not organization.is_cell:
        return {"returned": []}
    return {"returned": returned_minutes(organization)}


@register.inclusion_tag("oversight/_review_panel.html", takes_context=True)
def review_panel(context):
    """Accept or return signed minutes; the superiors' scores of the meeting; the
    reviews of the version it corrects."""
    meeting = context["meeting"]
    return {
        "meeting": meeting,
        "superior_scores": superior_scores_of([meeting])[meeting.pk],
        "reviews": context["reviews"],
        "return_form": ReturnForm(),
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }

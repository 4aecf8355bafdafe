"""The delegate hint on the recording page, and the oversight links of a committee."""

from django import template
from django.utils import timezone

from members.access import access_for
from oversight.delegates import delegate_choices

register = template.Library()


@register.inclusion_tag("oversight/_delegate_hint.html")
def delegate_hint(guests):
    """The cell's assigned delegates, each addable as a guest in one click.

    `guests` is the minutes' guest formset: the tag also renders each row's hidden
    delegate field, so the link of a guest to a delegate survives every save.
    """
    meeting = guests.instance
    recorded = {
        str(form["delegate"].value())
        for form in guests.forms
        if form["delegate"].value() not in (None, "")
    }
    choices = [
        (choice, str(choice.delegate_id) in recorded) for choice in delegate_choices(meeting)
    ]
    return {"guests": guests, "choices": choices}


@register.inclusion_tag("oversight/statistics_links.html", takes_context=True)
def oversight_links(context, organization):
    """Links to statistics, delegates and visits, for reviewers of the organisation."""
    request = context.get("request")
    user = getattr(request, "user", None)
    can_review = bool(
        user is not None and user.is_authenticated and access_for(user).can_review(organization)
    )
    return {
        "organization": organization,
        "can_review": can_review,
        "year": timezone.localdate().year,
        "month": timezone.localdate().month,
    }

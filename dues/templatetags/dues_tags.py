from django import template
from django.utils import timezone

from dues.access import sees_bases
from dues.services import REMOVAL_MONTHS, arrears_years

register = template.Library()


@register.filter
def dong(amount):
    """Whole đồng grouped by thousands with dots, as Vietnamese documents write money:
    80000 → "80.000". Empty for None."""
    if amount is None or amount == "":
        return ""
    return f"{int(amount):,}".replace(",", ".")


@register.inclusion_tag("dues/_member_dues.html", takes_context=True)
def member_dues(context, member):
    """On the member's record, for the cell's dues keepers only: the months of this year
    she has not paid, and the proposal the rule calls for at three."""
    user = context["request"].user
    if not member.organization.is_cell or not sees_bases(user, member.organization):
        return {"show": False}
    today = timezone.localdate()
    years = [
        {"year": year, "months": months, "proposes_removal": len(months) >= REMOVAL_MONTHS}
        for year, months in arrears_years(member, today)
    ]
    return {
        "show": True,
        "member": member,
        "year": today.year,
        "month": today.month,
        "years": years,
    }

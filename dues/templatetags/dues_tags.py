from django import template

register = template.Library()


@register.filter
def dong(amount):
    """Whole đồng grouped by thousands with dots, as Vietnamese documents write money:
    80000 → "80.000". Empty for None."""
    if amount is None or amount == "":
        return ""
    return f"{int(amount):,}".replace(",", ".")

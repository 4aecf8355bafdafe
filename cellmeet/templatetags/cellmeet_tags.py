"""Template filters shared by every app: how a person (an account) is named."""

from django import template

register = template.Library()


@register.filter
def person_name(user):
    """A user's name the Vietnamese way: family and middle names, then the given name."""
    if user is None:
        return ""
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.get_username()


@register.filter
def hex_groups(value, size=8):
    """A long hex digest in groups (of 8 by default), so it wraps and reads aloud."""
    value = str(value or "")
    return " ".join(value[i : i + size] for i in range(0, len(value), size))

"""The main menu's context: what the signed-in user's roles open up."""

from members.roles import access_for


def navigation(request):
    """The main menu: the user's own cell(s) first, then what their roles open up."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    access = access_for(user)
    return {
        "nav_home_cells": access.home_cells(),
        "nav_committees": access.reviewed_committees(),
        "nav_role_kinds": access.role_kinds(),
    }

"""The main menu's context: what the signed-in user's roles open up."""

from django.utils import timezone

from cellmeet.help import help_for
from members.roles import REVIEWERS, access_for


def navigation(request):
    """The main menu: the user's own cell(s) first, then what their roles open up.

    `nav_committees` are the committees whose oversight pages (board, statistics,
    plans, delegates, guidance) the "Superiors" drop-down lists; `nav_reviews` opens
    the review queue."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    access = access_for(user)
    return {
        "nav_home_cells": access.home_cells(),
        "nav_committees": access.reviewed_committees(),
        "nav_dues_cells": access.dues_cells(),
        "nav_role_kinds": access.role_kinds(),
        "nav_reviews": access.holds_any(REVIEWERS),
        "nav_year": timezone.localdate().year,
        "nav_month": timezone.localdate().month,
        "page_help": help_for(request),
    }

"""The superior's monthly countersignature of its cells' chain heads (printing.heads):
one button for the reviewer, and the heads countersigned so far."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from members.access import access_for, check, get_organization_for
from printing.heads import HeadError, cells_under, countersign_month
from printing.models import TreeHead


def _committee_for(user, pk):
    """The committee, if the user reviews its subtree: 404 to outsiders, 403 to others."""
    organization = get_organization_for(user, pk)
    check(access_for(user).can_review(organization))
    if organization.is_cell:
        raise Http404
    return organization


@login_required
def tree_heads(request, pk):
    """GET: the heads countersigned so far; POST: countersign this month's."""
    organization = _committee_for(request.user, pk)
    if request.method == "POST":
        try:
            head = countersign_month(organization, user=request.user)
        except HeadError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Tree head of %(month)s countersigned: root %(root)s.")
                % {"month": f"{head.month:02d}/{head.year}", "root": head.root[:16]},
            )
        return redirect("oversight:tree_heads", pk=organization.pk)
    today = timezone.localdate()
    heads = TreeHead.objects.filter(organization=organization).select_related("countersigned_by")
    context = {
        "organization": organization,
        "heads": heads[:24],
        "cells": cells_under(organization).count(),
        "done_this_month": heads.filter(year=today.year, month=today.month).exists(),
    }
    return render(request, "oversight/tree_heads.html", context)

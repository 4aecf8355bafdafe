"""Who reaches the dues pages, and who sees salary bases.

The cell's ledger (bases, every member's payments) is kept by its secretary and
treasurer; committees above see totals; a member sees her own dues. Outsiders get 404
(the same answer whether or not the organisation exists), insiders without the right 403.
"""

from django.conf import settings
from django.http import Http404

from members.access import access_for, check
from members.models import Organization
from members.roles import REVIEWERS


def get_organization_for_dues(user, pk, *, keep=False):
    """The organisation if the user sees it or keeps its dues (404 otherwise); 403 if
    she may not see its dues totals, or, with `keep`, may not keep its ledger."""
    organization = Organization.objects.filter(pk=pk).select_related("parent").first()
    access = access_for(user)
    if organization is None or not (
        access.can_view(organization) or access.can_keep_dues(organization)
    ):
        raise Http404
    if keep:
        check(access.can_keep_dues(organization))
    else:
        check(access.can_see_dues_totals(organization))
    return organization


def sees_bases(user, organization):
    """Whether the user may see the members' base amounts and their payments one by
    one: the cell's dues keepers; committees above only if the setting allows."""
    access = access_for(user)
    if access.can_keep_dues(organization):
        return True
    return settings.DUES_SUPERIORS_SEE_BASES and access.covers(organization, REVIEWERS)


def check_month(year, month):
    if not (1 <= month <= 12 and 2010 <= year <= 2100):
        raise Http404

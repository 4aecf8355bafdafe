"""The access helpers views call: one per model, reaching objects through the tree.

Outsiders get 404 (they must not learn that an object exists), insiders without the
right get 403, anonymous users are sent to the login page by the views'
@login_required. Who covers what is decided in members.roles; this module applies it
to organisations and members. `access_for`, `check` and `REVIEWERS` are here too, so
views import every access piece from one place.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from members.models import Member, Organization
from members.roles import REVIEWERS, Access, access_for

__all__ = [
    "REVIEWERS",
    "Access",
    "access_for",
    "check",
    "get_member_for",
    "get_organization_for",
]


def check(allowed):
    if not allowed:
        raise PermissionDenied


def get_organization_for(user, pk, *, manage=False, keep_records=False):
    """The organisation if the user sees it (404 otherwise); 403 if `manage` (change
    the tree) or `keep_records` (the cell's roster, plans and minutes) is asked by
    someone without that right."""
    organization = (
        Organization.objects.visible_to(user).filter(pk=pk).select_related("parent").first()
    )
    if organization is None:
        raise Http404
    access = access_for(user)
    if manage:
        check(access.can_manage_organization(organization))
    if keep_records:
        check(access.can_keep_records(organization))
    return organization


def get_member_for(user, pk, *, edit=False):
    """The member if the user sees their cell (404 otherwise); 403 if `edit` is asked
    by someone who does not keep the cell's records."""
    member = (
        Member.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("organization", "organization__parent")
        .first()
    )
    if member is None:
        raise Http404
    if edit:
        check(access_for(user).can_keep_records(member.organization))
    return member

"""Who may see and do what. Every view reaches objects through these helpers.

The rule: a user's roles attach them to organisations; each role covers its
organisation and everything under it. Outsiders get 404 (they must not learn that
an object exists), insiders without the right get 403, anonymous users are sent to
the login page by the views' @login_required.
"""

from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from members.models import MEETING_KINDS, Member, Organization, RoleKind

MEMBER_EDITORS = {RoleKind.CELL_SECRETARY, RoleKind.ADMIN}
REVIEWERS = {RoleKind.SUPERIOR_REVIEWER, RoleKind.ADMIN}


class Access:
    """The signed-in user's roles, loaded once per request."""

    def __init__(self, user):
        self.user = user
        self.is_superuser = bool(user.is_authenticated and user.is_superuser)
        if user.is_authenticated:
            self.roles = [
                (role.kind, role.organization.path, role.organization_id)
                for role in user.cell_roles.select_related("organization")
            ]
        else:
            self.roles = []

    def visible_q(self, path_lookup):
        """A filter for objects whose organisation lies under any of the user's roles."""
        if self.is_superuser:
            return Q()
        if not self.roles:
            return Q(pk__in=[])
        return reduce(
            or_, (Q(**{f"{path_lookup}__startswith": path}) for _k, path, _i in self.roles)
        )

    def _covers(self, organization, kinds=None):
        if self.is_superuser:
            return True
        return any(
            organization.path.startswith(path)
            for kind, path, _id in self.roles
            if kinds is None or kind in kinds
        )

    def can_view(self, organization):
        return self._covers(organization)

    def can_manage_organization(self, organization):
        return self._covers(organization, {RoleKind.ADMIN})

    def can_keep_cell_records(self, organization):
        """Secretaries keep their own cell's roster and minutes; administrators their subtree."""
        if self._covers(organization, {RoleKind.ADMIN}):
            return True
        return organization.is_cell and any(
            kind == RoleKind.CELL_SECRETARY and organization_id == organization.pk
            for kind, _path, organization_id in self.roles
        )

    can_edit_members = can_keep_cell_records
    can_record_meetings = can_keep_cell_records

    def can_review(self, organization):
        return self._covers(organization, REVIEWERS)

    def role_kinds(self):
        return {kind for kind, _path, _id in self.roles}

    def home_cells(self):
        """The cells the user belongs to through a cell role."""
        ids = [
            organization_id
            for kind, _path, organization_id in self.roles
            if kind in {RoleKind.CELL_SECRETARY, RoleKind.CELL_VIEWER}
        ]
        return list(Organization.objects.filter(pk__in=ids))

    def reviewed_committees(self):
        """The committees whose cells the user reviews (reviewer or administrator roles)."""
        ids = [organization_id for kind, _path, organization_id in self.roles if kind in REVIEWERS]
        return list(Organization.objects.filter(pk__in=ids).exclude(kind__in=MEETING_KINDS))


def access_for(user):
    cached = getattr(user, "_cellmeet_access", None)
    if cached is None:
        cached = Access(user)
        if user.is_authenticated:
            user._cellmeet_access = cached
    return cached


def check(allowed):
    if not allowed:
        raise PermissionDenied


def get_organization_for(user, pk, *, manage=False, edit_members=False):
    organization = (
        Organization.objects.visible_to(user).filter(pk=pk).select_related("parent").first()
    )
    if organization is None:
        raise Http404
    access = access_for(user)
    if manage:
        check(access.can_manage_organization(organization))
    if edit_members:
        check(access.can_edit_members(organization))
    return organization


def get_member_for(user, pk, *, edit=False):
    member = (
        Member.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("organization", "organization__parent")
        .first()
    )
    if member is None:
        raise Http404
    if edit:
        check(access_for(user).can_edit_members(member.organization))
    return member

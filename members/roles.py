"""Roles and the scope rule: which organisations a user's roles cover, written once.

A user's roles attach them to organisations; each role covers its organisation and
everything under it (the organisation's materialised path is a prefix of theirs).
`Access.scope_q()` turns that rule into a filter for any queryset, `Access.covers()`
into an answer for one organisation; the `can_*` methods name the rights built on it.

This module sits below members.models (which filters querysets with it) and so
imports no model: it reads the roles through the user's `cell_roles` relation.
"""

from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.subtree import under_path_q


class RoleKind(models.TextChoices):
    CELL_SECRETARY = "cell_secretary", _("Cell secretary")
    CELL_VIEWER = "cell_viewer", _("Cell viewer")
    # Keeps the cell's Party dues ledger (dues/) and sees nothing else through this role.
    CELL_TREASURER = "cell_treasurer", _("Cell treasurer (Party dues)")
    SUPERIOR_REVIEWER = "superior_reviewer", _("Superior reviewer")
    ADMIN = "admin", _("Administrator")


CELL_ROLES = frozenset({RoleKind.CELL_SECRETARY, RoleKind.CELL_VIEWER})
# Roles tied to one cell (Role.clean checks the organisation is a cell).
CELL_BOUND_ROLES = CELL_ROLES | {RoleKind.CELL_TREASURER}
# Roles that keep the cell's dues ledger: they see the members' salary bases.
DUES_KEEPERS = frozenset({RoleKind.CELL_SECRETARY, RoleKind.CELL_TREASURER})
# Roles that open the cell's records (the default scope): the treasurer's role opens
# only the dues ledger, through can_keep_dues.
VIEWING_ROLES = frozenset(RoleKind) - {RoleKind.CELL_TREASURER}
REVIEWERS = frozenset({RoleKind.SUPERIOR_REVIEWER, RoleKind.ADMIN})
ADMINISTRATORS = frozenset({RoleKind.ADMIN})


class Access:
    """The signed-in user's roles, loaded once per request (see access_for).

    `roles` is a list of (kind, organisation path, organisation id).
    """

    def __init__(self, user):
        self.user = user
        self.is_superuser = bool(user.is_authenticated and user.is_superuser)
        held = list(user.cell_roles.select_related("organization")) if user.is_authenticated else []
        self.roles = [(role.kind, role.organization.path, role.organization_id) for role in held]
        self._organizations = {role.organization_id: role.organization for role in held}

    # ------------------------------------------------------------ the scope rule

    def _paths(self, kinds=None):
        """The paths of the user's roles (of `kinds`; by default those that open the
        records), without those that another of them already covers, in path order."""
        kinds = VIEWING_ROLES if kinds is None else kinds
        paths = sorted({path for kind, path, _id in self.roles if kind in kinds})
        kept = []
        for path in paths:
            if not kept or not path.startswith(kept[-1]):
                kept.append(path)
        return kept

    def scope_q(self, path_lookup, kinds=None):
        """A filter keeping the rows whose organisation lies under one of the user's
        roles (of `kinds`, if given): `path_lookup` leads from the queryset's model to
        that organisation's path, e.g. "organization__path", "cell__path" or "path".

        Everything for a superuser; nothing for a user without such a role.
        """
        if self.is_superuser:
            return Q()
        paths = self._paths(kinds)
        if not paths:
            return Q(pk__in=[])
        return reduce(or_, (under_path_q(path, path_lookup) for path in paths))

    def covers(self, organization, kinds=None):
        """Whether the organisation lies under one of the user's roles (of `kinds`)."""
        if self.is_superuser:
            return True
        return any(organization.path.startswith(path) for path in self._paths(kinds))

    def holds_any(self, kinds):
        """Whether the user holds a role of one of these kinds somewhere (a superuser
        holds them all)."""
        return self.is_superuser or bool(self._paths(kinds))

    # ------------------------------------------------------------ rights

    def can_view(self, organization):
        return self.covers(organization)

    def can_manage_organization(self, organization):
        """Administrators change the tree below them: organisations, roles, transfers."""
        return self.covers(organization, ADMINISTRATORS)

    def can_keep_records(self, organization):
        """Keep a cell's records (its roster, plans and minutes): the cell's own
        secretary, or an administrator above it."""
        if self.covers(organization, ADMINISTRATORS):
            return True
        return organization.is_cell and any(
            kind == RoleKind.CELL_SECRETARY and organization_id == organization.pk
            for kind, _path, organization_id in self.roles
        )

    def can_review(self, organization):
        """Review minutes and publish guidance: reviewers and administrators above."""
        return self.covers(organization, REVIEWERS)

    def can_keep_dues(self, organization):
        """Keep a cell's Party dues ledger (salary bases included): the cell's own
        secretary or treasurer. Committees above see totals (see can_see_dues_totals)."""
        if self.is_superuser:
            return True
        return organization.is_cell and any(
            kind in DUES_KEEPERS and organization_id == organization.pk
            for kind, _path, organization_id in self.roles
        )

    def can_see_dues_totals(self, organization):
        """The dues totals of an organisation and its cells: its keepers, and the
        reviewers and administrators above it."""
        return self.can_keep_dues(organization) or self.covers(organization, REVIEWERS)

    # ------------------------------------------------------------ the menu

    def role_kinds(self):
        return {kind for kind, _path, _id in self.roles}

    def reviews_only(self):
        """Whether every role the user holds is a reviewing one (reviewer or
        administrator above the cells): her work starts at the review queue."""
        kinds = self.role_kinds()
        return bool(kinds) and kinds <= REVIEWERS

    def home_cells(self):
        """The cells the user belongs to through a cell role, in tree order."""
        return self._organizations_of(CELL_ROLES)

    def dues_cells(self):
        """The cells whose dues ledger the user keeps (secretary or treasurer)."""
        return self._organizations_of(DUES_KEEPERS)

    def reviewed_committees(self):
        """The committees whose cells the user reviews (reviewer or administrator roles)."""
        return [
            organization
            for organization in self._organizations_of(REVIEWERS)
            if not organization.is_cell
        ]

    def _organizations_of(self, kinds):
        ids = {organization_id for kind, _path, organization_id in self.roles if kind in kinds}
        return sorted((self._organizations[pk] for pk in ids), key=lambda org: org.path)


def access_for(user):
    """The user's Access, cached on the user object for the rest of the request."""
    cached = getattr(user, "_cellmeet_access", None)
    if cached is None:
        cached = Access(user)
        if user.is_authenticated:
            user._cellmeet_access = cached
    return cached

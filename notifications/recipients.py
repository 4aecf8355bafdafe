"""Who is written to, and at which address: only people with an address who agreed.

A member has an address and says whether she wants messages (members.Member.email,
wants_messages). A user account linked to a member follows the member's choice; an
account with no member (committee staff) is written to at its own address.
"""

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist

from members.models import Role, RoleKind, ids_on_path
from members.roles import DUES_KEEPERS
from notifications.models import NotificationSettings


@dataclass(frozen=True)
class Address:
    email: str
    name: str
    member: object = None
    user: object = None


def of_member(member):
    if member is None or not member.email or not member.wants_messages:
        return None
    return Address(member.email, member.full_name, member=member, user=member.user)


def of_user(user):
    if user is None or not user.is_active:
        return None
    try:
        member = user.member
    except ObjectDoesNotExist:
        member = None
    if member is not None:
        address = of_member(member)
        return address and Address(address.email, address.name, member=member, user=user)
    if not user.email:
        return None
    return Address(user.email, user.get_full_name() or user.get_username(), user=user)


def unique(addresses):
    """Each address once (one person holding two roles gets one message)."""
    seen, result = set(), []
    for address in addresses:
        if address is not None and address.email.lower() not in seen:
            seen.add(address.email.lower())
            result.append(address)
    return result


def secretaries(organization_ids, kinds=(RoleKind.CELL_SECRETARY,)):
    """{cell id: [Address]} of the secretaries of these cells (or of the holders of
    the roles `kinds`)."""
    roles = (
        Role.objects.filter(kind__in=kinds, organization_id__in=organization_ids)
        .select_related("user__member")
        .order_by("pk")
    )
    result = {}
    for role in roles:
        result.setdefault(role.organization_id, []).append(of_user(role.user))
    return {cell_id: unique(found) for cell_id, found in result.items()}


def dues_keepers(organization_ids):
    """{cell id: [Address]} of those who keep these cells' dues ledgers: the
    secretaries and the treasurers."""
    return secretaries(organization_ids, kinds=DUES_KEEPERS)


class SettingsFor:
    """Each organisation's notification settings: its own, else the nearest above it,
    else the defaults. One query, however many organisations are asked about."""

    def __init__(self):
        self.by_organization = {
            row.organization_id: row for row in NotificationSettings.objects.all()
        }
        self.default = NotificationSettings()

    def __call__(self, organization):
        for organization_id in reversed(ids_on_path(organization.path)):
            if organization_id in self.by_organization:
                return self.by_organization[organization_id]
        return self.default


def settings_for(organization):
    rows = NotificationSettings.objects.filter(organization_id__in=ids_on_path(organization.path))
    by_id = {row.organization_id: row for row in rows}
    for organization_id in reversed(ids_on_path(organization.path)):
        if organization_id in by_id:
            return by_id[organization_id]
    return NotificationSettings()

"""Workflows on members that touch several records."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Member, MemberTransfer, Position


@transaction.atomic
def transfer_member(member, *, to_organization, transferred_on, note="", user):
    """Move a member to another cell, ending her positions in the old one."""
    if not to_organization.is_cell:
        raise ValidationError(_("A member can only be moved to a party cell."))
    if to_organization.pk == member.organization_id:
        raise ValidationError(_("The member already belongs to this cell."))
    member = Member.objects.select_for_update().get(pk=member.pk)
    transfer = MemberTransfer.objects.create(
        member=member,
        from_organization=member.organization,
        to_organization=to_organization,
        transferred_on=transferred_on,
        note=note,
        created_by=user,
    )
    Position.objects.filter(
        member=member, organization=member.organization, ended_on__isnull=True
    ).update(ended_on=transferred_on)
    member.organization = to_organization
    member.version += 1
    member._change_reason = _("Transferred to %(cell)s") % {"cell": to_organization.name}
    member.save()
    return transfer

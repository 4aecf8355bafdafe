"""Template tags of the member pipeline (meetings/decisions.py): the recognition
reminder, and the consequences awaiting the superior committee, on the cell's page,
the recording page and the member's page (members' templates load them by name)."""

from django import template

from meetings.decisions import probation_reminders
from meetings.models import MemberConsequence
from members.access import access_for

register = template.Library()


@register.inclusion_tag("meetings/_probation_reminder.html")
def probation_reminder(organization):
    return {"reminders": probation_reminders(organization) if organization.is_cell else []}


@register.inclusion_tag("meetings/_pending_consequences.html", takes_context=True)
def pending_consequences(context, organization):
    """The cell's adopted decisions awaiting the superior committee, e.g. an admission
    whose candidate has no member page yet."""
    user = context["request"].user
    pending = (
        MemberConsequence.objects.filter(organization=organization)
        .pending()
        .select_related("member", "decision__meeting")
    )
    return {
        "consequences": list(pending),
        "can_confirm": access_for(user).can_keep_records(organization),
    }


@register.inclusion_tag("meetings/_member_consequences.html", takes_context=True)
def member_consequences(context, member):
    user = context["request"].user
    consequences = MemberConsequence.objects.filter(member=member).select_related(
        "decision__meeting"
    )
    return {
        "consequences": list(consequences),
        "can_confirm": access_for(user).can_keep_records(member.organization),
    }

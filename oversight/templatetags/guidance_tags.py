"""The guidance panel beside the news briefing on the recording page."""

from django import template

from oversight.guidance import guidance_for

register = template.Library()


@register.inclusion_tag("oversight/_guidance_panel.html")
def guidance_panel(meeting):
    """The superiors' guidance for the meeting's month, beside the news briefing."""
    return {"meeting": meeting, "guidance_list": list(guidance_for(meeting))}

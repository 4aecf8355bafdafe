"""The national app's panel on the meeting page: the package to download, each
stage's deadline and its mark (printing.national_app)."""

from django import template

from printing.national_app import rule, stage_statuses

register = template.Library()


@register.inclusion_tag("printing/_national_app_panel.html", takes_context=True)
def national_app_panel(context, meeting):
    return {
        "meeting": meeting,
        "stages": stage_statuses(meeting),
        "rule": rule(),
        "csrf_token": context.get("csrf_token"),
    }

"""The member's ratings on her page (members' templates load them by name): the level
decided each year, or how far the year's rating has gone."""

from django import template

from rating.models import MemberAssessment

register = template.Library()


@register.inclusion_tag("rating/_member_ratings.html")
def member_ratings(member):
    assessments = MemberAssessment.objects.filter(member=member).select_related("round")
    return {"assessments": sorted(assessments, key=lambda a: -a.round.year)}

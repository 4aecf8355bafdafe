"""The dated rating rules, edited in the admin: a new regulation is a new row.

Rounds and assessments are not here: they change through the rating's pages, where
the workflow's rules and the access rules apply."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from rating.models import RatingRules


@admin.register(RatingRules)
class RatingRulesAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "valid_from",
        "excellent_from",
        "good_from",
        "fulfilled_from",
        "excellent_cap_percent",
    ]
    ordering = ["-valid_from"]

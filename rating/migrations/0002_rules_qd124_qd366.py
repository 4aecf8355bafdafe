"""The rating rules as data: QĐ 124-QĐ/TW (2023) and QĐ 366-QĐ/TW (2025).

A year is rated by the rules in force at its end (RatingRulesQuerySet.for_year).
QĐ 366's row is dated by its guide HD 43-HD/BTCTW (31/10/2025), so 2025 is rated
by it. Its cap on "excellent" is left empty: whether HD 21/2019's 20 % survives is
unconfirmed (DOMAIN.md); a committee that keeps it sets 20 on the row. QĐ 124 had
the cap. Changing a figure is an edit of a row, never of code.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

GENERAL_CRITERIA = [
    {"key": "politics_ethics", "label": "Phẩm chất chính trị, đạo đức, lối sống, tính tiền phong gương mẫu"},
    {"key": "innovation", "label": "Tư duy đổi mới, sáng tạo"},
    {"key": "self_criticism", "label": "Tinh thần tự phê bình và phê bình"},
]

RULES = [
    {
        "name": "QĐ 124-QĐ/TW",
        "valid_from": date(2023, 2, 2),
        "general_points": 30,
        "task_points": 70,
        "excellent_from": Decimal("90"),
        "good_from": Decimal("70"),
        "fulfilled_from": Decimal("50"),
        "excellent_above_requirement_percent": 30,
        "fulfilled_late_percent": 20,
        "excellent_cap_percent": 20,
        "criteria": GENERAL_CRITERIA,
    },
    {
        "name": "QĐ 366-QĐ/TW",
        "valid_from": date(2025, 10, 31),
        "general_points": 30,
        "task_points": 70,
        "excellent_from": Decimal("90"),
        "good_from": Decimal("70"),
        "fulfilled_from": Decimal("50"),
        "excellent_above_requirement_percent": 30,
        "fulfilled_late_percent": 20,
        "excellent_cap_percent": None,
        "criteria": GENERAL_CRITERIA,
    },
]


def add_rules(apps, schema_editor):
    RatingRules = apps.get_model("rating", "RatingRules")
    for rules in RULES:
        RatingRules.objects.update_or_create(valid_from=rules["valid_from"], defaults=rules)


def remove_rules(apps, schema_editor):
    RatingRules = apps.get_model("rating", "RatingRules")
    RatingRules.objects.filter(valid_from__in=[rules["valid_from"] for rules in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("rating", "0001_initial")]

    operations = [migrations.RunPython(add_rules, remove_rules)]

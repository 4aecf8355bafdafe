"""The two decisions on Party dues, as data.

QĐ 342-QĐ/TW (28/12/2010) governs the months before February 2026; QĐ 01-QĐ/TW
(3/2/2026, in force 1/2/2026) the months since. Figures marked "unconfirmed" in the
rule's note follow DOMAIN.md's open points; a committee corrects them in the admin.
"""

from datetime import date

from django.db import migrations

CELL_SHARES = {
    # A cell under a grassroots committee keeps 30–50 % (QĐ 342): the lower bound.
    "cell": "30",
    # A grassroots cell is a grassroots organisation itself (70 %; 90 % in communes
    # and wards, which the committee sets here when it applies).
    "grassroots_cell": "70",
    "default": "30",
}

RULES = [
    {
        "name": "QĐ 342-QĐ/TW",
        "valid_from": date(2010, 1, 1),
        "rates": {
            "insured": {"percent": "1"},
            "retired": {"percent": "0.5"},
            "student": {"flat": "3000"},
            "other": {"flat": "3000"},
        },
        "exempt_after_party_years": None,
        "reduction_percents": [],
        "max_reduction_months": 12,
        "cell_shares": CELL_SHARES,
        "note": "Flat amounts for students and other members unconfirmed (local guidance).",
    },
    {
        "name": "QĐ 01-QĐ/TW",
        "valid_from": date(2026, 2, 1),
        "rates": {
            "insured": {"percent": "1"},
            "retired": {"percent": "0.5"},
            "student": {"flat": "5000"},
            "other": {"flat": "5000"},
        },
        "exempt_after_party_years": 50,
        "reduction_percents": [30, 50, 70],
        "max_reduction_months": 12,
        "cell_shares": CELL_SHARES,
        "note": "The table for other members and the 2026 shares kept are unconfirmed.",
    },
]


def seed(apps, schema_editor):
    DuesRule = apps.get_model("dues", "DuesRule")
    for rule in RULES:
        DuesRule.objects.update_or_create(valid_from=rule["valid_from"], defaults=rule)


def unseed(apps, schema_editor):
    DuesRule = apps.get_model("dues", "DuesRule")
    DuesRule.objects.filter(valid_from__in=[rule["valid_from"] for rule in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("dues", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]

"""The seeded rules checked against the texts the project holds (DOMAIN.md, "Party
dues"; issue 22; the press articles in the shared seeds, which say nothing of dues).

What the texts state is kept or corrected, and cited in each rule's note; what they do
not give stays as a placeholder named in the note (and in README, "Party dues"), for a
committee to set in the admin once the decision's own table is at hand:

- the shares kept by organisations above the cell (DOMAIN.md: a commune/ward grassroots
  organisation 90 %, other grassroots organisations 70 %, each level above 50 %) were
  all read from "default" (30 %, a cell's share): each kind now has its own figure;
- QĐ 01's shares copy QĐ 342's (DOMAIN.md: "the 2026 shares unconfirmed").
"""

from django.db import migrations

SHARES_342 = {
    # DOMAIN.md: "a cell under a grassroots committee keeps 30–50 %". The text gives a
    # range: the lower bound until the grassroots committee sets its figure.
    "cell": "30",
    # A grassroots cell is a grassroots organisation: "other grassroots organisations
    # 70 %"; one in a commune or ward keeps 90 % (set it here when it applies).
    "grassroots_cell": "70",
    # "a commune/ward grassroots organisation 90 %" (other grassroots committees: 70 %).
    "grassroots_committee": "90",
    # "each level above 50 %".
    "superior_committee": "50",
    "default": "30",
}

NOTE_342 = (
    "Source: DOMAIN.md, Party dues (QĐ 01 replaced QĐ 342/2010); issue 22. "
    "Stated: shares kept under QĐ 342 — a cell under a grassroots committee 30–50 % "
    "(30 % kept here, the lower bound: the grassroots committee sets its figure), a "
    "commune/ward grassroots organisation 90 %, other grassroots organisations 70 %, "
    "each level above 50 %. "
    "Not in the texts (placeholders): QĐ 342's own rates (seeded as QĐ 01's 1 % insured "
    "and 0.5 % retired, and 3,000 đ for students and other members, which no text held "
    "confirms), its exemptions and reductions (none seeded), its first month (the rule "
    "governs every month before February 2026)."
)

NOTE_01 = (
    "Source: DOMAIN.md, Party dues — QĐ 01-QĐ/TW (3/2/2026, in force 1/2/2026); issue 22. "
    "Stated: 1 % of the previous month's compulsory social-insurance salary (or "
    "sickness/maternity benefit); retired 0.5 % of the pension; pupils and students "
    "5,000 đ; exempt from 50 years of Party age; reductions of 30/50/70 % for at most "
    "12 months on application. Exempt on application (recorded as an exemption with its "
    "decision): recipients of the social retirement allowance, poor or near-poor "
    "households, serious illness. "
    "Not in the texts (placeholders): the table for other members (5,000 đ here, the "
    "students' amount) and the 2026 shares kept (QĐ 342's are copied)."
)


def update(apps, schema_editor):
    DuesRule = apps.get_model("dues", "DuesRule")
    DuesRule.objects.filter(name="QĐ 342-QĐ/TW").update(cell_shares=SHARES_342, note=NOTE_342)
    DuesRule.objects.filter(name="QĐ 01-QĐ/TW").update(cell_shares=SHARES_342, note=NOTE_01)


def restore(apps, schema_editor):
    DuesRule = apps.get_model("dues", "DuesRule")
    shares = {"cell": "30", "grassroots_cell": "70", "default": "30"}
    DuesRule.objects.filter(name="QĐ 342-QĐ/TW").update(
        cell_shares=shares,
        note="Flat amounts for students and other members unconfirmed (local guidance).",
    )
    DuesRule.objects.filter(name="QĐ 01-QĐ/TW").update(
        cell_shares=shares,
        note="The table for other members and the 2026 shares kept are unconfirmed.",
    )


class Migration(migrations.Migration):
    dependencies = [("dues", "0002_seed_rules")]
    operations = [migrations.RunPython(update, restore)]

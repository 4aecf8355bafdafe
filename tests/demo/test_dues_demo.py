"""The demo's year of Party dues: recorded through the ledger, with a few arrears."""

from datetime import date

from demo.dues import fill_cell_year
from dues import services
from dues.models import DuesEntry


def test_a_demo_cell_gets_a_year_of_dues_with_two_members_behind(world, roster):
    months = fill_cell_year(world.cell, date(2026, 12, 6), world.secretary)
    assert months == 11
    on_roster = len(roster["official"]) + 3  # probationary, exempt and away members too
    assert DuesEntry.objects.filter(organization=world.cell).count() == 11 * on_roster
    warnings = services.warnings_for(world.cell, 2026, 11)
    assert sorted(len(w.months) for w in warnings) == [2, 3]
    for month in range(1, 12):
        report = services.month_report(world.cell, 2026, month)
        assert report.collected > 0
        assert report.collected == report.kept + report.remitted

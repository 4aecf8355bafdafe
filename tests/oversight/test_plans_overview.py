"""The superior's overview of the thematic plans (oversight/plans.py): which cells have
filed their plan and which quarters have no thematic meeting, in a fixed number of
queries however many cells."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import Meeting, MeetingKind, MeetingStatus
from oversight.plans import plans_overview
from tests.factories import CellFactory
from tests.helpers import at
from tests.meetings.thematic_plans import YEAR, make_plan, overview_url, plan_url, thematic_meeting

# -- the superior's overview ------------------------------------------------------------------


def test_the_overview_lists_filed_and_unfiled_cells_and_lacking_quarters(world, login):
    make_plan(world.cell, filed=True)
    make_plan(world.sibling_cell, quarters=(1,))  # written, not filed
    quiet_cell = CellFactory(name="Chi bộ thôn Nam", parent=world.commune)  # no plan at all
    thematic_meeting(world.cell, 2, MeetingStatus.SIGNED)  # quarter I held
    thematic_meeting(world.cell, 5)  # quarter II planned
    thematic_meeting(world.cell, 11, MeetingStatus.DRAFT)  # quarter IV held
    thematic_meeting(world.sibling_cell, 8)  # quarter III planned
    Meeting.objects.create(  # a regular meeting is no thematic one
        organization=quiet_cell, kind=MeetingKind.REGULAR, scheduled_at=at(YEAR, 3, 1)
    )
    thematic_meeting(world.far_cell, 2, MeetingStatus.SIGNED)  # another commune
    thematic_meeting(world.cell, 2, MeetingStatus.SIGNED, year=YEAR - 1)  # another year

    response = login(world.reviewer).get(overview_url(world.commune))
    assert response.status_code == 200
    rows = {row.cell: row for row in response.context["rows"]}
    assert set(rows) == {world.cell, world.sibling_cell, quiet_cell}
    assert [rows[c].is_filed for c in (world.cell, world.sibling_cell, quiet_cell)] == [
        True,
        False,
        False,
    ]
    assert rows[world.sibling_cell].plan is not None and rows[quiet_cell].plan is None
    assert [q.state for q in rows[world.cell].quarters] == ["held", "planned", "missing", "held"]
    assert rows[world.cell].lacking_quarters == [3]
    assert rows[world.sibling_cell].lacking_quarters == [1, 2, 4]
    assert rows[quiet_cell].lacking_quarters == [1, 2, 3, 4]
    assert [q.topics for q in rows[world.sibling_cell].quarters] == [1, 0, 0, 0]
    assert response.context["filed_count"] == 1
    assert response.context["lacking_count"] == 3
    html = response.content.decode()
    assert plan_url(world.cell) in html and plan_url(quiet_cell) in html


def test_the_administrator_above_sees_every_commune(world):
    make_plan(world.far_cell, filed=True)
    rows = plans_overview(world.superior, YEAR)
    assert [row.cell for row in rows] == [world.cell, world.sibling_cell, world.far_cell]
    assert [row.is_filed for row in rows] == [False, False, True]


def test_the_secretary_gets_403_on_the_overview_of_their_own_cell(world, login):
    # The overview is for committees; a cell's own page is its plan.
    assert login(world.secretary).get(overview_url(world.cell)).status_code == 403
    assert login(world.reviewer).get(overview_url(world.cell)).status_code == 404


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def add_cells(world, count):
    for index in range(count):
        cell = CellFactory(parent=world.commune)
        make_plan(cell, quarters=(1, 2), filed=index % 2 == 0)
        thematic_meeting(cell, 1 + index % 12, MeetingStatus.DRAFT if index % 3 else "planned")


def test_the_overview_runs_as_many_queries_for_60_cells_as_for_5(world, login):
    client = login(world.reviewer)
    add_cells(world, 3)  # with world.cell and world.sibling_cell: 5 cells
    few, response = count_queries(client, overview_url(world.commune))
    assert len(response.context["rows"]) == 5
    add_cells(world, 55)
    many, response = count_queries(client, overview_url(world.commune))
    assert len(response.context["rows"]) == 60
    assert many == few

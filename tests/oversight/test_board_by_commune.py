"""The compliance board at province scale (issue 13): above the communes one summary
row per organisation directly below, the cells' grid for one commune at a time,
compact markup, and a cached table that follows the minutes' workflow."""

import re
from datetime import date
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services
from meetings.models import Meeting, MeetingKind, MeetingStatus
from members.models import Organization, OrganizationKind, Role, RoleKind
from oversight import board as board_module
from oversight.board import compliance_board
from tests.bench.board import build_meetings, build_tree
from tests.factories import CellFactory, CommitteeFactory
from tests.helpers import at, complete, sign

TODAY = date(2026, 6, 15)


@pytest.fixture
def board_today(monkeypatch):
    """The page's today: 15 June 2026, whatever the clock says."""
    monkeypatch.setattr(board_module, "timezone", SimpleNamespace(localdate=lambda: TODAY))


def board_url(organization, year=2026):
    return reverse("oversight:board", args=[organization.pk, year])


def meetings_read(queries):
    """The queries reading meetings (the marks of uploads to the national app read
    them only as a subquery)."""
    return [query for query in queries if main_table(query["sql"]) == "meetings_meeting"]


def main_table(sql):
    found = re.match(r'\s*SELECT .*? FROM "(\w+)"', sql, re.DOTALL)
    return found.group(1) if found else None


def test_the_province_board_has_one_row_per_commune_adding_up_its_cells(world, login, board_today):
    for cell, months in [(world.cell, (1, 2, 3)), (world.sibling_cell, (1,)), (world.far_cell, ())]:
        for month in months:
            Meeting.objects.create(
                organization=cell,
                kind=MeetingKind.REGULAR,
                scheduled_at=at(2026, month, 5),
                status=MeetingStatus.SIGNED,
                started_at=at(2026, month, 5),
                ended_at=at(2026, month, 5, 21),
                signed_at=at(2026, month, 6),
                present_count=8,
                summoned_count=10,
            )
    response = login(world.admin).get(board_url(world.superior))
    assert response.status_code == 200
    summary = response.context["summary"]
    assert [row.organization for row in summary] == [world.commune, world.other_commune]
    commune, other = summary
    assert (commune.tally.cells, commune.tally.signed, commune.tally.missing) == (2, 4, 6)
    assert (other.tally.cells, other.tally.signed, other.tally.missing) == (1, 0, 5)
    assert commune.tally.attendance_percent == 80
    html = response.content.decode()
    assert 'id="board-summary"' in html
    assert 'id="compliance-board"' not in html  # no cell grid above the communes
    assert world.cell.name not in html
    # Each commune opens into its own board, the grid of its cells.
    assert f'href="{board_url(world.commune)}"' in html
    assert f'href="{board_url(world.other_commune)}"' in html
    total = html[html.index('id="board-total"') :]
    assert re.search(r'data-label="[^"]*">3</td>', total)  # 3 cells in all
    grid = login(world.admin).get(board_url(world.commune))
    assert 'id="compliance-board"' in grid.content.decode()
    assert grid.context["summary"] is None
    assert {row.cell for row in grid.context["board"].rows} == {world.cell, world.sibling_cell}


def test_rows_are_the_organisations_directly_below_however_deep_the_cells(world, login):
    district = CommitteeFactory(name="Huyện ủy Đông", parent=world.superior)
    commune = CommitteeFactory(name="Đảng ủy xã Mới", parent=district)
    CellFactory(name="Chi bộ thôn Mới", parent=commune)
    direct_cell = CellFactory(name="Chi bộ cơ quan Tỉnh ủy", parent=world.superior)
    response = login(world.admin).get(board_url(world.superior))
    rows = {row.organization: row.tally.cells for row in response.context["summary"]}
    assert rows == {world.commune: 2, world.other_commune: 1, district: 1, direct_cell: 1}
    html = response.content.decode()
    # A cell directly below opens its year; a committee its board.
    assert f'href="{reverse("meetings:cell_year", args=[direct_cell.pk, 2026])}"' in html
    assert f'href="{board_url(district)}"' in html
    district_board = login(world.admin).get(board_url(district))
    assert [row.organization for row in district_board.context["summary"]] == [commune]


def test_the_grid_links_only_slots_with_minutes(world, login, board_today):
    made = Meeting.objects.create(
        organization=world.cell,
        kind=MeetingKind.REGULAR,
        scheduled_at=at(2026, 2, 5),
        status=MeetingStatus.DRAFT,
    )
    html = login(world.reviewer).get(board_url(world.commune)).content.decode()
    grid = html[html.index('id="compliance-board"') : html.index("</table>")]
    slot_links = re.findall(r'<td class="s [^"]*"><a href="([^"]+)"', grid)
    assert slot_links == [reverse("meetings:detail", args=[made.pk])]
    # The missing months say so without a link; the row's name opens the cell's year.
    # Months 1–5 of both cells but the held one, and both first-quarter thematic slots.
    assert grid.count('<td class="s s-missing') == 2 * 5 - 1 + 2
    assert '<td class="s s-missing">✖</td>' in grid
    assert f'href="{reverse("meetings:cell_year", args=[world.cell.pk, 2026])}"' in grid


def test_the_cached_board_follows_the_workflow_and_ignores_autosaves(
    world, login, roster, board_today
):
    client = login(world.reviewer)

    def may_state():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(board_url(world.commune))
        row = next(row for row in response.context["board"].rows if row.cell == world.cell)
        return row.months[4].state, len(meetings_read(queries))

    def cached():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(board_url(world.commune))
        assert "board" not in response.context  # served from the cache
        return response, meetings_read(queries)

    assert may_state() == ("missing", 1)
    _response, read = cached()
    assert read == []

    meeting = Meeting(
        organization=world.cell, kind=MeetingKind.REGULAR, scheduled_at=at(2026, 5, 5)
    )
    services.save_planned_meeting(meeting, user=world.secretary)
    assert may_state()[0] == "missing"  # computed again; planned for a past month is missing
    meeting = services.start_recording(meeting, user=world.secretary)
    assert may_state()[0] == "held"

    meeting.conclusion = "Một lần tự lưu."  # an autosave: nothing the board shows
    meeting.save()
    _response, read = cached()
    assert read == []

    sign(complete(meeting, roster), world, roster)
    assert may_state()[0] == "signed"
    # Another commune's board was never touched by this cell.
    far = login(world.far_reviewer)
    far.get(board_url(world.other_commune))
    with CaptureQueriesContext(connection) as queries:
        far.get(board_url(world.other_commune))
    assert meetings_read(queries) == []


def test_the_cache_is_per_organisation_filter_and_language(world, login, board_today):
    client = login(world.admin)
    province = client.get(board_url(world.superior)).content.decode()
    commune = client.get(board_url(world.commune)).content.decode()
    assert 'id="board-summary"' in province and 'id="compliance-board"' in commune
    school = client.get(board_url(world.commune), {"cell_type": "school"})
    assert "board" in school.context  # computed for this filter, not the unfiltered table
    client.cookies.load({"django_language": "en"})
    english = client.get(board_url(world.commune))
    assert "board" in english.context
    assert "Regular monthly meeting, by month" in english.content.decode()


def test_the_province_board_is_small_and_costs_the_same_queries_at_20_times_the_cells(world, login):
    sizes = {}
    for communes in (1, 20):
        superior = Organization(name="Tỉnh ủy", kind=OrganizationKind.SUPERIOR_COMMITTEE)
        superior.save()
        cells = build_tree(superior, communes=communes, cells_per_commune=5)
        build_meetings(cells, [2026], TODAY)
        Role.objects.create(user=world.reviewer, organization=superior, kind=RoleKind.ADMIN)
        sizes[communes] = superior
    client = login(world.reviewer)
    client.get(board_url(sizes[1]))  # warm up
    cache.clear()
    counts, lengths = [], []
    for superior in sizes.values():
        cells = compliance_board(superior, 2026, today=TODAY).tally.cells
        with CaptureQueriesContext(connection) as queries:
            response = client.get(board_url(superior))
        assert response.context["board"].tally.cells == cells
        counts.append(len(queries))
        lengths.append(len(response.content))
    assert counts[0] == counts[1]
    # 100 cells are 20 summary rows: a few hundred bytes each, not a grid of slots.
    assert lengths[1] - lengths[0] < 19 * 1500

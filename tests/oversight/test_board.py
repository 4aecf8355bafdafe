"""The compliance board (oversight/board.py): who sees it, what each slot says, the
totals, and a fixed number of queries however large the subtree."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Meeting, MeetingKind, MeetingStatus, ThematicPlan
from members.models import CellType, Organization, OrganizationKind, Role, RoleKind
from oversight import board as board_module
from oversight.board import compliance_board
from tests.bench.board import build_meetings, build_tree
from tests.factories import CellFactory
from tests.helpers import at

TODAY = date(2026, 6, 15)


def meeting(cell, kind, month, status, *, day=5, year=2026, **fields):
    """A meeting with the numbers the board reads, created without the workflow."""
    scheduled_at = at(year, month, day)
    if status not in (MeetingStatus.PLANNED,):
        fields.setdefault("started_at", scheduled_at)
        fields.setdefault("ended_at", scheduled_at + timedelta(minutes=95))
    if status in (MeetingStatus.SIGNED, MeetingStatus.RETURNED):
        fields.setdefault("signed_at", fields["ended_at"] + timedelta(hours=20))
    if kind == MeetingKind.THEMATIC:
        fields.setdefault("topic", "Chuyên đề")
    return Meeting.objects.create(
        organization=cell, kind=kind, scheduled_at=scheduled_at, status=status, **fields
    )


def board_rows(response):
    return {row.cell: row for row in response.context["board"].rows}


def states(row):
    return [slot.state for slot in row.months]


# -- who sees what ---------------------------------------------------------------------


def test_reviewer_sees_exactly_the_cells_of_the_commune(world, login):
    meeting(world.far_cell, MeetingKind.REGULAR, 1, MeetingStatus.SIGNED)
    response = login(world.reviewer).get(reverse("oversight:board", args=[world.commune.pk, 2026]))
    assert response.status_code == 200
    assert set(board_rows(response)) == {world.cell, world.sibling_cell}
    assert world.far_cell.name not in response.content.decode()


def test_administrator_above_sees_every_cell_grouped_under_its_commune(world, login):
    response = login(world.admin).get(reverse("oversight:board", args=[world.superior.pk, 2026]))
    groups = response.context["board"].groups
    assert [group.committee for group in groups] == [world.commune, world.other_commune]
    assert [[row.cell for row in group.rows] for group in groups] == [
        [world.cell, world.sibling_cell],
        [world.far_cell],
    ]


def test_far_reviewer_sees_only_the_far_commune(world, login):
    client = login(world.far_reviewer)
    response = client.get(reverse("oversight:board", args=[world.other_commune.pk, 2026]))
    assert set(board_rows(response)) == {world.far_cell}
    assert client.get(reverse("oversight:board", args=[world.commune.pk, 2026])).status_code == 404


def test_secretary_cannot_see_the_board(world, login):
    client = login(world.secretary)
    assert client.get(reverse("oversight:board", args=[world.cell.pk, 2026])).status_code == 403
    assert client.get(reverse("oversight:board", args=[world.commune.pk, 2026])).status_code == 404


def test_a_year_out_of_range_is_not_found(world, login):
    client = login(world.reviewer)
    assert client.get(f"/orgs/{world.commune.pk}/board/99999/").status_code == 404


# -- what each slot says -----------------------------------------------------------------


@pytest.fixture
def year_of_meetings(world):
    """world.cell's 2026 so far (today is 15 June 2026), and a little of the sibling's."""
    cell = world.cell
    made = {
        1: meeting(
            cell, MeetingKind.REGULAR, 1, MeetingStatus.SIGNED, present_count=8, summoned_count=10
        ),
        2: meeting(
            cell,
            MeetingKind.REGULAR,
            2,
            MeetingStatus.FINALIZED,
            present_count=9,
            summoned_count=10,
        ),
        3: meeting(cell, MeetingKind.REGULAR, 3, MeetingStatus.PLANNED),
        5: meeting(cell, MeetingKind.REGULAR, 5, MeetingStatus.DRAFT),
        7: meeting(cell, MeetingKind.REGULAR, 7, MeetingStatus.PLANNED),
        "q1": meeting(
            cell,
            MeetingKind.THEMATIC,
            2,
            MeetingStatus.SIGNED,
            day=20,
            present_count=10,
            summoned_count=10,
        ),
        "q3": meeting(cell, MeetingKind.THEMATIC, 8, MeetingStatus.PLANNED, day=20),
    }
    # Signed four days after the meeting: late.
    made["late"] = meeting(
        cell,
        MeetingKind.REGULAR,
        4,
        MeetingStatus.SIGNED,
        present_count=5,
        summoned_count=10,
        signed_at=at(2026, 4, 5) + timedelta(days=4),
    )
    # Not on the board: another kind, another year, a superseded version.
    meeting(cell, MeetingKind.EXTRAORDINARY, 6, MeetingStatus.SIGNED, topic="Kết nạp")
    meeting(cell, MeetingKind.REGULAR, 6, MeetingStatus.SIGNED, year=2025)
    meeting(cell, MeetingKind.REGULAR, 6, MeetingStatus.SUPERSEDED, is_current=False)
    sibling = world.sibling_cell
    meeting(
        sibling, MeetingKind.REGULAR, 1, MeetingStatus.SIGNED, present_count=10, summoned_count=10
    )
    meeting(sibling, MeetingKind.REGULAR, 6, MeetingStatus.PLANNED, day=25)
    meeting(
        sibling, MeetingKind.REGULAR, 5, MeetingStatus.RETURNED, present_count=7, summoned_count=10
    )
    ThematicPlan.objects.create(organization=cell, year=2026, filed_at=at(2026, 1, 10))
    ThematicPlan.objects.create(organization=sibling, year=2026)  # drafted, not filed
    return made


def test_each_month_says_signed_held_planned_missing_or_due(world, year_of_meetings):
    board = compliance_board(world.commune, 2026, today=TODAY)
    rows = {row.cell: row for row in board.rows}
    assert states(rows[world.cell]) == [
        "signed",  # 1
        "held",  # 2: finalized, not signed
        "missing",  # 3: planned, never held
        "signed",  # 4
        "held",  # 5: draft
        "due",  # 6: this month, nothing planned
        "planned",  # 7
        "",
        "",
        "",
        "",
        "",  # still to come
    ]
    assert states(rows[world.sibling_cell])[:6] == [
        "signed",
        "missing",
        "missing",
        "missing",
        "held",
        "planned",
    ]
    assert [slot.state for slot in rows[world.cell].quarters] == ["signed", "due", "planned", ""]
    assert [slot.state for slot in rows[world.sibling_cell].quarters] == ["missing", "due", "", ""]


def test_each_slot_links_to_its_meeting(world, year_of_meetings):
    board = compliance_board(world.commune, 2026, today=TODAY)
    row = next(row for row in board.rows if row.cell == world.cell)
    assert [slot.meeting_id for slot in row.months[:5]] == [
        year_of_meetings[month].pk for month in (1, 2, 3)
    ] + [year_of_meetings["late"].pk, year_of_meetings[5].pk]
    assert row.quarters[0].meeting_id == year_of_meetings["q1"].pk


@pytest.fixture
def board_today(monkeypatch):
    """The page's today: 15 June 2026, whatever the clock says."""
    monkeypatch.setattr(board_module, "timezone", SimpleNamespace(localdate=lambda: TODAY))


def test_the_page_links_slots_to_meetings_and_rows_to_the_cell_year(
    world, login, year_of_meetings, board_today
):
    response = login(world.reviewer).get(reverse("oversight:board", args=[world.commune.pk, 2026]))
    html = response.content.decode()
    for made in year_of_meetings.values():
        assert f'href="{reverse("meetings:detail", args=[made.pk])}"' in html
    assert f'href="{reverse("meetings:cell_year", args=[world.cell.pk, 2026])}"' in html
    table = html[html.index('id="compliance-board"') :]
    for state, symbol in [("signed", "✔"), ("held", "✎"), ("planned", "◷"), ("missing", "✖")]:
        assert f'class="s s-{state}' in table
        assert symbol in table


def test_totals_per_cell_committee_and_subtree(world, year_of_meetings):
    board = compliance_board(world.superior, 2026, today=TODAY)
    rows = {row.cell: row for row in board.rows}
    cell = rows[world.cell].tally
    assert (cell.signed, cell.held, cell.planned, cell.missing, cell.due) == (2, 2, 1, 1, 1)
    assert (cell.thematic_held, cell.thematic_missing, cell.plans_filed) == (1, 0, 1)
    # Finalized and signed minutes: 8 + 9 + 10 + 5 present of 40 summoned.
    assert (cell.present, cell.summoned, cell.attendance_percent) == (32, 40, 80.0)
    # Signed: January and the thematic one within a day, April four days late.
    assert (cell.signed_minutes, cell.signed_on_time, cell.on_time_percent) == (3, 2, 66.7)

    sibling = rows[world.sibling_cell].tally
    assert (sibling.signed, sibling.held, sibling.planned, sibling.missing) == (1, 1, 1, 3)
    assert (sibling.present, sibling.summoned, sibling.plans_filed) == (17, 20, 0)

    commune, other = board.groups
    assert commune.tally.cells == 2
    assert (commune.tally.signed, commune.tally.held, commune.tally.missing) == (3, 3, 4)
    assert (commune.tally.present, commune.tally.summoned) == (49, 60)
    assert commune.tally.plans_filed == 1
    assert commune.month_columns == [2, 1, 0, 1, 2, 0, None, None, None, None, None, None]
    assert commune.quarter_columns == [1, 0, None, None]
    assert other.tally.cells == 1 and other.tally.missing == 5  # far_cell: January to May
    assert board.tally.cells == 3
    assert board.tally.missing == commune.tally.missing + other.tally.missing
    assert board.tally.month_held[0] == 2


def test_filter_by_cell_type(world, login, year_of_meetings):
    world.sibling_cell.cell_type = CellType.SCHOOL
    world.sibling_cell.save()
    board = compliance_board(world.commune, 2026, cell_type=CellType.SCHOOL, today=TODAY)
    assert [row.cell for row in board.rows] == [world.sibling_cell]
    assert board.tally.present == 17
    response = login(world.reviewer).get(
        reverse("oversight:board", args=[world.commune.pk, 2026]), {"cell_type": "school"}
    )
    assert set(board_rows(response)) == {world.sibling_cell}
    response = login(world.reviewer).get(
        reverse("oversight:board", args=[world.commune.pk, 2026]), {"cell_type": "nonsense"}
    )
    assert set(board_rows(response)) == {world.cell, world.sibling_cell}


def test_a_board_on_one_cell_has_one_row(world, year_of_meetings):
    board = compliance_board(world.cell, 2026, today=TODAY)
    assert [row.cell for row in board.rows] == [world.cell]
    assert board.groups[0].committee == world.commune


# -- a fixed number of queries -----------------------------------------------------------


def province(cells_per_commune, communes):
    superior = Organization(name="Tỉnh ủy", kind=OrganizationKind.SUPERIOR_COMMITTEE)
    superior.save()
    cells = build_tree(superior, communes=communes, cells_per_commune=cells_per_commune)
    build_meetings(cells, range(2022, 2027), TODAY)
    return superior, cells


def queries_for(call):
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def test_the_board_costs_the_same_queries_for_20_times_the_cells(world, login):
    # The province-sized figures (500 cells, over 30,000 meetings) are a benchmark:
    # tests/bench/board_queries.py.
    small, small_cells = province(cells_per_commune=2, communes=1)
    large, large_cells = province(cells_per_commune=10, communes=4)
    assert (len(small_cells), len(large_cells)) == (2, 40)
    small_meetings = Meeting.objects.filter(organization__in=small_cells).count()
    assert Meeting.objects.filter(organization__in=large_cells).count() >= 15 * small_meetings
    # Cells, meetings, plans, the national app's marks, the rating's counts.
    assert queries_for(lambda: compliance_board(small, 2026, today=TODAY)) == 5
    assert queries_for(lambda: compliance_board(large, 2026, today=TODAY)) == 5

    for superior in (small, large):
        Role.objects.create(user=world.reviewer, organization=superior, kind=RoleKind.ADMIN)
    client = login(world.reviewer)
    client.get(reverse("oversight:board", args=[small.pk, 2026]))  # warm up
    cache.clear()  # the board's table is cached: measure it computed
    small_page = queries_for(lambda: client.get(reverse("oversight:board", args=[small.pk, 2026])))
    with CaptureQueriesContext(connection) as large_page:
        response = client.get(reverse("oversight:board", args=[large.pk, 2026]))
    assert len(response.context["board"].rows) == 40
    assert small_page == len(large_page)
    # Cached, neither page reads a meeting.
    for superior in (small, large):
        with CaptureQueriesContext(connection) as cached:
            client.get(reverse("oversight:board", args=[superior.pk, 2026]))
        assert not any("meetings_meeting" in query["sql"] for query in cached)
        assert len(cached) < small_page


def test_cells_built_in_bulk_have_real_paths(world):
    superior, cells = province(cells_per_commune=2, communes=2)
    assert set(Organization.objects.subtree_of(superior).cells()) == set(cells)
    created_later = CellFactory(parent=cells[0].parent)
    assert created_later.path.startswith(cells[0].parent.path)

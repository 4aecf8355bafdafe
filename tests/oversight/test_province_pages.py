"""A whole province at the speed of a small one (issue 23): above the communes the
statistics, the delegates, their visits and the month's schedule show one summary row per
organisation directly below, linking down; the same number of queries for 6 cells as
for 400, and a page that stays small."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.models import DelegateAssignment, Organization, OrganizationKind, Role, RoleKind
from oversight.models import ScheduleRegistration
from tests.bench.board import build_meetings, build_tree
from tests.factories import UserFactory
from tests.helpers import at

YEAR, MONTH = 2026, 3
TODAY = date(2026, 6, 15)
BIG_COMMUNES, CELLS_PER_COMMUNE = 40, 10
# 40 summary rows of a few hundred bytes: far below a row per cell (400 cells).
PAGE_BOUND = 120_000


@pytest.fixture
def province(db):
    superior = Organization.objects.create(
        name="Tỉnh ủy Thử", kind=OrganizationKind.SUPERIOR_COMMITTEE
    )
    reviewer = UserFactory(username="tinh-uy-vien")
    Role.objects.create(user=reviewer, organization=superior, kind=RoleKind.SUPERIOR_REVIEWER)
    return superior, reviewer


def grow(superior, reviewer, communes):
    """`communes` more communes with their cells, a year of meetings, a registration
    and a running delegate for every cell."""
    cells = build_tree(superior, communes=communes, cells_per_commune=CELLS_PER_COMMUNE)
    build_meetings(cells, [YEAR], TODAY)
    now = timezone.now()
    ScheduleRegistration.objects.bulk_create(
        ScheduleRegistration(
            cell=cell,
            year=YEAR,
            month=MONTH,
            scheduled_at=at(YEAR, MONTH, 1 + index % 28, 19),
            location="Nhà văn hóa",
            registered_at=now,
        )
        for index, cell in enumerate(cells)
    )
    DelegateAssignment.objects.bulk_create(
        DelegateAssignment(
            superior=superior,
            delegate=reviewer,
            cell=cell,
            title="Tỉnh ủy viên",
            started_on=TODAY - timedelta(days=30),
        )
        for cell in cells[::2]  # half the cells followed
    )
    return cells


def pages(superior):
    return {
        "statistics": reverse("oversight:statistics", args=[superior.pk, YEAR]),
        "delegates": reverse("oversight:delegates", args=[superior.pk]),
        "schedule": reverse("oversight:schedule_month", args=[superior.pk, YEAR, MONTH]),
        "visits": reverse("oversight:delegate_visits", args=[superior.pk]),
    }


def measure(client, url):
    client.get(url)  # session, caches: the same for both sizes afterwards
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.content), response


@pytest.mark.parametrize("name", ["statistics", "delegates", "schedule", "visits"])
def test_the_province_pages_cost_the_same_and_stay_small(province, login, name):
    superior, reviewer = province
    client = login(reviewer)
    grow(superior, reviewer, 2)
    url = pages(superior)[name]
    few_queries, few_bytes, _response = measure(client, url)
    cells = grow(superior, reviewer, BIG_COMMUNES - 2)
    many_queries, many_bytes, response = measure(client, url)
    assert many_queries == few_queries
    assert many_bytes < PAGE_BOUND, many_bytes
    summary = response.context["summary"]
    assert len(summary) == BIG_COMMUNES
    html = response.content.decode()
    commune = cells[0].parent
    assert f'id="{name}-org-{commune.pk}"' in html
    if name != "delegates":  # the delegates' picker offers every cell (grouped)
        assert cells[0].name not in html


def test_the_summary_rows_add_up_and_link_down(province, login):
    superior, reviewer = province
    cells = grow(superior, reviewer, 3)
    commune = cells[0].parent
    client = login(reviewer)
    statistics = client.get(pages(superior)["statistics"]).context
    rows = {row.organization: row for row in statistics["summary"]}
    assert rows[commune].cells == CELLS_PER_COMMUNE
    assert sum(row.figures.meetings_held for row in rows.values()) == (
        statistics["statistics"].totals.meetings_held
    )
    html = client.get(pages(superior)["statistics"]).content.decode()
    assert pages(commune)["statistics"] in html
    # The commune's own page lists its cells.
    response = client.get(pages(commune)["statistics"])
    assert response.context["summary"] is None
    assert cells[0].name in response.content.decode()

    schedule = client.get(pages(superior)["schedule"])
    counts = {row.organization: row.counts for row in schedule.context["summary"]}
    assert counts[commune]["registered"] == CELLS_PER_COMMUNE
    assert pages(commune)["schedule"] in schedule.content.decode()
    assert cells[0].name in client.get(pages(commune)["schedule"]).content.decode()

    delegates = client.get(pages(superior)["delegates"])
    unfollowed = {row.organization: row.unfollowed for row in delegates.context["summary"]}
    assert unfollowed[commune] == CELLS_PER_COMMUNE // 2
    assert delegates.context["unfollowed_count"] == 3 * CELLS_PER_COMMUNE // 2

    visits = client.get(pages(superior)["visits"], {"from": "01/01/2026", "to": "30/06/2026"})
    held = {row.organization: row.meetings_held for row in visits.context["summary"]}
    assert sum(held.values()) == visits.context["report"].total_meetings_held > 0
    assert f"{pages(commune)['visits']}?from=01%2F01%2F2026" in visits.content.decode()
    assert cells[0].name in client.get(pages(commune)["visits"]).content.decode()


def test_running_assignments_come_a_page_at_a_time(province, login):
    superior, reviewer = province
    grow(superior, reviewer, 12)  # 60 running assignments
    client = login(reviewer)
    first = client.get(pages(superior)["delegates"])
    assert (first.context["page"].paginator.count, len(first.context["running"])) == (60, 50)
    second = client.get(pages(superior)["delegates"], {"page": 2})
    assert len(second.context["running"]) == 10


def test_the_cell_picker_groups_the_cells_by_commune(province, login):
    superior, reviewer = province
    cells = grow(superior, reviewer, 2)
    html = login(reviewer).get(pages(superior)["delegates"]).content.decode()
    commune = cells[0].parent
    group = html.split(f'<optgroup label="{commune.name}">')[1].split("</optgroup>")[0]
    assert group.count("<option") == CELLS_PER_COMMUNE
    assert f'<option value="{cells[0].pk}">{cells[0].name}</option>' in group

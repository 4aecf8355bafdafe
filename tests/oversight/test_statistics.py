"""Statistics of a subtree: exact figures on a small hand-built year, the same totals in
Excel and in print, and nobody but reviewers (within their subtree) sees them."""

import io
from datetime import date

import openpyxl
import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, MeetingStatus, Review, ReviewVerdict
from members.models import ActivityStatus, MembershipStatus
from oversight import statistics
from resolutions.models import Resolution, Task, TaskStatus
from tests.factories import MemberFactory
from tests.helpers import at
from tests.printing.pdftools import flat, pdf_text

YEAR = 2025
TODAY = date(2026, 1, 15)  # the whole of 2025 is over: every quarter is due


def held(cell, month, kind="regular", status=MeetingStatus.FINALIZED, counts=None, day=5, **kw):
    present, summoned = counts or (None, None)
    return Meeting.objects.create(
        organization=cell,
        kind=kind,
        topic="" if kind == "regular" else "Chuyên đề",
        scheduled_at=at(kw.pop("year", YEAR), month, day),
        status=status,
        present_count=present,
        summoned_count=summoned,
        **kw,
    )


@pytest.fixture
def year_of_meetings(world):
    """2025 in the commune (cell and sibling_cell), with what must not count around it.

    cell:    regular Jan 8/10, Feb 9/10, thematic Mar 7/10, a planned Apr, May returned
             and corrected (the correction is a draft); tasks: 1 done, 1 overdue, 1 open.
    sibling: regular Jan 5/6, thematic May 4/5 and Jun 3/5 (same quarter),
             extraordinary Jul (draft).
    """
    cell, sibling = world.cell, world.sibling_cell
    january = held(cell, 1, counts=(8, 10))
    held(cell, 2, counts=(9, 10))
    held(cell, 3, kind="thematic", counts=(7, 10))
    held(cell, 4, status=MeetingStatus.PLANNED)
    returned = held(cell, 5, status=MeetingStatus.SIGNED, counts=(6, 10), is_current=False)
    Meeting.objects.filter(pk=returned.pk).update(status=MeetingStatus.RETURNED)
    Meeting.objects.filter(pk=returned.pk).update(status=MeetingStatus.SUPERSEDED)
    Review.objects.create(
        meeting=returned, reviewer=world.reviewer, verdict=ReviewVerdict.RETURNED, comment="Sửa"
    )
    held(cell, 5, status=MeetingStatus.DRAFT)
    held(cell, 6, counts=(1, 1), year=YEAR - 1)  # another year

    held(sibling, 1, counts=(5, 6))
    held(sibling, 5, kind="thematic", counts=(4, 5))
    held(sibling, 6, kind="thematic", counts=(3, 5))
    held(sibling, 7, kind="extraordinary", status=MeetingStatus.DRAFT)

    held(world.far_cell, 1, counts=(2, 2))  # another commune

    resolution = Resolution(meeting=january, number=1, title="Nghị quyết tháng 1")
    resolution.save()
    for title, due_on, status in [
        ("Thu đảng phí", date(2025, 1, 31), TaskStatus.DONE),
        ("Sửa đường", date(2025, 2, 28), TaskStatus.OPEN),
        ("Trồng cây", date(2026, 6, 30), TaskStatus.IN_PROGRESS),
    ]:
        Task.objects.create(
            resolution=resolution, title=title, lead=world.member, due_on=due_on, status=status
        )

    MemberFactory(organization=cell, full_name="Đỗ Thị Gấm", status=MembershipStatus.PROBATIONARY)
    MemberFactory(organization=cell, full_name="Bùi Văn Hậu", activity_status=ActivityStatus.EXEMPT)
    MemberFactory(organization=cell, full_name="Vũ Văn Em", activity_status=ActivityStatus.DECEASED)
    MemberFactory(
        organization=sibling,
        full_name="Ngô Thị Kim",
        status=MembershipStatus.PROBATIONARY,
        activity_status=ActivityStatus.AWAY,
    )
    MemberFactory(organization=world.far_cell, full_name="Lý Văn Xa")


def test_the_figures_of_a_commune_for_a_year(world, year_of_meetings):
    result = statistics.subtree_statistics(world.commune, YEAR, today=TODAY)
    totals = result.totals

    assert [row.cell for row in result.cells] == [world.cell, world.sibling_cell]
    assert totals.meetings_by_kind == {
        "regular": 4,
        "thematic": 3,
        "committee": 0,
        "extraordinary": 1,
        "party_group": 0,
    }
    assert totals.meetings_held == 8
    assert (totals.present, totals.summoned) == (8 + 9 + 7 + 5 + 4 + 3, 10 + 10 + 10 + 6 + 5 + 5)
    assert totals.attendance_percent == 78.3  # 36 / 46
    assert (totals.thematic_quarters, totals.quarters_due) == (2, 8)
    assert totals.thematic_percent == 25.0
    assert totals.minutes_returned == 1
    assert (totals.tasks_assigned, totals.tasks_done, totals.tasks_overdue) == (3, 1, 1)
    assert totals.members_by_membership == {"official": 3, "probationary": 2}
    assert totals.members_by_activity == {
        "active": 3,
        "exempt": 1,
        "away": 1,
        "transferred": 0,
        "removed": 0,
        "expelled": 0,
        "deceased": 1,
    }

    cell, sibling = (row.figures for row in result.cells)
    assert (cell.meetings_held, cell.attendance_percent) == (4, 80.0)
    assert (cell.thematic_quarters, cell.quarters_due, cell.minutes_returned) == (1, 4, 1)
    assert (sibling.meetings_held, sibling.attendance_percent) == (4, 75.0)
    assert (sibling.thematic_quarters, sibling.other_meetings) == (1, 1)
    assert sibling.tasks_assigned == 0


def test_some_months_only(world, year_of_meetings):
    result = statistics.subtree_statistics(
        world.commune, YEAR, first_month=1, last_month=3, today=TODAY
    )
    assert result.totals.meetings_held == 4  # cell Jan, Feb, Mar; sibling Jan
    assert (result.totals.thematic_quarters, result.totals.quarters_due) == (1, 2)
    assert result.totals.minutes_returned == 0


def test_a_quarter_under_way_is_due_only_once_its_thematic_meeting_is_held(world):
    held(world.cell, 10, kind="thematic", counts=(5, 5), year=2026)
    result = statistics.subtree_statistics(world.commune, 2026, today=date(2026, 11, 22))
    cell, sibling = (row.figures for row in result.cells)
    assert (cell.thematic_quarters, cell.quarters_due) == (1, 4)  # Q1–Q3, and Q4 done early
    assert (sibling.thematic_quarters, sibling.quarters_due) == (0, 3)


def test_a_superior_sees_every_commune_and_a_cell_only_itself(world, year_of_meetings):
    province = statistics.subtree_statistics(world.superior, YEAR, today=TODAY)
    assert [row.cell for row in province.cells] == [world.cell, world.sibling_cell, world.far_cell]
    assert province.totals.meetings_held == 9
    one_cell = statistics.subtree_statistics(world.cell, YEAR, today=TODAY)
    assert [row.cell for row in one_cell.cells] == [world.cell]
    assert one_cell.totals.meetings_held == 4


def test_the_figures_cost_a_fixed_number_of_queries(world, year_of_meetings):
    with CaptureQueriesContext(connection) as queries:
        statistics.subtree_statistics(world.superior, YEAR, today=TODAY)
    assert len(queries) == 5
    for month in range(8, 13):
        held(world.sibling_cell, month, counts=(4, 5))
        MemberFactory(organization=world.far_cell)
    with CaptureQueriesContext(connection) as more:
        statistics.subtree_statistics(world.superior, YEAR, today=TODAY)
    assert len(more) == 5


# -- the page and the exports -----------------------------------------------------------


def url(name, organization, year=YEAR):
    return reverse(f"oversight:{name}", args=[organization.pk, year])


def test_the_page_shows_the_figures_and_a_row_per_cell(world, login, year_of_meetings):
    response = login(world.reviewer).get(url("statistics", world.commune))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-figure="meetings_held">8<' in html
    assert 'data-figure="minutes_returned">1<' in html
    assert "progress-bar" in html  # the bars are plain CSS
    assert "<script" not in html.split("</footer>")[0].split("<main")[1]
    assert world.cell.name in html and world.sibling_cell.name in html
    assert world.far_cell.name not in html
    assert url("statistics_xlsx", world.commune) in html
    assert url("statistics_pdf", world.commune) in html


def test_the_page_takes_some_months_and_the_exports_follow(world, login, year_of_meetings):
    client = login(world.reviewer)
    response = client.get(url("statistics", world.commune), {"from": "1", "to": "3"})
    assert response.context["statistics"].totals.meetings_held == 4
    assert f"{url('statistics_xlsx', world.commune)}?from=1&amp;to=3" in response.content.decode()
    response = client.get(url("statistics", world.commune), {"from": "6", "to": "2"})
    assert "to" in response.context["form"].errors
    assert response.context["statistics"].is_whole_year


def test_the_excel_totals_equal_the_totals_on_screen(world, login, year_of_meetings):
    client = login(world.reviewer)
    on_screen = client.get(url("statistics", world.commune)).context["statistics"].totals

    response = client.get(url("statistics_xlsx", world.commune))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Tổng hợp", "Theo chi bộ"]
    summary = {row[0]: row[1] for row in workbook["Tổng hợp"].iter_rows(values_only=True) if row}
    assert summary["Số cuộc sinh hoạt đã tổ chức"] == on_screen.meetings_held == 8
    assert summary["  Sinh hoạt thường kỳ"] == 4
    assert summary["Tỷ lệ đảng viên dự sinh hoạt (%)"] == on_screen.attendance_percent
    assert summary["Số lần biên bản bị trả lại"] == on_screen.minutes_returned
    assert summary["Nhiệm vụ quá hạn"] == on_screen.tasks_overdue
    assert summary["Đảng viên trong danh sách sinh hoạt"] == on_screen.members_on_roster == 5

    rows = list(workbook["Theo chi bộ"].iter_rows(values_only=True))
    headings, cells, total = rows[0], rows[1:-1], rows[-1]
    assert headings[:3] == ("TT", "Chi bộ", "Sinh hoạt thường kỳ")
    assert [row[1] for row in cells] == [world.cell.name, world.sibling_cell.name]
    assert total[1] == "Tổng cộng"
    column = {heading: index for index, heading in enumerate(headings)}
    assert total[column["Tổng số cuộc"]] == on_screen.meetings_held
    assert total[column["Lượt có mặt"]] == on_screen.present
    assert total[column["Tỷ lệ dự sinh hoạt (%)"]] == 78.3
    assert total[column["Nhiệm vụ được giao"]] == on_screen.tasks_assigned
    assert total[column["Đảng viên dự bị"]] == 2
    for index in range(2, len(headings)):  # numbers as numbers, and the total adds up
        values = [row[index] for row in cells]
        assert all(isinstance(value, int | float) for value in values)
        if not headings[index].endswith("(%)"):
            assert sum(values) == total[index]


def test_the_printed_report_has_its_headings_and_figures(world, login, year_of_meetings):
    response = login(world.admin).get(url("statistics_pdf", world.commune))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = flat(pdf_text(response.content))
    for heading in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "BÁO CÁO THỐNG KÊ",
        "Tình hình sinh hoạt chi bộ – Năm 2025",
        "SỐ CUỘC SINH HOẠT ĐÃ TỔ CHỨC",
        "TỶ LỆ ĐẢNG VIÊN DỰ SINH HOẠT",
        "SINH HOẠT CHUYÊN ĐỀ",
        "SỐ LIỆU THEO CHI BỘ",
    ]:
        assert heading in text, heading
    assert "đạt 78,3%" in text
    assert world.sibling_cell.name in text
    assert "Tổng cộng" in text


def test_another_communes_reviewer_gets_404(world, login, year_of_meetings):
    client = login(world.far_reviewer)
    for name in ("statistics", "statistics_xlsx", "statistics_pdf"):
        assert client.get(url(name, world.commune)).status_code == 404
    own = client.get(url("statistics", world.other_commune)).context["statistics"]
    assert [row.cell for row in own.cells] == [world.far_cell]
    assert own.totals.meetings_held == 1


def test_a_year_out_of_range_is_not_found(world, login):
    assert login(world.admin).get(url("statistics", world.commune, 1990)).status_code == 404


@pytest.mark.parametrize(
    ("role", "organization", "links"),
    [
        ("reviewer", "commune", ["statistics", "delegates", "delegate_visits"]),
        ("reviewer", "cell", ["statistics"]),
        ("secretary", "cell", []),
    ],
)
def test_the_oversight_links_show_to_reviewers_only(world, role, organization, links):
    request = RequestFactory().get("/")
    request.user = world.user(role)
    organization = getattr(world, organization)
    html = Template("{% load delegate_tags %}{% oversight_links organization %}").render(
        Context({"request": request, "organization": organization})
    )
    for name in ["statistics", "delegates", "delegate_visits"]:
        if name == "statistics":
            link = url("statistics", organization, timezone.localdate().year)
        else:
            link = reverse(f"oversight:{name}", args=[organization.pk])
        assert (link in html) == (name in links), name

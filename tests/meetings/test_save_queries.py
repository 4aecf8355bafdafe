"""Opening and saving the minutes cost the same number of queries whatever the cell's
size (issue 23: saving a 2,000-member cell's attendance cost one query per member)."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cellmeet.text import name_sort_key
from meetings.models import AttendanceStatus
from members.models import Member, RoleKind
from tests.factories import CellFactory, RoleFactory
from tests.helpers import at, meeting_maker
from tests.meetings.formdata import record_post_data

SIZES = (36, 500, 2000)


def cell_of(world, size):
    """A cell of `size` members (built in one insert), its secretary and a draft."""
    cell = CellFactory(name=f"Chi bộ {size} đảng viên", parent=world.commune)
    names = [f"Đảng viên {index:04d}" for index in range(size)]
    Member.objects.bulk_create(
        Member(
            organization=cell,
            full_name=name,
            sort_key=name_sort_key(name),
            status="official",
            admitted_on=date(2000, 1, 1),
        )
        for name in names
    )
    secretary = RoleFactory(organization=cell, kind=RoleKind.CELL_SECRETARY).user
    world_of_cell = type("CellWorld", (), {"cell": cell, "secretary": secretary})
    meeting = meeting_maker(world_of_cell)(when=at(2026, 10, 5))
    assert meeting.attendances.count() == size
    return meeting, secretary


def everyone_marked(response):
    """All present but the first, excused with a reason: every row changes (a large
    cell's attendance is shown a page at a time: "mark everyone not yet marked as
    present" marks the rows of every page)."""
    data = {"all_present": "1"}
    for index, form in enumerate(response.context["editor"].attendance.forms):
        excused = index == 0
        data[f"{form.prefix}-status"] = (
            AttendanceStatus.ABSENT_EXCUSED if excused else AttendanceStatus.PRESENT
        )
        data[f"{form.prefix}-reason"] = "Ốm" if excused else ""
    return data


def queries_of_opening_and_saving(client, url, **extra):
    with CaptureQueriesContext(connection) as opening:
        response = client.get(url)
    assert response.status_code == 200
    data = record_post_data(response, **everyone_marked(response), **extra)
    with CaptureQueriesContext(connection) as saving:
        response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    return {"open": len(opening), "save": len(saving)}


def saves_at_each_size(world, login, url_of, **extra):
    counts = {}
    for size in SIZES:
        meeting, secretary = cell_of(world, size)
        client = login(secretary)
        counts[size] = queries_of_opening_and_saving(client, url_of(meeting), **extra)
        marked = meeting.attendances.values_list("status", flat=True)
        assert set(marked) == {AttendanceStatus.PRESENT, AttendanceStatus.ABSENT_EXCUSED}
        # every row changed, and each change is in the audit trail
        assert (
            meeting.attendances.model.history.filter(
                meeting_id=meeting.pk, history_type="~"
            ).count()
            == size
        )
    return counts


def same_everywhere(counts):
    return len({str(figures) for figures in counts.values()}) == 1


def test_the_attendance_step_costs_the_same_queries_at_any_cell_size(world, login):
    counts = saves_at_each_size(
        world,
        login,
        lambda meeting: reverse("meetings:record_step", args=[meeting.pk, "attendance"]),
    )
    print("attendance step queries", counts)
    assert same_everywhere(counts), counts


def test_the_one_page_form_costs_the_same_queries_at_any_cell_size(world, login):
    counts = saves_at_each_size(
        world,
        login,
        lambda meeting: reverse("meetings:record", args=[meeting.pk]),
        conclusion="Chi bộ thống nhất các nhiệm vụ tháng 11.",
        **{"guests-0-name": "Trần Văn Khách", "speeches-0-guest_name": "Trần Văn Khách"},
        **{"speeches-0-summary": "Đề nghị làm đường liên thôn."},
    )
    print("one-page form queries", counts)
    assert same_everywhere(counts), counts

"""Lists that can grow (issue 13): the reviewer's meeting list and the review queue
cut the page before counting attendance; members, organisations and tasks come a
page at a time; every list costs the same queries at 1× and 20× the data."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Attendance, AttendanceStatus, Meeting, MeetingStatus
from members.models import MembershipStatus
from resolutions.models import Resolution, Task
from tests.factories import CellFactory, MemberFactory
from tests.helpers import at

MEETING_LIST = reverse("meetings:list")
QUEUE = reverse("oversight:review_queue")


def signed_meetings(cell, count, start=0):
    """Signed minutes awaiting review, each with three attendance rows."""
    members = list(cell.members.all()[:3])
    members += [MemberFactory(organization=cell) for _ in range(3 - len(members))]
    meetings = Meeting.objects.bulk_create(
        Meeting(
            organization=cell,
            kind="extraordinary",
            year=2026,
            month=1 + (start + index) % 12,
            scheduled_at=at(2026, 1 + (start + index) % 12, 1 + (start + index) % 28),
            started_at=at(2026, 1, 1),
            ended_at=at(2026, 1, 1) + timedelta(minutes=100),
            status=MeetingStatus.SIGNED,
            signed_at=timezone.now() - timedelta(hours=start + index),
            present_count=2,
            summoned_count=3,
            votes_for=2,
        )
        for index in range(count)
    )
    Attendance.objects.bulk_create(
        Attendance(
            meeting=meeting,
            member=member,
            status=AttendanceStatus.PRESENT if number else AttendanceStatus.ABSENT_EXCUSED,
            membership_at_meeting=MembershipStatus.OFFICIAL,
            activity_at_meeting="active",
        )
        for meeting in meetings
        for number, member in enumerate(members)
    )
    return meetings


def queries_of(client, url, data=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data)
    assert response.status_code == 200
    return response, [query["sql"] for query in queries]


def attendance_counts(sqls):
    return [sql for sql in sqls if "meetings_attendance" in sql]


@pytest.mark.parametrize("url", [MEETING_LIST, QUEUE])
def test_reviewer_lists_count_attendance_for_the_page_only_at_1_and_20_times(
    world, login, url, django_assert_num_queries
):
    client = login(world.reviewer)
    cells = [world.cell, world.sibling_cell]
    for cell in cells:
        signed_meetings(cell, 5)
    client.get(url)  # warm up
    response, small = queries_of(client, url)
    assert len(response.context["page"].object_list) == 10
    for cell in cells:
        signed_meetings(cell, 95, start=5)  # 20 times the minutes
    with django_assert_num_queries(len(small)):
        response = client.get(url)
    page = response.context["page"]
    assert (page.paginator.count, len(page.object_list)) == (200, 50)
    _response, large = queries_of(client, url, {"page": 3})
    assert len(large) == len(small)
    # The counts read the page's rows only: every query naming the attendance rows is
    # restricted to ids (the page's; the queue's warnings also read the absences at the
    # previous meetings of those cells, meetings.warnings).
    counts = attendance_counts(large)
    assert counts and all(" IN (" in sql for sql in counts)
    if url == MEETING_LIST:
        shown = {meeting.pk: meeting for meeting in page.object_list}
        first = next(iter(shown.values()))
        assert (first.attendance_present, first.attendance_summoned) == (2, 3)


def test_the_queue_rows_keep_their_counts_and_order(world, login):
    signed_meetings(world.cell, 60)
    response = login(world.reviewer).get(QUEUE, {"page": 2})
    rows = response.context["rows"]
    assert len(rows) == 10
    signed_at = [row.meeting.signed_at for row in rows]
    assert signed_at == sorted(signed_at)  # oldest signature first
    assert all(row.vote_count.denominator == 3 for row in rows)
    assert all(row.attendance_percent is not None for row in rows)


def test_members_come_a_page_at_a_time_for_the_same_queries(world, login):
    client = login(world.secretary)
    url = reverse("members:member_list", args=[world.cell.pk])
    for index in range(4):
        MemberFactory(organization=world.cell, full_name=f"Lê Văn Số {index}")
    client.get(url)
    response, small = queries_of(client, url)
    few = response.context["page"].paginator.count
    for index in range(100):
        MemberFactory(organization=world.cell, full_name=f"Trần Thị Số {index}")
    response, large = queries_of(client, url)
    page = response.context["page"]
    assert (page.paginator.count, len(page.object_list)) == (few + 100, 50)
    assert len(large) == len(small)
    html = response.content.decode()
    assert f"{few + 100} đảng viên" in html or f"{few + 100} members" in html
    assert 'rel="next" href="?page=2"' in html
    last, _sqls = queries_of(client, url, {"page": "999"})  # out of range: the last page
    assert last.context["page"].number == 3
    former, _sqls = queries_of(client, url, {"former": "1", "page": "2"})
    assert 'href="?former=1&amp;page=3"' in former.content.decode()


def test_organisations_come_a_page_at_a_time_for_the_same_queries(world, login):
    client = login(world.admin)
    url = reverse("members:organization_list")
    client.get(url)
    response, small = queries_of(client, url)
    before = response.context["page"].paginator.count
    for index in range(60):
        cell = CellFactory(parent=world.commune, name=f"Chi bộ số {index}")
        MemberFactory(organization=cell)
    response, large = queries_of(client, url)
    page = response.context["page"]
    assert (page.paginator.count, len(page.object_list)) == (before + 60, 50)
    assert len(large) == len(small)
    second, _sqls = queries_of(client, url, {"page": 2})
    numbered = [org for org in second.context["organizations"] if org.name.startswith("Chi bộ số")]
    assert numbered and all(org.member_count == 1 for org in numbered)


def test_my_tasks_come_a_page_at_a_time(world, login):
    world.member.user = world.secretary
    world.member.save()
    meeting = Meeting.objects.create(
        organization=world.cell, kind="regular", scheduled_at=at(2026, 9, 5), status="draft"
    )
    resolution = Resolution.objects.create(meeting=meeting, number=1, title="NQ")

    def tasks(count, start):
        Task.objects.bulk_create(
            Task(
                resolution=resolution,
                organization=world.cell,
                title=f"Việc {index}",
                lead=world.member,
                due_on=date(2026, 10, 1),
                current_due_on=date(2026, 10, 1),
            )
            for index in range(start, start + count)
        )

    client = login(world.secretary)
    url = reverse("resolutions:my_tasks")
    tasks(3, 0)
    client.get(url)
    response, small = queries_of(client, url)
    assert len(response.context["tasks"]) == 3
    tasks(57, 3)
    response, large = queries_of(client, url)
    assert (response.context["page"].paginator.count, len(response.context["tasks"])) == (60, 50)
    assert len(large) == len(small)
    assert len(client.get(url, {"page": 2}).context["tasks"]) == 10

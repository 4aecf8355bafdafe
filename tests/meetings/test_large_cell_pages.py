"""The recording pages of a 2,000-member cell stay light (issue 23): one list of the
members for every box that picks one, and the attendance shown a page at a time.

Sizes and query counts only (never time): every step and the one-page form under
300 kB at 2,000 members, and the same number of queries at 36 and at 2,000."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.attendance_pages import ATTENDANCE_PAGE_SIZE
from meetings.models import AttendanceStatus, Speech
from meetings.steps import NAMES
from members.models import Member
from resolutions.models import Resolution, Task
from tests.meetings.formdata import record_post_data
from tests.meetings.test_save_queries import cell_of

LIGHT = 300_000  # bytes of HTML


def pages_of(meeting):
    urls = {name: reverse("meetings:record_step", args=[meeting.pk, name]) for name in NAMES}
    urls["one page"] = reverse("meetings:record", args=[meeting.pk])
    return urls


def with_rows(meeting):
    """A speech, a task with a lead and two helpers: rows that pick members."""
    members = list(Member.objects.filter(organization=meeting.organization)[:3])
    Speech.objects.create(meeting=meeting, speaker=members[0], summary="Ý kiến", order=1)
    resolution = Resolution.objects.create(meeting=meeting, number="1", title="Nghị quyết")
    task = Task.objects.create(
        resolution=resolution, title="Làm đường", lead=members[0], due_on=date(2026, 12, 1)
    )
    task.assignees.set(members[1:])
    return members


def measured(meeting, client):
    sizes, queries = {}, {}
    for name, url in pages_of(meeting).items():
        with CaptureQueriesContext(connection) as counted:
            response = client.get(url)
        assert response.status_code == 200, name
        sizes[name] = len(response.content)
        queries[name] = len(counted)
    return sizes, queries


def signed_in(user):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def cells(world):
    built = {}
    for size in (36, 2000):
        meeting, secretary = cell_of(world, size)
        with_rows(meeting)
        built[size] = (meeting, signed_in(secretary))
    return built


def test_every_page_of_a_2000_member_cell_is_light_and_costs_the_queries_of_36(cells):
    small_sizes, small_queries = measured(*cells[36])
    large_sizes, large_queries = measured(*cells[2000])
    print("bytes at 36", small_sizes, "at 2000", large_sizes)
    assert all(size < LIGHT for size in large_sizes.values()), large_sizes
    assert large_queries == small_queries


def test_the_page_lists_the_members_once_and_picks_them_by_name(cells):
    meeting, client = cells[2000]
    html = client.get(reverse("meetings:record", args=[meeting.pk])).content.decode()
    assert html.count("<datalist") == 1
    assert html.count('list="cell-members"') >= 6  # chair, note taker, speakers, lead, helpers
    # no <option> list per box: the member options are the datalist's only
    assert html.count("<option") < 2000 + 200


def test_a_name_typed_without_javascript_is_found_and_an_unknown_one_refused(cells):
    meeting, client = cells[36]
    url = reverse("meetings:record_step", args=[meeting.pk, "opening"])
    chair, note_taker = Member.objects.filter(organization=meeting.organization)[4:6]
    page = client.get(url)
    # the chair as listed; the note taker typed without tone marks or capitals
    plain = "dang vien " + note_taker.full_name.split()[-1]
    sent = client.post(
        url, record_post_data(page, chair=chair.full_name, note_taker=plain, stay="")
    )
    assert sent.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.chair, meeting.note_taker) == (chair, note_taker)

    refused = client.post(url, record_post_data(page, chair="Người Lạ Mặt", stay=""))
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Không có đảng viên nào của chi bộ tên là “Người Lạ Mặt”" in html
    assert 'value="Người Lạ Mặt"' in html  # kept in the box
    meeting.refresh_from_db()
    assert meeting.chair == chair


def test_helpers_typed_as_names_separated_by_semicolons(cells):
    meeting, client = cells[36]
    url = reverse("meetings:record_step", args=[meeting.pk, "closing"])
    members = list(Member.objects.filter(organization=meeting.organization)[5:8])
    page = client.get(url)
    names = "; ".join(member.full_name for member in members)
    sent = client.post(url, record_post_data(page, **{"tasks-0-assignees": names, "stay": ""}))
    assert sent.status_code == 302, sent.context and sent.context["errors"]
    task = Task.objects.get(resolution__meeting=meeting)
    assert set(task.assignees.all()) == set(members)

    refused = client.post(
        url, record_post_data(page, **{"tasks-0-assignees": f"{names}; Ai Đó", "stay": ""})
    )
    assert refused.status_code == 200
    assert "Ai Đó" in refused.content.decode()
    assert set(task.assignees.all()) == set(members)


def test_namesakes_are_listed_apart(world, login):
    meeting, secretary = cell_of(world, 36)
    for year in (1970, 1985):
        Member.objects.create(
            organization=meeting.organization,
            full_name="Nguyễn Văn Trùng",
            birth_date=date(year, 1, 1),
            admitted_on=date(2000, 1, 1),
        )
    client = login(secretary)
    url = reverse("meetings:record_step", args=[meeting.pk, "opening"])
    page = client.get(url)
    html = page.content.decode()
    assert '<option value="Nguyễn Văn Trùng (1970)">' in html
    assert '<option value="Nguyễn Văn Trùng (1985)">' in html
    sent = client.post(url, record_post_data(page, chair="Nguyễn Văn Trùng (1985)", stay=""))
    assert sent.status_code == 302
    meeting.refresh_from_db()
    assert meeting.chair.birth_date == date(1985, 1, 1)
    # the bare name is several members': refused, not guessed
    refused = client.post(url, record_post_data(page, chair="Nguyễn Văn Trùng", stay=""))
    assert refused.status_code == 200


def test_a_large_attendance_is_paged_and_all_present_marks_every_page(cells):
    meeting, client = cells[2000]
    url = reverse("meetings:record_step", args=[meeting.pk, "attendance"])
    page = client.get(url)
    html = page.content.decode()
    assert html.count('class="attendance-row') == ATTENDANCE_PAGE_SIZE
    last = -(-2000 // ATTENDANCE_PAGE_SIZE)
    assert f'name="attendance_page" value="{last}"' in html
    assert f'name="attendance_page" value="{last + 1}"' not in html
    # mark the first member absent with reason, and go to page 2: saved on the way
    first = page.context["editor"].attendance.forms[0].prefix
    data = record_post_data(
        page,
        **{f"{first}-status": AttendanceStatus.ABSENT_EXCUSED, f"{first}-reason": "Ốm"},
        attendance_page="2",
    )
    data.pop("save")
    sent = client.post(url, data)
    assert sent.status_code == 302
    assert sent.url.endswith("?page=2#attendance")
    second = client.get(sent.url)
    shown = [form.instance.member.sort_key for form in second.context["editor"].attendance.forms]
    ordered = list(meeting.attendances.values_list("member__sort_key", flat=True))
    assert shown == ordered[ATTENDANCE_PAGE_SIZE : 2 * ATTENDANCE_PAGE_SIZE]
    elsewhere = 2000 - ATTENDANCE_PAGE_SIZE
    assert f'data-summoned-elsewhere="{elsewhere}"' in second.content.decode()
    # everyone not yet marked, on every page, is marked present; the first stays excused
    data = record_post_data(second, all_present="1")
    data.pop("save")
    assert client.post(sent.url, data).status_code == 302
    statuses = list(meeting.attendances.values_list("status", flat=True))
    assert statuses.count(AttendanceStatus.ABSENT_EXCUSED) == 1
    assert statuses.count(AttendanceStatus.PRESENT) == 1999


def test_a_small_attendance_is_one_page(cells):
    meeting, client = cells[36]
    html = client.get(reverse("meetings:record_step", args=[meeting.pk, "attendance"]))
    html = html.content.decode()
    assert html.count('class="attendance-row') == 36
    assert 'name="attendance_page"' not in html
    assert 'id="all-present"' in html and 'name="all_present"' not in html


def test_a_kept_submission_from_a_later_page_reopens_on_that_page(world):
    """Her session ended as she saved page 3 of the attendance: the submission kept on
    the server reopens on page 3 with her marks (it once opened on page 1, where her
    rows were not), and saving it stores them."""
    from django.contrib.sessions.models import Session

    from cellmeet.models import KeptSubmission

    meeting, secretary = cell_of(world, 3 * ATTENDANCE_PAGE_SIZE)
    client = signed_in(secretary)
    url = reverse("meetings:record_step", args=[meeting.pk, "attendance"])
    page = client.get(f"{url}?page=3")
    form = page.context["editor"].attendance.forms[0]
    her_member = form.instance.member
    data = record_post_data(
        page,
        **{
            f"{form.prefix}-status": AttendanceStatus.ABSENT_EXCUSED,
            f"{form.prefix}-reason": "Đi công tác xa",
        },
    )
    Session.objects.all().delete()
    assert client.post(f"{url}?page=3", data).status_code == 302
    client.force_login(secretary, backend="django.contrib.auth.backends.ModelBackend")
    [kept] = KeptSubmission.objects.filter(user=secretary)
    restored = client.get(f"{url}?restore={kept.token}")
    shown = [form.instance.member for form in restored.context["editor"].attendance.forms]
    assert shown[0] == her_member
    assert "Đi công tác xa" in restored.content.decode()

    saved = client.post(f"{url}?restore={kept.token}", record_post_data(restored))
    assert saved.status_code == 302
    row = meeting.attendances.get(member=her_member)
    assert (row.status, row.reason) == (AttendanceStatus.ABSENT_EXCUSED, "Đi công tác xa")

"""Whatever a browser (or a hand-made POST) sends, the answer is a page with a clear
message, never a server error: end times around midnight, tampered attendance rows,
bad `next` addresses, huge formset counts, overlong texts and very large cells."""

from datetime import date, timedelta

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from meetings.models import Attendance, AttendanceStatus, Meeting, MeetingStatus
from members.models import Member
from tests.helpers import at
from tests.meetings.formdata import attendance_prefix, record_post_data

P, E, U = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.ABSENT_EXCUSED,
    AttendanceStatus.ABSENT_UNEXCUSED,
)


def record_url(meeting):
    return reverse("meetings:record", args=[meeting.pk])


def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def secretary(world, login):
    return english(login(world.secretary))


def open_record(client, meeting):
    response = client.get(record_url(meeting))
    assert response.status_code == 200
    return response


def post_record(client, meeting, **changes):
    page = open_record(client, meeting)
    return client.post(record_url(meeting), record_post_data(page, **changes))


def field_errors(response, name):
    return response.context["editor"].minutes.errors.get(name, [])


# -- the end of the meeting ------------------------------------------------------------


def test_an_end_time_after_midnight_ends_the_next_day(secretary, make_meeting):
    meeting = make_meeting(when=at(2026, 10, 5, 21, 0))
    response = post_record(
        secretary, meeting, held_on="05/10/2026", start_time="21:00", end_time="00:40"
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.ended_at) == at(2026, 10, 6, 0, 40)
    assert meeting.duration_minutes == 220


def test_the_next_day_end_comes_back_on_the_page(secretary, make_meeting):
    meeting = make_meeting(when=at(2026, 10, 5, 21, 0))
    post_record(secretary, meeting, held_on="05/10/2026", start_time="21:00", end_time="00:40")
    page = open_record(secretary, meeting)
    assert page.context["editor"].minutes["end_time"].value().strftime("%H:%M") == "00:40"


def test_a_morning_end_for_an_evening_meeting_is_a_typo_with_a_message(secretary, make_meeting):
    meeting = make_meeting()
    response = post_record(
        secretary,
        meeting,
        held_on="05/10/2026",
        start_time="19:30",
        end_time="9:15",
        conclusion="Kết luận đã gõ",
    )
    assert response.status_code == 200
    assert any("before the start" in str(error) for error in field_errors(response, "end_time"))
    assert "Kết luận đã gõ" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.ended_at is None


def test_an_end_equal_to_the_start_is_refused_with_a_message(secretary, make_meeting):
    meeting = make_meeting()
    response = post_record(
        secretary, meeting, held_on="05/10/2026", start_time="19:30", end_time="19:30"
    )
    assert response.status_code == 200
    assert field_errors(response, "end_time")


def test_the_end_time_message_is_translated(world, login, make_meeting):
    client = login(world.secretary)
    meeting = make_meeting()
    response = post_record(client, meeting, start_time="19:30", end_time="9:15")
    assert response.status_code == 200
    errors = " ".join(str(error) for error in field_errors(response, "end_time"))
    assert "trước giờ bắt đầu" in errors


# -- tampered attendance rows ----------------------------------------------------------


def test_an_extra_attendance_row_is_ignored(secretary, make_meeting):
    meeting = make_meeting()
    page = open_record(secretary, meeting)
    data = record_post_data(page)
    total = int(data["attendance-TOTAL_FORMS"])
    data["attendance-TOTAL_FORMS"] = str(total + 1)
    data[f"attendance-{total}-status"] = P
    data[f"attendance-{total}-reason"] = ""
    rows_before = Attendance.objects.count()
    response = secretary.post(record_url(meeting), data)
    assert response.status_code == 302
    assert Attendance.objects.count() == rows_before


def test_a_missing_attendance_row_keeps_what_was_saved(secretary, make_meeting, roster):
    meeting = make_meeting()
    first, second = roster["official"][:2]
    page = open_record(secretary, meeting)
    secretary.post(
        record_url(meeting),
        record_post_data(page, **{f"{attendance_prefix(page, first)}-status": P}),
    )
    page = open_record(secretary, meeting)
    data = record_post_data(page, **{f"{attendance_prefix(page, second)}-status": E})
    data[f"{attendance_prefix(page, second)}-reason"] = "ốm"
    dropped = attendance_prefix(page, first)
    for key in [key for key in data if key.startswith(f"{dropped}-")]:
        del data[key]
    response = secretary.post(record_url(meeting), data)
    assert response.status_code == 302
    marks = dict(meeting.attendances.values_list("member_id", "status"))
    assert marks[first.pk] == P
    assert marks[second.pk] == E


def test_a_duplicated_attendance_row_does_not_break_the_page(secretary, make_meeting, roster):
    meeting = make_meeting()
    member = roster["official"][2]
    page = open_record(secretary, meeting)
    data = record_post_data(page)
    prefix = attendance_prefix(page, member)
    total = int(data["attendance-TOTAL_FORMS"])
    data["attendance-TOTAL_FORMS"] = str(total + 1)
    data["attendance-INITIAL_FORMS"] = str(total + 1)
    data[f"attendance-{total}-id"] = data[f"{prefix}-id"]
    data[f"attendance-{total}-status"] = U
    data[f"{prefix}-status"] = P
    response = secretary.post(record_url(meeting), data)
    assert response.status_code == 302
    assert Attendance.objects.get(meeting=meeting, member=member).status == P
    assert Attendance.objects.filter(meeting=meeting).count() == total


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999", ""])
def test_nonsense_formset_counts_are_not_a_server_error(secretary, make_meeting, value):
    meeting = make_meeting()
    page = open_record(secretary, meeting)
    data = record_post_data(page)
    for prefix in ("attendance", "guests", "speeches", "tasks"):
        data[f"{prefix}-TOTAL_FORMS"] = value
        data[f"{prefix}-INITIAL_FORMS"] = value
    response = secretary.post(record_url(meeting), data)
    assert response.status_code in (200, 302)


def test_a_huge_task_count_is_refused_quickly_and_with_a_small_page(secretary, make_meeting):
    meeting = make_meeting()
    page = open_record(secretary, meeting)
    response = secretary.post(
        record_url(meeting), record_post_data(page, **{"tasks-TOTAL_FORMS": "99999999"})
    )
    assert response.status_code == 200
    assert len(response.content) < 1_000_000
    assert response.context["errors"]


# -- next addresses --------------------------------------------------------------------


@pytest.fixture
def signed_minutes(world):
    scheduled_at = at(2026, 10, 5)
    return Meeting.objects.create(
        organization=world.cell,
        kind="regular",
        scheduled_at=scheduled_at,
        started_at=scheduled_at,
        ended_at=scheduled_at + timedelta(minutes=95),
        signed_at=timezone.now(),
        status=MeetingStatus.SIGNED,
    )


@pytest.mark.parametrize(
    "target",
    ["x", "meetings:list", "//evil.example/", "https://evil.example/", "javascript:alert(1)"],
)
def test_an_unsafe_or_odd_next_address_goes_to_the_meeting(world, login, signed_minutes, target):
    client = login(world.reviewer)
    response = client.post(
        reverse("oversight:accept", args=[signed_minutes.pk]),
        {"comment": "Tốt", "next": target},
    )
    assert response.status_code == 302
    assert response.url == reverse("meetings:detail", args=[signed_minutes.pk])


def test_a_local_next_address_is_followed(world, login, signed_minutes):
    client = login(world.reviewer)
    queue = reverse("oversight:review_queue")
    response = client.post(
        reverse("oversight:accept", args=[signed_minutes.pk]),
        {"comment": "Tốt", "next": f"{queue}?page=2"},
    )
    assert response.url == f"{queue}?page=2"


# -- lengths of free text --------------------------------------------------------------


def test_an_overlong_conclusion_is_refused_with_the_text_kept(secretary, make_meeting):
    meeting = make_meeting()
    text = "Kết luận " * 120_000  # about 1 MB
    response = post_record(secretary, meeting, conclusion=text)
    assert response.status_code == 200
    errors = field_errors(response, "conclusion")
    assert errors and "at most" in str(errors[0])
    meeting.refresh_from_db()
    assert meeting.conclusion == ""


def test_text_boxes_show_their_maximum_length(secretary, make_meeting):
    meeting = make_meeting()
    html = open_record(secretary, meeting).content.decode()
    assert 'name="conclusion"' in html
    for name in ("conclusion", "news_briefing", "speeches-0-summary", "resolution-body"):
        start = html.index(f'name="{name}"')
        tag = html[html.rindex("<", 0, start) : html.index(">", start)]
        assert "maxlength=" in tag, name


def test_every_free_text_field_of_the_records_has_a_maximum_length():
    from django.apps import apps
    from django.db import models

    unbounded = [
        f"{model.__name__}.{field.name}"
        for app in ("meetings", "resolutions", "members")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and field.editable and not field.max_length
    ]
    assert unbounded == []


# -- a very large cell -----------------------------------------------------------------


def test_a_cell_of_two_thousand_members_records_and_saves_its_minutes(world, login, make_meeting):
    Member.objects.bulk_create(
        Member(
            organization=world.cell,
            full_name=f"Đảng viên {number:04d}",
            sort_key=f"dang vien {number:04d}",
            gender="male",
            status="official",
            admitted_on=date(2000, 1, 1),
        )
        for number in range(2_000)
    )
    meeting = make_meeting()
    assert meeting.attendances.count() > 2_000
    client = login(world.secretary)
    page = open_record(client, meeting)
    # shown a page at a time: "mark everyone not yet marked as present" marks every
    # summoned member (the exempt and the away are not summoned: left unmarked)
    data = record_post_data(page, all_present="1")
    response = client.post(record_url(meeting), data)
    assert response.status_code == 302
    left = meeting.attendances.exclude(status=P)
    assert {row.is_exempt or row.is_away for row in left} == {True}
    assert meeting.attendances.filter(status=P).count() >= 2_000

"""Schedule registration: the committee sets the deadline, cells register their
meeting of the month (which plans it), the committee's month calendar shows every
cell below it as registered, late or missing, in a fixed number of queries."""

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, MeetingKind, MeetingStatus
from oversight.models import ScheduleDeadline, ScheduleRegistration
from oversight.schedule import (
    LATE,
    MISSING,
    REGISTERED,
    WAITING,
    ScheduleError,
    deadline_for,
    month_schedule,
    register_schedule,
    set_deadline,
)
from tests.factories import CellFactory
from tests.helpers import at

pytestmark = pytest.mark.django_db


def month_page(world, year=2026, month=11):
    return reverse("oversight:schedule_month", args=[world.commune.pk, year, month])


def register_page(cell, year=2026, month=11):
    return reverse("oversight:schedule_register", args=[cell.pk, year, month])


def test_registering_plans_the_regular_meeting_and_moving_it_keeps_one(world):
    set_deadline(world.commune, 2026, 11, date(2026, 10, 25), user=world.reviewer)
    registration = register_schedule(
        world.cell,
        2026,
        11,
        scheduled_at=at(2026, 11, 5),
        location="Nhà văn hóa thôn Đông",
        user=world.secretary,
    )
    meeting = Meeting.objects.get(organization=world.cell, year=2026, month=11)
    assert meeting.kind == MeetingKind.REGULAR and meeting.status == MeetingStatus.PLANNED
    assert meeting.scheduled_at == at(2026, 11, 5) and meeting.location == "Nhà văn hóa thôn Đông"
    assert registration.meeting == meeting and registration.registered_by == world.secretary
    first_time = registration.registered_at

    again = register_schedule(
        world.cell,
        2026,
        11,
        scheduled_at=at(2026, 11, 7, 14, 0),
        location="Hội trường",
        user=world.secretary,
    )
    assert again.pk == registration.pk and again.registered_at == first_time
    meeting.refresh_from_db()
    assert meeting.scheduled_at == at(2026, 11, 7, 14, 0) and meeting.location == "Hội trường"
    assert Meeting.objects.filter(organization=world.cell, year=2026, month=11).count() == 1


def test_an_already_planned_meeting_is_the_one_registered(world):
    planned = Meeting.objects.create(
        organization=world.cell, kind="regular", scheduled_at=at(2026, 11, 3), status="planned"
    )
    registration = register_schedule(
        world.cell,
        2026,
        11,
        scheduled_at=at(2026, 11, 9),
        location="Nhà văn hóa",
        user=world.secretary,
    )
    assert registration.meeting_id == planned.pk


def test_a_day_outside_the_month_or_a_started_meeting_is_refused(world):
    with pytest.raises(ScheduleError):
        register_schedule(
            world.cell, 2026, 11, scheduled_at=at(2026, 12, 1), location="x", user=world.secretary
        )
    Meeting.objects.create(
        organization=world.cell, kind="regular", scheduled_at=at(2026, 11, 3), status="draft"
    )
    with pytest.raises(ScheduleError):
        register_schedule(
            world.cell, 2026, 11, scheduled_at=at(2026, 11, 9), location="x", user=world.secretary
        )
    assert not ScheduleRegistration.objects.exists()


def test_the_nearest_committee_sets_the_deadline(world):
    set_deadline(world.superior, 2026, 11, date(2026, 10, 28), user=world.admin)
    assert deadline_for(world.cell, 2026, 11) == date(2026, 10, 28)
    set_deadline(world.commune, 2026, 11, date(2026, 10, 20), user=world.reviewer)
    assert deadline_for(world.cell, 2026, 11) == date(2026, 10, 20)
    assert deadline_for(world.far_cell, 2026, 11) == date(2026, 10, 28)
    with pytest.raises(ScheduleError):
        set_deadline(world.commune, 2026, 11, date(2026, 12, 1), user=world.reviewer)


def test_the_month_shows_registered_late_and_missing(world):
    set_deadline(world.commune, 2026, 11, date(2026, 10, 25), user=world.reviewer)
    on_time = register_schedule(
        world.cell, 2026, 11, scheduled_at=at(2026, 11, 5), location="A", user=world.secretary
    )
    late = register_schedule(
        world.sibling_cell,
        2026,
        11,
        scheduled_at=at(2026, 11, 6),
        location="B",
        user=world.outsider,
    )
    on_time.registered_at = timezone.make_aware(datetime(2026, 10, 24, 9))
    on_time.save()
    late.registered_at = timezone.make_aware(datetime(2026, 10, 27, 9))
    late.save()
    rows = {
        row.cell: row.status for row in month_schedule(world.commune, 2026, 11, date(2026, 10, 30))
    }
    assert rows == {world.cell: REGISTERED, world.sibling_cell: LATE}
    unregistered = CellFactory(name="Chi bộ thôn Nam", parent=world.commune)
    rows = {
        row.cell: row.status for row in month_schedule(world.commune, 2026, 11, date(2026, 10, 30))
    }
    assert rows[unregistered] == MISSING
    before = {
        row.cell: row.status for row in month_schedule(world.commune, 2026, 11, date(2026, 10, 20))
    }
    assert before[unregistered] == WAITING
    # The other commune's cell is not in this commune's month.
    assert world.far_cell not in rows


def test_the_reviewer_sets_the_deadline_and_sees_the_registration(client, world):
    client.force_login(world.reviewer)
    response = client.post(month_page(world), {"deadline": "25/10/2026"})
    assert response.status_code == 302
    assert ScheduleDeadline.objects.get(
        organization=world.commune, year=2026, month=11
    ).deadline == date(2026, 10, 25)

    client.force_login(world.secretary)
    cell_page = client.get(reverse("members:organization_detail", args=[world.cell.pk]))
    # The panel shows this month's and next month's deadlines only.
    response = client.post(
        register_page(world.cell),
        {"day": "05/11/2026", "start": "19:30", "location": "Nhà văn hóa"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert cell_page.status_code == 200

    client.force_login(world.reviewer)
    html = client.get(month_page(world)).content.decode()
    assert "Nhà văn hóa" in html and world.cell.name in html
    assert "05/11/2026" in html


def test_the_registration_form_comes_back_with_the_error(client, world):
    client.force_login(world.secretary)
    response = client.post(
        register_page(world.cell),
        {"day": "05/12/2026", "start": "19:30", "location": "Nhà văn hóa"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "05/12/2026" in html and "Nhà văn hóa" in html and "is-invalid" in html
    response = client.post(
        register_page(world.cell), {"day": "32/13/2026", "start": "25:99", "location": ""}
    )
    assert response.status_code == 200
    assert client.post(month_page(world), {"deadline": "nonsense"}).status_code == 404
    client.force_login(world.reviewer)
    response = client.post(month_page(world), {"deadline": "01/12/2026"})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    assert (
        client.get(
            reverse("oversight:schedule_month", args=[world.commune.pk, 2026, 13])
        ).status_code
        == 404
    )


def test_the_cell_page_shows_the_deadline_and_the_link_to_register(client, world):
    today = timezone.localdate()
    upcoming = today.replace(day=1) + timedelta(days=32)
    set_deadline(world.commune, upcoming.year, upcoming.month, today, user=world.reviewer)
    client.force_login(world.secretary)
    html = client.get(reverse("members:organization_detail", args=[world.cell.pk])).content.decode()
    assert today.strftime("%d/%m/%Y") in html
    assert register_page(world.cell, upcoming.year, upcoming.month) in html
    client.force_login(world.viewer)
    html = client.get(reverse("members:organization_detail", args=[world.cell.pk])).content.decode()
    assert today.strftime("%d/%m/%Y") in html
    assert register_page(world.cell, upcoming.year, upcoming.month) not in html


def queries_for_month(client, world):
    client.force_login(world.reviewer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(month_page(world))
    assert response.status_code == 200
    return len(queries)


def test_the_month_calendar_takes_the_same_queries_for_few_or_many_cells(client, world):
    set_deadline(world.commune, 2026, 11, date(2026, 10, 25), user=world.reviewer)
    register_schedule(
        world.cell, 2026, 11, scheduled_at=at(2026, 11, 5), location="A", user=world.secretary
    )
    few = queries_for_month(client, world)
    for number in range(12):
        cell = CellFactory(name=f"Chi bộ số {number}", parent=world.commune)
        if number % 2:
            register_schedule(
                cell,
                2026,
                11,
                scheduled_at=at(2026, 11, 1 + number),
                location="B",
                user=world.admin,
            )
    many = queries_for_month(client, world)
    print(f"month calendar: {few} queries for 2 cells, {many} for 14 cells")
    assert few == many

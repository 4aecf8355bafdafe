"""Long lists count with a bound (issue 23): the review queue and the admin's minutes
stop counting at COUNT_LIMIT + 1 rows and say "N+", and the admin filters the minutes
by organisation with a search box, not a list of every organisation."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cellmeet import paging
from meetings.models import Meeting, MeetingStatus
from tests.factories import CellFactory, UserFactory
from tests.helpers import at

QUEUE = reverse("oversight:review_queue")
ADMIN_MEETINGS = reverse("admin:meetings_meeting_changelist")


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(paging, "COUNT_LIMIT", 5)


def signed_minutes(cell, count):
    return Meeting.objects.bulk_create(
        Meeting(
            organization=cell,
            kind="extraordinary",
            topic=f"Họp {index}",
            year=2026,
            month=10,
            scheduled_at=at(2026, 10, 5),
            started_at=at(2026, 10, 5),
            ended_at=at(2026, 10, 5) + timedelta(minutes=100),
            status=MeetingStatus.SIGNED,
            signed_at=timezone.now() - timedelta(hours=index),
            present_count=1,
            summoned_count=1,
        )
        for index in range(count)
    )


def count_queries(queries):
    return [q["sql"] for q in queries if q["sql"].upper().startswith("SELECT COUNT(")]


def test_the_queue_counts_up_to_the_limit_and_says_more(world, login, small_limit):
    signed_minutes(world.cell, 4)
    client = login(world.reviewer)
    page = client.get(QUEUE).context["page"]
    assert (page.paginator.count, page.paginator.is_bounded) == (4, False)
    signed_minutes(world.cell, 4)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE)
    page = response.context["page"]
    assert (page.paginator.count, page.paginator.is_bounded) == (6, True)
    assert "5+" in response.content.decode()
    # The one count reads at most limit + 1 rows.
    (count,) = count_queries(queries)
    assert "LIMIT 6" in count.upper()


def test_the_bounded_count_in_vietnamese(world, login, small_limit):
    signed_minutes(world.cell, 8)
    client = login(world.reviewer)
    client.cookies["django_language"] = "vi"
    text = client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Có 5+ biên bản đã ký đang chờ kiểm tra" in text


@pytest.fixture
def superuser_client(login):
    return login(UserFactory(username="quan-tri", is_superuser=True, is_staff=True))


def test_the_admin_list_counts_once_and_bounded(world, superuser_client, small_limit):
    signed_minutes(world.cell, 8)
    with CaptureQueriesContext(connection) as queries:
        response = superuser_client.get(ADMIN_MEETINGS)
    assert response.status_code == 200
    counts = count_queries(queries)
    assert len(counts) == 1 and "LIMIT 6" in counts[0].upper()
    assert "5+ " in response.content.decode()


def test_the_admin_filters_minutes_by_organisation_with_a_search_box(world, superuser_client):
    for index in range(30):
        CellFactory(name=f"Chi bộ số {index}", parent=world.other_commune)
    signed_minutes(world.cell, 2)
    signed_minutes(world.far_cell, 3)
    page = superuser_client.get(ADMIN_MEETINGS).content.decode()
    assert 'name="organization"' in page and 'type="search"' in page
    assert "Chi bộ số 17" not in page  # no list of every organisation
    response = superuser_client.get(ADMIN_MEETINGS, {"organization": "thôn Bắc"})
    assert response.context["cl"].result_count == 3
    assert {m.organization_id for m in response.context["cl"].result_list} == {world.far_cell.pk}
    # Other parameters of the list stay as hidden fields of the box's form.
    response = superuser_client.get(
        ADMIN_MEETINGS, {"organization": "Đông", "kind__exact": "extraordinary"}
    )
    assert response.context["cl"].result_count == 2
    assert 'type="hidden" name="kind__exact" value="extraordinary"' in response.content.decode()


def test_the_admin_change_form_picks_the_organisation_by_search(world, superuser_client):
    for index in range(30):
        CellFactory(name=f"Chi bộ số {index}", parent=world.other_commune)
    page = superuser_client.get(reverse("admin:meetings_meeting_add")).content.decode()
    assert "Chi bộ số 17" not in page
    assert "admin-autocomplete" in page

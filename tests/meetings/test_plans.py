"""Thematic plans (meetings/plans.py): the cell plans its thematic topics for the
year, names who prepares each lead report and files the plan with the superior, who
sees which cells have filed and which quarters have no thematic meeting."""

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, MeetingKind, MeetingStatus, ThematicPlan, ThematicPlanItem
from oversight.plans import plans_overview
from tests.factories import CellFactory, MemberFactory
from tests.meetings.conftest import at
from tests.meetings.formdata import _field_items, _formset_items

YEAR = 2026
TOPICS = {
    1: "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    2: "Xây dựng nông thôn mới",
    3: "Phát triển đảng viên",
    4: "Phòng chống suy thoái tư tưởng chính trị, đạo đức, lối sống",
}


def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def message_texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def plan_url(cell, year=YEAR):
    return reverse("meetings:thematic_plan", args=[cell.pk, year])


def file_url(cell, year=YEAR):
    return reverse("meetings:thematic_plan_file", args=[cell.pk, year])


def overview_url(organization, year=YEAR):
    return reverse("oversight:thematic_plans_overview", args=[organization.pk, year])


def page_data(response, **changes):
    """What the browser sends back from the plan form on the page."""
    html = response.content.decode()
    data = dict(_field_items(response.context["form"], html))
    data.update(_formset_items(response.context["items"], html))
    data.update(changes)
    return data


def quarter_rows(presenter, topics=TOPICS):
    data = {}
    for index, (quarter, topic) in enumerate(topics.items()):
        data[f"items-{index}-quarter"] = str(quarter)
        data[f"items-{index}-topic"] = topic
        data[f"items-{index}-presenter"] = str(presenter.pk)
    return data


def make_plan(cell, *, quarters=(1, 2, 3, 4), filed=False, presenter=None, year=YEAR):
    plan = ThematicPlan.objects.create(
        organization=cell, year=year, filed_at=timezone.now() if filed else None
    )
    for quarter in quarters:
        ThematicPlanItem.objects.create(
            plan=plan, quarter=quarter, topic=TOPICS[quarter], presenter=presenter
        )
    return plan


def thematic_meeting(cell, month, status=MeetingStatus.PLANNED, year=YEAR):
    return Meeting.objects.create(
        organization=cell,
        kind=MeetingKind.THEMATIC,
        topic="Chuyên đề",
        scheduled_at=at(year, month, 10),
        status=status,
    )


# -- the cell's plan ----------------------------------------------------------------------


def test_the_secretary_writes_the_plan(world, login):
    client = login(world.secretary)
    page = client.get(plan_url(world.cell))
    assert page.status_code == 200
    # A new plan starts with a row for each quarter.
    assert [form.initial.get("quarter") for form in page.context["items"].forms] == [1, 2, 3, 4]
    response = client.post(plan_url(world.cell), page_data(page, **quarter_rows(world.member)))
    assert response.status_code == 302
    plan = ThematicPlan.objects.get(organization=world.cell, year=YEAR)
    assert plan.filed_at is None
    assert [(item.quarter, item.topic, item.presenter) for item in plan.items.all()] == [
        (quarter, topic, world.member) for quarter, topic in TOPICS.items()
    ]
    shown = client.get(plan_url(world.cell)).content.decode()
    assert TOPICS[3] in shown and world.member.full_name in shown


def test_two_topics_in_one_quarter_and_a_topic_removed(world, login):
    plan = make_plan(world.cell, quarters=(1, 2))
    client = login(world.secretary)
    page = client.get(plan_url(world.cell))
    data = page_data(
        page,
        **{
            "items-1-DELETE": "on",
            "items-2-quarter": "1",
            "items-2-topic": "Chuyên đề thứ hai quý I",
        },
    )
    assert client.post(plan_url(world.cell), data).status_code == 302
    assert list(plan.items.values_list("quarter", "topic")) == [
        (1, TOPICS[1]),
        (1, "Chuyên đề thứ hai quý I"),
    ]


def test_the_viewer_reads_the_plan_but_cannot_change_it(world, login):
    make_plan(world.cell, presenter=world.member)
    client = login(world.viewer)
    page = client.get(plan_url(world.cell))
    assert page.status_code == 200
    assert page.context["form"] is None
    assert TOPICS[2] in page.content.decode()
    assert client.post(plan_url(world.cell), quarter_rows(world.member)).status_code == 403
    assert client.post(file_url(world.cell)).status_code == 403


def test_an_outsider_gets_404(world, login):
    make_plan(world.cell)
    client = login(world.outsider)
    assert client.get(plan_url(world.cell)).status_code == 404
    assert client.post(plan_url(world.cell), quarter_rows(world.sibling_member)).status_code == 404
    assert client.post(file_url(world.cell)).status_code == 404


def test_a_committee_has_no_thematic_plan_page(world, login):
    assert login(world.reviewer).get(plan_url(world.commune)).status_code == 404


def test_the_presenter_must_be_a_member_of_the_cell(world, login):
    client = english(login(world.secretary))
    page = client.get(plan_url(world.cell))
    data = page_data(page, **quarter_rows(world.member))
    data["items-2-presenter"] = str(world.sibling_member.pk)
    response = client.post(plan_url(world.cell), data)
    assert response.status_code == 200
    assert response.context["items"].forms[2].errors["presenter"] == [
        "Choose a member of this cell to present the lead report."
    ]
    # The rest of what was typed is still on the page; nothing was saved.
    assert TOPICS[4] in response.content.decode()
    assert not ThematicPlan.objects.exists()


def test_a_member_who_left_the_roll_is_not_offered_but_a_named_one_is_kept(world, login):
    leaver = MemberFactory(organization=world.cell, full_name="Lê Văn Khoa")
    make_plan(world.cell, quarters=(1,), presenter=leaver)
    leaver.activity_status = "removed"
    leaver.save()
    page = login(world.secretary).get(plan_url(world.cell))
    choices = page.context["items"].forms[0].fields["presenter"].queryset
    assert leaver in choices  # already named in the plan: the plan can be saved again
    other = MemberFactory(
        organization=world.cell, full_name="Phan Thị Mai", activity_status="removed"
    )
    assert other not in choices


def test_a_concurrent_edit_of_the_plan_is_refused(world, login):
    plan = make_plan(world.cell, quarters=(1,))
    client = english(login(world.secretary))
    opened = client.get(plan_url(world.cell))
    second = client.get(plan_url(world.cell))
    client.post(plan_url(world.cell), page_data(second, **{"items-0-topic": "Sửa lần một"}))
    response = client.post(plan_url(world.cell), page_data(opened, **{"items-0-topic": "Của tôi"}))
    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert "Someone else saved this record" in error
    assert "Của tôi" in response.content.decode()
    assert plan.items.get().topic == "Sửa lần một"


# -- filing -------------------------------------------------------------------------------------


def test_filing_a_complete_plan(world, login):
    plan = make_plan(world.cell, presenter=world.member)
    response = english(login(world.secretary)).post(file_url(world.cell))
    assert response.status_code == 302
    assert response["Location"] == plan_url(world.cell)
    plan.refresh_from_db()
    assert plan.filed_at is not None
    assert message_texts(response) == ["The thematic plan is filed with the superior committee."]


def test_filing_refuses_a_quarter_without_a_topic(world, login):
    plan = make_plan(world.cell, quarters=(1, 3))
    response = english(login(world.secretary)).post(file_url(world.cell))
    plan.refresh_from_db()
    assert plan.filed_at is None
    assert message_texts(response) == [
        "Each quarter needs at least one topic. Still without a topic: quarter II, IV."
    ]


def test_filing_without_a_plan_says_what_to_do(world, login):
    response = english(login(world.secretary)).post(file_url(world.cell))
    assert response.status_code == 302
    assert message_texts(response) == ["Write the plan and save it before filing it."]


def test_filing_refuses_get(world, login):
    assert login(world.secretary).get(file_url(world.cell)).status_code == 405


# -- the superior's overview ------------------------------------------------------------------


def test_the_overview_lists_filed_and_unfiled_cells_and_lacking_quarters(world, login):
    make_plan(world.cell, filed=True)
    make_plan(world.sibling_cell, quarters=(1,))  # written, not filed
    quiet_cell = CellFactory(name="Chi bộ thôn Nam", parent=world.commune)  # no plan at all
    thematic_meeting(world.cell, 2, MeetingStatus.SIGNED)  # quarter I held
    thematic_meeting(world.cell, 5)  # quarter II planned
    thematic_meeting(world.cell, 11, MeetingStatus.DRAFT)  # quarter IV held
    thematic_meeting(world.sibling_cell, 8)  # quarter III planned
    Meeting.objects.create(  # a regular meeting is no thematic one
        organization=quiet_cell, kind=MeetingKind.REGULAR, scheduled_at=at(YEAR, 3, 1)
    )
    thematic_meeting(world.far_cell, 2, MeetingStatus.SIGNED)  # another commune
    thematic_meeting(world.cell, 2, MeetingStatus.SIGNED, year=YEAR - 1)  # another year

    response = login(world.reviewer).get(overview_url(world.commune))
    assert response.status_code == 200
    rows = {row.cell: row for row in response.context["rows"]}
    assert set(rows) == {world.cell, world.sibling_cell, quiet_cell}
    assert [rows[c].is_filed for c in (world.cell, world.sibling_cell, quiet_cell)] == [
        True,
        False,
        False,
    ]
    assert rows[world.sibling_cell].plan is not None and rows[quiet_cell].plan is None
    assert [q.state for q in rows[world.cell].quarters] == ["held", "planned", "missing", "held"]
    assert rows[world.cell].lacking_quarters == [3]
    assert rows[world.sibling_cell].lacking_quarters == [1, 2, 4]
    assert rows[quiet_cell].lacking_quarters == [1, 2, 3, 4]
    assert [q.topics for q in rows[world.sibling_cell].quarters] == [1, 0, 0, 0]
    assert response.context["filed_count"] == 1
    assert response.context["lacking_count"] == 3
    html = response.content.decode()
    assert plan_url(world.cell) in html and plan_url(quiet_cell) in html


def test_the_administrator_above_sees_every_commune(world):
    make_plan(world.far_cell, filed=True)
    rows = plans_overview(world.superior, YEAR)
    assert [row.cell for row in rows] == [world.cell, world.sibling_cell, world.far_cell]
    assert [row.is_filed for row in rows] == [False, False, True]


@pytest.mark.parametrize("role", ["secretary", "viewer", "outsider", "far_reviewer"])
def test_only_the_committee_staff_see_the_overview(world, login, role):
    assert login(world.user(role)).get(overview_url(world.commune)).status_code == 404


def test_the_secretary_gets_403_on_the_overview_of_their_own_cell(world, login):
    # The overview is for committees; a cell's own page is its plan.
    assert login(world.secretary).get(overview_url(world.cell)).status_code == 403
    assert login(world.reviewer).get(overview_url(world.cell)).status_code == 404


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def add_cells(world, count):
    for index in range(count):
        cell = CellFactory(parent=world.commune)
        make_plan(cell, quarters=(1, 2), filed=index % 2 == 0)
        thematic_meeting(cell, 1 + index % 12, MeetingStatus.DRAFT if index % 3 else "planned")


def test_the_overview_runs_as_many_queries_for_60_cells_as_for_5(world, login):
    client = login(world.reviewer)
    add_cells(world, 3)  # with world.cell and world.sibling_cell: 5 cells
    few, response = count_queries(client, overview_url(world.commune))
    assert len(response.context["rows"]) == 5
    add_cells(world, 55)
    many, response = count_queries(client, overview_url(world.commune))
    assert len(response.context["rows"]) == 60
    assert many == few

"""Thematic plans (meetings/plans.py): the cell plans its thematic topics for the
year, names who prepares each lead report and files the plan with the superior, who
sees which cells have filed (the superior's overview: tests/oversight/test_plans_overview.py)."""

from django.conf import settings as django_settings
from django.contrib.messages import get_messages

from meetings.models import ThematicPlan
from tests.factories import MemberFactory
from tests.meetings.formdata import _field_items, _formset_items
from tests.meetings.thematic_plans import (
    TOPICS,
    YEAR,
    file_url,
    make_plan,
    plan_url,
)


def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def message_texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


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

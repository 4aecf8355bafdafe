"""Delegates of the superior committee: assignments, the guest row that records a
visit, and the visits counted per delegate and per cell."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Guest, Meeting, MeetingStatus
from members.models import DelegateAssignment, RoleKind
from oversight import delegates
from tests.factories import RoleFactory, UserFactory
from tests.helpers import at
from tests.meetings.formdata import record_post_data


def delegate_user(world, first_name="Tuấn", last_name="Phạm Minh", organization=None):
    """A member of the commune's party committee (a reviewer there)."""
    role = RoleFactory(
        organization=organization or world.commune,
        kind=RoleKind.SUPERIOR_REVIEWER,
        user=UserFactory(first_name=first_name, last_name=last_name),
    )
    return role.user


def assign(world, user, cell=None, started_on=date(2026, 1, 1), ended_on=None, **fields):
    return DelegateAssignment.objects.create(
        superior=fields.pop("superior", world.commune),
        delegate=user,
        cell=cell or world.cell,
        title=fields.pop("title", "Đảng ủy viên"),
        started_on=started_on,
        ended_on=ended_on,
    )


def held_meeting(cell, when, status=MeetingStatus.FINALIZED, kind="extraordinary", **fields):
    return Meeting.objects.create(
        organization=cell,
        kind=kind,
        topic="Sinh hoạt có đại biểu cấp trên",
        scheduled_at=when,
        status=status,
        **fields,
    )


def visit(meeting, user, name="Đại biểu"):
    return Guest.objects.create(meeting=meeting, name=name, delegate=user)


def delegates_url(organization):
    return reverse("oversight:delegates", args=[organization.pk])


# -- assignments ------------------------------------------------------------------------


def test_a_reviewer_assigns_a_committee_member_to_a_cell(world, login):
    tuan = delegate_user(world)
    client = login(world.reviewer)
    response = client.post(
        delegates_url(world.commune),
        {
            "delegate": tuan.pk,
            "cell": world.cell.pk,
            "title": "Đảng ủy viên",
            "started_on": "03/04/2026",
            "ended_on": "",
        },
    )
    assert response.status_code == 302
    assignment = DelegateAssignment.objects.get()
    assert (assignment.superior, assignment.delegate, assignment.cell) == (
        world.commune,
        tuan,
        world.cell,
    )
    assert assignment.started_on == date(2026, 4, 3)  # dd/mm/yyyy
    assert assignment.history.first().history_user == world.reviewer
    page = client.get(delegates_url(world.commune)).content.decode()
    assert "Phạm Minh Tuấn" in page
    assert world.cell.name in page


def test_the_choices_are_the_committees_members_and_its_cells(world, login):
    delegate_user(world)
    province_admin_role = world.admin.cell_roles.get()
    response = login(world.reviewer).get(delegates_url(world.commune))
    form = response.context["form"]
    people = set(form.fields["delegate"].queryset)
    assert world.admin in people  # a role above the committee
    assert world.reviewer in people
    assert world.secretary not in people  # a cell's secretary is not on the committee
    assert world.far_reviewer not in people  # another commune's committee
    assert set(form.fields["cell"].queryset) == {world.cell, world.sibling_cell}
    assert province_admin_role.organization == world.superior


@pytest.mark.parametrize(
    ("field", "value_of"),
    [
        ("delegate", lambda world: world.secretary.pk),
        ("delegate", lambda world: world.far_reviewer.pk),
        ("cell", lambda world: world.far_cell.pk),
        ("cell", lambda world: world.commune.pk),
    ],
)
def test_people_and_cells_outside_the_committee_are_refused(world, login, field, value_of):
    data = {"delegate": world.reviewer.pk, "cell": world.cell.pk, "started_on": "01/01/2026"}
    data[field] = value_of(world)
    response = login(world.reviewer).post(delegates_url(world.commune), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not DelegateAssignment.objects.exists()


def test_an_end_before_the_start_is_refused(world, login):
    response = login(world.reviewer).post(
        delegates_url(world.commune),
        {
            "delegate": world.reviewer.pk,
            "cell": world.cell.pk,
            "started_on": "01/06/2026",
            "ended_on": "01/05/2026",
        },
    )
    assert "ended_on" in response.context["form"].errors
    assert not DelegateAssignment.objects.exists()


def test_the_same_delegate_cannot_follow_the_same_cell_twice_over_the_same_days(world, login):
    assign(world, world.reviewer, started_on=date(2026, 1, 1), ended_on=date(2026, 6, 30))
    client = login(world.reviewer)
    data = {"delegate": world.reviewer.pk, "cell": world.cell.pk, "started_on": "01/06/2026"}
    response = client.post(delegates_url(world.commune), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    data["started_on"] = "01/07/2026"  # after the first one ended: fine
    assert client.post(delegates_url(world.commune), data).status_code == 302
    assert DelegateAssignment.objects.count() == 2


def test_ending_an_assignment_sets_today_and_keeps_it_in_the_past_list(world, login):
    assignment = assign(world, world.reviewer, started_on=date(2026, 1, 1))
    client = login(world.reviewer)
    end_url = reverse("oversight:delegate_end", args=[assignment.pk])
    assert client.get(end_url).status_code == 405
    response = client.post(end_url)
    assert response["Location"] == delegates_url(world.commune)
    assignment.refresh_from_db()
    assert assignment.ended_on is not None
    assert assignment.history.first().history_user == world.reviewer


def test_an_assignment_that_has_not_started_is_withdrawn(world):
    assignment = assign(world, world.reviewer, started_on=date(2026, 12, 1))
    assert delegates.end_assignment(assignment, user=world.admin, today=date(2026, 11, 1)) is None
    assert not DelegateAssignment.objects.exists()


def test_an_ended_assignment_cannot_end_again(world):
    assignment = assign(world, world.reviewer, ended_on=date(2026, 3, 1))
    with pytest.raises(delegates.DelegateError):
        delegates.end_assignment(assignment, user=world.admin, today=date(2026, 4, 1))


def test_another_communes_reviewer_cannot_end_or_see_the_assignments(world, login):
    assignment = assign(world, world.reviewer)
    client = login(world.far_reviewer)
    assert client.post(reverse("oversight:delegate_end", args=[assignment.pk])).status_code == 404
    assert client.get(delegates_url(world.commune)).status_code == 404
    own_page = client.get(delegates_url(world.other_commune)).content.decode()
    assert world.cell.name not in own_page
    assignment.refresh_from_db()
    assert assignment.ended_on is None


def test_a_cell_has_no_delegates_page(world, login):
    assert login(world.admin).get(delegates_url(world.cell)).status_code == 404


# -- the guest row of the minutes -------------------------------------------------------


def test_delegate_choices_are_the_delegates_assigned_on_the_meeting_day(world, make_meeting):
    meeting = make_meeting(when=at(2026, 10, 5))
    tuan = delegate_user(world)
    assign(world, tuan, started_on=date(2026, 1, 1), title="Phó Bí thư Đảng ủy")
    assign(world, world.reviewer, started_on=date(2026, 11, 1))  # starts later
    assign(world, world.admin, started_on=date(2026, 1, 1), ended_on=date(2026, 10, 4))
    assign(world, delegate_user(world, "Lan", "Lê Thị"), cell=world.sibling_cell)

    choices = delegates.delegate_choices(meeting)

    assert [(c.delegate_id, c.name, c.title, c.unit) for c in choices] == [
        (tuan.pk, "Phạm Minh Tuấn", "Phó Bí thư Đảng ủy", world.commune.name)
    ]


def test_the_record_page_offers_the_delegate_and_saving_keeps_the_link(world, login, make_meeting):
    meeting = make_meeting(when=at(2026, 10, 5))
    tuan = delegate_user(world)
    assign(world, tuan, title="Đảng ủy viên")
    client = login(world.secretary)
    record_url = reverse("meetings:record", args=[meeting.pk])

    page = client.get(record_url)
    html = page.content.decode()
    assert 'id="delegate-hint"' in html
    assert f'data-delegate="{tuan.pk}"' in html
    assert 'data-name="Phạm Minh Tuấn"' in html
    assert "js/delegates.js" in html
    assert 'name="guests-0-delegate"' in html  # the hidden field of the empty row

    response = client.post(
        record_url,
        record_post_data(
            page,
            **{
                "guests-0-name": "Phạm Minh Tuấn",
                "guests-0-title": "Đảng ủy viên",
                "guests-0-unit": world.commune.name,
                "guests-0-delegate": str(tuan.pk),
            },
        ),
    )
    assert response.status_code == 302
    guest = Guest.objects.get(meeting=meeting)
    assert guest.delegate == tuan

    # Saving the page again, untouched, keeps the link (the hidden field goes along).
    page = client.get(record_url)
    assert "Phạm Minh Tuấn" in page.content.decode()
    assert page.context["editor"].guests.forms[0].instance == guest
    assert client.post(record_url, record_post_data(page)).status_code == 302
    guest.refresh_from_db()
    assert guest.delegate == tuan


@pytest.mark.parametrize("assigned_to", [None, "sibling_cell", "ended"])
def test_a_guest_saved_with_a_delegate_not_assigned_loses_the_link(
    world, login, make_meeting, assigned_to
):
    meeting = make_meeting(when=at(2026, 10, 5))
    stranger = delegate_user(world, "Hùng", "Đỗ Văn")
    if assigned_to == "sibling_cell":
        assign(world, stranger, cell=world.sibling_cell)
    elif assigned_to == "ended":
        assign(world, stranger, ended_on=date(2026, 9, 30))
    client = login(world.secretary)
    record_url = reverse("meetings:record", args=[meeting.pk])
    page = client.get(record_url)

    response = client.post(
        record_url,
        record_post_data(
            page, **{"guests-0-name": "Đỗ Văn Hùng", "guests-0-delegate": str(stranger.pk)}
        ),
    )

    assert response.status_code == 302
    guest = Guest.objects.get(meeting=meeting)
    assert guest.name == "Đỗ Văn Hùng"  # the guest is kept, only the link goes
    assert guest.delegate is None


# -- visits -----------------------------------------------------------------------------


@pytest.fixture
def visits(world):
    """March 2026 in the commune: Tuấn visits the cell twice and the sibling cell once,
    Lan (assigned, never came) none. Around it, what must not count."""
    tuan = delegate_user(world)
    lan = delegate_user(world, "Lan", "Lê Thị")
    assign(world, tuan)
    assign(world, tuan, cell=world.sibling_cell)
    assign(world, lan, cell=world.sibling_cell)

    first = held_meeting(world.cell, at(2026, 3, 2))
    visit(first, tuan)
    visit(first, tuan, name="written twice by mistake")
    second = held_meeting(world.cell, at(2026, 3, 20), status=MeetingStatus.DRAFT)
    visit(second, tuan)
    visit(second, None, name="a guest who is not a delegate")
    sibling = held_meeting(world.sibling_cell, at(2026, 3, 31, 20, 0))
    visit(sibling, tuan)

    visit(held_meeting(world.cell, at(2026, 4, 1, 8, 0)), tuan)  # after the period
    visit(held_meeting(world.cell, at(2026, 2, 28)), tuan)  # before it
    visit(held_meeting(world.cell, at(2026, 3, 10), status=MeetingStatus.PLANNED), tuan)
    returned = held_meeting(world.cell, at(2026, 3, 12), status=MeetingStatus.DRAFT)
    visit(returned, tuan)  # replaced by a correction: counted there, not here
    Meeting.objects.filter(pk=returned.pk).update(status=MeetingStatus.SUPERSEDED, is_current=False)
    far = delegate_user(world, "Nam", "Hoàng", organization=world.other_commune)
    visit(held_meeting(world.far_cell, at(2026, 3, 5)), far)
    return {"tuan": tuan, "lan": lan, "far": far}


def test_visits_are_counted_per_delegate_and_per_cell_over_the_period(world, visits):
    report = delegates.visit_report(world.commune, date(2026, 3, 1), date(2026, 3, 31))

    by_delegate = {
        row.delegate_id: (row.name, row.visits, len(row.cells_visited), len(row.cells_assigned))
        for row in report.by_delegate
    }
    assert by_delegate == {
        visits["tuan"].pk: ("Phạm Minh Tuấn", 3, 2, 2),
        visits["lan"].pk: ("Lê Thị Lan", 0, 0, 1),
    }
    assert [row.delegate_id for row in report.by_delegate] == [visits["tuan"].pk, visits["lan"].pk]
    by_cell = {
        row.cell: (row.meetings_held, len(row.meetings_with_delegate), row.visits)
        for row in report.by_cell
    }
    assert by_cell == {world.cell: (2, 2, 2), world.sibling_cell: (1, 1, 1)}
    assert (report.total_visits, report.total_meetings_held) == (3, 3)


def test_the_visits_page_reads_the_period_from_the_query_string(world, login, visits):
    response = login(world.reviewer).get(
        reverse("oversight:delegate_visits", args=[world.commune.pk]),
        {"from": "01/03/2026", "to": "31/03/2026"},
    )
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.first_day, report.last_day) == (date(2026, 3, 1), date(2026, 3, 31))
    assert report.total_visits == 3
    html = response.content.decode()
    assert "Phạm Minh Tuấn" in html
    assert "Lê Thị Lan" in html
    assert "Hoàng Nam" not in html  # another commune's delegate
    assert world.far_cell.name not in html


def test_a_period_ending_before_it_starts_falls_back_to_this_year(world, login, visits):
    response = login(world.reviewer).get(
        reverse("oversight:delegate_visits", args=[world.commune.pk]),
        {"from": "31/03/2026", "to": "01/03/2026"},
    )
    assert response.status_code == 200
    assert "to" in response.context["form"].errors
    assert response.context["report"].first_day.month == 1


def test_the_superior_sees_every_communes_visits_and_a_commune_only_its_own(world, visits):
    period = (date(2026, 3, 1), date(2026, 3, 31))
    province = delegates.visit_report(world.superior, *period)
    assert province.total_visits == 4
    assert visits["far"].pk in {row.delegate_id for row in province.by_delegate}
    other = delegates.visit_report(world.other_commune, *period)
    assert [row.cell for row in other.by_cell] == [world.far_cell]
    assert [row.delegate_id for row in other.by_delegate] == [visits["far"].pk]


def test_the_visit_report_costs_the_same_queries_whatever_the_data(world, visits):
    period = (date(2026, 3, 1), date(2026, 3, 31))
    with CaptureQueriesContext(connection) as small:
        delegates.visit_report(world.commune, *period)
    for day in range(1, 20):
        visit(held_meeting(world.sibling_cell, at(2026, 3, day, 8, 0)), delegate_user(world))
    with CaptureQueriesContext(connection) as large:
        report = delegates.visit_report(world.commune, *period)
    assert report.total_visits == 3 + 19
    assert len(large) == len(small) == 4

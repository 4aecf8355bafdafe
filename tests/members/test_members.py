from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Member, MemberTransfer, Position
from tests.factories import CellFactory, MemberFactory, RoleFactory


def member_data(**overrides):
    data = {
        "full_name": "Lê Văn Minh",
        "gender": "male",
        "birth_date": "03/04/1960",
        "status": "official",
        "admitted_on": "19/05/1985",
        "official_on": "19/05/1986",
        "card_number": "12345678",
        "phone": "0912345678",
        "activity_status": "active",
        "activity_since": "",
        "activity_note": "",
    }
    data.update(overrides)
    return data


def test_secretary_adds_a_member_with_day_first_dates(world, login):
    response = login(world.secretary).post(
        reverse("members:member_create", args=[world.cell.pk]), member_data()
    )
    assert response.status_code == 302
    member = Member.objects.get(card_number="12345678")
    assert member.organization == world.cell
    assert member.birth_date == date(1960, 4, 3)


def test_bad_member_form_comes_back_with_the_entries_and_the_reason(world, login):
    response = login(world.secretary).post(
        reverse("members:member_create", args=[world.cell.pk]),
        member_data(admitted_on="01/01/1970"),  # aged 9
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Lê Văn Minh" in content
    assert "admitted_on" in response.context["form"].errors
    assert not Member.objects.filter(card_number="12345678").exists()


def test_probationary_member_has_no_official_date(world, login):
    response = login(world.secretary).post(
        reverse("members:member_create", args=[world.cell.pk]),
        member_data(status="probationary"),
    )
    assert "official_on" in response.context["form"].errors


def test_card_number_is_unique_when_present(world, login):
    MemberFactory(organization=world.sibling_cell, card_number="12345678")
    response = login(world.secretary).post(
        reverse("members:member_create", args=[world.cell.pk]), member_data()
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    MemberFactory(organization=world.cell, card_number="")
    MemberFactory(organization=world.cell, card_number="")  # blanks never clash


def test_members_are_listed_by_given_name_then_family_name(world, login):
    for name in ["Trần Văn Bình", "Lê Thị Ánh", "Nguyễn Văn An", "Đỗ Thị Anh", "Phạm Đức Ân"]:
        MemberFactory(organization=world.cell, full_name=name)
    response = login(world.viewer).get(reverse("members:member_list", args=[world.cell.pk]))
    names = [member.full_name for member in response.context["members"]]
    assert names == [
        "Nguyễn Văn An",
        "Đỗ Thị Anh",
        "Lê Thị Ánh",
        "Phạm Đức Ân",
        "Trần Văn Bình",
        "Nguyễn Thị Lan",
    ]


def test_former_members_are_hidden_unless_asked_for(world, login):
    MemberFactory(organization=world.cell, full_name="Vũ Văn Cũ", activity_status="deceased")
    client = login(world.viewer)
    url = reverse("members:member_list", args=[world.cell.pk])
    assert "Vũ Văn Cũ" not in client.get(url).content.decode()
    assert "Vũ Văn Cũ" in client.get(url + "?former=1").content.decode()


@pytest.mark.parametrize("view", ["members:member_list", "members:organization_detail"])
def test_cell_pages_cost_the_same_queries_for_10_and_270_members(world, login, view):
    small = CellFactory(parent=world.commune)
    large = CellFactory(parent=world.commune)
    MemberFactory.create_batch(10, organization=small)
    MemberFactory.create_batch(270, organization=large)
    client = login(world.reviewer)
    counts = []
    for cell in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(view, args=[cell.pk]))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_committee_member_list_spans_its_cells_with_their_names(world, login):
    response = login(world.reviewer).get(reverse("members:member_list", args=[world.commune.pk]))
    names = {member.full_name for member in response.context["members"]}
    assert names == {"Nguyễn Thị Lan", "Trần Văn Hùng"}
    assert "Chi bộ thôn Tây" in response.content.decode()


def test_concurrent_edit_is_refused_and_keeps_the_users_text(world, login):
    url = reverse("members:member_edit", args=[world.member.pk])
    client = login(world.secretary)
    opened_version = world.member.version
    # Someone else saves first.
    other = login(world.admin)
    other.post(
        url, member_data(full_name="Nguyễn Thị Lan Anh", card_number="", version=opened_version)
    )
    world.member.refresh_from_db()
    assert world.member.full_name == "Nguyễn Thị Lan Anh"

    client = login(world.secretary)
    response = client.post(
        url, member_data(full_name="Nguyễn Thị Lan Hương", card_number="", version=opened_version)
    )
    world.member.refresh_from_db()
    assert response.status_code == 200
    assert world.member.full_name == "Nguyễn Thị Lan Anh"
    content = response.content.decode()
    assert "Nguyễn Thị Lan Hương" in content  # her text is still in the form
    assert "Nguyễn Thị Lan Anh" in content  # and she sees what the other person wrote
    # Saving again is now a deliberate overwrite.
    response = client.post(
        url,
        member_data(full_name="Nguyễn Thị Lan Hương", card_number="", version=world.member.version),
    )
    world.member.refresh_from_db()
    assert response.status_code == 302
    assert world.member.full_name == "Nguyễn Thị Lan Hương"


def test_edit_is_kept_in_the_history_with_who_did_it(world, login):
    login(world.secretary).post(
        reverse("members:member_edit", args=[world.member.pk]),
        member_data(full_name="Nguyễn Thị Lan", phone="0987654321", card_number="", version=1),
    )
    latest = world.member.history.latest()
    assert latest.phone == "0987654321"
    assert latest.history_user == world.secretary


def test_admin_transfers_a_member_and_the_history_is_kept(world, login):
    Position.objects.create(
        member=world.member, organization=world.cell, role="secretary", started_on="2025-09-01"
    )
    response = login(world.admin).post(
        reverse("members:member_transfer", args=[world.member.pk]),
        {"to_organization": world.sibling_cell.pk, "transferred_on": "15/10/2026", "note": ""},
    )
    world.member.refresh_from_db()
    assert response.status_code == 302
    assert world.member.organization == world.sibling_cell
    transfer = MemberTransfer.objects.get(member=world.member)
    assert (transfer.from_organization, transfer.to_organization) == (
        world.cell,
        world.sibling_cell,
    )
    assert transfer.transferred_on == date(2026, 10, 15)
    assert Position.objects.get(member=world.member).ended_on == date(2026, 10, 15)
    assert world.member.history.filter(organization=world.cell).exists()


def test_secretary_cannot_transfer_into_a_cell_she_does_not_manage(world, login):
    response = login(world.secretary).post(
        reverse("members:member_transfer", args=[world.member.pk]),
        {"to_organization": world.sibling_cell.pk, "transferred_on": "15/10/2026"},
    )
    world.member.refresh_from_db()
    assert response.status_code == 200
    assert world.member.organization == world.cell


def test_a_cell_has_one_sitting_secretary(world, login):
    Position.objects.create(
        member=world.member, organization=world.cell, role="secretary", started_on="2025-09-01"
    )
    other = MemberFactory(organization=world.cell)
    response = login(world.secretary).post(
        reverse("members:position_create", args=[other.pk]),
        {"role": "secretary", "started_on": "01/10/2026", "ended_on": "", "term": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Position.objects.filter(role="secretary").count() == 1


def test_secretary_with_one_cell_lands_on_her_cell(world, login):
    response = login(world.secretary).get(reverse("home"))
    assert response["Location"] == reverse("members:organization_detail", args=[world.cell.pk])


def test_user_with_two_cells_sees_the_list(world, login):
    RoleFactory(user=world.secretary, organization=world.far_cell, kind="cell_viewer")
    response = login(world.secretary).get(reverse("home"))
    assert response["Location"] == reverse("members:organization_list")


def test_a_conflict_shows_the_other_persons_values_as_a_person_reads_them(world, login):
    url = reverse("members:member_edit", args=[world.member.pk])
    opened_version = world.member.version
    saved = login(world.admin).post(
        url,
        member_data(
            full_name="Nguyễn Thị Lan",
            card_number="",
            status="probationary",
            official_on="",
            birth_date="05/06/1960",
            version=opened_version,
        ),
    )
    assert saved.status_code == 302, saved.context["form"].errors
    client = login(world.secretary)
    client.cookies["django_language"] = "en"
    response = client.post(url, member_data(card_number="", version=opened_version))
    errors = " ".join(response.context["form"].non_field_errors())
    assert "Membership: Probationary member" in errors
    assert "05/06/1960" in errors

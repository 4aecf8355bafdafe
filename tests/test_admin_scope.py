"""The admin as an administrator of one commune (staff, with the model permissions and
an admin role on Đảng bộ xã Yên Hòa): every page, inline and choice list keeps to her
subtree, and nothing of Đảng bộ xã Bình Minh can be seen or chosen."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from members.models import Position, RoleKind
from tests.factories import MemberFactory, RoleFactory, UserFactory

# The superior's name may show (as her commune's parent); it is never a choice.
OTHER_COMMUNE_NAMES = ["Đảng bộ xã Bình Minh", "Chi bộ thôn Bắc"]


@pytest.fixture
def commune_admin(world, login):
    user = RoleFactory(organization=world.commune, kind=RoleKind.ADMIN).user
    user.is_staff = True
    user.save()
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["members", "meetings", "auth"])
    )
    return login(user)


@pytest.fixture
def far_rows(world):
    far_member = MemberFactory(organization=world.far_cell, full_name="Hoàng Văn Xa")
    far_meeting = Meeting.objects.create(
        organization=world.far_cell,
        kind="extraordinary",
        topic="Họp ở xã khác",
        scheduled_at=timezone.now(),
    )
    position = Position.objects.create(
        member=world.member,
        organization=world.far_cell,
        role="committee_member",
        started_on="2025-01-01",
    )
    superuser = UserFactory(username="quan-tri-tinh", is_superuser=True, is_staff=True)
    return {
        "member": far_member,
        "meeting": far_meeting,
        "position": position,
        "superuser": superuser,
    }


def select_options(page, name):
    match = re.search(rf'<select name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    assert match, name
    return re.findall(r'<option value="([^"]*)"', match.group(1))


def assert_nothing_of_the_other_commune(page):
    for name in OTHER_COMMUNE_NAMES + ["Hoàng Văn Xa", "Họp ở xã khác", "quan-tri-tinh"]:
        assert name not in page, name


def registered_cellmeet_models():
    return [
        model for model in admin.site._registry if model._meta.app_label in {"members", "meetings"}
    ]


def test_every_changelist_and_add_page_keeps_to_the_subtree(commune_admin, world, far_rows):
    for model in registered_cellmeet_models():
        opts = model._meta
        for view in ("changelist", "add"):
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}")
            response = commune_admin.get(url)
            assert response.status_code == 200, url
            assert_nothing_of_the_other_commune(response.content.decode())


def test_the_member_page_and_its_position_inline_keep_to_the_subtree(
    commune_admin, world, far_rows
):
    url = reverse("admin:members_member_change", args=[world.member.pk])
    page = commune_admin.get(url).content.decode()
    assert_nothing_of_the_other_commune(page)
    allowed = {str(pk) for pk in [world.commune.pk, world.cell.pk, world.sibling_cell.pk]}
    assert set(select_options(page, "organization")) - {""} == allowed
    assert set(select_options(page, "positions-__prefix__-organization")) - {""} == allowed
    # The position she cannot see (in the other commune) is not on the page to change.
    assert str(far_rows["position"].pk) not in re.findall(
        r'name="positions-\d+-id" value="(\d+)"', page
    )


def test_a_member_cannot_be_put_into_a_cell_of_another_commune(commune_admin, world, far_rows):
    url = reverse("admin:members_member_change", args=[world.member.pk])
    response = commune_admin.get(url)
    form = response.context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
    }
    data.update(
        {
            "full_name": world.member.full_name,
            "organization": world.cell.pk,
            "birth_date": "",
            "admitted_on": "",
            "official_on": "",
            "positions-TOTAL_FORMS": "1",
            "positions-INITIAL_FORMS": "0",
            "positions-MIN_NUM_FORMS": "0",
            "positions-MAX_NUM_FORMS": "1000",
            "positions-0-organization": world.far_cell.pk,
            "positions-0-role": "committee_member",
            "positions-0-started_on": "2026-01-01",
            "positions-0-member": world.member.pk,
        }
    )
    data = {key: value for key, value in data.items() if value is not None}
    response = commune_admin.post(url, data)
    assert response.status_code == 200  # the form comes back with the error
    assert Position.objects.filter(organization=world.far_cell).count() == 1  # only far_rows'
    data["positions-0-organization"] = world.sibling_cell.pk
    data["organization"] = world.far_cell.pk
    response = commune_admin.post(url, data)
    assert response.status_code == 200
    world.member.refresh_from_db()
    assert world.member.organization == world.cell


def test_raw_id_boxes_refuse_a_member_of_another_commune(commune_admin, world, far_rows):
    url = reverse("admin:meetings_meeting_add")
    response = commune_admin.post(
        url,
        {
            "organization": world.cell.pk,
            "kind": "extraordinary",
            "scheduled_at_0": "05/10/2026",
            "scheduled_at_1": "19:30",
            "chair": far_rows["member"].pk,
            "status": "planned",
        },
    )
    assert response.status_code == 200
    assert "chair" in response.context["adminform"].form.errors
    assert not Meeting.objects.filter(chair=far_rows["member"]).exists()


def test_other_communes_rows_and_their_history_are_not_found(commune_admin, world, far_rows):
    for name, row in [
        ("members_member", far_rows["member"]),
        ("meetings_meeting", far_rows["meeting"]),
        ("members_organization", world.other_commune),
    ]:
        for view in ("change", "history"):
            response = commune_admin.get(reverse(f"admin:{name}_{view}", args=[row.pk]))
            assert response.status_code in (302, 404), (name, view)
            assert_nothing_of_the_other_commune(response.content.decode())


def test_accounts_are_for_superusers_only(commune_admin, world, far_rows):
    for url in [
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_change", args=[far_rows["superuser"].pk]),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_group_changelist"),
    ]:
        assert commune_admin.get(url).status_code == 403, url
    index = commune_admin.get(reverse("admin:index")).content.decode()
    assert reverse("admin:auth_user_changelist") not in index


def test_a_superuser_still_sees_every_account_and_organisation(world, far_rows, login):
    client = login(far_rows["superuser"])
    assert "quan-tri-tinh" in client.get(reverse("admin:auth_user_changelist")).content.decode()
    page = client.get(reverse("admin:members_organization_changelist")).content.decode()
    assert "Đảng bộ xã Bình Minh" in page

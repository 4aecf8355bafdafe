import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.models import Organization, OrganizationKind
from tests.factories import CellFactory, CommitteeFactory, OrganizationFactory


def test_subtree_is_exactly_the_organisation_and_everything_under_it(
    world, django_assert_num_queries
):
    with django_assert_num_queries(1):
        subtree = set(Organization.objects.subtree_of(world.commune))
    assert subtree == {world.commune, world.cell, world.sibling_cell}


def test_subtree_does_not_catch_organisations_whose_id_shares_a_prefix(db):
    root = OrganizationFactory()
    committees = [CommitteeFactory(parent=root) for _ in range(12)]
    first = committees[0]
    # Ids 2 and 12, 3 and 13 ... share leading digits; the path separator keeps them apart.
    lookalikes = [c for c in committees if str(c.pk).startswith(str(first.pk)) and c != first]
    cell = CellFactory(parent=first)
    subtree = set(Organization.objects.subtree_of(first))
    assert subtree == {first, cell}
    assert not subtree & set(lookalikes)


def test_moving_a_committee_moves_its_whole_subtree(world):
    world.commune.parent = None
    world.commune.kind = OrganizationKind.SUPERIOR_COMMITTEE
    world.commune.save()
    world.cell.refresh_from_db()
    assert world.cell.path == f"/{world.commune.pk:09d}/{world.cell.pk:09d}/"
    assert world.cell.depth == 1
    assert world.cell not in Organization.objects.subtree_of(world.superior)


def test_a_cell_cannot_stand_directly_under_a_superior_committee(world):
    cell = Organization(
        name="Chi bộ lạc chỗ",
        kind=OrganizationKind.CELL,
        cell_type="village",
        parent=world.superior,
    )
    with pytest.raises(ValidationError) as error:
        cell.full_clean()
    assert "parent" in error.value.message_dict


def test_a_grassroots_cell_stands_directly_under_a_superior_committee(world):
    cell = Organization(
        name="Chi bộ cơ sở Trường THPT",
        kind=OrganizationKind.GRASSROOTS_CELL,
        cell_type="school",
        parent=world.superior,
    )
    cell.full_clean()
    cell.save()
    assert cell.is_cell
    assert cell in Organization.objects.subtree_of(world.superior)


def test_a_cell_needs_its_type(world):
    cell = Organization(name="Chi bộ X", kind=OrganizationKind.CELL, parent=world.commune)
    with pytest.raises(ValidationError) as error:
        cell.full_clean()
    assert "cell_type" in error.value.message_dict


def test_an_organisation_cannot_be_moved_under_its_own_descendant(world):
    world.superior.parent = world.commune
    with pytest.raises(ValidationError):
        world.superior.clean()


def test_admin_creates_a_cell_under_the_commune(world, login):
    client = login(world.admin)
    response = client.post(
        reverse("members:organization_create", args=[world.commune.pk]),
        {
            "name": "Chi bộ thôn Mới",
            "kind": "cell",
            "cell_type": "village",
            "code": "",
            "place": "",
        },
    )
    created = Organization.objects.get(name="Chi bộ thôn Mới")
    assert response.status_code == 302
    assert created.parent == world.commune
    assert created.path.startswith(world.commune.path)


def test_organisation_form_error_keeps_the_entries(world, login):
    client = login(world.admin)
    response = client.post(
        reverse("members:organization_create", args=[world.commune.pk]),
        {"name": "Chi bộ thiếu loại", "kind": "cell", "cell_type": "", "code": "", "place": ""},
    )
    assert response.status_code == 200
    assert "Chi bộ thiếu loại" in response.content.decode()
    assert not Organization.objects.filter(name="Chi bộ thiếu loại").exists()


def test_organisation_list_shows_only_the_visible_subtree(world, login):
    response = login(world.reviewer).get(reverse("members:organization_list"))
    names = {organization.name for organization in response.context["organizations"]}
    assert names == {world.commune.name, world.cell.name, world.sibling_cell.name}


def test_one_subtree_rule_whatever_the_lookup(world):
    """members.subtree: the organisation and everything under it, and nothing beside."""
    from django.db.models import Q

    from members.models import Organization
    from members.subtree import is_under, subtree_q

    under_commune = {world.commune, world.cell, world.sibling_cell}
    assert set(Organization.objects.subtree_of(world.commune)) == under_commune
    assert set(Organization.objects.filter(subtree_q(world.commune, "path"))) == under_commune
    children = Organization.objects.filter(subtree_q(world.commune, "parent__path"))
    assert set(children) == {world.cell, world.sibling_cell}
    assert subtree_q(world.cell) == Q(organization__path__startswith=world.cell.path)
    assert is_under(world.cell, world.commune) and is_under(world.cell, world.cell)
    assert not is_under(world.far_cell, world.commune)


def test_no_subtree_filter_is_written_by_hand():
    """Every "under this organisation" filter goes through members.subtree."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    apps = ["cellmeet", "members", "meetings", "resolutions", "oversight", "notifications"]
    written = [
        str(path.relative_to(root))
        for app in apps
        for path in (root / app).rglob("*.py")
        if "path__startswith" in path.read_text(encoding="utf-8")
    ]
    assert written == [], written

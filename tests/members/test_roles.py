"""The scope rule (members.roles) and the ids on an organisation's path."""

from django.contrib.auth.models import AnonymousUser

from members.models import Member, Organization, Position, RoleKind, ids_on_path
from members.roles import REVIEWERS, access_for
from tests.factories import CellFactory, MemberFactory, RoleFactory, UserFactory


def _scoped(model, user, path_lookup, kinds=None):
    return set(model.objects.filter(access_for(user).scope_q(path_lookup, kinds)))


def test_scope_q_keeps_what_lies_under_the_users_roles(world):
    assert _scoped(Organization, world.reviewer, "path") == {
        world.commune,
        world.cell,
        world.sibling_cell,
    }
    assert _scoped(Member, world.secretary, "organization__path") == {world.member}


def test_scope_q_follows_any_path_lookup(world):
    kept = Position.objects.create(
        member=world.member, organization=world.cell, role="secretary", started_on="2025-01-01"
    )
    Position.objects.create(
        member=world.sibling_member,
        organization=world.sibling_cell,
        role="secretary",
        started_on="2025-01-01",
    )
    assert _scoped(Position, world.secretary, "member__organization__path") == {kept}


def test_scope_q_with_kinds_keeps_only_the_subtrees_of_those_roles(world):
    # A reviewer of the far commune who is also the secretary of a cell in ours.
    RoleFactory(user=world.far_reviewer, organization=world.cell, kind=RoleKind.CELL_SECRETARY)
    everything = _scoped(Organization, world.far_reviewer, "path")
    reviewed = _scoped(Organization, world.far_reviewer, "path", REVIEWERS)
    assert everything == {world.other_commune, world.far_cell, world.cell}
    assert reviewed == {world.other_commune, world.far_cell}


def test_scope_q_gives_nothing_without_such_a_role_and_everything_to_a_superuser(world):
    assert _scoped(Organization, world.secretary, "path", REVIEWERS) == set()
    assert _scoped(Organization, UserFactory(), "path") == set()
    assert _scoped(Organization, AnonymousUser(), "path") == set()
    superuser = UserFactory(is_superuser=True)
    assert _scoped(Organization, superuser, "path", REVIEWERS) == set(Organization.objects.all())


def test_nested_roles_give_one_condition_per_subtree(world):
    RoleFactory(user=world.admin, organization=world.commune, kind=RoleKind.SUPERIOR_REVIEWER)
    q = access_for(world.admin).scope_q("path")
    assert len(q.children) == 1  # the commune lies under the superior already


def test_holds_any_tells_whether_the_user_has_a_role_of_those_kinds(world):
    assert access_for(world.reviewer).holds_any(REVIEWERS)
    assert not access_for(world.secretary).holds_any(REVIEWERS)
    assert access_for(UserFactory(is_superuser=True)).holds_any(REVIEWERS)


def test_keeping_records_is_for_the_cells_secretary_and_administrators_above(world):
    for user, allowed in [
        (world.secretary, True),
        (world.admin, True),
        (world.viewer, False),
        (world.reviewer, False),
        (world.outsider, False),
    ]:
        assert access_for(user).can_keep_records(world.cell) is allowed, user
    assert not access_for(world.secretary).can_keep_records(world.commune)


def test_home_cells_and_reviewed_committees_come_in_tree_order(world):
    second_cell = CellFactory(parent=world.commune)
    RoleFactory(user=world.secretary, organization=second_cell, kind=RoleKind.CELL_VIEWER)
    RoleFactory(user=world.secretary, organization=world.cell, kind=RoleKind.CELL_VIEWER)
    assert access_for(world.secretary).home_cells() == [world.cell, second_cell]
    RoleFactory(user=world.admin, organization=world.commune, kind=RoleKind.SUPERIOR_REVIEWER)
    RoleFactory(user=world.admin, organization=world.cell, kind=RoleKind.CELL_VIEWER)
    assert access_for(world.admin).reviewed_committees() == [world.superior, world.commune]


def test_ancestor_ids_read_the_path_root_first(world, django_assert_num_queries):
    cell = Organization.objects.get(pk=world.cell.pk)
    with django_assert_num_queries(0):
        assert cell.ancestor_ids() == [world.superior.pk, world.commune.pk]
        assert cell.ancestor_ids(include_self=True) == [
            world.superior.pk,
            world.commune.pk,
            world.cell.pk,
        ]
        assert world.superior.ancestor_ids() == []
    assert ids_on_path(world.commune.path) == [world.superior.pk, world.commune.pk]
    assert cell.ancestors() == [world.superior, world.commune]


def test_subtree_of_works_for_any_model_reached_through_an_organisation(world):
    far_member = MemberFactory(organization=world.far_cell)
    assert set(Member.objects.subtree_of(world.commune)) == {world.member, world.sibling_member}
    assert set(Member.objects.subtree_of(world.other_commune)) == {far_member}

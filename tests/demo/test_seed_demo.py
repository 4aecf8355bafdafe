from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from demo import organization as demo_organization
from demo import year as demo_year
from demo.scenario import MeetingsReport
from members.models import (
    ActivityStatus,
    CellType,
    Member,
    MembershipStatus,
    Organization,
    OrganizationKind,
    Position,
    PositionRole,
    Role,
    RoleKind,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def without_demo_meetings(monkeypatch):
    """These tests are about organisations, members and accounts. The demo year of
    meetings takes seconds to build and is tested in tests/demo/test_demo_meetings.py;
    its signed minutes would also keep a cell's members from being deleted."""
    monkeypatch.setattr(demo_year, "seed_meetings", lambda **kwargs: MeetingsReport())


def seed():
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def commune():
    return Organization.objects.get(code=demo_organization.COMMUNE.code)


def snapshot():
    User = get_user_model()
    return {
        "organizations": list(
            Organization.objects.values_list("code", "name", "kind", "cell_type", "path")
        ),
        "members": list(
            Member.objects.order_by("card_number").values_list(
                "card_number",
                "full_name",
                "organization__code",
                "status",
                "activity_status",
                "birth_date",
                "admitted_on",
                "official_on",
                "phone",
                "user__username",
            )
        ),
        "positions": list(
            Position.objects.order_by("member__card_number").values_list(
                "member__card_number", "organization__code", "role", "started_on", "term"
            )
        ),
        "roles": sorted(Role.objects.values_list("user__username", "organization__code", "kind")),
        "users": sorted(
            User.objects.values_list("username", "password", "is_staff", "is_superuser")
        ),
        "member_history": Member.history.count(),
    }


def test_builds_one_commune_with_thirteen_cells_of_the_right_types():
    seed()

    top = Organization.objects.get(code=demo_organization.TOP.code)
    assert top.kind == OrganizationKind.SUPERIOR_COMMITTEE and top.parent is None
    assert top.place
    communes = Organization.objects.filter(kind=OrganizationKind.GRASSROOTS_COMMITTEE)
    assert list(communes) == [commune()]
    assert commune().parent == top and commune().place == "Yên Hòa"
    cells = Organization.objects.subtree_of(commune()).filter(kind=OrganizationKind.CELL)
    assert cells.count() == 13
    assert Counter(cells.values_list("cell_type", flat=True)) == {
        CellType.VILLAGE: 8,
        CellType.SCHOOL: 3,
        CellType.POLICE: 1,
        CellType.HEALTH: 1,
    }
    assert all(cell.parent_id == commune().pk and cell.code for cell in cells)


def test_creates_about_270_members_with_probationary_exempt_and_away_members():
    seed()

    members = Member.objects.filter(organization__path__startswith=commune().path)
    assert 250 <= members.count() <= 290
    assert members.count() == Member.objects.count()
    probationary = members.filter(status=MembershipStatus.PROBATIONARY)
    assert probationary.exists()
    assert not probationary.filter(official_on__isnull=False).exists()
    assert members.filter(activity_status=ActivityStatus.EXEMPT).exists()
    assert members.filter(activity_status=ActivityStatus.AWAY).exists()
    assert not members.filter(status=MembershipStatus.OFFICIAL, official_on__isnull=True).exists()
    for cell in Organization.objects.cells():
        assert cell.members.official().count() >= 3, cell


def test_members_and_accounts_have_addresses_at_the_reserved_example_domain():
    seed()

    members = Member.objects.all()
    with_address = members.exclude(email="")
    assert with_address.count() >= members.count() * 0.7
    assert all(
        email.endswith("@example.org") for email in with_address.values_list("email", flat=True)
    )
    assert with_address.filter(wants_messages=True).count() >= with_address.count() * 0.8
    assert not members.filter(email="", wants_messages=True).exists()
    secretaries = Position.objects.current().filter(role=PositionRole.SECRETARY)
    assert not secretaries.filter(member__email="").exists()
    assert not secretaries.filter(member__wants_messages=False).exists()
    User = get_user_model()
    assert User.objects.get(username="canbo").email == "canbo@example.org"


def test_every_cell_has_exactly_one_current_secretary_who_is_an_active_official_member():
    seed()

    for cell in Organization.objects.cells():
        secretaries = Position.objects.current().filter(
            organization=cell, role=PositionRole.SECRETARY
        )
        assert secretaries.count() == 1, cell
        secretary = secretaries.get().member
        assert secretary.organization == cell
        assert secretary.is_official and secretary.activity_status == ActivityStatus.ACTIVE


def test_cells_with_nine_official_members_have_a_committee_of_at_most_seven():
    seed()

    for cell in Organization.objects.cells():
        committee = Position.objects.current().filter(organization=cell)
        if cell.members.official().count() >= 9:
            assert committee.filter(role=PositionRole.DEPUTY_SECRETARY).count() == 1, cell
            assert 3 <= committee.count() <= 7, cell
        else:
            assert committee.count() == 1, cell


def test_every_member_passes_full_clean():
    seed()

    members = list(Member.objects.all())
    assert len(members) > 250
    for member in members:
        member.full_clean()


def test_running_twice_leaves_the_same_data():
    first_output = seed()
    before = snapshot()

    second_output = seed()

    assert snapshot() == before
    assert f"Created {Member.objects.count()} members" in first_output
    assert "Created" not in second_output
    assert "Skipped 13 cells" in second_output
    assert "already up to date" in second_output


def test_completes_a_cell_that_lost_its_members_without_touching_the_others():
    seed()
    cell = Organization.objects.get(code=demo_organization.CELLS[-1].code)
    other_members = set(Member.objects.exclude(organization=cell).values_list("pk", flat=True))
    Member.objects.filter(organization=cell).delete()

    seed()

    assert cell.members.count() == demo_organization.CELLS[-1].size
    assert set(Member.objects.exclude(organization=cell).values_list("pk", flat=True)) == (
        other_members
    )


def test_bithu_logs_in_as_secretary_of_a_village_cell(rf):
    seed()

    user = authenticate(request=rf.post("/"), username="bithu", password=demo_organization.PASSWORD)
    assert user is not None
    role = Role.objects.get(user=user)
    assert role.kind == RoleKind.CELL_SECRETARY
    assert role.organization.cell_type == CellType.VILLAGE
    member = user.member
    assert member.organization == role.organization
    assert (
        Position.objects.current()
        .filter(member=member, organization=role.organization, role=PositionRole.SECRETARY)
        .exists()
    )
    assert f"{user.last_name} {user.first_name}" == member.full_name
    assert not user.is_staff and not user.is_superuser


def test_canbo_reviews_the_commune_and_admin_administers_the_province(rf):
    seed()

    canbo = authenticate(
        request=rf.post("/"), username="canbo", password=demo_organization.PASSWORD
    )
    admin = authenticate(
        request=rf.post("/"), username="admin", password=demo_organization.PASSWORD
    )
    assert canbo.cell_roles.get().kind == RoleKind.SUPERIOR_REVIEWER
    assert canbo.cell_roles.get().organization == commune()
    assert canbo.first_name and canbo.last_name
    assert admin.is_superuser and admin.is_staff
    assert admin.cell_roles.get().kind == RoleKind.ADMIN
    assert admin.cell_roles.get().organization.code == demo_organization.TOP.code


def test_prints_how_to_log_in():
    output = seed()

    for text in ("bithu", "canbo", "admin", demo_organization.PASSWORD, "http://127.0.0.1:8000/"):
        assert text in output


def test_refuses_without_force_when_debug_is_false(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", stdout=StringIO())

    assert not Organization.objects.exists()
    assert not Member.objects.exists()
    assert not get_user_model().objects.exists()


def test_runs_without_force_when_debug_is_true(settings):
    settings.DEBUG = True

    call_command("seed_demo", stdout=StringIO())

    assert Organization.objects.filter(code=demo_organization.COMMUNE.code).exists()


def test_names_are_vietnamese_and_deterministic():
    seed()
    names = list(Member.objects.order_by("card_number").values_list("full_name", flat=True))

    people = demo_organization.PeopleGenerator(date.today())
    generated = [
        member.full_name
        for spec in demo_organization.CELLS
        for _kind, member in people.members_for(spec)
    ]

    assert len(set(names)) == len(names)
    assert sorted(generated) == sorted(names)
    assert all(name.split()[0] in demo_organization.FAMILY_NAMES for name in names)

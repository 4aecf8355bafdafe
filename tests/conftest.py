from dataclasses import dataclass

import pytest

from members.models import OrganizationKind, RoleKind
from tests.factories import (
    CellFactory,
    CommitteeFactory,
    MemberFactory,
    OrganizationFactory,
    RoleFactory,
)


@dataclass
class World:
    """Two communes under one superior committee, and a user for each role.

    superior
    ├── commune            (reviewer, admin over superior)
    │   ├── cell           (secretary, viewer)   ← the cell most tests act on
    │   └── sibling_cell   (its own secretary: an outsider to `cell`)
    └── other_commune
        └── far_cell
    """

    superior: object
    commune: object
    cell: object
    sibling_cell: object
    other_commune: object
    far_cell: object
    secretary: object
    viewer: object
    reviewer: object
    admin: object
    outsider: object
    far_reviewer: object
    member: object
    sibling_member: object

    def user(self, role):
        return None if role == "anonymous" else getattr(self, role)


@pytest.fixture
def world(db):
    superior = OrganizationFactory(name="Tỉnh ủy Sơn Nguyên")
    commune = CommitteeFactory(name="Đảng bộ xã Yên Hòa", parent=superior)
    cell = CellFactory(name="Chi bộ thôn Đông", parent=commune)
    sibling_cell = CellFactory(name="Chi bộ thôn Tây", parent=commune)
    other_commune = CommitteeFactory(name="Đảng bộ xã Bình Minh", parent=superior)
    far_cell = CellFactory(name="Chi bộ thôn Bắc", parent=other_commune)
    assert other_commune.kind == OrganizationKind.GRASSROOTS_COMMITTEE
    return World(
        superior=superior,
        commune=commune,
        cell=cell,
        sibling_cell=sibling_cell,
        other_commune=other_commune,
        far_cell=far_cell,
        secretary=RoleFactory(organization=cell, kind=RoleKind.CELL_SECRETARY).user,
        viewer=RoleFactory(organization=cell, kind=RoleKind.CELL_VIEWER).user,
        reviewer=RoleFactory(organization=commune, kind=RoleKind.SUPERIOR_REVIEWER).user,
        admin=RoleFactory(organization=superior, kind=RoleKind.ADMIN).user,
        outsider=RoleFactory(organization=sibling_cell, kind=RoleKind.CELL_SECRETARY).user,
        far_reviewer=RoleFactory(organization=other_commune, kind=RoleKind.SUPERIOR_REVIEWER).user,
        member=MemberFactory(organization=cell, full_name="Nguyễn Thị Lan"),
        sibling_member=MemberFactory(organization=sibling_cell, full_name="Trần Văn Hùng"),
    )


@pytest.fixture
def login(client):
    """Log the test client in as a user (None stays anonymous) and return it."""

    def _login(user):
        client.logout()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login

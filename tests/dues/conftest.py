from datetime import date
from decimal import Decimal

import pytest

from dues.models import MemberDuesProfile
from members.roles import RoleKind
from tests.factories import MemberFactory, RoleFactory

SALARY = Decimal("12345678")  # a base amount that must never reach the wrong eyes


@pytest.fixture
def dues_cell(world):
    """world.cell with four members: an insured one (world.member, base SALARY), a
    retired one, a student and one admitted 50 years ago."""
    insured = world.member
    insured.admitted_on = date(2000, 1, 1)
    insured.card_number = "01.001234"
    insured.save()
    retired = MemberFactory(
        organization=world.cell, full_name="Trần Văn Hưu", admitted_on=date(1985, 4, 2)
    )
    student = MemberFactory(
        organization=world.cell, full_name="Lê Thị Học", admitted_on=date(2024, 9, 1)
    )
    veteran = MemberFactory(
        organization=world.cell, full_name="Phạm Văn Lão", admitted_on=date(1970, 5, 19)
    )
    MemberDuesProfile.objects.create(member=insured, category="insured", base_amount=SALARY)
    MemberDuesProfile.objects.create(
        member=retired, category="retired", base_amount=Decimal("7100001")
    )
    MemberDuesProfile.objects.create(member=student, category="student")
    MemberDuesProfile.objects.create(
        member=veteran, category="retired", base_amount=Decimal("5000000")
    )
    return {"insured": insured, "retired": retired, "student": student, "veteran": veteran}


@pytest.fixture
def treasurer(world):
    return RoleFactory(organization=world.cell, kind=RoleKind.CELL_TREASURER).user

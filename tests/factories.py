"""Test data builders. Names come from Faker's vi_VN provider: no real people."""

import factory
from django.contrib.auth import get_user_model

from members.models import (
    CellType,
    Member,
    MembershipStatus,
    Organization,
    OrganizationKind,
    Role,
)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Đảng bộ cấp trên {n}")
    kind = OrganizationKind.SUPERIOR_COMMITTEE
    place = "Yên Hòa"


class CommitteeFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"Đảng bộ xã số {n}")
    kind = OrganizationKind.GRASSROOTS_COMMITTEE
    parent = factory.SubFactory(OrganizationFactory)


class CellFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"Chi bộ thôn {n}")
    kind = OrganizationKind.CELL
    cell_type = CellType.VILLAGE
    parent = factory.SubFactory(CommitteeFactory)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    organization = factory.SubFactory(CellFactory)
    full_name = factory.Faker("name", locale="vi_VN")
    gender = "female"
    status = MembershipStatus.OFFICIAL


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(CellFactory)
    kind = "cell_secretary"

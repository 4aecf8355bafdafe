"""A member with no role reaches her own assessment from the menu (rating:mine)."""

from datetime import date

from django.urls import reverse

from rating import services
from tests.factories import UserFactory

MINE = reverse("rating:mine")


def test_a_member_with_no_role_finds_her_assessment_from_the_menu(world, roster, login):
    rating_round = services.open_round(
        world.cell, year=2026, deadline=date(2026, 12, 20), user=world.secretary
    )
    assessment = rating_round.assessments.get(member=world.member)
    her_account = UserFactory()
    assert not her_account.cell_roles.exists()
    world.member.user = her_account
    world.member.save()
    client = login(her_account)
    home = client.get(reverse("resolutions:my_tasks")).content.decode()
    assert f'href="{MINE}"' in home
    page = client.get(MINE)
    assert page.status_code == 200
    assert page.context["assessments"] == [assessment]
    link = reverse("rating:assessment", args=[assessment.pk])
    assert f'href="{link}"' in page.content.decode()
    assert "20/12/2026" in page.content.decode()
    assert client.get(link).status_code == 200


def test_an_account_without_a_member_is_told_so(world, login):
    page = login(UserFactory()).get(MINE)
    assert page.status_code == 200 and page.context["member"] is None
    assert "Tài khoản của bạn chưa gắn với đảng viên" in page.content.decode()

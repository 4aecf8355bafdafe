"""Where signing in leads (members.views.home): each role where her work starts."""

import pytest
from django.urls import reverse

from members.models import RoleKind
from tests.factories import RoleFactory

pytestmark = pytest.mark.django_db


def landing(login, user):
    response = login(user).get(reverse("home"))
    assert response.status_code == 302
    return response.url


def test_the_secretary_lands_on_her_cell_where_she_records(world, login):
    assert landing(login, world.secretary) == reverse(
        "members:organization_detail", args=[world.cell.pk]
    )


def test_a_reviewer_lands_on_her_review_queue(world, login):
    assert landing(login, world.reviewer) == reverse("oversight:review_queue")


def test_an_administrator_above_the_cells_lands_on_the_review_queue(world, login):
    assert landing(login, world.admin) == reverse("oversight:review_queue")


def test_a_reviewer_who_is_also_a_cell_secretary_lands_on_her_cell(world, login):
    RoleFactory(user=world.reviewer, organization=world.sibling_cell, kind=RoleKind.CELL_SECRETARY)
    assert landing(login, world.reviewer) == reverse(
        "members:organization_detail", args=[world.sibling_cell.pk]
    )


def test_logging_in_as_a_reviewer_goes_to_the_queue(world, client):
    response = client.post(
        reverse("login"),
        {"username": world.reviewer.username, "password": "secret-pass-123"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("oversight:review_queue")
    assert response.status_code == 200

"""What the verification page tells someone not entitled to the cell: that signed
minutes with this code exist and whether this is the current version. Nothing about
returns, reviews or corrections."""

import pytest
from django.urls import reverse

from meetings import services

# Words of the messages about returns and corrections (the menu may say "review").
REVIEW_WORDS = ["returned", "correction", "corrected", "replaced", "current version</a>"]


def page_for(client, meeting):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("printing:verify", args=[meeting.fingerprint]))
    assert response.status_code == 200
    return response, response.content.decode()


def assert_tells_nothing_about_reviews(response, page):
    for word in REVIEW_WORDS:
        assert word not in page.lower(), word
    for key in ("returned", "superseded", "meeting", "signatures"):
        assert key not in response.context, key


@pytest.mark.parametrize("who", ["anonymous", "outsider", "far_reviewer"])
def test_a_stranger_learns_that_returned_minutes_are_not_current_and_nothing_more(
    who, signed_meeting, world, login
):
    services.return_minutes(signed_meeting, user=world.reviewer, comment="Thiếu ý kiến")
    response, page = page_for(login(world.user(who)), signed_meeting)
    assert "Signed minutes with this code exist" in page
    assert "not the current version" in page
    assert response.context["is_current_version"] is False
    assert_tells_nothing_about_reviews(response, page)
    assert "Thiếu ý kiến" not in page


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_a_stranger_learns_that_superseded_minutes_are_not_current(
    who, signed_meeting, world, login
):
    services.return_minutes(signed_meeting, user=world.reviewer, comment="Thiếu ý kiến")
    services.start_correction(signed_meeting, user=world.secretary)
    response, page = page_for(login(world.user(who)), signed_meeting)
    assert "not the current version" in page
    assert_tells_nothing_about_reviews(response, page)


def test_a_stranger_learns_that_current_minutes_are_current(signed_meeting, world, login):
    response, page = page_for(login(None), signed_meeting)
    assert "This is the current version of these minutes." in page
    assert response.context["is_current_version"] is True
    assert_tells_nothing_about_reviews(response, page)


def test_the_cell_still_sees_that_its_minutes_were_returned(signed_meeting, world, login):
    services.return_minutes(signed_meeting, user=world.reviewer, comment="Thiếu ý kiến")
    response, page = page_for(login(world.secretary), signed_meeting)
    assert response.context["returned"] is True
    assert "They were returned for correction." in page
    assert response.context["meeting"] == signed_meeting

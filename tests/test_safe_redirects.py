"""Every `next` address a request carries goes through one rule
(cellmeet.redirects.safe_next): a page of this site is followed; a bare word, a view
name, another site, a script or a header-breaking character ends at the view's
default page, never at a server error nor off the site."""

import pytest
from django.urls import reverse

from cellmeet.models import KeptSubmission
from notifications.models import CalendarFeed, FeedKind, create_feed
from tests.helpers import at

UNSAFE_NEXT = [
    "x",
    "meetings:list",
    "home",
    "//evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    "/\r\nSet-Cookie: a=b",
    "/\\evil.example",
    "\x00",
    "",
]


@pytest.fixture
def secretary(world, login):
    return login(world.secretary)


@pytest.mark.parametrize("target", UNSAFE_NEXT)
def test_revoking_a_feed_with_an_odd_next_revokes_it_and_goes_home(world, secretary, target):
    feed = create_feed(FeedKind.CELL, world.cell, user=world.secretary)
    response = secretary.post(
        reverse("notifications:feed_revoke", args=[feed.pk]), {"next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert CalendarFeed.objects.get(pk=feed.pk).revoked_at is not None


def test_revoking_a_feed_follows_a_local_next_and_revokes_it_once(world, secretary):
    feed = create_feed(FeedKind.CELL, world.cell, user=world.secretary)
    page = reverse("notifications:cell_calendar", args=[world.cell.pk])
    url = reverse("notifications:feed_revoke", args=[feed.pk])
    response = secretary.post(url, {"next": page})
    assert response["Location"] == page
    revoked_at = CalendarFeed.objects.get(pk=feed.pk).revoked_at
    assert revoked_at is not None
    secretary.post(url, {"next": "x"})
    assert CalendarFeed.objects.get(pk=feed.pk).revoked_at == revoked_at


@pytest.mark.parametrize("target", UNSAFE_NEXT)
def test_dismissing_a_kept_form_with_an_odd_next_goes_home(world, secretary, target):
    KeptSubmission.objects.create(
        token="t0ken", user=world.secretary, path="/x/", fields=[["agenda", "Nội dung"]]
    )
    response = secretary.post(reverse("kept_discard", args=["t0ken"]), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert not KeptSubmission.objects.filter(token="t0ken").exists()


@pytest.mark.parametrize("target", UNSAFE_NEXT)
def test_switching_language_with_an_odd_next_goes_home(client, target):
    response = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_switching_language_returns_to_the_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/help/?a=1"})
    assert response["Location"] == "/help/?a=1"


@pytest.mark.parametrize("target", UNSAFE_NEXT)
def test_signing_in_with_an_odd_next_goes_to_the_start_page(world, client, target):
    world.secretary.set_password("secret-pass-123")
    world.secretary.save()
    response = client.post(
        reverse("login"),
        {"username": world.secretary.username, "password": "secret-pass-123", "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("target", UNSAFE_NEXT)
def test_signing_out_with_an_odd_next_goes_to_the_login_page(secretary, target):
    response = secretary.post(reverse("logout"), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")


def test_the_recording_page_returns_to_a_plain_anchor_only(world, secretary, make_meeting):
    from tests.meetings.formdata import record_post_data

    meeting = make_meeting(when=at(2026, 10, 5))
    url = reverse("meetings:record", args=[meeting.pk])
    data = record_post_data(secretary.get(url))
    response = secretary.post(url, {**data, "stay": "guests"})
    assert response["Location"] == f"{url}#guests"
    data = record_post_data(secretary.get(url))  # the version the first save made
    response = secretary.post(url, {**data, "stay": "x\r\nSet-Cookie: a=b"})
    assert response["Location"] == f"{url}#top"

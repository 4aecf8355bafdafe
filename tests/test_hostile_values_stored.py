"""Two posts the fuzz test found answering 500 on PostgreSQL only: a NUL character in a
form kept for later (PostgreSQL stores no NUL in text or JSON), and a value that cannot
be a key in the admin's autocomplete box. Checked on every database."""

import pytest
from django.urls import reverse

from cellmeet.models import KeptSubmission
from tests.factories import UserFactory
from tests.helpers import at
from tests.meetings.formdata import record_url

pytestmark = pytest.mark.django_db


def test_a_signed_out_post_with_nul_characters_is_kept_without_them(client, make_meeting):
    meeting = make_meeting(when=at(2026, 10, 5))

    response = client.post(record_url(meeting), {"agenda": "Thông tin\x00 thời sự", "x\x00": "1"})

    assert response.status_code == 302  # to sign in; the post is kept for her
    kept = KeptSubmission.objects.get()
    assert ["agenda", "Thông tin thời sự"] in kept.fields
    assert ["x", "1"] in kept.fields


def test_the_admin_autocomplete_box_answers_a_value_that_is_no_key_with_an_error(client):
    client.force_login(UserFactory(username="quan-tri", is_superuser=True, is_staff=True))

    response = client.post(
        reverse("admin:meetings_meeting_add"), {"organization": "00/00/0000", "kind": "regular"}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["organization"]

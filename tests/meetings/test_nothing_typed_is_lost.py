"""Nothing typed on the record page is lost: not when the session ended, not with a stale
CSRF token, not in a conflict with another save, a finalize or a return, not in an
autosave."""

import json
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cellmeet.models import KeptSubmission
from meetings import services
from meetings.models import Meeting, MeetingStatus, Speech
from tests.helpers import complete
from tests.meetings.formdata import record_post_data

HER_TEXT = "Chi bộ thống nhất: sửa đường liên thôn trước Tết, đồng chí An phụ trách."
AUTOSAVE = {"HTTP_X_CELLMEET_AUTOSAVE": "1"}


def record_url(meeting):
    return reverse("meetings:record", args=[meeting.pk])


def signed_in(user, **client_options):
    """A browser that signed in through the login page, as a person does."""
    client = Client(**client_options)
    token = client.get(reverse("login")).context["csrf_token"]
    response = client.post(
        reverse("login"),
        {"username": user.username, "password": "secret-pass-123", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302, response.content
    return client


def sign_in_again(client, user, next_url):
    response = client.post(
        reverse("login"),
        {"username": user.username, "password": "secret-pass-123", "next": next_url},
    )
    assert response.status_code == 302
    return response


def restore_link(meeting, kept):
    return f"{record_url(meeting)}?restore={kept.token}"


# -- the session ended ------------------------------------------------------------------


def test_a_save_after_the_session_ended_is_kept_and_offered_back_after_signing_in(
    world, make_meeting
):
    meeting = make_meeting()
    client = signed_in(world.secretary)
    page = client.get(record_url(meeting))
    Session.objects.all().delete()

    sent = client.post(record_url(meeting), record_post_data(page, conclusion=HER_TEXT))

    assert sent.status_code == 302
    assert sent.url.startswith(reverse("login"))
    login_page = client.get(sent.url)
    assert "được giữ lại" in login_page.content.decode()
    meeting.refresh_from_db()
    assert meeting.conclusion != HER_TEXT  # never replayed by itself

    back = sign_in_again(client, world.secretary, record_url(meeting))
    assert back.url == record_url(meeting)
    offered = client.get(record_url(meeting)).content.decode()
    assert 'id="kept-on-server"' in offered
    assert HER_TEXT not in offered  # offered, not yet put into the form
    [kept] = KeptSubmission.objects.filter(user=world.secretary)
    restored = client.get(restore_link(meeting, kept))
    assert HER_TEXT in restored.content.decode()
    meeting.refresh_from_db()
    assert meeting.conclusion != HER_TEXT  # she saves it herself

    saved = client.post(record_url(meeting), record_post_data(restored))
    assert saved.status_code == 302
    meeting.refresh_from_db()
    assert meeting.conclusion == HER_TEXT
    assert not KeptSubmission.objects.exists()  # done with once saved


def test_a_kept_submission_is_shown_only_to_the_one_who_signs_in_again(world, make_meeting):
    meeting = make_meeting()
    client = signed_in(world.secretary)
    page = client.get(record_url(meeting))
    Session.objects.all().delete()
    client.post(record_url(meeting), record_post_data(page, conclusion=HER_TEXT))
    [kept] = KeptSubmission.objects.all()

    # Another person with the right to edit signs in on the same computer.
    sign_in_again(client, world.admin, record_url(meeting))
    assert HER_TEXT not in client.get(record_url(meeting)).content.decode()
    assert HER_TEXT not in client.get(restore_link(meeting, kept)).content.decode()
    assert not KeptSubmission.objects.exists()  # not hers: thrown away, never shown

    # Nor does anyone else get it with the token.
    client = signed_in(world.secretary)
    page = client.get(record_url(meeting))
    Session.objects.all().delete()
    client.post(record_url(meeting), record_post_data(page, conclusion=HER_TEXT))
    [kept] = KeptSubmission.objects.all()
    sign_in_again(client, world.secretary, record_url(meeting))
    intruder = signed_in(world.admin)
    assert HER_TEXT not in intruder.get(restore_link(meeting, kept)).content.decode()


def test_a_kept_submission_expires(world, make_meeting, settings):
    meeting = make_meeting()
    client = signed_in(world.secretary)
    page = client.get(record_url(meeting))
    Session.objects.all().delete()
    client.post(record_url(meeting), record_post_data(page, conclusion=HER_TEXT))
    sign_in_again(client, world.secretary, record_url(meeting))
    [kept] = KeptSubmission.objects.all()
    KeptSubmission.objects.update(
        created_at=timezone.now()
        - timedelta(hours=settings.CELLMEET_KEPT_SUBMISSION_HOURS, minutes=1)
    )
    assert 'id="kept-on-server"' not in client.get(record_url(meeting)).content.decode()
    assert HER_TEXT not in client.get(restore_link(meeting, kept)).content.decode()


def test_a_submission_too_big_to_keep_is_not_kept(world, make_meeting, settings):
    settings.CELLMEET_KEPT_SUBMISSION_MAX_BYTES = 1000
    meeting = make_meeting()
    client = signed_in(world.secretary)
    page = client.get(record_url(meeting))
    Session.objects.all().delete()
    client.post(record_url(meeting), record_post_data(page, conclusion="x" * 2000))
    assert not KeptSubmission.objects.exists()


def test_dismissing_a_kept_submission_forgets_it(world, make_meeting):
    meeting = make_meeting()
    client = signed_in(world.secretary)
    page = client.get(record_url(meeting))
    Session.objects.all().delete()
    client.post(record_url(meeting), record_post_data(page, conclusion=HER_TEXT))
    sign_in_again(client, world.secretary, record_url(meeting))
    [kept] = KeptSubmission.objects.all()
    assert client.get(reverse("kept_discard", args=[kept.token])).status_code == 405
    signed_in(world.admin).post(reverse("kept_discard", args=[kept.token]))
    assert KeptSubmission.objects.exists()  # nobody else can throw it away
    client.post(reverse("kept_discard", args=[kept.token]), {"next": record_url(meeting)})
    assert not KeptSubmission.objects.exists()


# -- a stale CSRF token (signed out and in again in another tab) ------------------------


def test_a_stale_csrf_token_gives_a_vietnamese_page_and_keeps_the_text(world, make_meeting):
    meeting = make_meeting()
    client = signed_in(world.secretary, enforce_csrf_checks=True)
    page = client.get(record_url(meeting))
    # Another tab: sign out, sign in again; the token on this page is now stale.
    client.post(reverse("logout"), {"csrfmiddlewaretoken": page.context["csrf_token"]})
    fresh = client.get(reverse("login"))
    client.post(
        reverse("login"),
        {
            "username": world.secretary.username,
            "password": "secret-pass-123",
            "csrfmiddlewaretoken": fresh.context["csrf_token"],
        },
    )

    refused = client.post(record_url(meeting), record_post_data(page, conclusion=HER_TEXT))

    assert refused.status_code == 403
    html = refused.content.decode()
    assert "CSRF verification failed" not in html
    assert 'lang="vi"' in html
    assert "được giữ lại" in html
    assert escape(HER_TEXT) in html  # there to copy, whatever happens next
    assert "tệp" in html  # files are not kept, and the page says so
    meeting.refresh_from_db()
    assert meeting.conclusion != HER_TEXT
    [kept] = KeptSubmission.objects.filter(user=world.secretary)
    assert HER_TEXT in client.get(restore_link(meeting, kept)).content.decode()


def test_a_forged_cross_site_post_is_not_kept(world, make_meeting):
    meeting = make_meeting()
    client = signed_in(world.secretary, enforce_csrf_checks=True)
    page = client.get(record_url(meeting))
    data = record_post_data(page, conclusion="Giả mạo")
    refused = client.post(record_url(meeting), data, HTTP_ORIGIN="https://evil.example")
    assert refused.status_code == 403
    assert not KeptSubmission.objects.exists()


def test_the_login_form_is_never_kept(world):
    client = Client(enforce_csrf_checks=True)
    client.post(reverse("login"), {"username": "x", "password": "mật khẩu bí mật"})
    assert not KeptSubmission.objects.exists()


# -- conflicts: another save, a finalize, a return --------------------------------------


def two_editors(world):
    first, second = Client(), Client()
    first.force_login(world.secretary, backend="django.contrib.auth.backends.ModelBackend")
    second.force_login(world.admin, backend="django.contrib.auth.backends.ModelBackend")
    return first, second


def test_a_conflict_shows_her_entries_and_the_other_persons_side_by_side(world, make_meeting):
    meeting = make_meeting()
    first, second = two_editors(world)
    first_page, second_page = first.get(record_url(meeting)), second.get(record_url(meeting))
    theirs = "Kết luận của đồng chí phó bí thư"
    first.post(record_url(meeting), record_post_data(first_page, conclusion=theirs))

    refused = second.post(record_url(meeting), record_post_data(second_page, conclusion=HER_TEXT))

    assert refused.status_code == 200
    html = refused.content.decode()
    [table] = refused.context["conflicts"]
    assert (table.label, table.yours, table.theirs) == ("Kết luận của chủ trì", HER_TEXT, theirs)
    assert 'id="conflicts"' in html
    assert escape(theirs) in html and escape(HER_TEXT) in html


def test_after_a_finalize_her_entries_are_shown_not_dropped(world, make_meeting, roster):
    meeting = make_meeting()
    first, second = two_editors(world)
    her_page = second.get(record_url(meeting))
    complete(meeting, roster)
    services.finalize_minutes(meeting, user=world.secretary)

    sent = second.post(record_url(meeting), record_post_data(her_page, conclusion=HER_TEXT))

    assert sent.status_code == 200
    html = sent.content.decode()
    assert escape(HER_TEXT) in html
    assert "readonly" in html
    assert 'type="submit" name="save"' not in html  # nothing to save into
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.FINALIZED
    assert meeting.conclusion != HER_TEXT


def test_save_again_after_a_conflict_then_a_finalize_keeps_her_entries(world, make_meeting, roster):
    """What was seen: the second "save again to keep yours" landed on the meeting page."""
    meeting = make_meeting()
    first, second = two_editors(world)
    first_page, her_page = first.get(record_url(meeting)), second.get(record_url(meeting))
    first.post(record_url(meeting), record_post_data(first_page, dues_report="Đã thu đủ"))
    conflict = second.post(record_url(meeting), record_post_data(her_page, conclusion=HER_TEXT))
    assert conflict.status_code == 200
    complete(meeting, roster)
    services.finalize_minutes(meeting, user=world.secretary)

    again = second.post(record_url(meeting), record_post_data(conflict))

    assert again.status_code == 200
    assert escape(HER_TEXT) in again.content.decode()


def test_a_returned_meeting_shows_her_entries_too(world, make_meeting):
    meeting = make_meeting()
    _first, second = two_editors(world)
    her_page = second.get(record_url(meeting))
    Meeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.RETURNED, version=F("version") + 1
    )
    sent = second.post(record_url(meeting), record_post_data(her_page, conclusion=HER_TEXT))
    assert sent.status_code == 200
    assert escape(HER_TEXT) in sent.content.decode()


# -- the browser's background save ------------------------------------------------------


def test_an_autosave_saves_the_draft_and_answers_the_new_version(world, make_meeting):
    meeting = make_meeting()
    client, _ = two_editors(world)
    page = client.get(record_url(meeting))
    answer = client.post(
        record_url(meeting), record_post_data(page, conclusion=HER_TEXT), **AUTOSAVE
    )
    assert answer.status_code == 200
    body = json.loads(answer.content)
    meeting.refresh_from_db()
    assert meeting.conclusion == HER_TEXT
    assert body["saved"] is True and body["version"] == meeting.version


def test_an_autosave_never_overwrites_a_newer_save(world, make_meeting):
    meeting = make_meeting()
    first, second = two_editors(world)
    first_page, her_page = first.get(record_url(meeting)), second.get(record_url(meeting))
    first.post(record_url(meeting), record_post_data(first_page, conclusion="Của người kia"))
    answer = second.post(
        record_url(meeting), record_post_data(her_page, conclusion=HER_TEXT), **AUTOSAVE
    )
    assert answer.status_code == 409
    assert json.loads(answer.content)["saved"] is False
    meeting.refresh_from_db()
    assert meeting.conclusion == "Của người kia"


def test_an_autosave_with_new_rows_keeps_the_text_on_the_server_without_saving_it(
    world, make_meeting, roster
):
    meeting = make_meeting()
    client, _ = two_editors(world)
    page = client.get(record_url(meeting))
    data = record_post_data(
        page,
        **{
            "speeches-TOTAL_FORMS": "1",
            "speeches-0-speaker": str(roster["official"][2].pk),
            "speeches-0-summary": HER_TEXT,
        },
    )
    answer = client.post(record_url(meeting), data, **AUTOSAVE)
    body = json.loads(answer.content)
    assert answer.status_code == 200 and body["saved"] is False and body["kept"] is True
    assert not Speech.objects.filter(meeting=meeting).exists()
    [kept] = KeptSubmission.objects.filter(user=world.secretary)
    assert HER_TEXT in client.get(restore_link(meeting, kept)).content.decode()


def test_an_autosave_of_a_signed_out_user_is_refused_plainly(world, make_meeting):
    meeting = make_meeting()
    client, _ = two_editors(world)
    page = client.get(record_url(meeting))
    client.logout()
    answer = client.post(record_url(meeting), record_post_data(page), **AUTOSAVE)
    assert answer.status_code == 401
    assert not KeptSubmission.objects.exists()

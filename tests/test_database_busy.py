"""SQLite saves queue instead of failing, and when one still finds the database busy
past SQLITE_TIMEOUT, the answer is a translated page that keeps what was sent
(cellmeet.kept.database_busy), never a server error.

The real-lock tests hold SQLite's write lock from a second connection to the test
database file, as a long request in another worker would."""

import sqlite3
import threading
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from cellmeet import kept
from cellmeet.models import KeptSubmission
from meetings.models import MeetingStatus
from tests.helpers import at
from tests.meetings.formdata import record_post_data

needs_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's write lock is what is tested"
)


def record_url(meeting):
    return reverse("meetings:record", args=[meeting.pk])


@pytest.fixture
def secretary(world, login):
    return login(world.secretary)


def test_the_settings_take_the_write_lock_at_once_and_wait_for_it():
    """BEGIN IMMEDIATE: a transaction that read never finds its snapshot stale when it
    writes (that fails at once, whatever the timeout); the timeout makes writers queue."""
    from django.conf import settings

    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite only")
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


def test_a_busy_database_keeps_the_minutes_and_says_press_save_again(
    world, secretary, make_meeting
):
    meeting = make_meeting(when=at(2026, 10, 5))
    data = record_post_data(secretary.get(record_url(meeting)), conclusion="Kết luận của chi bộ")
    with mock.patch(
        "meetings.views.services.save_draft", side_effect=OperationalError("database is locked")
    ):
        response = secretary.post(record_url(meeting), data)
    assert response.status_code == 503
    html = response.content.decode()
    assert "Máy chủ đang bận nên chưa lưu được gì" in html
    assert "bấm Lưu lần nữa" in html
    saved = KeptSubmission.objects.get(user=world.secretary, path=record_url(meeting))
    assert ["conclusion", "Kết luận của chi bộ"] in saved.fields
    # The form offers them back.
    page = secretary.get(record_url(meeting))
    assert page.context["pending"] == saved


def test_a_busy_database_on_a_button_says_press_it_again(world, secretary, make_meeting):
    meeting = make_meeting(when=at(2026, 11, 5), start=False)
    with mock.patch(
        "meetings.services.start_recording", side_effect=OperationalError("database is locked")
    ):
        response = secretary.post(reverse("meetings:start", args=[meeting.pk]))
    assert response.status_code == 503
    assert "bấm nút đó lần nữa" in response.content.decode()
    assert not KeptSubmission.objects.exists()


def test_a_busy_database_shows_text_typed_into_a_form_that_keeps_nothing(world, login):
    from tests.access_rules import meeting_in

    meeting = meeting_in(world, "signed")
    client = login(world.reviewer)
    with mock.patch(
        "oversight.review.return_minutes", side_effect=OperationalError("database is locked")
    ):
        response = client.post(
            reverse("oversight:return", args=[meeting.pk]),
            {"comment": "Thiếu chữ ký của thư ký"},
        )
    assert response.status_code == 503
    assert "Thiếu chữ ký của thư ký" in response.content.decode()


def test_the_background_save_hears_busy(world, secretary, make_meeting):
    meeting = make_meeting(when=at(2026, 10, 5))
    data = record_post_data(secretary.get(record_url(meeting)))
    with mock.patch(
        "meetings.views.services.save_draft", side_effect=OperationalError("database is locked")
    ):
        response = secretary.post(record_url(meeting), data, HTTP_X_CELLMEET_AUTOSAVE="1")
    assert response.status_code == 503
    assert response.json() == {"saved": False, "reason": "busy"}


def test_other_database_errors_stay_errors(world, secretary, make_meeting):
    meeting = make_meeting(when=at(2026, 10, 5))
    data = record_post_data(secretary.get(record_url(meeting)))
    with (
        mock.patch(
            "meetings.views.services.save_draft", side_effect=OperationalError("no such table: x")
        ),
        pytest.raises(OperationalError),
    ):
        secretary.post(record_url(meeting), data)


class WriteLockHolder(threading.Thread):
    """Another connection to the database file holding the write lock until released."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path = path
        self.holding = threading.Event()
        self.release = threading.Event()

    def run(self):
        other = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE cellmeet_keptsubmission SET path = path")
        self.holding.set()
        self.release.wait(timeout=30)
        other.execute("COMMIT")
        other.close()

    def __enter__(self):
        self.start()
        assert self.holding.wait(timeout=30)
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.join(timeout=30)


def _database_file():
    return connection.settings_dict["NAME"]


@pytest.fixture
def short_busy_timeout():
    """SQLITE_TIMEOUT shortened on this connection for the test, then put back."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout = 50")
    yield
    seconds = connection.settings_dict["OPTIONS"].get("timeout", 5)
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")


@needs_sqlite
@pytest.mark.django_db(transaction=True)
def test_a_save_waits_for_another_writer_instead_of_failing(world, secretary, make_meeting):
    """Start recording while another connection writes: it queues, then succeeds."""
    meeting = make_meeting(when=at(2026, 11, 5), start=False)
    with WriteLockHolder(_database_file()) as holder:
        threading.Timer(0.3, holder.release.set).start()
        response = secretary.post(reverse("meetings:start", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DRAFT


@needs_sqlite
@pytest.mark.django_db(transaction=True)
def test_a_lock_held_past_the_timeout_answers_the_busy_page_with_the_entries_kept(
    world, secretary, make_meeting, short_busy_timeout
):
    meeting = make_meeting(when=at(2026, 10, 5))
    data = record_post_data(secretary.get(record_url(meeting)), conclusion="Kết luận giữ lại")
    real_keep = kept.keep
    with WriteLockHolder(_database_file()) as holder:

        def keep_once_the_other_writer_is_done(request, **kwargs):
            holder.release.set()
            holder.join(timeout=30)
            return real_keep(request, **kwargs)

        with mock.patch("cellmeet.kept.keep", side_effect=keep_once_the_other_writer_is_done):
            response = secretary.post(record_url(meeting), data)
    assert response.status_code == 503
    assert "Máy chủ đang bận" in response.content.decode()
    saved = KeptSubmission.objects.get(user=world.secretary, path=record_url(meeting))
    assert ["conclusion", "Kết luận giữ lại"] in saved.fields
    meeting.refresh_from_db()
    assert meeting.conclusion == ""


@needs_sqlite
@pytest.mark.django_db(transaction=True)
def test_when_even_keeping_is_locked_the_text_is_shown_to_copy(
    world, secretary, make_meeting, short_busy_timeout
):
    meeting = make_meeting(when=at(2026, 10, 5))
    data = record_post_data(secretary.get(record_url(meeting)), conclusion="Kết luận để chép")
    with WriteLockHolder(_database_file()):
        response = secretary.post(record_url(meeting), data)
    assert response.status_code == 503
    html = response.content.decode()
    assert "Kết luận để chép" in html
    assert not KeptSubmission.objects.exists()

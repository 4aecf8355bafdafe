"""What happens when people act at the same moment: the embedded SQLite database under
concurrent writes, two drafts taking the same resolution number, two verdicts on the
same minutes.

The races run with real threads on PostgreSQL (transaction=True). The test database on
SQLite is in memory with a shared cache, whose table locks do not wait: there, the
rules are checked deterministically, and the file database that `make run` uses is
driven by threads in a subprocess.
"""

import json
import os
import subprocess
import sys
import textwrap
import threading
from functools import partial

import pytest
from django.conf import settings
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabaseWrapper
from django.http import QueryDict
from django.test import Client

from meetings import services
from meetings.forms import MinutesEditor
from meetings.models import Meeting, MeetingStatus, Review, ReviewVerdict
from meetings.services import accept_minutes
from resolutions import services as resolution_services
from resolutions.models import Resolution
from tests.helpers import at, signed
from tests.meetings.formdata import record_post_data

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a real race needs row locks and separate sessions"
)
on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the SQLite options apply to SQLite only"
)


def in_threads(*functions):
    """Run the functions at the same moment, each in its own thread and database session;
    returns what each returned, or the exception it raised."""
    barrier = threading.Barrier(len(functions))
    outcomes = [None] * len(functions)

    def run(index, function):
        try:
            barrier.wait()
            outcomes[index] = function()
        except Exception as error:  # reported to the test, which decides
            outcomes[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, function))
        for index, function in enumerate(functions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


# ---------------------------------------------------------------- SQLite, the default


@on_sqlite
@pytest.mark.django_db
def test_sqlite_connections_use_wal_wait_for_the_lock_and_begin_immediately(tmp_path):
    # The suite's own database is in memory, where WAL does not exist: open a file
    # database with the live connection's settings, as `make run` does.
    file_database = SQLiteDatabaseWrapper(
        {**connection.settings_dict, "NAME": str(tmp_path / "db.sqlite3")}, alias="file"
    )
    try:
        with file_database.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] >= 5000
        assert file_database.transaction_mode == "IMMEDIATE"
    finally:
        file_database.close()


CONCURRENT_WRITES = """
import json, threading
import django
django.setup()
from django.db import OperationalError, connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE counter (id integer PRIMARY KEY, value integer)")
    cursor.execute("INSERT INTO counter VALUES (1, 0)")
    cursor.execute("PRAGMA journal_mode")
    journal_mode = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout")
    busy_timeout = cursor.fetchone()[0]
connection.close()

THREADS, ROUNDS = 8, 15
barrier = threading.Barrier(THREADS)
errors = []

def write():
    try:
        barrier.wait()
        for _ in range(ROUNDS):
            try:
                # Read, then write, as Model.save() and every workflow step do.
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SELECT value FROM counter WHERE id = 1")
                    value = cursor.fetchone()[0]
                    cursor.execute("UPDATE counter SET value = %s WHERE id = 1", [value + 1])
            except OperationalError as error:
                errors.append(str(error))
    finally:
        connection.close()

threads = [threading.Thread(target=write) for _ in range(THREADS)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT value FROM counter WHERE id = 1")
    value = cursor.fetchone()[0]
print(json.dumps({
    "journal_mode": journal_mode, "busy_timeout": busy_timeout, "errors": errors,
    "value": value, "expected": THREADS * ROUNDS,
}))
"""


def test_threads_writing_at_once_to_a_sqlite_file_never_find_it_locked(tmp_path):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cellmeet.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CONCURRENT_WRITES)],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["journal_mode"] == "wal"
    assert outcome["busy_timeout"] > 0
    assert outcome["errors"] == []
    assert outcome["value"] == outcome["expected"]  # and no update was lost


# ---------------------------------------------------------------- resolution numbers


def record_page_data(client, meeting, **changes):
    page = client.get(f"/meetings/{meeting.pk}/record/")
    assert page.status_code == 200
    return record_post_data(page, **changes)


def as_query_dict(data):
    query = QueryDict(mutable=True)
    for name, value in data.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    return query


@pytest.fixture
def two_drafts(make_meeting):
    return make_meeting(when=at(2026, 9, 5)), make_meeting(when=at(2026, 10, 5))


def test_a_number_taken_while_her_page_was_saving_comes_back_as_a_form_error(
    world, login, two_drafts
):
    first, second = two_drafts
    data = record_page_data(
        login(world.secretary),
        second,
        **{
            "resolution-number": "7",
            "resolution-title": "Nghị quyết tháng 10",
            "conclusion": "Kết luận của chủ trì, gõ trong cuộc họp.",
        },
    )
    editor = MinutesEditor(second, as_query_dict(data))
    assert editor.is_valid()  # the number was free when her page was checked
    # ...and another draft of the cell takes it before her save reaches the database.
    resolution_services.save_resolution(Resolution(meeting=first, number=7, title="Tháng 9"))

    with pytest.raises(resolution_services.ResolutionError) as refused:
        services.save_draft(second, editor.changes(), user=world.secretary)
    editor.show_refusal(refused.value)  # as the recording view does

    resolution_form = next(part for part in editor.extra_parts if hasattr(part, "resolution"))
    assert resolution_form.resolution.errors["number"]
    assert not Resolution.objects.filter(meeting=second).exists()
    second.refresh_from_db()
    assert second.conclusion == ""  # nothing of the refused save is half-kept


def test_saving_a_number_already_taken_shows_the_error_and_keeps_her_entries(
    world, login, two_drafts
):
    first, second = two_drafts
    resolution_services.save_resolution(Resolution(meeting=first, number=7, title="Tháng 9"))
    client = login(world.secretary)
    data = record_page_data(
        client,
        second,
        **{"resolution-number": "7", "resolution-title": "Nghị quyết tháng 10 của chi bộ"},
    )
    response = client.post(f"/meetings/{second.pk}/record/", data)
    assert response.status_code == 200
    assert response.context["editor"].extra_parts[0].resolution.errors["number"]
    assert "Nghị quyết tháng 10 của chi bộ" in response.content.decode()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_drafts_saving_the_same_number_at_once_give_one_save_and_one_form_error(
    world, make_meeting
):
    for round_number in range(5):
        drafts = [make_meeting(when=at(2024 + round_number, month, 5)) for month in (9, 10)]
        number = str(3 + round_number)  # rounds of one term must not share it
        clients, posts = [], []
        for draft in drafts:
            client = Client(raise_request_exception=False)
            client.force_login(world.secretary, backend="django.contrib.auth.backends.ModelBackend")
            title = f"Nghị quyết của cuộc họp {draft.pk}"
            data = record_page_data(
                client, draft, **{"resolution-number": number, "resolution-title": title}
            )
            clients.append(client)
            posts.append((f"/meetings/{draft.pk}/record/", data, title))

        responses = in_threads(
            *[
                lambda client=client, post=post: client.post(post[0], post[1])
                for client, post in zip(clients, posts, strict=True)
            ]
        )

        assert [getattr(r, "status_code", r) for r in responses].count(302) == 1, responses
        assert Resolution.objects.filter(meeting__in=drafts, number=number).count() == 1
        refused = next(r for r in responses if r.status_code != 302)
        assert refused.status_code == 200
        page = refused.content.decode()
        assert "is-invalid" in page
        assert any(title in page for _, _, title in posts)  # her entries are kept


# ---------------------------------------------------------------- one verdict at a time


def test_minutes_once_accepted_cannot_be_returned(world):
    meeting = signed(world.cell)
    accept_minutes(meeting, user=world.reviewer, comment="Biên bản đầy đủ.")
    with pytest.raises(services.MeetingError):
        services.return_minutes(meeting, user=world.reviewer, comment="Bổ sung danh sách.")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SIGNED
    assert meeting.accepted_at is not None
    assert list(meeting.reviews.values_list("verdict", flat=True)) == [ReviewVerdict.ACCEPTED]


def test_minutes_once_returned_cannot_be_accepted(world):
    meeting = signed(world.cell)
    services.return_minutes(meeting, user=world.reviewer, comment="Bổ sung danh sách.")
    with pytest.raises(services.MeetingError):
        accept_minutes(meeting, user=world.reviewer, comment="Biên bản đầy đủ.")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.RETURNED
    assert meeting.accepted_at is None
    assert list(meeting.reviews.values_list("verdict", flat=True)) == [ReviewVerdict.RETURNED]


def test_returning_minutes_accepted_from_another_page_is_refused_with_a_message(world, login):
    """Two reviewers had the same signed minutes open; the second one to press is told."""
    meeting = signed(world.cell)
    client = login(world.reviewer)
    client.post(f"/meetings/{meeting.pk}/accept/", {"comment": "Biên bản đầy đủ."})
    response = client.post(
        f"/meetings/{meeting.pk}/return/", {"comment": "Bổ sung danh sách."}, follow=True
    )
    assert response.status_code == 200
    assert "Biên bản này đã được chấp nhận, không thể trả lại để sửa." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SIGNED
    assert meeting.reviews.count() == 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_return_and_accept_at_the_same_moment_cannot_both_succeed(world):
    for round_number in range(6):
        meeting = signed(world.cell, month=round_number + 1)
        accept = partial(accept_minutes, meeting, user=world.reviewer, comment="Đạt.")
        give_back = partial(
            services.return_minutes, meeting, user=world.reviewer, comment="Sửa lại."
        )
        functions = (accept, give_back) if round_number % 2 else (give_back, accept)
        outcomes = in_threads(*functions)

        refused = [o for o in outcomes if isinstance(o, services.MeetingError)]
        succeeded = [o for o in outcomes if isinstance(o, Meeting)]
        assert (len(succeeded), len(refused)) == (1, 1), outcomes
        assert Review.objects.filter(meeting=meeting).count() == 1
        meeting.refresh_from_db()
        assert (meeting.status == MeetingStatus.RETURNED) != (meeting.accepted_at is not None)

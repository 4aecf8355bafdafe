"""The compliance board is computed once per change: concurrent requests wait for the
one computing it, and a job computes it again after minutes change status."""

import threading
import time

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from oversight import board_cache
from tests.helpers import complete, sign

pytestmark = pytest.mark.django_db

REQUESTS = 8


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_concurrent_requests_compute_a_missing_board_once():
    computed = []
    started = threading.Barrier(REQUESTS)

    def compute():
        computed.append(1)
        time.sleep(0.3)  # long enough for every other request to arrive meanwhile
        return {"html": "<table></table>", "cells": 3}

    def request():
        started.wait()
        results.append(board_cache.get_or_compute("board:test", compute))

    results = []
    threads = [threading.Thread(target=request) for _ in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(computed) == 1
    assert results == [{"html": "<table></table>", "cells": 3}] * REQUESTS


def test_a_request_computes_itself_when_the_one_computing_failed():
    def failing():
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        board_cache.get_or_compute("board:test", failing)
    # The lock went with the failure: the next request computes at once.
    assert board_cache.get_or_compute("board:test", lambda: "table") == "table"


def test_a_signature_has_the_committees_board_computed_again(
    world, roster, make_meeting, login, settings, django_capture_on_commit_callbacks
):
    settings.CELLMEET_WARM_BOARDS = True
    today = timezone.localdate()
    meeting = complete(make_meeting(), roster)
    url = reverse("oversight:board", args=[world.commune.pk, meeting.year])
    client = login(world.reviewer)
    assert "board" in client.get(url).context  # computed by the request: nothing cached

    with django_capture_on_commit_callbacks(execute=True):
        sign(meeting, world, roster)

    with translation.override(settings.LANGUAGE_CODE):
        key = board_cache.key(world.commune, meeting.year, "", settings.LANGUAGE_CODE, today)
    assert cache.get(key) is not None
    warmed = client.get(url)
    assert warmed.status_code == 200
    assert "board" not in warmed.context  # served from what the job computed


def test_an_autosave_queues_no_computation(
    world, roster, make_meeting, settings, django_capture_on_commit_callbacks
):
    settings.CELLMEET_WARM_BOARDS = True
    meeting = make_meeting()
    cache.clear()
    with django_capture_on_commit_callbacks() as queued:
        meeting.agenda = "Thông tin thời sự"
        meeting.save()
    assert queued == []
    with django_capture_on_commit_callbacks() as queued:
        meeting.delete()
    assert len(queued) == 1

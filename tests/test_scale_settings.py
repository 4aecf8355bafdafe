"""Running on several hosts: the shared cache on Redis, compressed pages that stay safe
with CSRF tokens in them, and the gunicorn configuration the deployment uses."""

import gzip
import os
import re
import socket
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.urls import reverse

REDIS = ("127.0.0.1", 6379)
CACHE_ROUND_TRIP = """
import sys, django
django.setup()
from django.core.cache import caches
cache = caches["default"]
print(type(cache).__name__)
if sys.argv[1] == "set":
    cache.set(sys.argv[2], "chi bộ thôn Đông", 60)
else:
    print(cache.get(sys.argv[2]))
    cache.delete(sys.argv[2])
"""


def redis_reachable():
    try:
        socket.create_connection(REDIS, timeout=1).close()
    except OSError:
        return False
    return True


def django_process(code, *arguments, **environment):
    return subprocess.run(
        [sys.executable, "-c", code, *arguments],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "cellmeet.settings.test", **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.skipif(not redis_reachable(), reason="no Redis at 127.0.0.1:6379")
def test_with_redis_url_two_processes_share_the_cache():
    key = f"cellmeet-test-{uuid.uuid4().hex}"
    redis_url = f"redis://{REDIS[0]}:{REDIS[1]}/15"
    writer = django_process(CACHE_ROUND_TRIP, "set", key, REDIS_URL=redis_url)
    assert writer.returncode == 0, writer.stderr
    reader = django_process(CACHE_ROUND_TRIP, "get", key, REDIS_URL=redis_url)
    assert reader.returncode == 0, reader.stderr
    assert reader.stdout.split("\n")[:2] == ["RedisCache", "chi bộ thôn Đông"]


def test_without_redis_url_each_process_keeps_its_own_cache():
    environment = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    result = subprocess.run(
        [sys.executable, "-c", CACHE_ROUND_TRIP, "get", "anything"],
        cwd=settings.BASE_DIR,
        env={**environment, "DJANGO_SETTINGS_MODULE": "cellmeet.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split("\n")[:2] == ["LocMemCache", "None"]


def test_pages_are_compressed_with_a_fresh_csrf_token_each_time(world, login):
    client = login(world.secretary)
    url = reverse("meetings:plan", args=[world.cell.pk])
    tokens, sizes = set(), set()
    for _ in range(3):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        page = gzip.decompress(response.content).decode()
        tokens.update(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
        sizes.add(len(response.content))
    # BREACH needs a secret repeated across responses and their lengths to compare:
    # the token is masked anew every time, and gzip pads with random bytes.
    assert len(tokens) == 3
    assert len(sizes) > 1


def test_documents_are_not_compressed_again(world, login):
    from tests.access_rules import meeting_in

    client = login(world.secretary)
    response = client.get(
        reverse("printing:attendance_sheet", args=[meeting_in(world).pk]),
        HTTP_ACCEPT_ENCODING="gzip",
    )
    assert response["Content-Type"] == "application/pdf"
    assert not response.has_header("Content-Encoding")
    assert response.content.startswith(b"%PDF-")


def test_gunicorn_takes_its_workers_and_recycling_from_the_environment():
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    result = subprocess.run(
        [gunicorn, "--config", "gunicorn.conf.py", "--print-config"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "GUNICORN_WORKERS": "7", "GUNICORN_MAX_REQUESTS": "300"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    printed = {}
    for line in result.stdout.splitlines():
        if " = " in line:
            name, value = line.split(" = ", 1)
            printed[name.strip()] = value.strip()
    assert printed["workers"] == "7"
    assert printed["max_requests"] == "300"
    assert int(printed["max_requests_jitter"]) > 0
    assert printed["wsgi_app"] == "cellmeet.wsgi:application"

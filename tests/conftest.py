"""Fixtures every test package shares: the world (organisations and a user for each
role), the logged-in client, the cell's roster, meetings through the workflow,
resolutions and signed minutes. Their builders are in tests/helpers.py."""

import pytest

from tests.helpers import adopt as adopt_resolution
from tests.helpers import build_roster, build_world, complete, meeting_maker, sign


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def login(client):
    """Log the test client in as a user (None stays anonymous) and return it."""

    def _login(user):
        client.logout()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture
def roster(world):
    """world.cell with 6 official active members (world.member among them), one
    probationary, one exempt and one temporarily away."""
    return build_roster(world)


@pytest.fixture
def make_meeting(world, roster):
    return meeting_maker(world)


@pytest.fixture
def adopt(world):
    """Adopt a resolution at a meeting with tasks given as (title, lead, due)."""
    return adopt_resolution


@pytest.fixture
def signed_meeting(make_meeting, roster, world):
    """The plain October meeting of tests.helpers.complete, finalized and signed."""
    return sign(complete(make_meeting(), roster), world, roster)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the compliance board's tables are cached
    per organisation; ids come back after a rollback on SQLite)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()

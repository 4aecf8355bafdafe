"""Fixtures of the printing tests (the shared world, roster and meetings are in
tests/conftest.py)."""

import pytest

from meetings import services
from tests.helpers import at, complete, sign


@pytest.fixture
def book_year(world, roster, make_meeting):
    """2026: signed minutes in March, June (returned by the superior) and September,
    planned in an order other than their dates, and a draft in July."""
    signed = {}
    for month in (6, 3, 9):
        signed[month] = sign(complete(make_meeting(when=at(2026, month, 5)), roster), world, roster)
    services.return_minutes(
        signed[6], user=world.reviewer, comment="Bổ sung lý do vắng mặt của đảng viên."
    )
    draft = complete(make_meeting(when=at(2026, 7, 5)), roster)
    return {"signed": [signed[3], signed[6], signed[9]], "draft": draft}

"""The dues line of the minutes' opening comes from the ledger."""

from datetime import date

import pytest
from django.urls import reverse

from dues import services
from dues.minutes import dues_line
from tests.helpers import at


@pytest.fixture
def february_paid(world, dues_cell):
    student = dues_cell["student"]
    payments = {
        member: {
            "category": member.dues_profile.category,
            "base_amount": member.dues_profile.base_amount,
            "paid": member != student,
            "paid_on": date(2026, 2, 10),
        }
        for member in dues_cell.values()
    }
    services.record_month(world.cell, 2026, 2, payments, user=world.secretary)


def test_the_line_reports_the_months_collection(world, february_paid):
    line = dues_line(world.cell, 2026, 2)
    assert line == (
        "Đảng phí tháng 02/2026: 2 đồng chí đã nộp, tổng số thu 158.957 đồng; chi bộ trích "
        "giữ lại 47.687 đồng, nộp lên cấp trên 111.270 đồng; còn 1 đồng chí chưa nộp, "
        "chi ủy nhắc nộp."
    )


def test_the_secretary_fills_the_opening_of_a_march_meeting(
    world, login, make_meeting, february_paid
):
    meeting = make_meeting(when=at(2026, 3, 5))
    response = login(world.secretary).post(reverse("dues:fill_minutes", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.dues_report.startswith("Đảng phí tháng 02/2026: 2 đồng chí đã nộp")


def test_signed_minutes_are_not_changed(world, login, signed_meeting, february_paid):
    before = signed_meeting.dues_report
    login(world.secretary).post(reverse("dues:fill_minutes", args=[signed_meeting.pk]))
    signed_meeting.refresh_from_db()
    assert signed_meeting.dues_report == before

"""Printed minutes, read back as a reader of the paper would: text, fonts, QR, signature."""

from datetime import date

import pytest
from django.urls import reverse

from meetings import pdf, services
from meetings.models import AttendanceStatus, Guest, Speech
from resolutions.models import Resolution, Task
from tests.meetings.conftest import at, complete, mark
from tests.meetings.pdftools import flat, pdf_text
from tests.meetings.test_workflow import sign_both
from tests.resolutions.conftest import adopt, review  # noqa: F401


@pytest.fixture
def rich_meeting(world, roster, make_meeting, adopt):  # noqa: F811
    """October 2026, finalized and signed: two absent, a guest, speeches, the review of
    September's task and a new resolution with two tasks."""
    official = roster["official"]
    september = make_meeting(when=at(2026, 9, 5))
    _, (dues_task,) = adopt(
        september, [("Vận động thu nộp đảng phí đầy đủ", official[2], date(2026, 9, 30))]
    )
    meeting = complete(make_meeting(when=at(2026, 10, 5)), roster, votes_for=4)
    mark(
        meeting,
        {
            official[5]: (AttendanceStatus.ABSENT_EXCUSED, "Ốm, đang điều trị tại bệnh viện"),
            official[4]: AttendanceStatus.ABSENT_UNEXCUSED,
        },
    )
    meeting.refresh_from_db()
    meeting.minutes_adopted_votes = 5
    meeting.save()
    Guest.objects.create(
        meeting=meeting, name="Phạm Minh Tuấn", title="Đảng ủy viên", unit="Đảng ủy xã Yên Hòa"
    )
    Speech.objects.create(
        meeting=meeting, speaker=official[3], summary="Đề nghị sửa đường liên thôn.", order=1
    )
    Speech.objects.create(
        meeting=meeting, guest_name="Phạm Minh Tuấn", summary="Ghi nhận cố gắng.", order=2
    )
    review(dues_task, meeting, "done", evaluation="praise")
    adopt(
        meeting,
        [
            ("Tu sửa đường bê tông liên thôn", official[3], date(2026, 11, 30)),
            ("Thăm hỏi gia đình chính sách", roster["probationary"], date(2026, 11, 20)),
        ],
        title="Nghị quyết lãnh đạo tháng 11/2026",
    )
    services.finalize_minutes(meeting, user=world.secretary)
    return sign_both(meeting, world, roster)


def test_dump(rich_meeting, world, login):
    c = login(world.secretary)
    c.raise_request_exception = False
    response = c.get(reverse("meetings:minutes_pdf", args=[rich_meeting.pk]))
    response = c.get(reverse("meetings:minutes_pdf", args=[rich_meeting.pk]))
    open("/tmp/rich.pdf", "wb").write(response.content)
    print(pdf_text(response.content, layout=True))
    print(rich_meeting.fingerprint)

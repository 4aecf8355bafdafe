"""An admission and a recognition voted in the minutes, in a real browser: recorded on
the recording page (one row there, one added with its button), signed, shown awaiting
the superior committee on the member's page, then confirmed with the superior's
decision."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Decision, DecisionKind
from members.models import Member, MembershipStatus
from tests.helpers import at, complete, sign

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_secretary_records_an_admission_and_a_recognition_and_confirms_one(
    world, roster, make_meeting, page, live_server, log_in
):
    world.secretary.username = "bithu-e2e"
    world.secretary.save()
    last_month = timezone.localdate().replace(day=1) - timedelta(days=20)
    meeting = complete(make_meeting(when=at(last_month.year, last_month.month, 10)), roster)
    probationary = roster["probationary"]

    log_in(page, "bithu-e2e")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/record/")
    section = page.locator("#decisions")
    expect(section).to_contain_text("ít nhất 2/3 của 6 đảng viên chính thức")
    section.get_by_role("button", name="Thêm nội dung biểu quyết").click()
    section.locator("[name=decisions-0-kind]").select_option("admission")
    section.locator("[name=decisions-0-candidate_name]").fill("Nguyễn Văn Ánh")
    section.locator("[name=decisions-0-candidate_birth_date]").fill("03/04/2000")
    section.locator("[name=decisions-0-vote_method]").select_option("hands")
    section.locator("[name=decisions-0-votes_for]").fill("5")
    section.get_by_role("button", name="Thêm nội dung biểu quyết").click()
    section.locator("[name=decisions-1-kind]").select_option("recognition")
    section.locator("[name=decisions-1-member]").fill(probationary.full_name)
    section.locator("[name=decisions-1-vote_method]").select_option("ballot")
    section.locator("[name=decisions-1-votes_for]").fill("6")
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.locator("#decisions [name=decisions-0-candidate_name]")).to_have_value(
        "Nguyễn Văn Ánh"
    )
    saved = list(Decision.objects.filter(meeting=meeting).order_by("order"))
    assert [(d.kind, d.votes_for) for d in saved] == [
        (DecisionKind.ADMISSION, 5),
        (DecisionKind.RECOGNITION, 6),
    ]

    sign(meeting, world, roster)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    expect(page.locator(".minutes-decisions")).to_contain_text(
        "Chi bộ biểu quyết đề nghị kết nạp quần chúng Nguyễn Văn Ánh (sinh ngày 03/04/2000): "
        "5/6 đồng ý (83,3%) — đạt"
    )

    page.goto(f"{live_server.url}/members/{probationary.pk}/")
    consequences = page.locator("#member-consequences")
    expect(consequences).to_contain_text("chờ quyết định của cấp trên")
    consequences.get_by_role("link", name="Nhập quyết định của cấp trên").click()
    page.get_by_label("Số quyết định của cấp trên").fill("125-QĐ/ĐU")
    page.get_by_label("Ngày quyết định của cấp trên").fill(
        timezone.localdate().strftime("%d/%m/%Y")
    )
    page.get_by_label("Có hiệu lực từ ngày").fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Ghi nhận quyết định").click()
    expect(page.get_by_text("Đã ghi nhận quyết định của cấp trên.")).to_be_visible()
    expect(page.locator("#member-consequences")).to_contain_text("Quyết định số 125-QĐ/ĐU")
    assert Member.objects.get(pk=probationary.pk).status == MembershipStatus.OFFICIAL

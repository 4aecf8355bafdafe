"""The cell committee prepares the regular meeting: a secretary plans a committee
meeting, records it with a draft resolution, and the regular meeting copies it in.

The recording page is driven by its field labels (in Vietnamese, as she reads them),
so the test holds while the page's layout changes."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Meeting, MeetingKind, MeetingStatus
from members.models import Position, PositionRole
from resolutions.models import Resolution, ResolutionKind
from tests.e2e.journeys import all_parts_on_one_page, secretary_chairs

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHIFT = timedelta(days=61)


def next_month_day(day):
    first_of_next_month = (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(day=1)
    return first_of_next_month.replace(day=day)


def field(page, text):
    """The first control whose label reads `text` (a required field's label ends with
    an asterisk)."""
    labels = page.locator("label")
    for index, content in enumerate(labels.all_inner_texts()):
        if content.strip().rstrip("*").strip() == text:
            return page.locator(f"[id='{labels.nth(index).get_attribute('for')}']")
    raise AssertionError(f"No field labelled {text!r} on {page.url}")


def plan_and_start(page, base_url, world, *, kind, day, one_page=True):
    """Plan a meeting from the cell page; then it is held (two months back) and recorded
    (on the one-page form, or step by step)."""
    page.goto(f"{base_url}/orgs/{world.cell.pk}/")
    page.locator(f"a[href$='/orgs/{world.cell.pk}/meetings/new/']").click()
    field(page, "Loại cuộc họp").select_option(kind)
    field(page, "Ngày").fill(day.strftime("%d/%m/%Y"))
    page.locator("form:has(#id_kind) button[type=submit]").click()
    expect(page.get_by_text("Đã lên kế hoạch cuộc họp.")).to_be_visible()
    meeting = Meeting.objects.filter(organization=world.cell, kind=kind).get()
    # The browser cannot move the clock: the meeting moves back to a day already past.
    meeting.scheduled_at -= SHIFT
    meeting.save()
    page.reload()
    page.get_by_role("button", name="Bắt đầu ghi biên bản").click()
    if one_page:
        all_parts_on_one_page(page, meeting)
    return meeting


def test_the_regular_meeting_copies_what_the_committee_prepared(
    world, roster, page, live_server, log_in
):
    chair = secretary_chairs(world, roster)
    deputy, committee_member = roster["official"][1], roster["official"][2]
    for member, role in [
        (chair, PositionRole.SECRETARY),
        (deputy, PositionRole.DEPUTY_SECRETARY),
        (committee_member, PositionRole.COMMITTEE_MEMBER),
    ]:
        Position.objects.create(
            member=member, organization=world.cell, role=role, started_on=date(2025, 6, 1)
        )

    log_in(page, "bithu-e2e")
    committee = plan_and_start(
        page, live_server.url, world, kind=MeetingKind.COMMITTEE, day=next_month_day(3)
    )
    expect(page.locator("h1")).to_have_text(re.compile(r"^Họp chi ủy tháng \d+/\d{4}$"))

    # Only the committee is summoned: three rows, not the cell's nine.
    assert {row.member for row in committee.attendances.all()} == {
        chair,
        deputy,
        committee_member,
    }
    counts = page.locator("#present-count")
    expect(counts).to_have_text(re.compile(r"^Có mặt 0/3 "))
    page.get_by_role("button", name="Ghi có mặt cho tất cả những người chưa điểm danh").click()
    expect(counts).to_have_text(re.compile(r"^Có mặt 3/3 \(100([.,]0)?%\)$"))

    field(page, "Chủ trì").fill(chair.full_name)
    field(page, "Thư ký").fill(deputy.full_name)
    field(page, "Chương trình").fill(
        "1. Thông tin thời sự.\n2. Thông qua dự thảo nghị quyết tháng tới."
    )
    field(page, "Kết luận của chủ trì").fill("Chi ủy thống nhất dự thảo nghị quyết.")
    expect(field(page, "Loại nghị quyết")).to_have_value(ResolutionKind.DRAFT)
    field(page, "Tên nghị quyết").fill("Dự thảo nghị quyết lãnh đạo tháng tới")
    field(page, "Nhiệm vụ").fill("Vận động nhân dân làm đường liên thôn")
    field(page, "Người phụ trách").fill(committee_member.full_name)
    field(page, "Thời hạn").fill("30/12/2026")
    field(page, "Hình thức biểu quyết").select_option("hands")
    field(page, "Tán thành").fill("3")
    field(page, "Số đảng viên tán thành thông qua biên bản").fill("3")
    field(page, "Giờ kết thúc").fill("21:00")
    page.get_by_role("button", name="Lưu và hoàn tất").click()
    expect(page.get_by_text("Biên bản đã hoàn tất. Bây giờ có thể ký.")).to_be_visible()
    committee.refresh_from_db()
    assert committee.status == MeetingStatus.FINALIZED
    assert committee.summoned_count == 3

    # The regular meeting, recorded step by step: the copy is offered on the first step.
    regular = plan_and_start(
        page,
        live_server.url,
        world,
        kind=MeetingKind.REGULAR,
        day=next_month_day(10),
        one_page=False,
    )
    expect(page).to_have_url(re.compile(rf"/meetings/{regular.pk}/record/opening/$"))
    offer = page.locator("#copy-from-committee")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("Họp chi ủy tháng")
    page.screenshot(path="/tmp/cellmeet-copy-from-committee.png", full_page=False)
    offer.get_by_role("button", name="Chép chương trình và dự thảo nghị quyết").click()
    expect(
        page.get_by_text("Đã chép từ cuộc họp chi ủy: chương trình và 1 nhiệm vụ.")
    ).to_be_visible()
    # Back on the step she was on, not on the one-page form (which offers to finalize).
    expect(page).to_have_url(re.compile(rf"/meetings/{regular.pk}/record/opening/$"))
    expect(page.get_by_role("button", name="Lưu và hoàn tất")).to_have_count(0)
    expect(page.locator("#copy-from-committee")).to_have_count(0)
    expect(field(page, "Chương trình")).to_have_value(
        "1. Thông tin thời sự.\n2. Thông qua dự thảo nghị quyết tháng tới."
    )
    page.goto(f"{live_server.url}/meetings/{regular.pk}/record/closing/")
    # Adopted by the cell, the resolution is no longer titled as a draft.
    expect(field(page, "Tên nghị quyết")).to_have_value("Nghị quyết lãnh đạo tháng tới")
    expect(field(page, "Loại nghị quyết")).to_have_value(ResolutionKind.MONTHLY)
    # The copied task is folded into one line, which opens to change it.
    copied_task = page.locator("[data-task-row]")
    expect(copied_task.locator("summary")).to_contain_text("Vận động nhân dân làm đường liên thôn")
    copied_task.locator("summary").click()
    expect(field(page, "Nhiệm vụ")).to_have_value("Vận động nhân dân làm đường liên thôn")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/cellmeet-copied-phone.png", full_page=False)
    assert page.evaluate("document.documentElement.scrollWidth <= 390")

    resolution = Resolution.objects.get(meeting=regular)
    assert resolution.kind == ResolutionKind.MONTHLY
    assert [task.lead for task in resolution.tasks.all()] == [committee_member]

import pytest
from playwright.sync_api import expect

from members.models import Member
from tests.factories import MemberFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_secretary_logs_in_sees_her_roster_and_adds_a_member(world, page, live_server, log_in):
    for name in ["Trần Văn Bình", "Lê Thị Ánh", "Nguyễn Văn An"]:
        MemberFactory(organization=world.cell, full_name=name)
    world.secretary.username = "bithu-e2e"
    world.secretary.save()

    log_in(page, "bithu-e2e")
    expect(page.get_by_role("heading", name=world.cell.name)).to_be_visible()
    page.get_by_role("link", name="Đảng viên", exact=True).first.click()
    rows = page.locator("tbody tr td:nth-child(2)")
    expect(rows).to_have_text(["Nguyễn Văn An", "Lê Thị Ánh", "Trần Văn Bình", "Nguyễn Thị Lan"])

    page.get_by_role("link", name="Thêm đảng viên").first.click()
    page.get_by_label("Họ và tên").fill("Phạm Thị Hoa")
    page.get_by_label("Ngày sinh").fill("03/04/1970")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Phạm Thị Hoa đã được thêm.")).to_be_visible()
    page.screenshot(path="/tmp/cellmeet-members.png", full_page=True)

    added = Member.objects.get(full_name="Phạm Thị Hoa")
    assert (added.birth_date.day, added.birth_date.month) == (3, 4)

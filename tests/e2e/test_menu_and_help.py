"""The way in and the menu, in a real browser: each role lands where her work starts,
every oversight page is in the menu, the menu fits one line on a laptop, and the quick
guide prints on one A4 page. Screenshots of the menu and the help go to /tmp."""

import io
import re
import subprocess

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.main_pages import YEAR, build_pages_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}

# The top of every entry of the menu bar; one value means one line.
MENU_LINES = """() => new Set([...document.querySelectorAll("#main-menu > ul > li")]
  .map((li) => Math.round(li.getBoundingClientRect().top))).size"""


@pytest.fixture
def made(world, roster):
    world.secretary.username = "bithu-menu"
    world.secretary.save()
    world.reviewer.username = "canbo-menu"
    world.reviewer.save()
    return build_pages_world(world, roster)


def sign_in(page, log_in, user):
    page.context.clear_cookies()
    log_in(page, user.username)
    expect(page.locator("nav form[action$='/logout/']")).to_have_count(1)


def test_the_reviewer_lands_on_her_review_queue_and_finds_every_oversight_page(
    world, made, page, live_server, log_in
):
    page.set_viewport_size(DESKTOP)
    sign_in(page, log_in, world.reviewer)
    expect(page).to_have_url(f"{live_server.url}/review/")
    expect(page.get_by_role("link", name="Biên bản chờ kiểm tra")).to_have_attribute(
        "aria-current", "page"
    )
    assert page.evaluate(MENU_LINES) == 1
    brand = page.locator("nav.navbar .navbar-brand").bounding_box()
    assert page.locator("nav.navbar").bounding_box()["height"] < 2 * brand["height"] + 24
    page.screenshot(path="/tmp/cellmeet-menu-reviewer-1366.png")

    page.get_by_role("button", name="Cấp trên").click()
    menu = page.locator("#menu-superiors .dropdown-menu")
    expect(menu).to_be_visible()
    page.screenshot(path="/tmp/cellmeet-menu-reviewer-open-1366.png")
    commune = world.commune.pk
    expected = {
        "Bảng theo dõi nền nếp sinh hoạt": f"/orgs/{commune}/board/{YEAR}/",
        "Thống kê": f"/orgs/{commune}/statistics/{YEAR}/",
        "Kế hoạch chuyên đề của các chi bộ": f"/orgs/{commune}/thematic-plans/{YEAR}/",
        "Cấp ủy viên phụ trách": f"/orgs/{commune}/delegates/",
        "Định hướng của cấp trên": f"/orgs/{commune}/guidance/",
        "Tổ chức đảng": "/orgs/",
    }
    for name, url in expected.items():
        expect(menu.get_by_role("link", name=name, exact=True)).to_have_attribute("href", url)
    menu.get_by_role("link", name="Thống kê", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/orgs/{commune}/statistics/{YEAR}/$"))
    expect(page.locator("main h1")).to_contain_text("Thống kê")

    nav = page.locator("nav.navbar")
    expect(nav.get_by_role("link", name="Tìm", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Trợ giúp", exact=True)).to_be_visible()


def test_the_secretary_lands_on_her_cell_and_her_menu_fits_one_line(
    world, made, page, live_server, log_in
):
    page.set_viewport_size(DESKTOP)
    sign_in(page, log_in, world.secretary)
    expect(page).to_have_url(f"{live_server.url}/orgs/{world.cell.pk}/")
    assert page.evaluate(MENU_LINES) == 1
    nav = page.locator("nav.navbar")
    # The superior's monthly guidance no longer reads like help; help is its own entry.
    expect(nav.get_by_role("link", name="Hướng dẫn sinh hoạt")).to_have_count(0)
    expect(nav.get_by_role("link", name="Định hướng của cấp trên")).to_have_attribute(
        "href", f"/orgs/{world.cell.pk}/guidance/"
    )
    expect(nav.get_by_role("button", name="Cấp trên")).to_have_count(0)
    page.screenshot(path="/tmp/cellmeet-menu-secretary-1366.png")

    page.set_viewport_size(PHONE)
    page.get_by_role("button", name="Mở menu").click()
    expect(nav.get_by_role("link", name="Trợ giúp", exact=True)).to_be_visible()
    page.wait_for_selector("#main-menu.show:not(.collapsing)")
    page.screenshot(path="/tmp/cellmeet-menu-secretary-390.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    nav.get_by_role("link", name="Trợ giúp", exact=True).click()
    expect(page.locator("main h1")).to_have_text("Trợ giúp")
    page.get_by_role("link", name="Ghi biên bản sinh hoạt chi bộ hằng tháng").click()
    expect(page.locator("main h1")).to_have_text("Ghi biên bản sinh hoạt chi bộ hằng tháng")
    page.screenshot(path="/tmp/cellmeet-help-secretary-390.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path="/tmp/cellmeet-help-secretary-1366.png", full_page=True)


def test_the_meeting_page_links_to_its_guide(world, made, page, live_server, log_in):
    page.set_viewport_size(DESKTOP)
    sign_in(page, log_in, world.secretary)
    page.goto(f"{live_server.url}/meetings/{made['finalized'].pk}/")
    expect(page.locator("main h1")).to_have_text(re.compile(r"^Biên bản: "))
    page.get_by_role("link", name="Hướng dẫn cho trang này").click()
    expect(page).to_have_url(re.compile(r"/help/secretary/#finalize$"))
    expect(page.locator("#finalize")).to_be_in_viewport()


def test_the_quick_guide_prints_on_one_a4_page(world, made, page, live_server, log_in):
    sign_in(page, log_in, world.secretary)
    page.goto(f"{live_server.url}/help/quick/")
    expect(page.locator("main h1")).to_have_text("Hướng dẫn nhanh")
    page.set_viewport_size(DESKTOP)
    page.screenshot(path="/tmp/cellmeet-quick-guide-1366.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path="/tmp/cellmeet-quick-guide-390.png", full_page=True)
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    with open("/tmp/cellmeet-quick-guide.pdf", "wb") as out:
        out.write(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    width, height = (round(float(v) * 25.4 / 72) for v in reader.pages[0].mediabox[2:])
    assert (width, height) == (210, 297)
    text = subprocess.run(
        ["pdftotext", "/tmp/cellmeet-quick-guide.pdf", "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    text = " ".join(text.split())
    for words in ("Hoàn tất biên bản", "Ghi nhận đã ký trên giấy", "không sửa được nữa"):
        assert words in text
    # Printed without the menu, the footer or the print button.
    for absent in ("Đảng viên", "Ngôn ngữ", "In trang này", "Sinh hoạt chi bộ và biên bản"):
        assert absent not in text

"""Steps of the browser journeys that several of them take (plain helpers; the
fixtures are in tests/conftest.py and tests/e2e/conftest.py)."""

import re

from playwright.sync_api import expect

CHECK_SIGNATURE_BUTTON = "form[action$='/sign/']:has(input[name=role][value={role}]) button"


def secretary_chairs(world, roster):
    world.secretary.username = "bithu-e2e"
    world.secretary.save()
    chair = roster["official"][0]
    chair.user = world.secretary
    chair.save()
    return chair


def sign_both(page, meeting):
    """The chair confirms with her own account; the note-taker's paper signature is recorded."""
    expect(page.get_by_text("Biên bản đã hoàn tất. Bây giờ có thể ký.")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/$"))
    expect(page.locator("#meeting-status")).to_have_text("Đã hoàn tất")

    chair_button = page.locator(CHECK_SIGNATURE_BUTTON.format(role="chair"))
    expect(chair_button).to_have_text("Tôi xác nhận và ký")
    chair_button.click()
    expect(page.get_by_text("Đã ghi nhận chữ ký.")).to_be_visible()

    paper_button = page.locator(CHECK_SIGNATURE_BUTTON.format(role="note_taker"))
    expect(paper_button).to_have_text("Ghi nhận đã ký trên giấy")
    # The last signature seals the minutes: the page asks her to confirm it is final.
    expect(page.locator("#sign-note_taker-final")).to_contain_text("chữ ký cuối cùng")
    paper_button.click()
    expect(page.locator("#meeting-status")).to_have_text("Đã hoàn tất")
    page.locator("#sign-note_taker").screenshot(path="/tmp/cellmeet-sign-final.png")
    page.get_by_label("Tôi hiểu rằng sau khi ký, biên bản không thể sửa").check()
    paper_button.click()
    expect(page.get_by_text("Biên bản đã được ký. Không thể sửa được nữa.")).to_be_visible()
    expect(page.locator("#meeting-status")).to_have_text("Đã ký")
    expect(page.get_by_text("Biên bản đã ký thì không sửa được.")).to_be_visible()
    expect(page.locator("code")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))


def all_parts_on_one_page(page, meeting):
    """Starting (or correcting) opens the recording flow at its first unfinished step;
    the journeys written for the one-page form follow its link to every part at once."""
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/record/[a-z]+/$"))
    page.get_by_role("link", name="Tất cả các phần trên một trang").click()
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/record/$"))

"""The province board, a commune's grid and the review queue on a 390 px phone and
a 1366 px laptop: nothing scrolls sideways (issue 13). Screenshots in /tmp."""

import pytest
from playwright.sync_api import expect

from tests.helpers import signed

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": (390, 844), "laptop": (1366, 768)}


def sideways_overflow(page):
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("size", SIZES)
def test_reviewer_pages_do_not_scroll_sideways(world, live_server, log_in, page, size):
    for month in (1, 2, 3):
        signed(world.cell, month=month)
    signed(world.far_cell, month=2)
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, world.admin.username)
    pages = {
        "province-board": f"/orgs/{world.superior.pk}/board/2026/",
        "commune-board": f"/orgs/{world.commune.pk}/board/2026/",
        "review-queue": "/review/",
    }
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        if name == "province-board":
            expect(page.locator("#board-summary tbody tr")).to_have_count(2)
        elif name == "commune-board":
            expect(page.locator(f"#board-cell-{world.cell.pk}")).to_have_count(1)
        else:
            expect(page.locator("#review-queue tbody tr")).to_have_count(4)
        page.screenshot(path=f"/tmp/cellmeet-{name}-{width}.png", full_page=True)
        wide = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
            " > document.documentElement.clientWidth + 1).slice(0, 5)"
            ".map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right)"
        )
        assert sideways_overflow(page) <= 0, (name, size, wide)

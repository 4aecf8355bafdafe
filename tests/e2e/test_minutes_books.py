"""A reviewer asks for all the minutes books of her commune: the page says it is being
prepared and refreshes by itself until the worker has made the zip, then offers it;
on a phone nothing scrolls sideways."""

import zipfile

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from oversight.models import CommitteeBooks
from tests.helpers import at, complete, sign
from tests.printing.test_background_jobs import run_worker_until_the_queue_is_empty

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/cellmeet-books-shots"
SIZES = ((1366, 768), (390, 844))


def no_sideways_scrolling(page):
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def shoot(page, name):
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"{SHOTS}/{name}-{width}x{height}.png", full_page=True)
        assert no_sideways_scrolling(page), (name, width)


def test_the_zip_page_refreshes_itself_until_the_books_are_ready(
    page, live_server, log_in, world, roster, make_meeting, settings, tmp_path
):
    for month in (3, 6):
        sign(complete(make_meeting(when=at(2026, month, 5)), roster), world, roster)
    world.reviewer.username = "canbo-e2e"
    world.reviewer.save()
    settings.TASKS = django_settings.DATABASE_TASKS  # the worker runs the job, as deployed

    log_in(page, "canbo-e2e")
    page.goto(f"{live_server.url}/orgs/{world.commune.pk}/minutes-books/2026/")
    expect(page.get_by_role("heading", name="Toàn bộ sổ biên bản năm 2026")).to_be_visible()
    shoot(page, "ask")
    page.get_by_role("button", name="Chuẩn bị toàn bộ sổ biên bản năm 2026").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("Đang chuẩn bị")
    shoot(page, "pending")

    run_worker_until_the_queue_is_empty()

    # No click: the page asks again by itself and then offers the file.
    download_link = page.get_by_role("link", name="Tải toàn bộ sổ biên bản (zip)")
    expect(download_link).to_be_visible(timeout=30_000)
    expect(status).to_contain_text("2 chi bộ")
    shoot(page, "ready")
    with page.expect_download() as download:
        download_link.click()
    saved = tmp_path / "books.zip"
    download.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        assert len(archive.namelist()) == 2
    assert CommitteeBooks.objects.get().cells_done == 2

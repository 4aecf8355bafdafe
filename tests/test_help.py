"""Help inside the app (cellmeet/help.py): a guide per role, a printable quick guide,
and a link to the guide on the pages it explains."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from cellmeet.help import HELP_FOR_PAGE

pytestmark = pytest.mark.django_db


def test_the_help_index_lists_a_guide_for_each_role_and_the_quick_guide(world, login):
    page = login(world.secretary).get(reverse("help:index")).content.decode()
    assert "<h1>Trợ giúp</h1>" in page
    for url, title in [
        (reverse("help:secretary"), "Ghi biên bản sinh hoạt chi bộ hằng tháng"),
        (reverse("help:reviewer"), "Kiểm tra biên bản"),
        (reverse("help:quick_guide"), "Hướng dẫn nhanh (một trang để in)"),
    ]:
        assert f'href="{url}">{title}</a>' in page


def test_the_secretary_guide_walks_through_the_month_in_vietnamese(world, login):
    page = login(world.secretary).get(reverse("help:secretary")).content.decode()
    for section in ("plan", "record", "finalize", "sign", "print"):
        assert f'id="{section}"' in page
    for words in ("Mở đầu", "Điểm danh", "Thảo luận", "Kết thúc", "Hoàn tất biên bản"):
        assert words in page


def test_the_secretary_guide_explains_recording_with_no_connection(world, login):
    page = login(world.secretary).get(reverse("help:secretary")).content.decode()
    assert 'id="offline"' in page
    for words in ("Chuẩn bị để ghi khi mất mạng", "Chưa gửi", "Gửi ngay", "cần có mạng"):
        assert words in page


def test_the_reviewer_guide_covers_the_queue_verdicts_board_and_statistics(world, login):
    page = login(world.reviewer).get(reverse("help:reviewer")).content.decode()
    for words in ("Biên bản chờ kiểm tra", "Chấp nhận", "Trả lại để sửa", "Thống kê"):
        assert words in page


def test_a_guide_speaks_english_when_the_page_does(world, login):
    client = login(world.reviewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("help:reviewer")).content.decode()
    assert '<h1 class="mb-1">Reviewing minutes</h1>' in page
    assert "Return for correction" in page
    assert "Trả lại để sửa" not in page


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("help:secretary"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_quick_guide_carries_a_print_stylesheet_for_one_a4_page(world, login):
    page = login(world.secretary).get(reverse("help:quick_guide")).content.decode()
    link = re.search(r'<link rel="stylesheet" href="([^"]+help-print\.css)" media="print">', page)
    assert link
    css = Path(finders.find("css/help-print.css")).read_text(encoding="utf-8")
    assert "@media print" in css and "size: A4" in css
    assert "display: none" in css  # the menu and footer are not printed


@pytest.mark.parametrize(
    ("name", "guide", "section"),
    [
        ("meetings:detail", "secretary", "finalize"),
        ("meetings:record", "secretary", "record"),
        ("oversight:review_queue", "reviewer", "queue"),
    ],
)
def test_the_pages_a_guide_explains_link_to_it(world, login, make_meeting, name, guide, section):
    assert HELP_FOR_PAGE[name] == (guide, section)
    meeting = make_meeting()
    user = world.reviewer if guide == "reviewer" else world.secretary
    kwargs = {} if name == "oversight:review_queue" else {"pk": meeting.pk}
    page = login(user).get(reverse(name, kwargs=kwargs)).content.decode()
    href = f"{reverse(f'help:{guide}')}#{section}"
    assert f'<a href="{href}">' in page
    assert "Hướng dẫn cho trang này" in page


def test_every_page_named_for_help_exists():
    for name in HELP_FOR_PAGE:
        assert name.split(":")[0] in {"members", "meetings", "oversight"}

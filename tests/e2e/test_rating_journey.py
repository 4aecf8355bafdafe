"""The annual rating in a real browser: the secretary opens the round, a member's draft
shows her evidence, the cell records its proposals, the superior decides, and the
member, who holds no role, finds the level from her menu."""

import re

import pytest
from playwright.sync_api import expect

from meetings.models import AttendanceStatus
from rating.models import MemberAssessment, RatingLevel
from tests.e2e.journeys import secretary_chairs
from tests.factories import UserFactory
from tests.helpers import at, mark

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in_as(page, log_in, username):
    page.context.clear_cookies()
    log_in(page, username)
    expect(page.locator("nav form[action$='/logout/']")).to_have_count(1)


def test_the_round_from_opening_to_the_level_on_her_record(
    world, roster, make_meeting, page, live_server, log_in
):
    secretary_chairs(world, roster)
    world.reviewer.username = "canbo-e2e"
    world.reviewer.save()
    lan = world.member
    lan.user = UserFactory(username="dangvien-e2e")
    lan.save()
    # Her year, known by hand: present in January, absent with reason in February.
    mark(make_meeting(when=at(2026, 1, 5)), {lan: AttendanceStatus.PRESENT})
    mark(make_meeting(when=at(2026, 2, 5)), {lan: (AttendanceStatus.ABSENT_EXCUSED, "Ốm")})

    # 1. The secretary opens the 2026 round.
    log_in_as(page, log_in, "bithu-e2e")
    page.goto(f"{live_server.url}/orgs/{world.cell.pk}/rating/open/")
    page.locator("#id_year").fill("2026")
    page.locator("#id_deadline").fill("20/12/2026")
    page.locator("form button[type=submit].btn-lg").click()
    expect(page).to_have_url(re.compile(r"/rating/\d+/$"))

    # 2. Lan's draft shows her evidence, linked from the round.
    page.get_by_role("link", name=lan.full_name, exact=True).click()
    expect(page.locator("main, body").first).to_contain_text(
        "Dự 1 trong 2 buổi sinh hoạt được triệu tập; vắng có lý do 1, không có lý do 0."
    )

    # 3. The cell records its proposals: every member rated "well fulfilled".
    assessment = MemberAssessment.objects.get(member=lan)
    page.goto(f"{live_server.url}/rating/{assessment.round_id}/review/")
    levels = page.locator("select[name^='level_']")
    expect(levels.first).to_be_visible()
    for index in range(levels.count()):
        levels.nth(index).select_option(RatingLevel.GOOD)
    page.locator(f"#id_opinions_{assessment.pk}").fill("Gương mẫu, nhiệt tình.")
    page.locator("form button[type=submit].btn-lg").click()
    expect(page).to_have_url(re.compile(rf"/rating/{assessment.round_id}/$"))

    # 4. The superior decides (the cell's proposals come pre-selected).
    log_in_as(page, log_in, "canbo-e2e")
    page.goto(f"{live_server.url}/rating/{assessment.round_id}/decide/")
    expect(page.locator(f"#id_level_{assessment.pk}")).to_have_value(RatingLevel.GOOD)
    page.locator("#id_decision_number").fill("12-QĐ/ĐU")
    page.locator("form button[type=submit].btn-lg").click()
    expect(page).to_have_url(re.compile(rf"/rating/{assessment.round_id}/$"))

    # 5. Lan, who holds no role, opens her rating from the menu and sees the level.
    log_in_as(page, log_in, "dangvien-e2e")
    page.locator("nav .dropdown-toggle").last.click()
    page.locator("nav a[href$='/assessments/mine/']").click()
    expect(page.locator("#my-assessments")).to_contain_text("Hoàn thành tốt nhiệm vụ")
    assessment.refresh_from_db()
    assert assessment.final_level == RatingLevel.GOOD
    assert assessment.cell_opinions == "Gương mẫu, nhiệt tình."

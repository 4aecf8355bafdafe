"""Accessibility and phone size, in a real browser, over every main page a secretary
and a reviewer use (tests/main_pages.py):

- axe-core, installed from the npm registry when the tests run (never copied into the
  repository, never from a CDN), finds no critical or serious violation;
- at 390×844 no page is wider than the screen;
- at 1366×768 the main menu fits one line.
"""

import re

import pytest
from playwright.sync_api import expect

from meetings.models import MeetingKind
from tests.e2e.full_minutes import build_full_minutes
from tests.main_pages import build_pages_world, pages_for, recording_pages

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SERIOUS = {"critical", "serious"}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}

RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((node) => node.target.join(" ")).slice(0, 5),
  }));
}"""


@pytest.fixture
def made(world, roster):
    world.secretary.username = "bithu-a11y"
    world.secretary.save()
    world.reviewer.username = "canbo-a11y"
    world.reviewer.save()
    return build_pages_world(world, roster)


def sign_in(page, live_server, log_in, user):
    page.context.clear_cookies()
    log_in(page, user.username)
    expect(page.locator("nav form[action$='/logout/']")).to_have_count(1)


def axe_violations(page, live_server, pages):
    """(page name, rule, impact, targets) for every serious or critical violation."""
    found = []
    for entry in pages:
        response = page.goto(f"{live_server.url}{entry.url}")
        assert response.ok, f"{entry.name}: {response.status}"
        for violation in page.evaluate(RUN_AXE):
            if violation["impact"] in SERIOUS:
                found.append(
                    f"{entry.name} ({entry.url}): {violation['id']} [{violation['impact']}] "
                    f"{violation['help']} — {', '.join(violation['targets'])}"
                )
    return found


def too_wide(page, live_server, pages, screenshots=""):
    found = []
    for entry in pages:
        page.goto(f"{live_server.url}{entry.url}")
        if screenshots:
            name = re.sub(r"\W+", "-", entry.name).strip("-")
            page.screenshot(path=f"/tmp/cellmeet-390-{screenshots}-{name}.png", full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            widest = page.evaluate(WIDEST)
            found.append(f"{entry.name} ({entry.url}): {width} px wide; widest: {widest}")
    return found


# The elements sticking out furthest to the right, to say what to fix.
WIDEST = """() => [...document.querySelectorAll("main *, nav *")]
  .map((el) => [el.getBoundingClientRect().right, el])
  .filter(([right]) => right > window.innerWidth)
  .sort((a, b) => b[0] - a[0]).slice(0, 3)
  .map(([right, el]) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (typeof el.className === "string" && el.className ? "." + el.className.trim()
      .split(/\\s+/).join(".") : "")
    + " to " + Math.round(right) + " px")
  .join("; ")"""


def login_page_violations(page, live_server):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    return [
        f"login: {v['id']} [{v['impact']}] {v['help']} — {', '.join(v['targets'])}"
        for v in page.evaluate(RUN_AXE)
        if v["impact"] in SERIOUS
    ]


@pytest.mark.parametrize("role", ["secretary", "reviewer"])
def test_axe_finds_no_serious_violation_on_the_main_pages(
    role, world, made, page, live_server, log_in, axe_source
):
    page.add_init_script(script=axe_source)
    page.set_viewport_size(DESKTOP)
    found = login_page_violations(page, live_server)
    sign_in(page, live_server, log_in, world.user(role))
    found += axe_violations(page, live_server, pages_for(role, world, made))
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("role", ["secretary", "reviewer"])
def test_no_main_page_is_wider_than_a_phone(role, world, made, page, live_server, log_in):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, log_in, world.user(role))
    found = too_wide(page, live_server, pages_for(role, world, made), screenshots=role)
    assert found == [], "\n".join(found)


# ---------------------------------------------------------------- recording, full of data


@pytest.fixture
def full_minutes(world, roster, request):
    world.secretary.username = "bithu-a11y"
    world.secretary.save()
    return build_full_minutes(world, roster, getattr(request, "param", MeetingKind.REGULAR))


# What each step must show at least of the full minutes, so the checks run on it.
SHOWN_ON_STEP = {
    "opening": ("#guest-rows .formset-row", 2),
    "attendance": (".attendance-row", 13),
    "proceedings": ("#task-reviews .task-review", 3),
    "discussion": ("#speech-rows .formset-row, #decision-rows .formset-row", 6),
    "closing": ("#task-rows .formset-row", 4),
}
THEMATIC_ON_STEP = {"proceedings": "#id_lead_report_title", "closing": "#id_lessons_learned"}


@pytest.mark.parametrize("full_minutes", [MeetingKind.REGULAR, MeetingKind.THEMATIC], indirect=True)
def test_every_recording_step_full_of_data_fits_a_phone(
    world, full_minutes, page, live_server, log_in, axe_source
):
    """Every step with something in every section, the widest realistic content: no
    step wider than the phone, no serious axe violation."""
    page.add_init_script(script=axe_source)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, log_in, world.secretary)
    found = []
    for entry in recording_pages({"draft": full_minutes}):
        response = page.goto(f"{live_server.url}{entry.url}")
        assert response.ok, f"{entry.name}: {response.status}"
        step = entry.url.rstrip("/").rsplit("/", 1)[-1]
        if step in SHOWN_ON_STEP:
            selector, count = SHOWN_ON_STEP[step]
            assert page.locator(selector).count() >= count, f"{entry.name}: {selector}"
        if full_minutes.is_thematic and step in THEMATIC_ON_STEP:
            expect(page.locator(THEMATIC_ON_STEP[step])).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            found.append(f"{entry.name}: {width} px wide; widest: {page.evaluate(WIDEST)}")
        found += [
            f"{entry.name}: {v['id']} [{v['impact']}] {v['help']} — {', '.join(v['targets'])}"
            for v in page.evaluate(RUN_AXE)
            if v["impact"] in SERIOUS
        ]
    assert found == [], "\n".join(found)


def test_the_closing_step_of_full_minutes_is_under_four_phone_screens(
    world, full_minutes, page, live_server, log_in
):
    """A dozen members, four tasks, the vote and the quality self-score: saved tasks and
    the optional parts fold (resolutions/_record_task_row.html), so the step stays short
    enough to check at a glance; it was 8.7 screens before they did."""
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, log_in, world.secretary)
    page.goto(f"{live_server.url}/meetings/{full_minutes.pk}/record/closing/")
    rows = page.locator("#task-rows .formset-row")
    expect(rows).to_have_count(5)  # the four tasks and the blank one, all folded
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 4 * PHONE["height"], f"{height / PHONE['height']:.2f} screens"
    # Nothing is lost: each folded task opens to change it, the blank one to add a task.
    rows.first.locator("summary").click()
    expect(page.locator("#id_tasks-0-title")).to_be_visible()
    page.locator("#id_tasks-0-title").fill("Tổ chức ra quân vệ sinh môi trường")
    expect(rows.first.locator("summary")).to_contain_text("Tổ chức ra quân vệ sinh môi trường")
    expect(page.locator("[data-add-row=tasks]")).to_be_hidden()
    page.locator("[data-task-new] > summary").click()
    expect(page.locator("#id_tasks-4-title")).to_be_focused()
    expect(page.locator("[data-add-row=tasks]")).to_be_visible()
    page.locator(".quality-score summary").click()
    expect(page.locator("#id_quality_results")).to_have_value("30")

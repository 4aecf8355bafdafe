"""A resolution's tasks followed from one meeting to the next, in a real browser.

Meeting A adopts a resolution with three tasks; meeting B reviews them one by one
(done with praise, partly done and carried over, not done and closed); meeting C is
left with only the carried-over task. All three meetings lie in the past months, so
their minutes can be finalized.
"""

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Meeting, MeetingKind, MeetingStatus
from meetings.services import save_planned_meeting
from resolutions import services as resolution_services
from resolutions.models import (
    Resolution,
    Task,
    TaskDecision,
    TaskResult,
    TaskStatus,
    TaskUpdate,
)
from tests.e2e.journeys import all_parts_on_one_page, secretary_chairs, sign_both
from tests.helpers import at

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LOCATION = "Nhà văn hóa thôn Đông"
RESOLUTION_TITLE = "Nghị quyết lãnh đạo thực hiện nhiệm vụ tháng"
ROAD = "Vận động nhân dân hiến đất mở rộng đường liên thôn"
DUES = "Thu đảng phí quý III đầy đủ, đúng hạn"
LIBRARY = "Sắp xếp lại tủ sách nhà văn hóa thôn"


def month_day(months_back, day):
    """`day` of the month `months_back` months before this one (local calendar)."""
    first = timezone.localdate().replace(day=1)
    for _ in range(months_back):
        first = (first - timedelta(days=1)).replace(day=1)
    return first.replace(day=day)


def dmy(day):
    return day.strftime("%d/%m/%Y")


def planned_meeting(world, day):
    """A regular meeting planned for 19:30 on `day`, as the planning page would save it."""
    meeting = Meeting(
        organization=world.cell,
        kind=MeetingKind.REGULAR,
        scheduled_at=timezone.make_aware(datetime.combine(day, time(19, 30))),
        location=LOCATION,
    )
    return save_planned_meeting(meeting, user=world.secretary)


def plan_in_browser(page, world, day):
    """From the cell page: plan a regular meeting on a day already past."""
    page.locator(f"a[href$='/orgs/{world.cell.pk}/meetings/new/']").click()
    page.select_option("#id_kind", "regular")
    page.fill("#id_day", dmy(day))
    page.fill("#id_start", "19:30")
    page.fill("#id_location", LOCATION)
    page.locator("form:has(#id_kind) button[type=submit]").click()
    expect(page.get_by_text("Đã lên kế hoạch cuộc họp.")).to_be_visible()
    meeting = Meeting.objects.get(organization=world.cell, year=day.year, month=day.month)
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/$"))
    return meeting


def start_recording(page, live_server, meeting):
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    expect(page.locator("#meeting-status")).to_have_text("Đã lên kế hoạch")
    page.locator(f"form[action$='/meetings/{meeting.pk}/start/'] button").click()
    all_parts_on_one_page(page, meeting)
    expect(page.locator("h1")).to_have_text(
        f"Sinh hoạt chi bộ thường kỳ tháng {meeting.month}/{meeting.year}"
    )


def fill_minutes(page, chair, note_taker):
    """What every regular meeting's minutes need besides the resolution part."""
    page.fill("#id_chair", chair.full_name)
    page.fill("#id_note_taker", note_taker.full_name)
    page.locator("#all-present").click()
    expect(page.locator("#present-count")).to_have_text(re.compile(r"7/7 \(100([.,]0)?%\)"))
    page.fill("#id_news_briefing", "Thông tin thời sự theo tài liệu của Đảng ủy xã.")
    page.fill("#id_conclusion", "Chi bộ thống nhất các nhiệm vụ tháng tới.")
    page.select_option("#id_vote_method", "hands")
    page.fill("#id_votes_for", "6")
    page.fill("#id_votes_against", "0")
    page.fill("#id_votes_other", "0")
    page.fill("#id_minutes_adopted_votes", "7")
    page.fill("#id_end_time", "21:15")


def fill_task(page, row, title, lead, due_on):
    page.fill(f"#id_tasks-{row}-title", title)
    page.fill(f"#id_tasks-{row}-lead", lead.full_name)
    page.fill(f"#id_tasks-{row}-due_on", dmy(due_on))


def radio(page, task, field, value):
    return page.locator(f"input[name='review-{task.pk}-{field}'][value='{value}']")


def choose(page, task, field, value):
    """Click the label of a radio button of a task's review, as a person would."""
    button = radio(page, task, field, value)
    page.locator(f"label[for={button.get_attribute('id')}]").click()
    expect(button).to_be_checked()


def review_titles(page):
    return page.locator("#task-reviews .task-review strong").all_inner_texts()


def board_section(page, heading):
    """The table under a heading of the task board."""
    return page.locator("h2", has_text=heading).locator("xpath=following-sibling::div[1]")


def test_tasks_of_a_resolution_are_reviewed_at_the_next_meetings(
    world,
    roster,
    page,
    live_server,
    log_in,
):
    chair = secretary_chairs(world, roster)
    note_taker = roster["official"][1]
    road_lead, dues_lead, library_lead = roster["official"][1:4]
    helpers = roster["official"][4:6]
    day_a, day_b, day_c = month_day(3, 10), month_day(2, 10), month_day(1, 10)
    road_due, dues_due, library_due = month_day(2, 5), month_day(2, 8), month_day(2, 9)
    new_dues_due = month_day(1, 28)

    # ------------------------------------------------------------ meeting A
    log_in(page, "bithu-e2e")
    page.goto(f"{live_server.url}/orgs/{world.cell.pk}/")
    expect(page.get_by_role("heading", name=world.cell.name)).to_be_visible()
    meeting_a = plan_in_browser(page, world, day_a)
    meeting_b = planned_meeting(world, day_b)
    meeting_c = planned_meeting(world, day_c)
    start_recording(page, live_server, meeting_a)

    expect(page.locator("#task-reviews")).to_contain_text(
        "Không có nhiệm vụ nào của các nghị quyết trước còn chưa hoàn thành."
    )
    fill_minutes(page, chair, note_taker)
    resolution_part = page.locator("#resolution")
    expect(resolution_part.locator("h3")).to_have_text("Nghị quyết và phân công nhiệm vụ")
    expect(page.locator("#id_resolution-number")).to_have_value("1")
    page.fill("#id_resolution-title", RESOLUTION_TITLE)
    fill_task(page, 0, ROAD, road_lead, road_due)
    for helper in helpers:  # found by name in the co-assignee picker, chosen as a chip
        page.locator("#id_tasks-0-assignees_search").fill(helper.full_name)
        page.get_by_role("button", name=f"+ {helper.full_name}").click()
        expect(page.get_by_role("button", name=f"Bỏ {helper.full_name}")).to_be_visible()
    fill_task(page, 1, DUES, dues_lead, dues_due)
    expect(page.locator("#id_tasks-TOTAL_FORMS")).to_have_value("2")
    page.locator("[data-add-row=tasks]").click()
    expect(page.locator("#id_tasks-TOTAL_FORMS")).to_have_value("3")
    expect(page.locator("#id_tasks-2-title")).to_be_focused()
    # The added row picks from the page's one list of the cell's members, as the others.
    for box in ("#id_tasks-2-lead", "#id_tasks-0-lead", "#id_tasks-2-assignees"):
        expect(page.locator(box)).to_have_attribute("list", "cell-members")
    listed = page.locator("#cell-members option").evaluate_all("os => os.map(o => o.value)")
    assert road_lead.full_name in listed and world.sibling_member.full_name not in listed
    fill_task(page, 2, LIBRARY, library_lead, library_due)
    page.locator("button[name=finalize]").click()
    sign_both(page, meeting_a)

    # The signed minutes show the resolution and who does what by when.
    expect(page.get_by_text(f"Nghị quyết số 01-NQ/CB: {RESOLUTION_TITLE}")).to_be_visible()
    road_row = page.locator("tr", has_text=ROAD)
    expect(road_row).to_contain_text(
        f"{road_lead.full_name} (phụ trách), {helpers[0].full_name}, {helpers[1].full_name}"
    )
    expect(road_row).to_contain_text(dmy(road_due))
    expect(page.locator("tr", has_text=LIBRARY)).to_contain_text(dmy(library_due))

    resolution = Resolution.objects.get(meeting=meeting_a)
    assert (resolution.number, resolution.title) == (1, RESOLUTION_TITLE)
    road, dues, library = Task.objects.filter(resolution=resolution).order_by("order")
    assert [(t.title, t.lead, t.due_on) for t in (road, dues, library)] == [
        (ROAD, road_lead, road_due),
        (DUES, dues_lead, dues_due),
        (LIBRARY, library_lead, library_due),
    ]
    assert set(road.assignees.all()) == set(helpers)
    assert not dues.assignees.exists() and not library.assignees.exists()
    assert {t.status for t in (road, dues, library)} == {TaskStatus.OPEN}

    # ------------------------------------------------------------ meeting B
    start_recording(page, live_server, meeting_b)
    review_part = page.locator("#task-reviews")
    expect(review_part.locator("h3")).to_have_text(
        "Kiểm điểm thực hiện nghị quyết tháng trước, từng nhiệm vụ"
    )
    expect(review_part.locator(".task-review")).to_have_count(3)
    assert review_titles(page) == [ROAD, DUES, LIBRARY]
    expect(review_part.locator(".task-review", has_text=ROAD)).to_contain_text(
        f"01-NQ/CB, phụ trách: {road_lead.full_name}, thời hạn {dmy(road_due)}"
    )
    # This meeting's own resolution is suggested the next number.
    expect(page.locator("#id_resolution-number")).to_have_value("2")

    fill_minutes(page, chair, note_taker)
    page.locator("button[name=finalize]").click()
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting_b.pk}/record/$"))
    expect(page.locator(".alert-warning", has_text="Còn thiếu")).to_have_text(
        "Đã lưu bản nháp nhưng chưa thể hoàn tất. Còn thiếu: kiểm điểm 3 nhiệm vụ "
        "chưa hoàn thành của các nghị quyết trước."
    )
    meeting_b.refresh_from_db()
    assert meeting_b.status == MeetingStatus.DRAFT

    # Done, with praise; finalizing still waits for the other two.
    choose(page, road, "result", "done")
    choose(page, road, "evaluation", "praise")
    page.fill(f"#id_review-{road.pk}-note", "Đã vận động được 12 hộ hiến đất.")
    page.locator("button[name=finalize]").click()
    expect(page.locator(".alert-warning", has_text="Còn thiếu")).to_contain_text(
        "Còn thiếu: kiểm điểm 2 nhiệm vụ chưa hoàn thành của các nghị quyết trước."
    )
    expect(radio(page, road, "result", "done")).to_be_checked()
    expect(radio(page, road, "evaluation", "praise")).to_be_checked()
    assert TaskUpdate.objects.filter(meeting=meeting_b).count() == 1
    road.refresh_from_db()
    assert road.status == TaskStatus.DONE

    # Partly done, carried over with a new deadline.
    choose(page, dues, "result", "partly")
    choose(page, dues, "evaluation", "reminder")
    choose(page, dues, "decision", "carry_over")
    page.fill(f"#id_review-{dues.pk}-note", "Còn hai đảng viên đi làm ăn xa chưa nộp.")
    page.fill(f"#id_review-{dues.pk}-new_due_on", dmy(new_dues_due))
    # Not done and closed, first without a reason: refused at the field, nothing lost.
    choose(page, library, "result", "not_done")
    choose(page, library, "decision", "close")
    page.locator("button[name=save]").click()
    expect(page.locator("#errors")).to_be_visible()
    # The error summary names the box and links to it, not to the section.
    expect(page.locator(f"#errors a[href='#id_review-{library.pk}-closed_reason']")).to_have_count(
        1
    )
    expect(page.locator(f"#error_1_id_review-{library.pk}-closed_reason")).to_have_text(
        "Xin ghi lý do kết thúc nhiệm vụ."
    )
    expect(radio(page, dues, "result", "partly")).to_be_checked()
    expect(radio(page, dues, "decision", "carry_over")).to_be_checked()
    expect(page.locator(f"#id_review-{dues.pk}-new_due_on")).to_have_value(dmy(new_dues_due))
    expect(radio(page, library, "decision", "close")).to_be_checked()
    expect(page.locator("#id_votes_for")).to_have_value("6")
    assert TaskUpdate.objects.filter(meeting=meeting_b).count() == 1

    page.fill(f"#id_review-{library.pk}-closed_reason", "Nhà văn hóa đang sửa chữa")
    page.locator("#task-reviews").scroll_into_view_if_needed()
    page.screenshot(path="/tmp/cellmeet-review.png", full_page=True)
    page.locator("button[name=finalize]").click()
    sign_both(page, meeting_b)

    # The signed minutes tell the review task by task.
    reviewed = page.locator("table", has_text="Đánh giá")
    expect(reviewed.locator("tr", has_text=ROAD)).to_contain_text("Hoàn thành")
    expect(reviewed.locator("tr", has_text=ROAD)).to_contain_text("Biểu dương")
    expect(reviewed.locator("tr", has_text=DUES)).to_contain_text(
        f"Hoàn thành một phần — chuyển sang tháng sau (thời hạn mới {dmy(new_dues_due)})"
    )
    expect(reviewed.locator("tr", has_text=DUES)).to_contain_text("Nhắc nhở")
    expect(reviewed.locator("tr", has_text=LIBRARY)).to_contain_text(
        "Chưa hoàn thành — kết thúc nhiệm vụ: Nhà văn hóa đang sửa chữa"
    )

    # ------------------------------------------------------------ meeting C
    start_recording(page, live_server, meeting_c)
    expect(page.locator("#task-reviews .task-review")).to_have_count(1)
    assert review_titles(page) == [DUES]
    expect(page.locator("#task-reviews .task-review")).to_contain_text(
        f"01-NQ/CB, phụ trách: {dues_lead.full_name}"
    )
    # The resolution of B had no tasks, so numbering still goes on from A.
    expect(page.locator("#id_resolution-number")).to_have_value("2")

    # ------------------------------------------------------------ the task board
    page.goto(f"{live_server.url}/orgs/{world.cell.pk}/")
    page.locator(f"a.btn[href$='/orgs/{world.cell.pk}/tasks/']").click()
    expect(page.locator("h1")).to_have_text("Nhiệm vụ")
    overdue = board_section(page, "Quá hạn")
    expect(page.locator("h2", has_text="Quá hạn")).to_have_text("Quá hạn (1)")
    expect(overdue.locator("tbody tr")).to_have_count(1)
    row = overdue.locator("tbody tr")
    expect(row).to_contain_text(DUES)
    expect(row).to_contain_text(f"{dues_lead.full_name} (phụ trách)")
    expect(row).to_contain_text("Chuyển sang tháng sau")
    expect(row).to_contain_text("01-NQ/CB")
    expect(row.locator("td.text-danger")).to_have_count(1)
    expect(page.locator("h2", has_text="Chưa hoàn thành")).to_have_text("Chưa hoàn thành (0)")
    expect(board_section(page, "Chưa hoàn thành")).to_contain_text("Không có.")
    # B was held in an earlier month, so the done task is not "done this month" either.
    expect(page.locator("h2", has_text="Hoàn thành trong tháng")).to_have_text(
        "Hoàn thành trong tháng (0)"
    )
    expect(page.locator("main")).not_to_contain_text(ROAD)
    expect(page.locator("main")).not_to_contain_text(LIBRARY)
    page.screenshot(path="/tmp/cellmeet-task-board.png", full_page=True)

    # ------------------------------------------------------------ what was stored
    for meeting in (meeting_a, meeting_b):
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.SIGNED
    meeting_c.refresh_from_db()
    assert meeting_c.status == MeetingStatus.DRAFT
    assert not Resolution.objects.filter(meeting__in=[meeting_b, meeting_c]).exists()

    updates = {u.task_id: u for u in TaskUpdate.objects.filter(meeting=meeting_b)}
    assert set(updates) == {road.pk, dues.pk, library.pk}
    assert not TaskUpdate.objects.exclude(meeting=meeting_b).exists()
    done, carried, closed = updates[road.pk], updates[dues.pk], updates[library.pk]
    assert (done.result, done.evaluation, done.decision, done.new_due_on) == (
        TaskResult.DONE,
        "praise",
        "",
        None,
    )
    assert done.note == "Đã vận động được 12 hộ hiến đất."
    assert (carried.result, carried.evaluation, carried.decision, carried.new_due_on) == (
        TaskResult.PARTLY,
        "reminder",
        TaskDecision.CARRY_OVER,
        new_dues_due,
    )
    assert carried.note == "Còn hai đảng viên đi làm ăn xa chưa nộp."
    assert (closed.result, closed.decision, closed.closed_reason) == (
        TaskResult.NOT_DONE,
        TaskDecision.CLOSE,
        "Nhà văn hóa đang sửa chữa",
    )
    for task in (road, dues, library):
        task.refresh_from_db()
    assert road.status == TaskStatus.DONE
    assert dues.status == TaskStatus.CARRIED_OVER
    assert (library.status, library.closed_reason) == (
        TaskStatus.NOT_DONE,
        "Nhà văn hóa đang sửa chữa",
    )
    # What, who and by when stay as signed in A.
    assert (dues.title, dues.lead, dues.due_on) == (DUES, dues_lead, dues_due)
    assert list(resolution_services.tasks_to_review(meeting_c)) == [dues]
    assert list(resolution_services.unreviewed_tasks(meeting_c)) == [dues]


def test_a_task_carried_over_to_a_later_deadline_is_not_shown_overdue(
    world, roster, make_meeting, page, live_server, log_in
):
    world.secretary.username = "bithu-e2e"
    world.secretary.save()
    day_a, day_b = month_day(2, 10), month_day(1, 10)
    meeting_a = make_meeting(when=at(day_a.year, day_a.month, day_a.day))
    meeting_b = make_meeting(when=at(day_b.year, day_b.month, day_b.day))
    resolution = resolution_services.save_resolution(
        Resolution(meeting=meeting_a, number=1, title=RESOLUTION_TITLE)
    )
    task = Task.objects.create(
        resolution=resolution, title=DUES, lead=roster["official"][2], due_on=month_day(1, 5)
    )
    new_due_on = timezone.localdate() + timedelta(days=40)
    resolution_services.save_task_review(
        TaskUpdate(
            task=task,
            meeting=meeting_b,
            result=TaskResult.PARTLY,
            decision=TaskDecision.CARRY_OVER,
            new_due_on=new_due_on,
        ),
        reviewed=True,
    )

    log_in(page, "bithu-e2e")
    page.goto(f"{live_server.url}/orgs/{world.cell.pk}/tasks/")
    expect(page.locator("h2", has_text="Quá hạn")).to_have_text("Quá hạn (0)")
    open_row = board_section(page, "Chưa hoàn thành").locator("tbody tr", has_text=DUES)
    expect(open_row).to_contain_text(dmy(new_due_on))


def test_a_missing_reason_for_closing_is_said_once(
    world, roster, make_meeting, page, live_server, log_in
):
    world.secretary.username = "bithu-e2e"
    world.secretary.save()
    day_a, day_b = month_day(2, 10), month_day(1, 10)
    meeting_a = make_meeting(when=at(day_a.year, day_a.month, day_a.day))
    meeting_b = make_meeting(when=at(day_b.year, day_b.month, day_b.day))
    resolution = resolution_services.save_resolution(
        Resolution(meeting=meeting_a, number=1, title=RESOLUTION_TITLE)
    )
    task = Task.objects.create(
        resolution=resolution, title=LIBRARY, lead=roster["official"][3], due_on=day_b
    )

    log_in(page, "bithu-e2e")
    page.goto(f"{live_server.url}/meetings/{meeting_b.pk}/record/")
    choose(page, task, "result", "not_done")
    choose(page, task, "decision", "close")
    page.locator("button[name=save]").click()
    expect(page.locator("#errors")).to_be_visible()
    card = page.locator("#task-reviews .task-review")
    expect(card.get_by_text("Xin ghi lý do kết thúc nhiệm vụ.")).to_have_count(1)

"""The recording flow (meetings/steps.py): the five parts of the minutes as steps in the
official order, each saved as she moves on, and a review step listing what is missing."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services
from meetings.forms import PlanMeetingForm
from meetings.models import AttendanceStatus, Meeting, MeetingKind, MeetingStatus
from members.models import Position, PositionRole
from resolutions import services as resolution_services
from resolutions.models import TaskResult, TaskUpdate
from tests.factories import MemberFactory
from tests.helpers import at, complete, mark
from tests.meetings.formdata import attendance_marks, record_post_data

STEP_NAMES = ["opening", "attendance", "proceedings", "discussion", "closing"]


def step_url(meeting, step):
    return reverse("meetings:record_step", args=[meeting.pk, step])


@pytest.fixture
def secretary(world, login):
    return login(world.secretary)


def open_step(client, meeting, step):
    response = client.get(step_url(meeting, step))
    assert response.status_code == 200
    return response


def post_step(client, meeting, step, go="next", **changes):
    response = open_step(client, meeting, step)
    data = record_post_data(response, **changes)
    data.pop("save", None)
    if go:
        data["go"] = go
    else:
        data["stay"] = ""
    return client.post(step_url(meeting, step), data)


# ---------------------------------------------------------------- the steps


@pytest.mark.parametrize("step", STEP_NAMES)
def test_each_step_shows_its_part_only_with_the_progress_list(secretary, make_meeting, step):
    meeting = make_meeting()
    html = open_step(secretary, meeting, step).content.decode()
    assert f'id="{step}"' in html
    for other in STEP_NAMES:
        if other != step:
            assert f'<section id="{other}"' not in html
    progress = re.search(r'<ol class="record-steps">(.*?)</ol>', html, re.S).group(1)
    assert progress.count("<li") == 6  # five parts and the review
    current = re.findall(r'href="([^"]+)" aria-current="step"', progress)
    assert current == [step_url(meeting, step)]


def test_opening_saves_only_its_boxes_and_continues_to_attendance(secretary, make_meeting):
    meeting = make_meeting()
    meeting.conclusion = "Kết luận đã ghi trước"
    meeting.save()
    response = post_step(secretary, meeting, "opening", agenda="Chương trình sinh hoạt")
    assert response.status_code == 302
    assert response.url == step_url(meeting, "attendance")
    meeting.refresh_from_db()
    assert meeting.agenda == "Chương trình sinh hoạt"
    assert meeting.conclusion == "Kết luận đã ghi trước"  # not on this step: untouched


def test_back_saves_and_goes_to_the_previous_step(secretary, make_meeting):
    meeting = make_meeting()
    response = post_step(secretary, meeting, "discussion", go="back", other_business="Việc khác")
    assert response.url == step_url(meeting, "proceedings")
    meeting.refresh_from_db()
    assert meeting.other_business == "Việc khác"


def test_save_stays_on_the_step(secretary, make_meeting):
    meeting = make_meeting()
    response = post_step(secretary, meeting, "closing", go=None, conclusion="Thống nhất")
    assert response.url.startswith(step_url(meeting, "closing"))
    meeting.refresh_from_db()
    assert meeting.conclusion == "Thống nhất"


def test_closing_continues_to_the_review(secretary, make_meeting):
    meeting = make_meeting()
    response = post_step(secretary, meeting, "closing", conclusion="Thống nhất")
    assert response.url == step_url(meeting, "review")


def test_attendance_step_marks_members(secretary, make_meeting, roster):
    meeting = make_meeting()
    response = open_step(secretary, meeting, "attendance")
    marks = {roster["official"][1]: (AttendanceStatus.ABSENT_EXCUSED, "Ốm")}
    data = {**record_post_data(response), **attendance_marks(response, marks), "go": "next"}
    assert secretary.post(step_url(meeting, "attendance"), data).status_code == 302
    row = meeting.attendances.get(member=roster["official"][1])
    assert (row.status, row.reason) == (AttendanceStatus.ABSENT_EXCUSED, "Ốm")


def test_unknown_step_is_404(secretary, make_meeting):
    assert secretary.get(step_url(make_meeting(), "nowhere")).status_code == 404


def test_a_step_with_an_error_saves_nothing_and_names_the_box(secretary, make_meeting):
    meeting = make_meeting()
    response = post_step(secretary, meeting, "closing", end_time="25:99", conclusion="Mới")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_end_time"' in html  # the summary links to the box, not the section
    assert "Mới" in html  # what she typed comes back
    meeting.refresh_from_db()
    assert meeting.conclusion == ""


def test_a_step_refuses_to_overwrite_a_newer_save(secretary, make_meeting):
    meeting = make_meeting()
    response = open_step(secretary, meeting, "opening")
    data = {**record_post_data(response, agenda="Của tôi"), "go": "next"}
    Meeting.objects.filter(pk=meeting.pk).update(
        version=meeting.version + 5, agenda="Của người khác"
    )
    answer = secretary.post(step_url(meeting, "opening"), data)
    assert answer.status_code == 200
    assert "Của người khác" in answer.content.decode()  # shown side by side
    meeting.refresh_from_db()
    assert meeting.agenda == "Của người khác"


def test_a_step_tells_the_task_title_error_by_its_box(secretary, make_meeting, roster):
    meeting = make_meeting()
    response = open_step(secretary, meeting, "closing")
    data = record_post_data(
        response,
        **{
            "tasks-0-title": "Làm đường",
            "tasks-0-lead": str(roster["official"][2].pk),
            "tasks-0-due_on": "30/11/2026",
        },
    )
    data["go"] = "next"
    html = secretary.post(step_url(meeting, "closing"), data).content.decode()
    assert 'href="#id_resolution-title"' in html


# ---------------------------------------------------------------- the review step


def test_review_lists_what_is_missing_linked_to_its_step_and_box(secretary, make_meeting):
    meeting = make_meeting()
    html = open_step(secretary, meeting, "review").content.decode()
    missing = re.search(r'id="still-missing">(.*?)</div>', html, re.S).group(1)
    assert f'href="{step_url(meeting, "opening")}#id_chair"' in missing
    assert f'href="{step_url(meeting, "attendance")}#attendance"' in missing
    assert f'href="{step_url(meeting, "proceedings")}#id_news_briefing"' in missing
    assert f'href="{step_url(meeting, "closing")}#id_conclusion"' in missing
    assert len(re.findall("<li>", missing)) == len(services.missing_for_finalize(meeting))


def test_review_refuses_to_finalize_what_is_incomplete(secretary, make_meeting):
    meeting = make_meeting()
    response = secretary.post(step_url(meeting, "review"), {"finalize": "1"})
    assert response.url == step_url(meeting, "review")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DRAFT


def test_review_finalizes_complete_minutes(secretary, make_meeting, roster):
    meeting = complete(make_meeting(), roster)
    html = open_step(secretary, meeting, "review").content.decode()
    assert 'id="nothing-missing"' in html
    response = secretary.post(step_url(meeting, "review"), {"finalize": "1"})
    assert response.url == reverse("meetings:detail", args=[meeting.pk])
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.FINALIZED


def test_review_step_refuses_get_of_a_signed_meeting(secretary, signed_meeting):
    response = secretary.get(step_url(signed_meeting, "opening"))
    assert response.url == reverse("meetings:detail", args=[signed_meeting.pk])


def test_starting_goes_to_the_first_unfinished_step(secretary, make_meeting):
    meeting = make_meeting(start=False)
    response = secretary.post(reverse("meetings:start", args=[meeting.pk]))
    assert response.url == step_url(meeting, "opening")


def test_continue_recording_goes_to_the_first_unfinished_step(secretary, make_meeting, roster):
    meeting = complete(make_meeting(), roster)
    meeting.conclusion = ""
    meeting.save()
    html = secretary.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert f'href="{step_url(meeting, "closing")}"' in html


def test_the_old_recording_page_still_saves_everything(secretary, make_meeting):
    meeting = make_meeting()
    response = secretary.get(reverse("meetings:record", args=[meeting.pk]))
    html = response.content.decode()
    for step in STEP_NAMES:
        assert f'<section id="{step}"' in html
    data = record_post_data(response, agenda="A", conclusion="B")
    assert secretary.post(reverse("meetings:record", args=[meeting.pk]), data).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.agenda, meeting.conclusion) == ("A", "B")


# ---------------------------------------------------------------- queries and size


def grow_cell(world, count):
    for index in range(count):
        MemberFactory(organization=world.cell, full_name=f"Đảng viên {index:04d}")


def queries_of_each_step(client, meeting):
    counts = {}
    for step in [*STEP_NAMES, "review"]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(step_url(meeting, step)).status_code == 200
        counts[step] = len(queries)
    return counts


def test_each_step_costs_the_same_queries_whatever_the_cell_size(
    world, roster, make_meeting, secretary, adopt
):
    earlier = make_meeting(when=at(2026, 9, 5))
    adopt(earlier, [("Việc tháng 9", roster["official"][2], date(2026, 9, 30))])
    small = make_meeting()
    small_counts = queries_of_each_step(secretary, small)
    grow_cell(world, 40)
    # The same kind (each kind asks its own questions: a regular meeting looks for the
    # committee's draft to copy), a month later.
    large = make_meeting(when=at(2026, 11, 5))
    assert large.attendances.count() > small.attendances.count() + 35
    large_counts = queries_of_each_step(secretary, large)
    assert large_counts == small_counts


def test_the_heaviest_step_of_a_36_member_cell_is_under_64_kB(
    world, roster, make_meeting, secretary
):
    # 60 kB until each attendance row carried how it counts in "present x/y" (the
    # counter's rule from the server, issue 19): 36 rows of about 1.4 kB, measured 60.2 kB.
    # 62 kB until every page carried the banner of what waits to be sent when recording
    # offline, and the steps what the browser keeps of the meeting (issue 24: 2 kB).
    grow_cell(world, 36 - 9)
    meeting = make_meeting()
    assert meeting.attendances.count() == 36
    sizes = {step: len(open_step(secretary, meeting, step).content) for step in STEP_NAMES}
    assert max(sizes.values()) < 64_000, sizes


def test_task_rows_read_the_members_once(world, roster, make_meeting, secretary):
    meeting = make_meeting()
    with CaptureQueriesContext(connection) as queries:
        open_step(secretary, meeting, "closing")
    # The recognition reminder above the form asks its own one question (probationary
    # members near 12 months, meetings.decisions): not a read of the roster.
    roster_reads = [
        q
        for q in queries
        if 'FROM "members_member"' in q["sql"] and "'recognition'" not in q["sql"]
    ]
    # the minutes' own choices, and the resolution's task rows: once each
    assert len(roster_reads) <= 2, [q["sql"] for q in roster_reads]


# ---------------------------------------------------------------- sensible defaults


def test_a_new_draft_suggests_the_secretary_and_the_deputy(world, roster, make_meeting, secretary):
    chair, deputy = roster["official"][3], roster["official"][4]
    Position.objects.create(
        member=chair,
        organization=world.cell,
        role=PositionRole.SECRETARY,
        started_on=date(2025, 1, 1),
    )
    Position.objects.create(
        member=deputy,
        organization=world.cell,
        role=PositionRole.DEPUTY_SECRETARY,
        started_on=date(2025, 1, 1),
    )
    meeting = make_meeting()
    form = open_step(secretary, meeting, "opening").context["editor"].minutes
    assert form["chair"].value() == chair.pk
    assert form["note_taker"].value() == deputy.pk
    assert form["location"].value() == "Nhà văn hóa thôn"


def test_the_note_taker_of_last_time_is_suggested(world, roster, make_meeting, secretary):
    earlier = complete(make_meeting(when=at(2026, 9, 5)), roster)
    earlier.note_taker = roster["official"][5]
    earlier.save()
    meeting = make_meeting()
    form = open_step(secretary, meeting, "opening").context["editor"].minutes
    assert form["note_taker"].value() == roster["official"][5].pk


def test_suggestions_never_replace_what_is_saved(world, roster, make_meeting, secretary):
    Position.objects.create(
        member=roster["official"][3],
        organization=world.cell,
        role=PositionRole.SECRETARY,
        started_on=date(2025, 1, 1),
    )
    meeting = make_meeting()
    meeting.chair = roster["official"][1]
    meeting.save()
    form = open_step(secretary, meeting, "opening").context["editor"].minutes
    assert form["chair"].value() == roster["official"][1].pk


def test_planning_suggests_a_regular_meeting_only_when_the_month_has_none(world, make_meeting):
    form = PlanMeetingForm(organization=world.cell)
    assert form["kind"].value() == MeetingKind.REGULAR
    make_meeting(when=services.timezone.now())
    assert PlanMeetingForm(organization=world.cell)["kind"].value() in (None, "")


# ---------------------------------------------------------------- forgiving details


def test_boxes_needed_to_finalize_are_marked_for_screen_readers(secretary, make_meeting):
    html = open_step(secretary, make_meeting(), "opening").content.decode()
    assert re.search(r'<input[^>]*name="chair"[^>]*aria-required="true"', html)
    assert 'name="agenda"' in html
    assert not re.search(r'<textarea[^>]*name="agenda"[^>]*aria-required', html)


def test_one_text_place_the_superseded_boxes_are_hidden(secretary, make_meeting):
    meeting = make_meeting()
    html = open_step(secretary, meeting, "proceedings").content.decode()
    assert 'name="last_resolution_review"' not in html
    assert 'name="next_tasks"' not in html
    meeting.next_tasks = "Biên bản cũ"
    meeting.save()
    html = open_step(secretary, meeting, "proceedings").content.decode()
    assert 'name="next_tasks"' in html  # old minutes keep their text, editable
    assert 'name="last_resolution_review"' not in html


def overdue_task(make_meeting, adopt, roster):
    earlier = make_meeting(when=at(2026, 9, 5))
    _, (task,) = adopt(earlier, [("Làm đường", roster["official"][2], date(2026, 9, 30))])
    return task, make_meeting()  # 5 October: the deadline has passed


def test_an_overdue_task_under_way_needs_a_new_deadline(secretary, make_meeting, adopt, roster):
    task, meeting = overdue_task(make_meeting, adopt, roster)
    response = open_step(secretary, meeting, "proceedings")
    prefix = f"review-{task.pk}"
    data = record_post_data(response, **{f"{prefix}-result": TaskResult.IN_PROGRESS})
    data["go"] = "next"
    answer = secretary.post(step_url(meeting, "proceedings"), data)
    assert answer.status_code == 200
    assert f'href="#id_{prefix}-new_due_on"' in answer.content.decode()
    assert not TaskUpdate.objects.filter(task=task, meeting=meeting).exists()
    data[f"{prefix}-new_due_on"] = "30/11/2026"
    assert secretary.post(step_url(meeting, "proceedings"), data).status_code == 302
    task.refresh_from_db()
    assert task.current_due_on == date(2026, 11, 30)


def test_the_service_refuses_an_overdue_task_under_way_without_a_deadline(
    make_meeting, adopt, roster
):
    task, meeting = overdue_task(make_meeting, adopt, roster)
    update = TaskUpdate(task=task, meeting=meeting, result=TaskResult.IN_PROGRESS)
    with pytest.raises(resolution_services.ResolutionError):
        resolution_services.save_task_review(update, reviewed=True)
    assert not TaskUpdate.objects.filter(task=task).exists()
    update.new_due_on = date(2026, 12, 15)
    resolution_services.save_task_review(update, reviewed=True)
    assert TaskUpdate.objects.filter(task=task, meeting=meeting).exists()


def test_a_task_not_yet_due_may_be_under_way_without_a_new_deadline(make_meeting, adopt, roster):
    earlier = make_meeting(when=at(2026, 9, 5))
    _, (task,) = adopt(earlier, [("Làm đường", roster["official"][2], date(2026, 12, 31))])
    meeting = make_meeting()
    update = TaskUpdate(task=task, meeting=meeting, result=TaskResult.IN_PROGRESS)
    resolution_services.save_task_review(update, reviewed=True)
    assert TaskUpdate.objects.filter(task=task, meeting=meeting).exists()


# ---------------------------------------------------------------- accessible recording


def test_every_reason_box_is_named_with_its_member(secretary, make_meeting, roster):
    meeting = make_meeting()
    html = open_step(secretary, meeting, "attendance").content.decode()
    for row in meeting.attendances.select_related("member"):
        assert f"Lý do vắng — {row.member.full_name}</label>" in html


def test_no_radio_button_has_autocomplete_and_no_tag_repeats_class(
    secretary, make_meeting, roster, adopt
):
    earlier = make_meeting(when=at(2026, 9, 5))
    adopt(earlier, [("Việc tháng 9", roster["official"][2], date(2026, 9, 30))])
    meeting = make_meeting()
    mark(meeting, {roster["official"][0]: AttendanceStatus.PRESENT})
    for step in STEP_NAMES:
        html = open_step(secretary, meeting, step).content.decode()
        for tag in re.findall(r"<input[^>]*>", html):
            if 'type="radio"' in tag:
                assert "autocomplete" not in tag, tag
        for tag in re.findall(r"<[a-z]+\s[^>]*>", html):
            assert len(re.findall(r'\sclass="', tag)) <= 1, tag


def test_the_task_pickers_refer_to_the_one_list_of_members(secretary, make_meeting, roster):
    html = open_step(secretary, make_meeting(), "closing").content.decode()
    assert 'type="checkbox" name="tasks-0-assignees"' not in html
    assert re.search(r'<input type="text" name="tasks-0-assignees"[^>]*list="cell-members"', html)
    assert re.search(r'<input type="text" name="tasks-0-lead"[^>]*list="cell-members"', html)
    assert html.count("<datalist") == 1
    assert "<select" not in html.split('id="task-rows"')[1].split('id="task-empty"')[0]


# ---------------------------------------------------------------- nothing typed is lost


def test_a_step_sent_after_the_session_ended_is_kept_and_restored_on_that_step(world, make_meeting):
    from django.contrib.sessions.models import Session

    from cellmeet.models import KeptSubmission
    from tests.meetings.test_nothing_typed_is_lost import sign_in_again, signed_in

    meeting = make_meeting()
    client = signed_in(world.secretary)
    url = step_url(meeting, "closing")
    page = client.get(url)
    Session.objects.all().delete()
    data = {**record_post_data(page, conclusion="Kết luận giữ lại"), "go": "next"}
    sent = client.post(url, data)
    assert sent.url.startswith(reverse("login"))
    sign_in_again(client, world.secretary, url)
    assert 'id="kept-on-server"' in client.get(url).content.decode()
    [kept] = KeptSubmission.objects.filter(user=world.secretary)
    restored = client.get(f"{url}?restore={kept.token}")
    assert "Kết luận giữ lại" in restored.content.decode()
    saved = client.post(url, {**record_post_data(restored), "go": "next"})
    assert saved.url == step_url(meeting, "review")
    meeting.refresh_from_db()
    assert meeting.conclusion == "Kết luận giữ lại"


def test_a_step_autosaves_in_the_background(secretary, make_meeting):
    meeting = make_meeting()
    page = open_step(secretary, meeting, "proceedings")
    answer = secretary.post(
        step_url(meeting, "proceedings"),
        record_post_data(page, news_briefing="Tin tức tự lưu"),
        HTTP_X_CELLMEET_AUTOSAVE="1",
    )
    assert answer.json()["saved"] is True
    meeting.refresh_from_db()
    assert meeting.news_briefing == "Tin tức tự lưu"
    assert answer.json()["version"] == meeting.version

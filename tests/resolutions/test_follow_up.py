from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services as meeting_services
from meetings.models import MinutesFrozenError
from resolutions import services
from resolutions.models import Resolution, Task, TaskStatus, TaskUpdate, term_of
from tests.factories import CellFactory, MemberFactory
from tests.helpers import at, complete, review


@pytest.fixture
def three_tasks(world, roster, make_meeting, adopt):
    official = roster["official"]
    meeting_a = make_meeting(when=at(2026, 8, 5))
    _, tasks = adopt(
        meeting_a,
        [
            ("Vận động thu nộp đảng phí", official[0], date(2026, 8, 30)),
            ("Sửa đường liên thôn", official[1], date(2026, 8, 30)),
            ("Thăm hỏi gia đình chính sách", official[2], date(2026, 8, 30)),
        ],
    )
    return meeting_a, tasks


def test_the_next_meeting_reviews_exactly_the_open_tasks(three_tasks, make_meeting, world):
    _, tasks = three_tasks
    meeting_b = make_meeting(when=at(2026, 9, 5))
    assert list(services.tasks_to_review(meeting_b)) == tasks


def test_finalizing_is_refused_while_an_open_task_has_no_review(
    three_tasks, make_meeting, roster, world
):
    _, tasks = three_tasks
    meeting_b = complete(make_meeting(when=at(2026, 9, 5)), roster)
    review(tasks[0], meeting_b, "done")
    with pytest.raises(meeting_services.MissingItems) as error:
        meeting_services.finalize_minutes(meeting_b, user=world.secretary)
    assert any("2" in item for item in error.value.items)
    review(tasks[1], meeting_b, "done")
    review(tasks[2], meeting_b, "done")
    meeting_services.finalize_minutes(meeting_b, user=world.secretary)


def test_carried_over_tasks_come_back_and_closed_ones_do_not(
    three_tasks, make_meeting, roster, world
):
    _, (done, carried, closed) = three_tasks
    meeting_b = make_meeting(when=at(2026, 9, 5))
    review(done, meeting_b, "done", evaluation="praise")
    review(carried, meeting_b, "partly", decision="carry_over", new_due_on=date(2026, 12, 31))
    review(closed, meeting_b, "not_done", decision="close", closed_reason="Hết kinh phí")
    statuses = {task.pk: task.status for task in Task.objects.all()}
    assert statuses == {
        done.pk: TaskStatus.DONE,
        carried.pk: TaskStatus.CARRIED_OVER,
        closed.pk: TaskStatus.NOT_DONE,
    }
    carried.refresh_from_db()
    assert (carried.due_on, carried.current_due_on) == (date(2026, 8, 30), date(2026, 12, 31))
    assert not carried.is_overdue(today=date(2026, 11, 1))  # the new deadline is in force
    assert carried not in Task.objects.overdue(today=date(2026, 11, 1))
    meeting_c = make_meeting(when=at(2026, 10, 5))
    assert list(services.tasks_to_review(meeting_c)) == [carried]
    # Meeting B still shows the three it reviewed.
    assert set(services.tasks_to_review(meeting_b)) == {done, carried, closed}


def test_withdrawing_a_review_reopens_the_task(three_tasks, make_meeting):
    _, tasks = three_tasks
    meeting_b = make_meeting(when=at(2026, 9, 5))
    update = review(tasks[0], meeting_b, "done")
    services.save_task_review(update, reviewed=False)
    tasks[0].refresh_from_db()
    assert tasks[0].status == TaskStatus.OPEN
    assert not TaskUpdate.objects.exists()


def test_tasks_of_another_cell_never_appear(three_tasks, make_meeting, world, adopt):
    from meetings.models import Meeting

    other_member = MemberFactory(organization=world.sibling_cell)
    other_meeting = Meeting.objects.create(
        organization=world.sibling_cell,
        kind="regular",
        scheduled_at=at(2026, 8, 6),
        status="draft",
    )
    adopt(other_meeting, [("Việc của chi bộ khác", other_member, date(2026, 8, 30))])
    meeting_b = make_meeting(when=at(2026, 9, 5))
    titles = {task.title for task in services.tasks_to_review(meeting_b)}
    assert "Việc của chi bộ khác" not in titles
    assert len(titles) == 3


def test_a_later_meeting_does_not_review_tasks_of_its_own_resolution(make_meeting, roster, adopt):
    meeting = make_meeting(when=at(2026, 9, 5))
    adopt(meeting, [("Việc mới", roster["official"][0], date(2026, 9, 30))])
    assert list(services.tasks_to_review(meeting)) == []


def test_resolution_numbers_are_suggested_in_sequence_and_restart_each_term(
    world, make_meeting, adopt
):
    first, _ = adopt(make_meeting(when=at(2026, 8, 5)), [])
    second, _ = adopt(make_meeting(when=at(2026, 9, 5)), [])
    assert (first.number, second.number) == (1, 2)
    assert second.document_number == "02-NQ/CB"
    assert term_of(date(2026, 1, 1)) == "2025–2030"
    assert term_of(date(2030, 6, 1)) == "2030–2035"
    assert services.next_resolution_number(world.cell, "2030–2035") == 1


def test_a_resolution_number_cannot_be_used_twice_in_a_term(world, make_meeting, adopt):
    adopt(make_meeting(when=at(2026, 8, 5)), [], number=5)
    with pytest.raises(services.ResolutionError):
        adopt(make_meeting(when=at(2026, 9, 5)), [], number=5)
    assert Resolution.objects.filter(number=5).count() == 1
    # Another cell may use the same number.
    from meetings.models import Meeting

    other = Meeting.objects.create(
        organization=world.sibling_cell, kind="regular", scheduled_at=at(2026, 9, 6)
    )
    adopt(other, [], number=5)


def test_signed_minutes_freeze_their_resolution_and_reviews(
    three_tasks, make_meeting, roster, world
):
    meeting_a, tasks = three_tasks
    complete(meeting_a, roster)
    meeting_services.finalize_minutes(meeting_a, user=world.secretary)
    chair = roster["official"][0]
    chair.user = world.secretary
    chair.save()
    meeting_services.sign_minutes(meeting_a, user=world.secretary, role="chair")
    meeting_services.sign_minutes(meeting_a, user=world.secretary, role="note_taker", on_paper=True)
    meeting_a.refresh_from_db()
    assert "Sửa đường liên thôn" in meeting_a.signed_content

    resolution = meeting_a.resolution
    resolution.title = "changed"
    with pytest.raises(MinutesFrozenError):
        resolution.save()
    tasks[0].title = "changed"
    with pytest.raises(MinutesFrozenError):
        tasks[0].save()
    with pytest.raises(MinutesFrozenError):
        Task.objects.filter(pk=tasks[1].pk).update(due_on=date(2027, 1, 1))
    with pytest.raises(MinutesFrozenError):
        Task.objects.create(resolution=resolution, title="x", lead=chair, due_on=date(2026, 9, 1))
    # Progress reported at the next meeting still moves the task.
    meeting_b = make_meeting(when=at(2026, 9, 5))
    review(Task.objects.get(pk=tasks[1].pk), meeting_b, "done")
    assert Task.objects.get(pk=tasks[1].pk).status == TaskStatus.DONE


def test_task_board_costs_the_same_queries_for_10_and_1000_tasks(world, login, roster):
    from meetings.models import Meeting

    counts = []
    for size in (10, 1000):
        cell = CellFactory(parent=world.commune)
        world.secretary.cell_roles.create(organization=cell, kind="cell_viewer")
        member = MemberFactory(organization=cell)
        meeting = Meeting.objects.create(
            organization=cell, kind="regular", scheduled_at=at(2026, 9, 5), status="draft"
        )
        resolution = Resolution.objects.create(meeting=meeting, number=1, title="NQ")
        Task.objects.bulk_create(
            Task(
                resolution=resolution,
                organization=cell,
                title=f"Việc {index}",
                lead=member,
                due_on=date(2026, 8 + index % 3, 1 + index % 28),
                current_due_on=date(2026, 8 + index % 3, 1 + index % 28),
            )
            for index in range(size)
        )
        client = login(world.secretary)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("resolutions:task_board", args=[cell.pk]))
        assert response.status_code == 200
        context = response.context
        assert context["overdue_count"] + context["open_count"] == size
        assert len(context["overdue"]) + len(context["open"]) == min(size, 50)  # one page
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_task_not_yet_due_is_reviewed_as_under_way_and_stays_open(three_tasks, make_meeting):
    _, (task, *_rest) = three_tasks
    meeting_b = make_meeting(kind="thematic", when=at(2026, 8, 20))  # before the 30 August deadline
    update = TaskUpdate(task=task, meeting=meeting_b, result="in_progress")
    update.full_clean()  # no decision to carry over or close is asked for
    services.save_task_review(update, reviewed=True)
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    assert task.current_due_on == date(2026, 8, 30)
    meeting_c = make_meeting(when=at(2026, 9, 5))
    assert task in services.tasks_to_review(meeting_c)

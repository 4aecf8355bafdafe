"""Delivery you can trust: each message is logged, sent once however often a job runs,
retried by a later job after a temporary refusal (SMTP 451) up to a cap, failed with the
server's reason after a permanent one (550)."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from meetings import services
from meetings.models import Meeting
from notifications import delivery, events, tasks
from notifications.models import Kind, Message, MessageStatus
from tests.notifications.conftest import calendar_of, subject_of

RETRY_TASK = "notifications.tasks.retry_message"
WHEN = (timezone.now() + timedelta(days=7)).replace(second=0, microsecond=0)


@pytest.fixture
def two_members(roster):
    lan, an = roster["official"][0], roster["official"][1]
    for member, address in ((lan, "lan@example.org"), (an, "an@example.org")):
        member.email, member.wants_messages = address, True
        member.save()
    return lan, an


def plan(world):
    meeting = Meeting(
        organization=world.cell, kind="regular", scheduled_at=WHEN, location="Nhà văn hóa"
    )
    return services.save_planned_meeting(meeting, user=world.secretary)


def test_a_job_that_runs_again_sends_nothing_twice(
    world, two_members, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = plan(world)
    assert smtp.recipients() == ["an@example.org", "lan@example.org"]

    # The worker runs the same job again (killed before it recorded it as done), and
    # the meeting is saved again without moving.
    tasks.notify.call("meeting_planned", meeting.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.save_planned_meeting(meeting, user=world.secretary)
    assert smtp.recipients() == ["an@example.org", "lan@example.org"]
    assert Message.objects.count() == 2

    # A member who joins the roster later is invited on the next save; the others not again.
    lan, an = two_members
    newcomer = type(lan).objects.create(
        organization=world.cell,
        full_name="Mai Thị Hoa",
        email="hoa@example.org",
        wants_messages=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.save_planned_meeting(meeting, user=world.secretary)
    assert smtp.recipients() == ["an@example.org", "hoa@example.org", "lan@example.org"]
    assert newcomer.email in smtp.recipients()


@pytest.fixture
def database_jobs(settings):
    """Jobs go to the database, as in production, until the test ends."""
    settings.TASKS = settings.DATABASE_TASKS


def run_due_jobs():
    """What the worker does with the jobs due now (db_worker's own run_task), in this
    process so that the jobs write to this test's SMTP server. Returns the jobs run."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = []
    while (job := DBTaskResult.objects.ready().first()) is not None:
        job.claim(worker.worker_id)
        worker.run_task(job)
        ran.append(job)
    return ran


def queued_retries():
    return DBTaskResult.objects.filter(task_path=RETRY_TASK).order_by("enqueued_at")


def let_the_backoff_pass(job):
    """The clock reaches the job's run_after (the worker would now take it)."""
    DBTaskResult.objects.filter(pk=job.pk).update(run_after=timezone.now())


def test_a_temporary_refusal_is_queued_for_later_and_delivered_then(
    world, two_members, smtp, database_jobs, django_capture_on_commit_callbacks
):
    smtp.refuse(1, "451 4.3.0 Mailbox busy, try again later")
    with django_capture_on_commit_callbacks(execute=True):
        plan(world)
    before_the_job = timezone.now()
    (notify_job,) = run_due_jobs()
    assert notify_job.status == TaskResultStatus.SUCCESSFUL
    # One went through; the refused one waits, and the job ended without waiting.
    assert len(smtp.received) == 1 and smtp.tries == 2
    waiting = Message.objects.get(status=MessageStatus.PENDING)
    assert (waiting.attempts, waiting.reason[:3]) == (1, "451")
    (retry,) = queued_retries()
    assert retry.status == TaskResultStatus.READY
    assert retry.args_kwargs["args"] == [waiting.pk, 1]
    assert retry.run_after >= before_the_job + delivery.RETRY_BACKOFF[0]
    assert run_due_jobs() == []  # not due yet

    let_the_backoff_pass(retry)
    assert [job.pk for job in run_due_jobs()] == [retry.pk]
    retry.refresh_from_db()
    waiting.refresh_from_db()
    assert retry.status == TaskResultStatus.SUCCESSFUL
    assert (waiting.status, waiting.attempts) == (MessageStatus.DELIVERED, 2)
    assert smtp.recipients() == ["an@example.org", "lan@example.org"]
    assert not queued_retries().filter(status=TaskResultStatus.READY).exists()


def test_the_last_refused_try_fails_the_message_and_queues_nothing_more(
    world, two_members, smtp, database_jobs, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(delivery, "MAX_ATTEMPTS", 3)
    lan, an = two_members
    an.wants_messages = False
    an.save()
    smtp.refuse(10, "421 4.7.0 Try again later")
    with django_capture_on_commit_callbacks(execute=True):
        plan(world)
    run_due_jobs()
    for _retry in range(2):
        (retry,) = queued_retries().filter(status=TaskResultStatus.READY)
        let_the_backoff_pass(retry)
        run_due_jobs()
    message = Message.objects.get()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 3)
    assert message.reason.startswith("421")
    assert smtp.tries == 3
    # A retry after the 1st and the 2nd try, none after the last.
    assert queued_retries().count() == 2
    assert not queued_retries().filter(status=TaskResultStatus.READY).exists()


def test_a_retry_stands_down_when_someone_tried_meanwhile(world, two_members, smtp):
    smtp.refuse(2)
    meeting = plan(world)
    message = events.invitations(meeting.pk)[0]
    delivery.deliver(message)  # refused: a retry is queued for after the 1st try
    delivery.deliver(message)  # send_reminders tried meanwhile, refused: it queued its own
    tries = smtp.tries
    assert tasks.retry_message.call(message.pk, 1) == 0
    assert smtp.tries == tries
    assert tasks.retry_message.call(message.pk, 2) == 1


def test_without_a_queue_that_can_wait_send_reminders_retries_and_stops_at_the_cap(
    world, two_members, smtp, monkeypatch, django_capture_on_commit_callbacks
):
    # The tests' immediate backend runs jobs at once and cannot run one later.
    monkeypatch.setattr(delivery, "MAX_ATTEMPTS", 4)
    lan, an = two_members
    an.wants_messages = False
    an.save()
    smtp.refuse(1)
    with django_capture_on_commit_callbacks(execute=True):
        plan(world)
    message = Message.objects.get()
    assert (message.status, message.attempts, smtp.received) == (MessageStatus.PENDING, 1, [])
    # The daily run tries again, and it goes through.
    call_command("send_reminders")
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.DELIVERED, 2)
    assert smtp.recipients() == ["lan@example.org"]
    assert calendar_of(smtp.messages[0]) is not None
    call_command("send_reminders")
    assert len(smtp.received) == 1

    # A message refused every time fails at the cap, with the server's reason.
    message.status, message.attempts = MessageStatus.PENDING, 0
    message.save()
    smtp.refuse(10)
    delivery.deliver(message)
    for _day in range(3):
        call_command("send_reminders")
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 4)
    assert "451" in message.reason
    tries = smtp.tries
    call_command("send_reminders")
    assert smtp.tries == tries  # nothing more


def test_the_notifications_never_sleep():
    """A worker waiting on a mail server holds up every other job: retries are queued."""
    sources = Path(delivery.__file__).parent.rglob("*.py")
    sleeping = [path.name for path in sources if "sleep(" in path.read_text()]
    assert sleeping == []


def test_a_permanent_refusal_fails_at_once_with_the_reason(
    world, two_members, smtp, django_capture_on_commit_callbacks
):
    smtp.refuse(1, "550 5.1.1 No such mailbox")
    with django_capture_on_commit_callbacks(execute=True):
        plan(world)
    failed = Message.objects.get(status=MessageStatus.FAILED)
    assert failed.attempts == 1
    assert failed.reason == "550 5.1.1 No such mailbox"
    assert Message.objects.get(status=MessageStatus.DELIVERED).attempts == 1
    assert len(smtp.received) == 1


def test_a_message_claimed_by_another_worker_is_not_sent_again(world, two_members, smtp):
    # No commit hook ran: the messages are prepared here, by hand, as a job would.
    meeting = plan(world)
    first, second = events.invitations(meeting.pk)
    assert {first.kind, second.kind} == {Kind.INVITATION}
    stale = Message.objects.get(pk=first.pk)
    delivery.deliver(first)
    # A second worker holding an old copy of the row finds it delivered.
    delivery.deliver(stale)
    assert len(smtp.to(first.recipient)) == 1
    assert subject_of(smtp.to(first.recipient)[0]).startswith("Giấy mời:")


def test_nothing_is_sent_for_a_step_that_rolled_back(
    world, two_members, smtp, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        plan(world)
        raise RuntimeError
    assert smtp.received == []
    assert not Message.objects.exists()

"""Delivery you can trust: each message is logged, sent once however often a job runs,
retried after a temporary refusal (SMTP 451) up to a cap, failed with the server's
reason after a permanent one (550)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from meetings import services
from meetings.models import Meeting
from notifications import delivery, events, tasks
from notifications.models import Kind, Message, MessageStatus
from tests.notifications.conftest import calendar_of, subject_of

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


def test_a_temporary_refusal_is_tried_again_and_delivered(
    world, two_members, smtp, django_capture_on_commit_callbacks
):
    smtp.refuse(1, "451 4.3.0 Mailbox busy, try again later")
    with django_capture_on_commit_callbacks(execute=True):
        plan(world)
    assert smtp.recipients() == ["an@example.org", "lan@example.org"]
    assert smtp.tries == 3
    retried = Message.objects.get(attempts=2)
    assert retried.status == MessageStatus.DELIVERED
    assert retried.reason.startswith("451")
    assert Message.objects.get(attempts=1).status == MessageStatus.DELIVERED


def test_what_still_fails_waits_for_send_reminders_and_stops_at_the_cap(
    world, two_members, smtp, settings, django_capture_on_commit_callbacks
):
    settings.CELLMEET_NOTIFICATIONS = {
        **settings.CELLMEET_NOTIFICATIONS,
        "RETRY_DELAYS": [0],
        "MAX_ATTEMPTS": 4,
    }
    lan, an = two_members
    an.wants_messages = False
    an.save()
    # Every try of the job refused: the message waits.
    smtp.refuse(2)
    with django_capture_on_commit_callbacks(execute=True):
        plan(world)
    message = Message.objects.get()
    assert (message.status, message.attempts, smtp.received) == (MessageStatus.PENDING, 2, [])
    # The daily run tries again, and it goes through.
    call_command("send_reminders")
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.DELIVERED, 3)
    assert smtp.recipients() == ["lan@example.org"]
    assert calendar_of(smtp.messages[0]) is not None
    call_command("send_reminders")
    assert len(smtp.received) == 1

    # A message refused every time fails at the cap, with the server's reason.
    message.status, message.attempts = MessageStatus.PENDING, 0
    message.save()
    smtp.refuse(10)
    delivery.deliver(message)
    call_command("send_reminders")
    call_command("send_reminders")
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 4)
    assert "451" in message.reason
    tries = smtp.tries
    call_command("send_reminders")
    assert smtp.tries == tries  # nothing more


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

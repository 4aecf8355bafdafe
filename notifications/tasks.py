"""The background jobs that send messages (Django's Tasks API, like printing/tasks.py).

Each job prepares the messages of one event in the log, then tries once to deliver the
waiting ones. A message a temporary failure held back is tried again by a later job
(`retry_message`, queued to run after delivery.RETRY_BACKOFF): the worker never waits
for the mail server and goes on with other jobs meanwhile. A job run twice finds its
messages already there (and delivered): nobody is written to twice.
"""

from django.utils import timezone
from django.utils.dateparse import parse_date
from django_tasks import task

from cellmeet import jobs
from notifications import delivery, events, reminders
from notifications.models import Message, MessageStatus

EVENTS = {
    "meeting_planned": events.invitations,
    "minutes_finalized": events.sign_requests,
    "minutes_returned": events.minutes_returned,
    "guidance_published": events.guidance_published,
}


@task(priority=jobs.URGENT)
def notify(event, pk):
    """Prepare and send the messages of one event of the workflow (EVENTS)."""
    return deliver_all(EVENTS[event](pk))


@task(priority=jobs.URGENT)
def retry_message(pk, attempts):
    """Another try at a message held back after `attempts` tries. Whoever tried it
    meanwhile (send_reminders, the admin) queued its own retry: this one stands down."""
    message = Message.objects.filter(pk=pk, status=MessageStatus.PENDING, attempts=attempts).first()
    if message is None:
        return 0
    return deliver_all([message])


@task(priority=jobs.NORMAL)
def send_reminders(day=""):
    """The day's reminders (notifications.reminders), then another try at every message
    a temporary failure held back. `manage.py send_reminders` runs the same."""
    return run_reminders(parse_date(day) if day else None)


def deliver_all(messages):
    """Try once each waiting message among `messages`, queue a later try for those a
    temporary failure held back; return how many were delivered."""
    delivered = 0
    for message in messages:
        if message.status != MessageStatus.PENDING:
            continue
        delivery.deliver(message)
        if message.status == MessageStatus.DELIVERED:
            delivered += 1
        elif message.status == MessageStatus.PENDING:
            retry_later(message)
    return delivered


def retry_later(message):
    """Queue the next try after the backoff. A backend that runs jobs at once (the tests'
    immediate backend) cannot wait: there the daily send_reminders tries again."""
    if not retry_message.get_backend().supports_defer:
        return None
    run_after = timezone.now() + delivery.retry_delay(message.attempts)
    return retry_message.using(run_after=run_after).enqueue(message.pk, message.attempts)


def run_reminders(today=None):
    started = timezone.now()
    due = reminders.prepare_reminders(today)
    delivered = deliver_all(due)
    held_back = (
        Message.objects.to_retry(delivery.MAX_ATTEMPTS)
        .filter(created_at__lt=started)
        .order_by("pk")
    )
    retried = deliver_all(held_back.iterator())
    return {"due": len(due), "delivered": delivered, "retried": retried}

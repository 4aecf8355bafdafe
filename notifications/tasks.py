"""The background jobs that send messages (Django's Tasks API, like printing/tasks.py).

Each job prepares the messages of one event in the log, then delivers the waiting
ones. A job run twice finds its messages already there (and delivered): nobody is
written to twice.
"""

from django.utils import timezone
from django.utils.dateparse import parse_date
from django_tasks import task

from cellmeet import jobs
from notifications import delivery, events, reminders
from notifications.models import Message

EVENTS = {
    "meeting_planned": events.invitations,
    "minutes_finalized": events.sign_requests,
    "minutes_returned": events.minutes_returned,
    "guidance_published": events.guidance_published,
}


@task(priority=jobs.URGENT)
def notify(event, pk):
    """Prepare and send the messages of one event of the workflow (EVENTS)."""
    return delivery.deliver_all(EVENTS[event](pk))


@task(priority=jobs.NORMAL)
def send_reminders(day=""):
    """The day's reminders (notifications.reminders), then another try at every message
    a temporary failure held back. `manage.py send_reminders` runs the same."""
    return run_reminders(parse_date(day) if day else None)


def run_reminders(today=None):
    started = timezone.now()
    due = reminders.prepare_reminders(today)
    delivered = delivery.deliver_all(due)
    held_back = Message.objects.to_retry().filter(created_at__lt=started).order_by("pk")
    retried = delivery.deliver_all(held_back.iterator())
    return {"due": len(due), "delivered": delivered, "retried": retried}

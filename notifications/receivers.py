"""The workflow's events (cellmeet.signals) start the jobs that send messages, once
the change that caused them is committed (nothing is sent for a step that rolled back)."""

from functools import partial

from django.db import transaction

from cellmeet import signals


def _enqueue(event, pk):
    from notifications.tasks import notify

    transaction.on_commit(partial(notify.enqueue, event, pk), robust=True)


def meeting_planned(sender, meeting, created, **kwargs):
    _enqueue("meeting_planned", meeting.pk)


def minutes_finalized(sender, meeting, **kwargs):
    _enqueue("minutes_finalized", meeting.pk)


def minutes_returned(sender, meeting, review, **kwargs):
    _enqueue("minutes_returned", review.pk)


def guidance_published(sender, guidance, **kwargs):
    _enqueue("guidance_published", guidance.pk)


def connect():
    signals.meeting_planned.connect(meeting_planned, dispatch_uid="notifications.planned")
    signals.minutes_finalized.connect(minutes_finalized, dispatch_uid="notifications.finalized")
    signals.minutes_returned.connect(minutes_returned, dispatch_uid="notifications.returned")
    signals.guidance_published.connect(guidance_published, dispatch_uid="notifications.guidance")

"""Once sealed minutes are committed, their printout is rendered and stored by a
background job (printing.tasks); if that fails, the first download renders it. A
correction of returned minutes keeps the mark that the documents went to the national
app before the meeting (the meeting and its day are the same)."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_save

from cellmeet import signals
from meetings.models import Meeting
from printing.national_app import carry_before_mark
from printing.tasks import store_signed_minutes


def minutes_sealed(sender, meeting, site_url="", **kwargs):
    transaction.on_commit(
        partial(store_signed_minutes.enqueue, meeting.pk, site_url=site_url), robust=True
    )


def meeting_saved(sender, instance, update_fields=None, **kwargs):
    # meetings.services.start_correction links the returned minutes to their correction.
    if update_fields and "superseded_by" in update_fields and instance.superseded_by_id:
        carry_before_mark(instance.pk, instance.superseded_by_id)


def connect():
    signals.minutes_sealed.connect(minutes_sealed, dispatch_uid="printing.sealed")
    post_save.connect(meeting_saved, sender=Meeting, dispatch_uid="printing.national_app")

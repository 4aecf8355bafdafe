"""Once sealed minutes are committed, their printout is rendered and stored by a
background job (printing.tasks); if that fails, the first download renders it."""

from functools import partial

from django.db import transaction

from cellmeet import signals
from printing.tasks import store_signed_minutes


def minutes_sealed(sender, meeting, site_url="", **kwargs):
    transaction.on_commit(
        partial(store_signed_minutes.enqueue, meeting.pk, site_url=site_url), robust=True
    )


def connect():
    signals.minutes_sealed.connect(minutes_sealed, dispatch_uid="printing.sealed")

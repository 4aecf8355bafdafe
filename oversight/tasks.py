"""Oversight's background jobs."""

from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from cellmeet import jobs
from members.models import Organization
from oversight import board_cache
from oversight.board import board_table

# How long a waiting job stands for a committee: if it was lost, the next change queues
# another after this.
WAITING = 10 * 60


@task(priority=jobs.NORMAL)
def warm_boards(committee_ids, year):
    """Compute again the boards (all cell types, the default language) of committees
    whose minutes changed status, so no reviewer waits for them."""
    today = timezone.localdate()
    for committee in Organization.objects.filter(pk__in=committee_ids):
        cache.delete(board_cache.warm_key(committee.pk))
        with translation.override(settings.LANGUAGE_CODE):
            board_table(committee, year, "", today)


def warm_later(committee_ids, year):
    """Once the change is committed, a job computes the committees' boards again."""
    if settings.CELLMEET_WARM_BOARDS and year and committee_ids:
        transaction.on_commit(partial(_enqueue_warming, committee_ids, year), robust=True)


def _enqueue_warming(committee_ids, year):
    # One waiting job per committee at a time: a burst of signatures queues one, not many.
    waiting = [pk for pk in committee_ids if cache.add(board_cache.warm_key(pk), True, WAITING)]
    if waiting:
        warm_boards.enqueue(waiting, year)

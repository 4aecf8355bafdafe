"""What oversight does when minutes change: drop the stale compliance boards and have
a job compute them again (oversight/board_cache.py, oversight/tasks.py)."""

from django.db.models.signals import post_delete, post_init, post_save

from meetings.models import Meeting
from oversight import board_cache, tasks


def meeting_saved(sender, instance, created=False, **kwargs):
    stale = board_cache.meeting_saved(sender, instance, created=created)
    tasks.warm_later(stale[:-1], instance.year)  # the committees above; a cell has no board


def meeting_deleted(sender, instance, **kwargs):
    stale = board_cache.meeting_deleted(sender, instance)
    tasks.warm_later(stale[:-1], instance.year)


def connect():
    post_init.connect(board_cache.remember_state, sender=Meeting, dispatch_uid="board")
    post_save.connect(meeting_saved, sender=Meeting, dispatch_uid="board")
    post_delete.connect(meeting_deleted, sender=Meeting, dispatch_uid="board")

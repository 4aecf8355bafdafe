"""The app of what superior committees do with the cells below them."""

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_init, post_save
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = _("Oversight by superior committees")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from meetings.models import Meeting
        from oversight import board_cache

        # The compliance board's cache follows the minutes' workflow (board_cache).
        post_init.connect(board_cache.remember_state, sender=Meeting, dispatch_uid="board")
        post_save.connect(board_cache.meeting_saved, sender=Meeting, dispatch_uid="board")
        post_delete.connect(board_cache.meeting_deleted, sender=Meeting, dispatch_uid="board")

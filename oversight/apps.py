"""The app of what superior committees do with the cells below them."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = _("Oversight by superior committees")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from oversight import receivers

        # The compliance board's cache follows the minutes' workflow (board_cache).
        receivers.connect()

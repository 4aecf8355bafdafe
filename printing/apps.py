"""Printing: every PDF, the stored signed minutes, minutes books, and the archive
(verify, backup, restore)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrintingConfig(AppConfig):
    name = "printing"
    verbose_name = _("Printing and archive")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from printing import receivers

        receivers.connect()

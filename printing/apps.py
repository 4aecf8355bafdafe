"""Printing: every PDF, the stored signed minutes, minutes books, and the archive
(verify, backup, restore)."""

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class PrintingConfig(AppConfig):
    name = "printing"
    verbose_name = _("Printing and archive")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from printing import receivers
        from printing.signing import check_signing_library

        receivers.connect()
        checks.register(check_signing_library)

"""The minutes core's app configuration."""

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings and minutes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from meetings.signing import check_signing_library

        checks.register(check_signing_library)

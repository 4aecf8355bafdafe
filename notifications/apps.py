"""Notifications: members and superiors are told by email (invitations, requests to
sign, reminders, guidance), through a log that sends each message once."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from notifications import receivers

        receivers.connect()

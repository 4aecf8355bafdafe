"""The members app: the organisation tree, party members, positions and roles."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Organisations and members")
    default_auto_field = "django.db.models.BigAutoField"

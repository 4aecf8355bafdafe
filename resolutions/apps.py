"""The resolutions app's configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResolutionsConfig(AppConfig):
    name = "resolutions"
    verbose_name = _("Resolutions and tasks")
    default_auto_field = "django.db.models.BigAutoField"

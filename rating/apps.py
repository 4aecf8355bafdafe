"""The annual rating of members (QĐ 366-QĐ/TW, HD 43-HD/BTCTW), drafted from the record."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingConfig(AppConfig):
    name = "rating"
    verbose_name = _("Annual rating")
    default_auto_field = "django.db.models.BigAutoField"

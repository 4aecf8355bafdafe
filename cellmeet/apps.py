"""The cellmeet app: the shared pieces every other app builds on."""

from django.apps import AppConfig


class CellmeetConfig(AppConfig):
    name = "cellmeet"
    verbose_name = "cellmeet"

    def ready(self):
        from cellmeet import kept  # noqa: F401  (connects the sign-in receiver)

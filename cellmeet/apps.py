"""The cellmeet app: the shared pieces every other app builds on."""

from django.apps import AppConfig


class CellmeetConfig(AppConfig):
    name = "cellmeet"
    verbose_name = "cellmeet"

    def ready(self):
        from django.urls import register_converter

        from cellmeet import kept  # noqa: F401  (connects the sign-in receiver)
        from cellmeet.converters import YearConverter

        # Before any URLconf loads: every app's URLs read `<year:year>`.
        register_converter(YearConverter, "year")

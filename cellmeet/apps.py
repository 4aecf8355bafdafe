from django.apps import AppConfig


class CellmeetConfig(AppConfig):
    name = "cellmeet"
    verbose_name = "cellmeet"

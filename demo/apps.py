"""The demo app's configuration (installed by the dev and test settings only)."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "demo"
    label = "demo"

from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "coso.lib"
    label = "lib"

from django.apps import AppConfig


class DataConfig(AppConfig):
    name = "coso.data"
    label = "data"
    verbose_name = "Data"

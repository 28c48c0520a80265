from django.apps import AppConfig


class ScenariosConfig(AppConfig):
    name = "coso.scenarios"
    label = "scenarios"
    verbose_name = "Scenarios"

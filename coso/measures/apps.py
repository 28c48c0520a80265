from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "coso.measures"
    label = "measures"
    verbose_name = "Measures"

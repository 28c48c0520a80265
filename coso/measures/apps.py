from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "coso.measures"
    label = "measures"
    verbose_name = "Measures"

    def ready(self):
        from . import families  # noqa: F401 - registers the measure families in the catalog

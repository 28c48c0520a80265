from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "coso.reports"
    label = "reports"
    verbose_name = "Reports"

from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "coso.measures"
    label = "measures"
    verbose_name = "Measures"

    def ready(self):
        from coso.members.watchers import periods_changing
        from coso.organizations.watchers import placements_changing

        from . import families, ledger, resolutions  # noqa: F401 - families (and resolutions) register the measure families in the catalog

        # the ledger of counts follows every write of periods, persons and placements (decision 0011)
        periods_changing.register(ledger.follow)
        placements_changing.register(ledger.follow_organizations)

from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate


class MeasuresConfig(AppConfig):
    name = "coso.measures"
    label = "measures"
    verbose_name = "Measures"

    def ready(self):
        import coso.measures.inspection  # noqa: F401 - the inspection families (issue 15)
        from coso.members.watchers import events_changing, periods_changing
        from coso.organizations.watchers import areas_changing, placements_changing
        from coso.people.watchers import persons_changing
        from coso.places.watchers import lineage_changing, units_changing

        # families, political (staffing, training) and resolutions (documents issued) register the measure
        # families in the catalog
        from . import (  # noqa: F401
            eventledger,
            families,
            ledger,
            political,
            politicalledger,
            residence,
            resolutions,
        )

        # the ledger of counts follows every write of periods, persons and placements (decision 0011)
        periods_changing.register(ledger.follow)
        periods_changing.register(residence.follow)  # and the villages' resident members (the report's villages)
        events_changing.register(eventledger.follow)  # and the period's events (the report's changes)
        placements_changing.register(eventledger.follow_organizations)
        placements_changing.register(ledger.follow_organizations)
        lineage_changing.register(residence.follow_villages)  # a merged village's residents live in its successor
        # the ledger of the political system (decision 0015): a unit's records, a person's facts,
        # a holder's membership, the placements that say which roots a unit counts for
        units_changing.register(politicalledger.follow)
        persons_changing.register(politicalledger.follow_persons)
        periods_changing.register(politicalledger.follow_members)
        placements_changing.register(politicalledger.follow_organizations)
        areas_changing.register(politicalledger.follow_areas)
        # the families of cell work (coso/activities) and of the political system (posts, bodies)
        from . import activities, grassroots  # noqa: F401, I001

        # the ledger of organizations is kept by the database's triggers; counted again after a
        # migrate or a flush (which empties the tables in no set order: orgledger.py)
        post_migrate.connect(recount_organizations, sender=self)


def recount_organizations(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    from django.db import connections

    from . import summary
    from .orgledger import TABLE, after_migrate

    if using == DEFAULT_DB_ALIAS and TABLE in connections[using].introspection.table_names():
        after_migrate()
        # the summaries' state row, which a flush removes, back as the migration creates it (else
        # the first figure read after the flush writes it)
        summary.state()

"""The ledger of member counts (coso/measures/ledger.py): dated +1/−1 deltas per summarized root.

A row holds, for one summarized root (0: the whole tree; else an organization at the top two
levels of the tree as it stood on the day), one breakdown (dim "" for the totals) and one key,
the sum of the deltas dated on `day`, one column per member measure. The count on D is the sum
of the rows dated up to D (the months before D's month from LedgerMonth, the rest from the days). Derived, never typed: written by ledger.py only.
"""

from django.db import models

from coso.lib.dated import DatedQuerySet

VALUE_COLUMNS = ("n", "female", "minority", "religious", "official", "probationary", "exempted", "in_transit", "hosted")


class LedgerRows(models.Model):
    root = models.BigIntegerField()
    dim = models.CharField(max_length=16)
    key = models.CharField(max_length=16)
    day = models.DateField()
    n = models.IntegerField(default=0)
    female = models.IntegerField(default=0)
    minority = models.IntegerField(default=0)
    religious = models.IntegerField(default=0)
    official = models.IntegerField(default=0)
    probationary = models.IntegerField(default=0)
    exempted = models.IntegerField(default=0)
    in_transit = models.IntegerField(default=0)
    hosted = models.IntegerField(default=0)

    class Meta:
        abstract = True


class LedgerEntry(LedgerRows):
    """The live ledger (kept by the write paths in their transaction)."""

    class Meta:
        constraints = [
            # the upsert's conflict target, and the read: one root and breakdown, the days up to D
            models.UniqueConstraint(fields=["root", "dim", "day", "key"], name="measures_ledger_key"),
        ]


class LedgerMonth(LedgerRows):
    """The live ledger's rows summed per month (`day`: the month's first day), kept by the same
    upserts: a count on D reads the months before D's month and the days of D's month."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=["root", "dim", "day", "key"], name="measures_ledger_month_key")]


class LedgerScratch(LedgerRows):
    """Where `coso measures check` rebuilds the ledger to compare it with the live one."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=["root", "dim", "day", "key"], name="measures_scratch_key")]


class LedgerState(models.Model):
    """One row: whether the ledger is built (reads use it only then) and the horizon up to which
    age and party-age band changes are written (questions after it read the periods)."""

    built = models.BooleanField(default=False)
    horizon = models.DateField()


class VillageResidence(models.Model):
    """A span of days on which at least one party member lives in the village: some member period
    in force on the day belongs to a member whose person's residence village it is (any
    organization: a village's resident members are the members who live there). Maximal spans,
    [valid_from, valid_to), adjacent ones joined. Derived, never typed: written by
    coso/measures/residence.py only, from the periods, in each write's transaction."""

    village = models.ForeignKey("places.AdminUnit", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["village", "valid_from"], name="measures_residence_idx")]


class EventLedgerEntry(models.Model):
    """Member events counted per day (coso/measures/eventledger.py): for one summarized root (0:
    every event; else an organization at the top two levels of the tree as it stood on the
    event's date, which the event's owner lay under that day) and its parent then (0 at the top
    level), one event type and kind ("temporary" for a temporary transfer, else ""), the number of
    events dated `day`. A period's count is the sum of its days. Derived, never typed: written by
    eventledger.py only."""

    root = models.BigIntegerField()
    parent = models.BigIntegerField()
    type = models.CharField(max_length=20)
    kind = models.CharField(max_length=10)
    day = models.DateField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["root", "day", "parent", "type", "kind"], name="measures_event_ledger_key")]
        # a root's children's rows: the organizations at the second level under it on their days
        indexes = [models.Index(fields=["parent", "day", "root"], name="measures_event_ledger_parent")]


class OrgLedgerEntry(models.Model):
    """Placements counted per day (coso/measures/orgledger.py): for one summarized root (0: the
    whole tree; else an organization at depth 0 or 1 of a placement's path), the child of the root
    the placements lie under, their kind and sector, the sum of their +1 (first day) and −1 (end
    day) dated `day`. The number of organizations on D is the sum of the rows dated up to D.
    Derived, never typed: kept by the database's triggers on the placements (orgledger.py)."""

    root = models.BigIntegerField()
    child = models.BigIntegerField()
    kind = models.CharField(max_length=16)
    sector = models.CharField(max_length=16)
    day = models.DateField()
    n = models.IntegerField(default=0)

    class Meta:
        # the upsert's conflict target, and the read: one root, the days up to D
        constraints = [models.UniqueConstraint(fields=["root", "day", "child", "kind", "sector"], name="measures_orgledger_key")]


class PoliticalLedgerRows(models.Model):
    root = models.BigIntegerField()
    measure = models.CharField(max_length=64)
    day = models.DateField()
    n = models.IntegerField(default=0)

    class Meta:
        abstract = True


class PoliticalLedgerEntry(PoliticalLedgerRows):
    """The political system's figures (coso/measures/politicalledger.py): for one summarized root
    (0: the whole tree; else an organization at depth 0 or 1 of the tree as it stood on the day)
    and one measure, the sum of the changes dated `day` of the values of the units counting for
    the root that day. A figure on D is the sum of the rows dated up to D. Derived, never typed:
    written by politicalledger.py only, in each write's transaction."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=["root", "measure", "day"], name="measures_political_key")]


class PoliticalLedgerMonth(PoliticalLedgerRows):
    """The same rows summed per month (`day`: the month's first day): a figure on D reads the
    months before D's month and the days of its month."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=["root", "measure", "day"], name="measures_political_month_key")]

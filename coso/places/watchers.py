"""Writes of the villages' lineage (a village merged into another: coso/lib/watchers.py).

Whoever writes or deletes places.Lineage rows between villages enters
`lineage_changing.watching(old_village_ids)` around the write; the measures' villages of resident
members (coso/measures/residence.py: a merged village's residents live in its successor) follow."""

from coso.lib.watchers import Watchers

lineage_changing = Watchers("places.lineage")

# writes of what a commune-level unit's political-system figures read (coso/lib/watchers.py): its
# bodies and posts, its staff and quotas, its villages; whoever writes them enters
# `units_changing.watching(unit_ids)` (a list, or a callable asked before and after the write)
# around the write; the measures' ledger of the political system follows (decision 0015)
units_changing = Watchers("places.units")

"""Writes of the villages' lineage (a village merged into another: coso/lib/watchers.py).

Whoever writes or deletes places.Lineage rows between villages enters
`lineage_changing.watching(old_village_ids)` around the write; the measures' villages of resident
members (coso/measures/residence.py: a merged village's residents live in its successor) follow."""

from coso.lib.watchers import Watchers

lineage_changing = Watchers("places.lineage")

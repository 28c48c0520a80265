"""Writes that change the placements of organizations from a date (a move, a closing): the
organization services enter `placements_changing.watching(organization_ids, since)` around them
(coso/lib/watchers.py); the measures' ledger registers itself here."""

from coso.lib.watchers import Watchers

placements_changing = Watchers("organizations.placements")

# writes that give an organization's placement an area or take it away (an organization created or
# edited with its administrative unit): `areas_changing.watching(organization_ids)` around them; the
# political system's figures follow (which organization a unit's figures count under)
areas_changing = Watchers("organizations.areas")

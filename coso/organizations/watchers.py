"""Writes that change the placements of organizations from a date (a move, a closing): the
organization services enter `placements_changing.watching(organization_ids, since)` around them
(coso/lib/watchers.py); the measures' ledger registers itself here."""

from coso.lib.watchers import Watchers

placements_changing = Watchers("organizations.placements")

"""Writes that change members' periods or what their breakdowns read (coso/lib/watchers.py):
the members services and bulk writes enter `periods_changing.watching(member_ids)` around them
(member_ids: a list, or a callable asked before and after the write); the measures' ledger
registers itself here."""

from coso.lib.watchers import Watchers

periods_changing = Watchers("members.periods")
# writes of members' events (recording one, a bulk import): the measures' ledger of events follows them
events_changing = Watchers("members.events")

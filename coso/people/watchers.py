"""Writes of a person's facts that figures read (coso/lib/watchers.py): the qualification and the
theory level typed on the person, a degree programme completed. Whoever writes them enters
`persons_changing.watching(person_ids)` around the write; the measures' ledger of the political
system follows (the cadres by theory level and qualification of the units where the person works)."""

from coso.lib.watchers import Watchers

persons_changing = Watchers("people.persons")

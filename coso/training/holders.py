"""Who holds a post of a given title on a date: a registry the apps holding posts fill.

The lists of who lacks the theory level their post requires and of who is due for refresher
training need the holders of each title. The posts themselves belong to other apps (coso/staffing's
positions of employment records; coso/grassroots' posts once it lands): each registers a provider in
its AppConfig.ready, so that training depends on none of them.

A provider is called as provider(scope, on) and yields Holder rows for the posts held on the date
within the scope (scope None: everywhere).
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Holder:
    person_id: int
    title: str  # a title code (training.requirements.TITLES)
    where: str = ""  # the body or unit the post is in, as shown in the lists
    since: dt.date | None = None


Provider = Callable[[object, dt.date], Iterable[Holder]]
PROVIDERS: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    """Register (or replace) the provider of an app, by name."""
    PROVIDERS[name] = provider


def holders(scope, on: dt.date) -> list[Holder]:
    out: list[Holder] = []
    for provider in PROVIDERS.values():
        out.extend(provider(scope, on))
    return out

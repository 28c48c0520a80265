"""Scope-leak registry of the report pages: the tables' and the dashboard's registries merged
(see coso/access/tests/scope_urls.py for the format)."""

from . import scope_urls_dashboard as _dashboard
from . import scope_urls_tables as _tables

SIBLING_NAMES = [*_tables.SIBLING_NAMES, *_dashboard.SIBLING_NAMES]


def extend_world(world, people):
    _tables.extend_world(world, people)
    _dashboard.extend_world(world, people)


OBJECT_URLS = {**_tables.OBJECT_URLS, **_dashboard.OBJECT_URLS}
LIST_URLS = {**_tables.LIST_URLS, **_dashboard.LIST_URLS}
EXEMPT = _tables.EXEMPT | _dashboard.EXEMPT

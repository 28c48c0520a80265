"""What the demo's two halves share: its dates, and the record of what the tree builder made
(builder.py), which the member generator (members.py) then fills with members."""

import datetime as dt
from dataclasses import dataclass, field

from coso.organizations.models import Organization
from coso.places.models import AdminUnit

LEGACY_FROM = dt.date(2015, 1, 1)
REFORM = dt.date(2025, 7, 1)


@dataclass
class Cell:
    """A cell of the legacy tree, with what the member generator needs to know about it."""

    organization: Organization
    role: str  # village, school, health, military, police, office, grassroots
    sector: str
    committee: Organization | None  # the đảng bộ cơ sở above a chi bộ trực thuộc
    commune: AdminUnit | None = None  # the legacy commune of a commune cell
    village: AdminUnit | None = None
    successor: Organization | None = None  # its cell from 01/07/2025, when one cell takes it over


@dataclass
class Demo:
    province: Organization | None = None
    district: Organization | None = None
    city: Organization | None = None
    grassroots: list[Organization] = field(default_factory=list)
    sub_cells: list[Organization] = field(default_factory=list)
    new_communes: dict[str, Organization] = field(default_factory=dict)
    village_cell: Organization | None = None
    communes: list[AdminUnit] = field(default_factory=list)  # the 17 legacy communes
    cells: list[Cell] = field(default_factory=list)  # the 262 legacy cells (223 trực thuộc, 39 cơ sở)
    new_commune_of: dict[int, str] = field(default_factory=dict)  # legacy commune pk -> new commune name
    new_cells: dict[tuple[str, str], Organization] = field(default_factory=dict)  # (new commune, role) -> cell
    new_village_cells: list[Organization] = field(default_factory=list)

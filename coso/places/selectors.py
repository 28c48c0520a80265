"""The read side of administrative units. Reference data: no scoping, every list bounded."""

import datetime as dt

from django.db.models import Case, IntegerField, QuerySet, Value, When

from coso.lib.text import fold

from .models import AdminUnit, Level, Lineage

# Search results list the bigger units first: a province before a commune of the same name.
_LEVEL_ORDER = Case(
    *(When(level=level, then=Value(i)) for i, level in enumerate(Level.values)),
    output_field=IntegerField(),
)


def units_in_force(
    on: dt.date, level: str | None = None, parent: AdminUnit | int | None = None
) -> QuerySet:
    """Units in force on the date (valid_from <= on < valid_to), by code."""
    qs = AdminUnit.objects.on(on).select_related("parent")
    if level is not None:
        qs = qs.filter(level=level)
    if parent is not None:
        qs = qs.filter(parent=parent)
    return qs.order_by("generation", "level", "code")


def search_units(
    query: str, on: dt.date | None = None, level: str | None = None, limit: int = 20,
    with_villages: bool = True,
) -> list[AdminUnit]:
    """Units whose full name contains the query, diacritics and case ignored ("tam son" finds
    "Xã Tam Sơn"). Exact names come first, then bigger units, then the alphabet.

    Uses places_unit_folded_idx when a level is given (a LIKE '%...%' scan of that level).
    """
    folded = fold(query)
    if not folded:
        return []
    qs = AdminUnit.objects.filter(name_folded__contains=folded)
    if on is not None:
        qs = qs.on(on)
    if level is not None:
        qs = qs.filter(level=level)
    if not with_villages:
        # villages are scoped data (permissions.covered_communes); pickers of public units skip them
        qs = qs.exclude(level=Level.VILLAGE)
    qs = qs.annotate(
        # full names start with the type word ("xa tam son"): the exact name first, then the
        # name itself ("tam son"), then names with a word starting so, then the rest
        _starts=Case(
            When(name_folded=folded, then=Value(0)),
            When(name_folded__endswith=f" {folded}", then=Value(1)),
            When(name_folded__contains=f" {folded}", then=Value(2)),
            default=Value(3), output_field=IntegerField(),
        ),
        _level=_LEVEL_ORDER,
    )
    qs = qs.select_related("parent").order_by(
        "_starts", "_level", "name_folded", "generation", "code"
    )
    return list(qs[:limit])


def villages_of(commune: AdminUnit, on: dt.date) -> QuerySet:
    """The commune's villages in force on the date, in the order they were recorded."""
    qs = AdminUnit.objects.on(on).filter(parent=commune, level=Level.VILLAGE)
    return qs.order_by("code")


def lineage_of(units) -> dict[int, dict[str, list]]:
    """{unit id: {"predecessors": [Lineage], "successors": [Lineage]}} of these units (a commune,
    its villages): the places lineage with the other side's unit and its parent, two queries
    whatever the number of units. Administrative units are public names: shown to any reader of
    the page (whose own scope decides which of them link to a page)."""
    ids = [u.pk for u in units]
    found: dict[int, dict[str, list]] = {pk: {"predecessors": [], "successors": []} for pk in ids}
    for link in (Lineage.objects.filter(new_id__in=ids).select_related("old__parent")
                 .order_by("new_id", "effective", "old__level", "old__code")):
        found[link.new_id]["predecessors"].append(link)
    for link in (Lineage.objects.filter(old_id__in=ids).select_related("new__parent")
                 .order_by("old_id", "effective", "new__level", "new__code")):
        found[link.old_id]["successors"].append(link)
    return found


def document_place(area: AdminUnit | None, day: dt.date) -> str:
    """The place a document of an organization with this area writes before its date
    ("Núi Thành, ngày …"): the district, else the province, the area lay in, as it stood on the
    day. A unit that had ended by then is followed through the lineage of places to the unit that
    took it over (the legacy province of Quảng Nam to Đà Nẵng on 01/07/2025); a unit with no
    successor (a legacy district: the level ended) gives way to its parent, followed the same way.
    A few queries, one per step up or across."""

    def up(unit):
        while unit is not None and unit.level not in (Level.DISTRICT, Level.PROVINCE):
            unit = unit.parent
        return unit

    unit, seen = up(area), set()
    while unit is not None and not unit.in_force_on(day) and unit.pk not in seen:
        seen.add(unit.pk)
        link = unit.successors.filter(effective__lte=day).select_related("new__parent").order_by("partial", "new__code").first()
        unit = up(link.new) if link is not None else up(unit.parent)
    return unit.name if unit is not None else ""

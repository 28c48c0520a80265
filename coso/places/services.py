"""The write side of administrative units: the reference-data loader and the village services.

Two sources, both PyPI packages pinned in requirements:

- vietnam-provinces: the two-tier units in force from 01/07/2025 (34 provinces, 3,321 communes,
  wards and special zones), read from its nested-divisions.json. Its codes are the published
  ones and win where the two packages disagree.
- vietnamadminunits: the legacy units (63 provinces, their districts and communes), read from the
  admin_units_legacy table of its dataset.db, and its converter data (converter_2025.json), which
  says which legacy unit became which two-tier one. The converter names units by keys
  ("tinhquangnam_huyennuithanh_xatamson"), not codes: we resolve legacy keys through
  admin_units_legacy and two-tier keys through its admin_units table, then match those to
  vietnam-provinces by province code and name (the packages disagree on about 120 commune codes,
  never on a name inside a province).
"""

import datetime as dt
import importlib.metadata
import importlib.util
import json
import re
import sqlite3
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coso.audit import services as audit
from coso.lib.text import clean, fold

from .models import VILLAGE_KINDS, AdminUnit, Generation, Level, Lineage, UnitKind
from .watchers import units_changing

REFORM_DATE = dt.date(2025, 7, 1)  # Nghị quyết 202/2025/QH15 and the commune-level resolutions
LOADED_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
UNIT_FIELDS = ("kind", "name", "full_name", "name_folded", "parent_id", "valid_from", "valid_to")
BATCH = 1000

# The type word in front of a unit's name, per level, longest first. Stored names are Vietnamese
# whatever the interface language, so these are data, not translatable labels.
_PREFIXES = {
    Level.PROVINCE: [("Thành phố", UnitKind.CITY), ("Tỉnh", UnitKind.PROVINCE)],
    Level.DISTRICT: [
        ("Thành phố", UnitKind.PROVINCIAL_CITY), ("Thị xã", UnitKind.TOWN),
        ("Quận", UnitKind.URBAN_DISTRICT), ("Huyện", UnitKind.DISTRICT),
    ],
    Level.COMMUNE: [
        ("Thị trấn", UnitKind.TOWNSHIP), ("Đặc khu", UnitKind.SPECIAL_ZONE),
        ("Phường", UnitKind.WARD), ("Xã", UnitKind.COMMUNE),
    ],
}
# The type as the packages spell it (vietnam-provinces division_type, vietnamadminunits *Type).
_TYPE_WORDS = {
    "tỉnh": UnitKind.PROVINCE, "thành phố trung ương": UnitKind.CITY,
    "quận": UnitKind.URBAN_DISTRICT, "huyện": UnitKind.DISTRICT, "thị xã": UnitKind.TOWN,
    "xã": UnitKind.COMMUNE, "phường": UnitKind.WARD, "thị trấn": UnitKind.TOWNSHIP,
    "đặc khu": UnitKind.SPECIAL_ZONE,
}
_PREFIX_OF = {kind: prefix for prefixes in _PREFIXES.values() for prefix, kind in prefixes}
_NUMBERED = re.compile(r"^(\d+|[IVXLC]+)$")  # "Phường 1", "Quận 12", "Phường IV"

VILLAGE_PREFIXES = {
    UnitKind.VILLAGE: "Thôn", UnitKind.RESIDENTIAL_GROUP: "Tổ dân phố", UnitKind.BON: "Bon",
    UnitKind.BAN: "Bản", UnitKind.AP: "Ấp", UnitKind.KHOI_PHO: "Khối phố",
    UnitKind.KHU_PHO: "Khu phố", UnitKind.BUON: "Buôn", UnitKind.LANG: "Làng",
    UnitKind.XOM: "Xóm", UnitKind.PLEI: "Plei", UnitKind.SOC: "Sóc", UnitKind.OTHER: "",
}


def _d(value: dt.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _strip_prefix(full: str, prefix: str) -> str | None:
    if prefix and full.casefold().startswith(prefix.casefold() + " "):
        return full[len(prefix) + 1:].strip()
    return None


def split_unit_name(raw: str, level: str, type_word: str | None = None) -> tuple[str, str, str]:
    """(kind, name, full_name) of a loaded unit: "Xã Tam Sơn" -> ("xa", "Tam Sơn", "Xã Tam Sơn").

    The type word written in the name wins over the package's type column: vietnamadminunits
    types "Thị trấn Ngọc Lặc" and Phú Nhuận's "Phường 5" as Xã. The prefix is rewritten in its
    usual case ("Thành Phố Bắc Kạn" -> "Thành phố Bắc Kạn"), a name starting in lower case gets
    a capital ("Xã é Tòng" -> "Xã É Tòng"), and a numbered unit keeps its type in the short
    name ("Phường 1"), since "1" alone names nothing.
    """
    full = clean(raw)
    kind, rest = None, None
    for prefix, candidate in _PREFIXES[level]:
        rest = _strip_prefix(full, prefix)
        if rest is not None:
            kind = candidate
            break
    if kind is None:
        kind = _TYPE_WORDS.get(clean(type_word).lower()) if type_word else None
        if kind is None:
            raise ValueError(f"unknown type of {level} {raw!r} ({type_word!r})")
        rest = full
    if rest[:1].islower():
        rest = rest[0].upper() + rest[1:]
    full_name = f"{_PREFIX_OF[kind]} {rest}"
    name = full_name if _NUMBERED.match(rest) else rest
    return kind, name, full_name


# --- reading the packages ------------------------------------------------------------------

@dataclass(frozen=True)
class _Unit:
    generation: str
    level: str
    code: str
    kind: str
    name: str
    full_name: str
    parent: tuple[str, str, str] | None  # (generation, level, code)
    valid_from: dt.date | None
    valid_to: dt.date | None


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _name_key(name: str) -> str:
    """Compare names across the two packages: case, dashes, apostrophes and the old/new place of
    the tone mark ("Thuỷ"/"Thủy") do not matter, the letters and the tone do ("Văn Lang" and
    "Văn Lăng" are two communes of Thái Nguyên)."""
    text = clean(name).lower()
    text = text.replace("–", "-").replace("—", "-").replace("’", "'").replace("‘", "'")
    text = re.sub(r"\s*-\s*", " - ", text)
    words = []
    for word in text.split(" "):
        decomposed = unicodedata.normalize("NFD", word)
        tones = "".join(c for c in decomposed if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
        words.append(base + tones)
    return " ".join(words)


def _package_dir(name: str) -> Path:
    # find_spec locates the package without running its __init__ (vietnamadminunits' loads
    # its parser tables on import).
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"package {name} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def source_files() -> dict[str, Path]:
    vp = _package_dir("vietnam_provinces")
    vau = _package_dir("vietnamadminunits")
    return {
        "current": vp / "data" / "nested-divisions.json",
        "legacy": vau / "data" / "dataset.db",
        "converter": vau / "data" / "converter_2025.json",
    }


def _read_current(path: Path) -> list[_Unit]:
    units = []
    g = Generation.CURRENT
    for province in json.loads(path.read_text(encoding="utf-8")):
        p_code = f"{province['code']:02d}"
        kind, name, full = split_unit_name(
            province["name"], Level.PROVINCE, province["division_type"]
        )
        units.append(_Unit(g, Level.PROVINCE, p_code, kind, name, full, None, REFORM_DATE, None))
        for ward in province["wards"]:
            kind, name, full = split_unit_name(ward["name"], Level.COMMUNE, ward["division_type"])
            units.append(_Unit(
                g, Level.COMMUNE, f"{ward['code']:05d}", kind, name, full,
                (g, Level.PROVINCE, p_code), REFORM_DATE, None,
            ))
    return units


def _read_legacy(
    conn: sqlite3.Connection,
) -> tuple[list[_Unit], dict[str, tuple], dict[str, tuple]]:
    """Legacy units, plus the converter's keys resolved to them: province key -> unit key and
    "province_district_ward" key -> unit key (a district key for the island districts that
    had no communes)."""
    g = Generation.LEGACY
    units: dict[tuple, _Unit] = {}
    province_keys: dict[str, tuple] = {}
    ward_keys: dict[str, tuple] = {}
    rows = conn.execute(
        "SELECT provinceCode, province, districtCode, district, districtType, wardCode, ward,"
        " wardType, provinceKey, districtKey, wardKey FROM admin_units_legacy"
    )
    for p_code, p_name, d_code, d_name, d_type, w_code, w_name, w_type, pk, dk, wk in rows:
        p_key = (g, Level.PROVINCE, p_code)
        d_key = (g, Level.DISTRICT, d_code)
        if p_key not in units:
            kind, name, full = split_unit_name(p_name, Level.PROVINCE)
            units[p_key] = _Unit(
                g, Level.PROVINCE, p_code, kind, name, full, None, None, REFORM_DATE
            )
        if d_key not in units:
            kind, name, full = split_unit_name(d_name, Level.DISTRICT, d_type)
            units[d_key] = _Unit(
                g, Level.DISTRICT, d_code, kind, name, full, p_key, None, REFORM_DATE
            )
        province_keys[pk] = p_key
        if w_code:
            w_key = (g, Level.COMMUNE, w_code)
            kind, name, full = split_unit_name(w_name, Level.COMMUNE, w_type)
            units[w_key] = _Unit(
                g, Level.COMMUNE, w_code, kind, name, full, d_key, None, REFORM_DATE
            )
            ward_keys[f"{pk}_{dk}_{wk}"] = w_key
        else:
            ward_keys[f"{pk}_{dk}_"] = d_key
    return list(units.values()), province_keys, ward_keys


def _read_lineage(
    conn: sqlite3.Connection, converter: dict, current: list[_Unit],
    legacy_provinces: dict[str, tuple], legacy_wards: dict[str, tuple],
) -> tuple[dict[tuple[tuple, tuple], bool], list[str]]:
    """{(old unit key, new unit key): partial} from converter_2025.json, and what could not be
    resolved. A legacy commune listed under DICT_PROVINCE_WARD_DIVIDED was split among several
    new communes (partial); one listed under ..._NO_DIVIDED went whole into one."""
    g = Generation.CURRENT
    by_name = {
        (u.parent[2], _name_key(u.full_name)): u for u in current if u.level == Level.COMMUNE
    }
    current_provinces = {u.code for u in current if u.level == Level.PROVINCE}
    new_provinces: dict[str, str] = {}
    new_wards: dict[tuple[str, str], tuple] = {}
    unresolved: list[str] = []
    for pk, p_code, wk, w_name in conn.execute(
        "SELECT provinceKey, provinceCode, wardKey, ward FROM admin_units"
    ):
        new_provinces[pk] = p_code
        unit = by_name.get((p_code, _name_key(w_name)))
        if unit is None:
            unresolved.append(f"{pk}/{wk} ({w_name})")
        else:
            new_wards[(pk, wk)] = (g, Level.COMMUNE, unit.code)

    pairs: dict[tuple[tuple, tuple], bool] = {}

    def add(old_key: str, old: tuple | None, new: tuple | None, partial: bool):
        if old is None or new is None:
            unresolved.append(old_key)
        else:
            pairs[(old, new)] = pairs.get((old, new), False) or partial

    for new_pk, old_pks in converter["DICT_PROVINCE"].items():
        p_code = new_provinces.get(new_pk)
        new = (g, Level.PROVINCE, p_code) if p_code in current_provinces else None
        for old_pk in old_pks:
            add(old_pk, legacy_provinces.get(old_pk), new, False)
    for new_pk, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wk, old_keys in wards.items():
            for old_key in old_keys:
                add(old_key, legacy_wards.get(old_key), new_wards.get((new_pk, new_wk)), False)
    for new_pk, divided in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, targets in divided.items():
            for target in targets:
                new = new_wards.get((new_pk, target["newWardKey"]))
                add(old_key, legacy_wards.get(old_key), new, True)
    return pairs, unresolved


def read_sources() -> dict:
    """Everything the loader writes, read from the packages; no database access."""
    files = source_files()
    current = _read_current(files["current"])
    converter = json.loads(files["converter"].read_text(encoding="utf-8"))
    # read-only, immutable: the file sits in site-packages and must never be written to
    conn = sqlite3.connect(f"file:{files['legacy']}?mode=ro&immutable=1", uri=True)
    try:
        legacy, legacy_provinces, legacy_wards = _read_legacy(conn)
        lineage, unresolved = _read_lineage(
            conn, converter, current, legacy_provinces, legacy_wards
        )
    finally:
        conn.close()
    return {"units": current + legacy, "lineage": lineage, "unresolved": unresolved, "files": files}


# --- the loader ----------------------------------------------------------------------------

def _versions() -> dict[str, str]:
    names = ("vietnam-provinces", "vietnamadminunits")
    return {name: importlib.metadata.version(name) for name in names}


def load_units(stdout=None) -> dict:
    """Load or update the legacy and two-tier administrative units and their lineage.

    Idempotent: units are matched on (generation, level, code) and lineage on (old, new); only
    rows whose loaded fields differ are updated, so a second run creates and updates nothing.
    decision_number is not a loaded field and survives reloads. Units that vanished from the
    source are counted, never deleted (organizations and villages point at them).

    Reference data, not a user's action: no audit events are written (one event per unit would
    swamp the log, and a summary event has no natural target). The command's output is the
    record of a load.

    One transaction, bulk writes per level: a handful of queries per thousand units.
    """
    started = time.perf_counter()

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message)

    source = read_sources()
    say(_("Đã đọc %(units)s đơn vị và %(lineage)s quan hệ kế thừa từ dữ liệu nguồn.") % {
        "units": len(source["units"]), "lineage": len(source["lineage"]),
    })
    units_report: dict[str, dict[str, dict[str, int]]] = defaultdict(dict)
    with transaction.atomic():
        existing = {
            (u.generation, u.level, u.code): u
            for u in AdminUnit.objects.filter(level__in=LOADED_LEVELS).only(
                "id", "generation", "level", "code", *UNIT_FIELDS
            )
        }
        wanted = set()
        for level in LOADED_LEVELS:  # parents before children: a child needs its parent's id
            counts: dict[str, Counter] = defaultdict(Counter)
            to_create, to_update = [], []
            for row in source["units"]:
                if row.level != level:
                    continue
                key = (row.generation, row.level, row.code)
                wanted.add(key)
                values = {
                    "kind": row.kind, "name": row.name, "full_name": row.full_name,
                    "name_folded": fold(row.full_name),  # bulk_create skips AdminUnit.save()
                    "parent_id": existing[row.parent].pk if row.parent else None,
                    "valid_from": row.valid_from, "valid_to": row.valid_to,
                }
                unit = existing.get(key)
                if unit is None:
                    to_create.append(
                        AdminUnit(generation=row.generation, level=level, code=row.code, **values)
                    )
                    counts[row.generation]["created"] += 1
                elif any(getattr(unit, f) != v for f, v in values.items()):
                    for f, v in values.items():
                        setattr(unit, f, v)
                    to_update.append(unit)
                    counts[row.generation]["updated"] += 1
                else:
                    counts[row.generation]["unchanged"] += 1
            AdminUnit.objects.bulk_create(to_create, batch_size=BATCH)
            if to_update:
                AdminUnit.objects.bulk_update(to_update, UNIT_FIELDS, batch_size=BATCH)
            if any(u.pk is None for u in to_create):  # a backend that does not return ids
                ids = AdminUnit.objects.filter(level=level).values_list("generation", "code", "id")
                for generation, code, pk in ids:
                    existing.setdefault((generation, level, code), AdminUnit(pk=pk))
            for unit in to_create:
                if unit.pk is not None:
                    existing[(unit.generation, level, unit.code)] = unit
            for generation, c in counts.items():
                units_report[generation][level] = {
                    k: c[k] for k in ("created", "updated", "unchanged")
                }

        lineage_counts: Counter = Counter()
        current = {(l.old_id, l.new_id): l for l in Lineage.objects.all()}
        to_create, to_update = [], []
        for (old, new), partial in source["lineage"].items():
            old_id, new_id = existing[old].pk, existing[new].pk
            row = current.get((old_id, new_id))
            if row is None:
                to_create.append(Lineage(
                    old_id=old_id, new_id=new_id, effective=REFORM_DATE, partial=partial
                ))
                lineage_counts["created"] += 1
            elif row.effective != REFORM_DATE or row.partial != partial:
                row.effective, row.partial = REFORM_DATE, partial
                to_update.append(row)
                lineage_counts["updated"] += 1
            else:
                lineage_counts["unchanged"] += 1
        Lineage.objects.bulk_create(to_create, batch_size=BATCH)
        if to_update:
            Lineage.objects.bulk_update(to_update, ["effective", "partial"], batch_size=BATCH)

    created = sum(c["created"] for g in units_report.values() for c in g.values())
    updated = sum(c["updated"] for g in units_report.values() for c in g.values())
    return {
        "versions": _versions(),
        "units": {g: dict(levels) for g, levels in units_report.items()},
        "lineage": {k: lineage_counts[k] for k in ("created", "updated", "unchanged")},
        "partial_lineage": sum(1 for partial in source["lineage"].values() if partial),
        "created": created + lineage_counts["created"],
        "updated": updated + lineage_counts["updated"],
        "not_in_source": len(set(existing) - wanted),
        "unresolved_lineage": source["unresolved"],
        "seconds": round(time.perf_counter() - started, 2),
    }


# --- villages ------------------------------------------------------------------------------

def _village_snapshot(village: AdminUnit) -> dict:
    return {
        f: getattr(village, f)
        for f in ("generation", "level", "kind", "code", "name", "full_name", "parent_id",
                  "valid_from", "valid_to", "decision_number")
    }


def _village_names(raw: str, kind: str) -> tuple[str, str]:
    """(name, full_name): "Tam Sơn" or "Thôn Tam Sơn" as Thôn -> ("Tam Sơn", "Thôn Tam Sơn")."""
    name = clean(raw)
    prefix = VILLAGE_PREFIXES[kind]
    if not prefix:
        return name, name
    rest = _strip_prefix(name, prefix)
    if rest:
        name = rest
    full_name = f"{prefix} {name}"
    return (full_name if _NUMBERED.match(name) else name), full_name


def _next_village_code(commune: AdminUnit) -> str:
    """Codes are never reused, closed villages included: the highest suffix plus one."""
    prefix = f"{commune.code}-"
    taken = AdminUnit.objects.filter(
        generation=commune.generation, level=Level.VILLAGE, code__startswith=prefix
    ).values_list("code", flat=True)
    numbers = [int(c[len(prefix):]) for c in taken if c[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def create_village(
    *, actor, commune: AdminUnit, name: str, kind: str, valid_from: dt.date,
    decision_number: str = "",
) -> AdminUnit:
    """Create a village (thôn, tổ dân phố, bản, ấp...) under a commune, from valid_from.

    The village belongs to its commune's generation and ends when the commune does (a legacy
    commune's villages are closed on 01/07/2025 with it; restructuring re-creates them under
    the new commune).
    """
    if commune.level != Level.COMMUNE:
        raise ValidationError({"commune": _(
            "Thôn, tổ dân phố phải trực thuộc một xã, phường, thị trấn hoặc đặc khu."
        )})
    if kind not in VILLAGE_KINDS:
        raise ValidationError({"kind": _(
            "Loại đơn vị không phải là thôn, tổ dân phố hay tương đương."
        )})
    short_name, full_name = _village_names(name, kind)
    if not short_name:
        raise ValidationError({"name": _("Chưa nhập tên thôn, tổ dân phố.")})
    if (commune.valid_from and valid_from < commune.valid_from) or (
        commune.valid_to and valid_from >= commune.valid_to
    ):
        message = _("%(commune)s không có hiệu lực vào ngày %(date)s.")
        raise ValidationError({
            "valid_from": message % {"commune": commune.full_name, "date": _d(valid_from)}
        })
    with transaction.atomic():
        # Serializes village creation in one commune (codes and the duplicate check); on SQLite
        # the IMMEDIATE transaction already does.
        commune = AdminUnit.objects.select_for_update().get(pk=commune.pk)
        villages = AdminUnit.objects.filter(parent=commune, level=Level.VILLAGE)
        siblings = villages.on(valid_from)
        later = villages.filter(valid_from__gt=valid_from)
        wanted = full_name.casefold()
        same = next((v for v in [*siblings, *later] if v.full_name.casefold() == wanted), None)
        if same is not None:
            raise ValidationError({"name": _("%(commune)s đã có %(village)s đang có hiệu lực.") % {
                "commune": commune.full_name, "village": same.full_name,
            }})
        village = AdminUnit(
            generation=commune.generation, level=Level.VILLAGE, kind=kind,
            code=_next_village_code(commune), name=short_name, full_name=full_name, parent=commune,
            valid_from=valid_from, valid_to=commune.valid_to,
            decision_number=clean(decision_number),
        )
        with units_changing.watching([commune.pk]):  # one village more (the villages' figures)
            village.save()
        audit.record(
            actor=actor, event_type="places.village.created", target=village, organization_id=None,
            old=None, new=_village_snapshot(village),
        )
    return village


def close_village(
    *, actor, village: AdminUnit, valid_to: dt.date, decision_number: str = ""
) -> AdminUnit:
    """End a village on valid_to (exclusive: it is no longer in force from that day).

    A decision number given here replaces the one stored (the audit event keeps the old one).
    """
    with transaction.atomic():
        village = AdminUnit.objects.select_for_update().get(pk=village.pk)
        if village.level != Level.VILLAGE:
            raise ValidationError(_("Chỉ đóng được thôn, tổ dân phố."))
        if village.valid_from and valid_to <= village.valid_from:
            raise ValidationError({"valid_to": _(
                "Ngày hết hiệu lực (%(valid_to)s) phải sau ngày bắt đầu hiệu lực (%(valid_from)s)."
            ) % {"valid_to": _d(valid_to), "valid_from": _d(village.valid_from)}})
        if village.valid_to and valid_to >= village.valid_to:
            message = _("%(village)s đã hết hiệu lực từ ngày %(date)s.")
            raise ValidationError({
                "valid_to": message % {"village": village.full_name, "date": _d(village.valid_to)}
            })
        old = _village_snapshot(village)
        village.valid_to = valid_to
        fields = ["valid_to"]
        if clean(decision_number):
            village.decision_number = clean(decision_number)
            fields.append("decision_number")
        with units_changing.watching([village.parent_id]):  # its posts no longer count from the day (the political system's figures)
            village.save(update_fields=fields)
        audit.record(
            actor=actor, event_type="places.village.closed", target=village, organization_id=None,
            old=old, new=_village_snapshot(village),
        )
    return village

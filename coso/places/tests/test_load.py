"""The loader against the real package data, loaded once for the module and rolled back after."""

import datetime as dt
import unicodedata

import pytest
from django.db import connection, transaction

from coso.places.models import AdminUnit, Generation, Level, Lineage, UnitKind
from coso.places.selectors import search_units, units_in_force
from coso.places.services import load_units

BEFORE = dt.date(2024, 3, 31)
REFORM = dt.date(2025, 7, 1)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    # One load (about a second) for every test here: each test runs in a savepoint inside
    # this transaction, which is rolled back when the module is done.
    with django_db_blocker.unblock(), transaction.atomic():
        result = load_units()
        connection.check_constraints()  # once, not in every test's teardown (coso/data/worlds.py)
        yield result
        transaction.set_rollback(True)


def _unit(generation, level, code):
    qs = AdminUnit.objects.select_related("parent")
    return qs.get(generation=generation, level=level, code=code)


def test_it_loads_the_two_tier_units_in_force_from_1_july_2025(loaded):
    in_force = units_in_force(REFORM).filter(generation=Generation.CURRENT)
    assert in_force.filter(level=Level.PROVINCE).count() == 34
    assert in_force.filter(level=Level.COMMUNE).count() == 3321
    assert not units_in_force(REFORM, level=Level.DISTRICT).exists()
    assert not units_in_force(REFORM).filter(generation=Generation.LEGACY).exists()
    special_zones = units_in_force(REFORM, level=Level.COMMUNE).filter(kind=UnitKind.SPECIAL_ZONE)
    assert special_zones.count() == 13
    assert loaded["units"]["2025"]["commune"]["created"] == 3321


def test_it_loads_the_legacy_units_in_force_before_the_reform(loaded):
    assert units_in_force(BEFORE, level=Level.PROVINCE).count() == 63
    assert units_in_force(BEFORE, level=Level.DISTRICT).count() > 600
    assert units_in_force(BEFORE, level=Level.COMMUNE).count() > 10_000
    assert not units_in_force(BEFORE).filter(generation=Generation.CURRENT).exists()
    assert units_in_force(dt.date(2025, 6, 30), level=Level.PROVINCE).count() == 63


def test_it_keeps_nui_thanh_with_its_official_codes(loaded):
    # Huyện Núi Thành is 517 in the official list (498 is Huyện Hoàng Sa of Đà Nẵng).
    district = _unit(Generation.LEGACY, Level.DISTRICT, "517")
    assert (district.full_name, district.name, district.kind) == (
        "Huyện Núi Thành", "Núi Thành", UnitKind.DISTRICT,
    )
    assert (district.parent.code, district.parent.full_name) == ("49", "Tỉnh Quảng Nam")
    in_force = units_in_force(BEFORE, level=Level.COMMUNE, parent=district)
    communes = {u.code: u.full_name for u in in_force}
    assert communes["20965"] == "Thị trấn Núi Thành"
    assert communes["20977"] == "Xã Tam Sơn"
    assert communes["20980"] == "Xã Tam Thạnh"
    assert len(communes) == 17


def test_it_stores_short_and_full_names_nfc_with_the_folded_form(loaded):
    tam_son = _unit(Generation.LEGACY, Level.COMMUNE, "20977")
    assert (tam_son.name, tam_son.full_name, tam_son.kind) == (
        "Tam Sơn", "Xã Tam Sơn", UnitKind.COMMUNE,
    )
    assert tam_son.name_folded == "xa tam son"
    assert unicodedata.is_normalized("NFC", tam_son.full_name)
    cao_bang = _unit(Generation.CURRENT, Level.PROVINCE, "04")
    assert (cao_bang.name, cao_bang.full_name, cao_bang.kind) == (
        "Cao Bằng", "Tỉnh Cao Bằng", UnitKind.PROVINCE,
    )
    ha_noi = _unit(Generation.CURRENT, Level.PROVINCE, "01")
    assert (ha_noi.name, ha_noi.full_name, ha_noi.kind) == (
        "Hà Nội", "Thành phố Hà Nội", UnitKind.CITY,
    )
    assert _unit(Generation.LEGACY, Level.DISTRICT, "760").full_name == "Quận 1"
    # the source writes "Xã é Tòng" and types Phú Nhuận's Phường 5 as a commune
    assert _unit(Generation.LEGACY, Level.COMMUNE, "03742").full_name == "Xã É Tòng"
    assert _unit(Generation.LEGACY, Level.COMMUNE, "27046").kind == UnitKind.WARD


def test_it_maps_legacy_communes_of_nui_thanh_to_2025_communes(loaded):
    tam_son = _unit(Generation.LEGACY, Level.COMMUNE, "20977")
    (link,) = Lineage.objects.filter(old=tam_son).select_related("new__parent")
    assert (link.new.full_name, link.new.generation, link.effective, link.partial) == (
        "Xã Đức Phú", Generation.CURRENT, REFORM, False,
    )
    assert link.new.parent.full_name == "Thành phố Đà Nẵng"
    predecessors = link.new.predecessors.values_list("old__full_name", flat=True)
    assert set(predecessors) == {"Xã Tam Sơn", "Xã Tam Thạnh"}
    town = _unit(Generation.LEGACY, Level.COMMUNE, "20965")
    assert town.successors.get().new.full_name == "Xã Núi Thành"
    quang_nam = _unit(Generation.LEGACY, Level.PROVINCE, "49")
    assert quang_nam.successors.get().new.full_name == "Thành phố Đà Nẵng"


def test_it_marks_a_commune_split_among_several_as_partial(loaded):
    hoa_lien = AdminUnit.objects.get(
        generation=Generation.LEGACY, full_name="Xã Hòa Liên", parent__full_name="Huyện Hòa Vang"
    )
    links = Lineage.objects.filter(old=hoa_lien)
    assert {(l.new.full_name, l.partial) for l in links} == {
        ("Phường Hải Vân", True), ("Phường Liên Chiểu", True),
    }
    assert loaded["partial_lineage"] > 900


def test_it_maps_island_districts_to_special_zones(loaded):
    hoang_sa = _unit(Generation.LEGACY, Level.DISTRICT, "498")
    assert hoang_sa.full_name == "Huyện Hoàng Sa"
    new = hoang_sa.successors.get().new
    assert (new.full_name, new.kind, new.parent.full_name) == (
        "Đặc khu Hoàng Sa", UnitKind.SPECIAL_ZONE, "Thành phố Đà Nẵng",
    )


def test_it_covers_every_unit_by_lineage(loaded):
    legacy = AdminUnit.objects.filter(generation=Generation.LEGACY, level=Level.COMMUNE)
    assert not legacy.filter(successors__isnull=True).exists()
    current = AdminUnit.objects.filter(generation=Generation.CURRENT)
    assert not current.filter(predecessors__isnull=True).exists()
    assert loaded["unresolved_lineage"] == []


def test_it_changes_nothing_on_a_second_run(loaded, django_assert_max_num_queries):
    assert loaded["created"] > 24_000
    with django_assert_max_num_queries(10):
        again = load_units()
    assert (again["created"], again["updated"], again["not_in_source"]) == (0, 0, 0)
    assert AdminUnit.objects.count() == 34 + 3321 + 63 + 696 + 10_035


def test_it_repairs_changed_rows_in_bulk_and_keeps_decision_numbers(
    loaded, django_assert_max_num_queries
):
    tam_son = AdminUnit.objects.filter(generation=Generation.LEGACY, code="20977")
    tam_son.update(
        name="Tam Son", decision_number="1234/QĐ-UBND"
    )
    Lineage.objects.all().delete()
    # one select per table, then batched inserts (SQLite binds 999 parameters a query: 43
    # inserts for 10,665 rows of 4 columns): never a query per row
    with django_assert_max_num_queries(60):
        result = load_units()
    assert result["units"]["legacy"]["commune"]["updated"] == 1
    assert result["lineage"]["created"] == 10_665
    tam_son = _unit(Generation.LEGACY, Level.COMMUNE, "20977")
    assert (tam_son.name, tam_son.decision_number) == ("Tam Sơn", "1234/QĐ-UBND")


def test_it_finds_units_without_diacritics(loaded):
    found = search_units("tam son", on=BEFORE, level=Level.COMMUNE)
    assert "Xã Tam Sơn" in {u.full_name for u in found}
    assert all(u.generation == Generation.LEGACY for u in found)
    first = search_units("Núi Thành", on=REFORM)[0]
    assert (first.full_name, first.generation) == ("Xã Núi Thành", Generation.CURRENT)
    assert search_units("nui thanh", on=BEFORE)[0].full_name == "Huyện Núi Thành"
    assert len(search_units("xa", limit=5)) == 5
    assert search_units("  ") == []

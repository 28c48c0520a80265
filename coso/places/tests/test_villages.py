import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from coso.audit.models import AuditEvent
from coso.places.models import AdminUnit, Generation, Level, UnitKind
from coso.places.selectors import villages_of
from coso.places.services import close_village, create_village

pytestmark = pytest.mark.django_db

START = dt.date(2025, 7, 1)
CURRENT, LEGACY = Generation.CURRENT, Generation.LEGACY


def _unit(generation, level, kind, code, full_name, parent=None, **dates):
    name = full_name.split(" ", 1)[1] if kind != UnitKind.CITY else full_name[len("Thành phố "):]
    return AdminUnit.objects.create(
        generation=generation, level=level, kind=kind, code=code, name=name,
        full_name=full_name, parent=parent, **dates,
    )


def _create(actor, commune, name="Tam Sơn", kind=UnitKind.VILLAGE, valid_from=START, **kwargs):
    return create_village(
        actor=actor, commune=commune, name=name, kind=kind, valid_from=valid_from, **kwargs
    )


@pytest.fixture
def officer():
    return get_user_model().objects.create_user(username="bantochuc", password="x")


@pytest.fixture
def city():
    return _unit(CURRENT, Level.PROVINCE, UnitKind.CITY, "48", "Thành phố Đà Nẵng",
                 valid_from=START)


@pytest.fixture
def commune(city):
    return _unit(CURRENT, Level.COMMUNE, UnitKind.COMMUNE, "20965", "Xã Núi Thành", city,
                 valid_from=START)


@pytest.fixture
def legacy_commune():
    province = _unit(LEGACY, Level.PROVINCE, UnitKind.PROVINCE, "49", "Tỉnh Quảng Nam",
                     valid_to=START)
    district = _unit(LEGACY, Level.DISTRICT, UnitKind.DISTRICT, "517", "Huyện Núi Thành",
                     province, valid_to=START)
    return _unit(LEGACY, Level.COMMUNE, UnitKind.COMMUNE, "20977", "Xã Tam Sơn", district,
                 valid_to=START)


def _messages(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def test_it_creates_a_village_with_a_code_and_an_audit_event(officer, commune):
    village = _create(officer, commune, name="  Thôn  Tam  Sơn ", valid_from=dt.date(2025, 8, 1),
                      decision_number="12/QĐ-UBND")
    village.refresh_from_db()
    assert (village.generation, village.level, village.kind, village.code) == (
        CURRENT, Level.VILLAGE, UnitKind.VILLAGE, "20965-001",
    )
    assert (village.name, village.full_name, village.name_folded) == (
        "Tam Sơn", "Thôn Tam Sơn", "thon tam son",
    )
    assert (village.parent, village.valid_from, village.valid_to) == (
        commune, dt.date(2025, 8, 1), None,
    )
    event = AuditEvent.objects.get(event_type="places.village.created")
    assert (event.actor, event.target_type, event.target_id, event.organization_id) == (
        officer, "places.adminunit", str(village.pk), None,
    )
    assert event.old is None
    assert (event.new["code"], event.new["decision_number"]) == ("20965-001", "12/QĐ-UBND")


def test_it_numbers_villages_without_reusing_codes(officer, commune):
    group = UnitKind.RESIDENTIAL_GROUP
    first = _create(officer, commune, name="1", kind=group)
    second = _create(officer, commune, name="2", kind=group)
    close_village(actor=officer, village=second, valid_to=dt.date(2025, 9, 1))
    third = _create(officer, commune, name="3", kind=group)
    assert [first.code, second.code, third.code] == ["20965-001", "20965-002", "20965-003"]
    assert (first.name, first.full_name) == ("Tổ dân phố 1", "Tổ dân phố 1")


def test_it_refuses_a_parent_that_is_not_a_commune(officer, city):
    with pytest.raises(ValidationError) as excinfo:
        _create(officer, city)
    assert "phải trực thuộc một xã, phường, thị trấn hoặc đặc khu" in _messages(excinfo)
    assert not AdminUnit.objects.filter(level=Level.VILLAGE).exists()
    assert not AuditEvent.objects.exists()


def test_it_refuses_a_kind_that_is_not_a_village_kind(officer, commune):
    with pytest.raises(ValidationError) as excinfo:
        _create(officer, commune, kind=UnitKind.WARD)
    assert "không phải là thôn, tổ dân phố" in _messages(excinfo)


def test_it_refuses_a_duplicate_name_in_force_in_the_same_commune(officer, commune, city):
    _create(officer, commune)
    with pytest.raises(ValidationError) as excinfo:
        _create(officer, commune, name="thôn tam sơn", valid_from=dt.date(2025, 8, 1))
    assert "Xã Núi Thành đã có Thôn Tam Sơn đang có hiệu lực." in _messages(excinfo)
    assert AdminUnit.objects.filter(level=Level.VILLAGE).count() == 1
    # another kind, a name that only folds the same, another commune: other villages
    _create(officer, commune, kind=UnitKind.RESIDENTIAL_GROUP)
    _create(officer, commune, name="Tam Son")
    other = _unit(CURRENT, Level.COMMUNE, UnitKind.COMMUNE, "20971", "Xã Tam Xuân", city,
                  valid_from=START)
    _create(officer, other)
    assert AdminUnit.objects.filter(level=Level.VILLAGE).count() == 4


def test_it_allows_the_name_again_once_the_village_is_closed(officer, commune):
    old = _create(officer, commune)
    close_village(actor=officer, village=old, valid_to=dt.date(2026, 1, 1))
    new = _create(officer, commune, valid_from=dt.date(2026, 1, 1))
    assert list(villages_of(commune, dt.date(2025, 12, 31))) == [old]
    assert list(villages_of(commune, dt.date(2026, 1, 1))) == [new]


def test_it_closes_a_village_with_an_audit_event(officer, commune):
    village = _create(officer, commune, decision_number="12/QĐ-UBND")
    close_village(actor=officer, village=village, valid_to=dt.date(2026, 1, 1),
                  decision_number="99/NQ-HĐND")
    village.refresh_from_db()
    assert (village.valid_to, village.decision_number) == (dt.date(2026, 1, 1), "99/NQ-HĐND")
    event = AuditEvent.objects.get(event_type="places.village.closed")
    assert (event.actor, event.target_id) == (officer, str(village.pk))
    assert (event.old["valid_to"], event.old["decision_number"]) == (None, "12/QĐ-UBND")
    assert event.new["valid_to"] == "2026-01-01"
    assert list(villages_of(commune, dt.date(2025, 12, 31))) == [village]
    assert list(villages_of(commune, dt.date(2026, 1, 1))) == []


def test_it_refuses_to_close_on_or_before_the_start(officer, commune):
    village = _create(officer, commune)
    with pytest.raises(ValidationError) as excinfo:
        close_village(actor=officer, village=village, valid_to=START)
    assert (
        "Ngày hết hiệu lực (01/07/2025) phải sau ngày bắt đầu hiệu lực (01/07/2025)."
        in _messages(excinfo)
    )
    village.refresh_from_db()
    assert village.valid_to is None
    assert not AuditEvent.objects.filter(event_type="places.village.closed").exists()


def test_it_refuses_to_close_a_unit_that_is_not_a_village(officer, commune):
    with pytest.raises(ValidationError) as excinfo:
        close_village(actor=officer, village=commune, valid_to=dt.date(2026, 1, 1))
    assert "Chỉ đóng được thôn, tổ dân phố." in _messages(excinfo)


def test_it_ends_the_villages_of_a_legacy_commune_with_it(officer, legacy_commune):
    village = _create(officer, legacy_commune, name="Thạnh Mỹ", valid_from=dt.date(2020, 1, 1))
    assert (village.generation, village.code, village.valid_to) == (LEGACY, "20977-001", START)
    assert list(villages_of(legacy_commune, dt.date(2024, 3, 31))) == [village]
    with pytest.raises(ValidationError) as excinfo:
        _create(officer, legacy_commune, name="Mới", valid_from=START)
    assert "Xã Tam Sơn không có hiệu lực vào ngày 01/07/2025." in _messages(excinfo)

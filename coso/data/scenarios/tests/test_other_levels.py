"""Issue #10, section 3: the scenario loader builds any level and reads figure kinds by meaning.

other_figures.yaml holds committees beside the five seed articles, each with its source: two
commune committees and two ward committees after 01/07/2025 (2025 units), a legacy grassroots
committee, a province committee before 2025 and one after (lai-chau: unsourced, it states only the
number of its 2025 communes and wards). Each test loads one through `coso scenario load
--file` and asks the measure engine for every figure. A file with a kind nobody can read loads
its other figures and says which one it left.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from coso.data.scenarios import builder, kinds, meaning
from coso.data.scenarios.areas import resolve
from coso.measures.engine import count
from coso.organizations.models import Kind, Organization, Placement

pytestmark = pytest.mark.django_db

FILE = Path(kinds.__file__).resolve().parent / "other_figures.yaml"
OTHERS = kinds.read(FILE)
SLOW = {"bac-kan", "lai-chau"}  # provinces: bac-kan 455 grassroots organizations, 23,000 records (about 20 s); lai-chau 38 communes (about 13 s)


def load(key: str, path=FILE) -> tuple[Organization, str]:
    out = io.StringIO()
    call_command("scenario", "load", "--file", str(path), key, stdout=out)
    return Organization.objects.get(code=out.getvalue().strip().splitlines()[-1]), out.getvalue()


def assert_figures(committee, scenario):
    assert scenario.figures and all(f.checks for f in scenario.figures), [f.kind for f in scenario.figures if not f.checks]
    for figure in scenario.figures:
        assert not figure.unknown and not figure.pending, (figure.kind, figure.unknown)
        for check in figure.checks:
            got = count(check.measure, builder.organization_for(committee, check), on=check.on, period=check.period)
            assert check.holds(got), f"{scenario.key}: {figure.kind}: {check.describe()}: the engine reports {got}"


@pytest.mark.parametrize("key", [pytest.param(k, marks=pytest.mark.slow if k in SLOW else ()) for k in OTHERS])
def test_it_builds_each_committee_and_the_engine_reports_its_figures(key):
    scenario = OTHERS[key]
    assert scenario.source.startswith("http") or (scenario.unsourced and scenario.note)
    committee, _out = load(key)
    assert_figures(committee, scenario)
    root = Placement.objects.current().get(organization=committee) if scenario.level != meaning.PROVINCE else None
    expected = {meaning.COMMUNE: Kind.COMMUNE_COMMITTEE, meaning.GRASSROOTS: Kind.GRASSROOTS_COMMITTEE}
    if root is not None and scenario.level in expected:
        assert root.kind == expected[scenario.level]


def test_the_committees_are_at_the_levels_their_names_and_dates_say():
    assert {k: s.level for k, s in OTHERS.items()} == {
        "dan-chu": meaning.COMMUNE, "yen-tri": meaning.COMMUNE, "mong-duong": meaning.COMMUNE, "dong-thanh": meaning.COMMUNE,
        "bac-kan": meaning.PROVINCE, "tam-an": meaning.GRASSROOTS, "lai-chau": meaning.PROVINCE}
    # the same name before 01/07/2025 is a commune's grassroots committee
    import datetime as dt
    assert meaning.committee_level("Đảng bộ xã Dân Chủ (huyện Hạ Hòa, Phú Thọ)", dt.date(2024, 1, 1)) == meaning.GRASSROOTS
    assert meaning.committee_level("Đảng bộ thành phố Đà Nẵng", dt.date(2012, 1, 1)) == meaning.PROVINCE
    assert meaning.committee_level("Đảng bộ thành phố Hội An (Quảng Nam)", dt.date(2012, 1, 1)) == meaning.DISTRICT
    assert meaning.committee_level("Đảng bộ thị xã Điện Bàn (Quảng Nam)", dt.date(2012, 1, 1)) == meaning.DISTRICT


def test_it_finds_the_units_of_each_level_on_their_generation():
    call_command("places", "load", verbosity=0)
    ward = resolve("Đảng bộ phường Đông Thành (Vĩnh Long)", "x", meaning.COMMUNE)
    assert (ward.commune.full_name, ward.commune.generation, ward.province.full_name) == ("Phường Đông Thành", "2025", "Tỉnh Vĩnh Long")
    commune = resolve("Đảng bộ xã Dân Chủ (tỉnh Phú Thọ)", "x", meaning.COMMUNE)
    assert (commune.commune.full_name, commune.commune.generation) == ("Xã Dân Chủ", "2025")
    province = resolve("Đảng bộ tỉnh Bắc Kạn", "x", meaning.PROVINCE)
    assert (province.province.generation, len(province.districts), len(province.communes)) == ("legacy", 8, 108)
    after = resolve("Đảng bộ tỉnh Lai Châu", "x", meaning.PROVINCE, current=True)
    assert (after.province.generation, after.districts, len(after.communes)) == ("2025", [], 38)
    city = resolve("Đảng bộ thành phố Huế", "x", meaning.PROVINCE, current=True)
    assert city.province.full_name == "Thành phố Huế"
    town = resolve("Đảng bộ thị xã Điện Bàn (Quảng Nam)", "x", meaning.DISTRICT)
    assert town.district.full_name == "Thị xã Điện Bàn" and town.communes
    city = resolve("Đảng bộ thành phố Bắc Kạn (Bắc Kạn)", "x", meaning.DISTRICT)
    assert city.district.full_name == "Thành phố Bắc Kạn"


# (kind as written, level of the committee, over a period) -> measure
PHRASES = [
    ("party organizations under the commune committee", meaning.COMMUNE, False, "orgs.grassroots"),
    ("grassroots party organizations (TCCS) under the ward committee", meaning.COMMUNE, False, "orgs.grassroots"),
    ("chi, đảng bộ trực thuộc", meaning.COMMUNE, False, "orgs.grassroots"),
    ("district-level committees", meaning.PROVINCE, False, "orgs.district_committees"),
    ("đảng bộ trực thuộc tỉnh", meaning.PROVINCE, False, "orgs.district_committees"),
    ("số chi bộ trực thuộc", meaning.COMMUNE, False, "orgs.grassroots_cells"),
    ("số chi bộ trực thuộc", meaning.GRASSROOTS, False, "orgs.subordinate_cells"),
    ("chi bo truc thuoc", meaning.DISTRICT, False, "orgs.subordinate_cells"),
    ("Chi bộ trực thuộc", meaning.COMMUNE, False, "orgs.grassroots_cells"),
    ("tổ chức cơ sở đảng", meaning.PROVINCE, False, "orgs.grassroots"),
    ("commune-level committees", meaning.PROVINCE, False, "orgs.commune_committees"),
    ("Đảng bộ xã, phường, đặc khu", meaning.PROVINCE, False, "orgs.commune_committees"),
    ("đảng bộ cơ sở", meaning.DISTRICT, False, "orgs.grassroots_committees"),
    ("Chi bộ cơ sở", meaning.DISTRICT, False, "orgs.grassroots_cells"),
    ("đảng viên", meaning.COMMUNE, False, "members"),
    ("Tổng số đảng viên", meaning.DISTRICT, False, "members"),
    ("dang vien nu", meaning.DISTRICT, False, "members.female"),
    ("Đảng viên nữ", meaning.DISTRICT, False, "members.female"),
    ("women party members", meaning.DISTRICT, False, "members.female"),
    ("đảng viên là người dân tộc thiểu số", meaning.DISTRICT, False, "members.minority"),
    ("party members who follow a religion", meaning.DISTRICT, False, "members.religious"),
    ("đảng viên dự bị", meaning.DISTRICT, False, "members.probationary"),
    ("members.female", meaning.DISTRICT, False, "members.female"),
    ("Female party members", meaning.DISTRICT, False, "members.female"),
    ("members admitted", meaning.DISTRICT, True, "events.admitted"),
    ("số đảng viên được kết nạp", meaning.COMMUNE, True, "events.admitted"),
    ("kết nạp đảng viên mới", meaning.DISTRICT, True, "events.admitted"),
    ("members who died", meaning.DISTRICT, True, "events.deceased"),
    ("đảng viên bị khai trừ", meaning.DISTRICT, True, "events.expelled"),
    ("thôn, tổ dân phố có chi bộ", meaning.DISTRICT, False, "villages.with_cell"),
    ("villages without a party cell", meaning.DISTRICT, False, "villages.without_cell"),
    ("quần chúng ưu tú", meaning.DISTRICT, False, "candidates"),
]


@pytest.mark.parametrize(("kind", "level", "over_period", "measure"), PHRASES)
def test_it_reads_a_kind_by_its_meaning(kind, level, over_period, measure):
    rule, _org = kinds.understand(kind, level, over_period)
    assert rule.measure == measure


@pytest.mark.parametrize("kind", ["bicycles owned by cells", "số xe đạp", "rainfall in Quế Lộc"])
def test_it_does_not_pretend_to_read_what_it_cannot(kind):
    assert kinds.understand(kind, meaning.DISTRICT, False) is None


def test_a_file_with_an_unknown_kind_loads_its_other_figures_and_reports_it(tmp_path):
    path = tmp_path / "other.yaml"
    path.write_text(
        "scenarios:\n  x:\n    source: test\n    committee: Đảng bộ phường Mông Dương (Quảng Ninh)\n    figures:\n"
        "      - {kind: party members, as_of: 2025-08-06, value: 120}\n"
        "      - {kind: \"bicycles owned by cells\", as_of: 2025-08-06, value: 3}\n"
        "      - {kind: quần chúng ưu tú, as_of: 2025-08-06, value: 4}\n"
        "      - {kind: Chi bộ trực thuộc, as_of: 2025-08-06, value: 6}\n",
        encoding="utf-8",
    )
    scenario = kinds.read(path)["x"]
    assert [bool(f.unknown) for f in scenario.figures] == [False, True, False, False]
    committee, out = load("x", path)
    assert "Bỏ qua số liệu thứ 2 “bicycles owned by cells” = 3: không hiểu loại số liệu này" in out
    assert "Bỏ qua số liệu thứ 3 “quần chúng ưu tú” = 4: trình nạp chưa dựng được dữ liệu cho chỉ tiêu candidates" in out
    assert count("members", committee, on=scenario.figures[0].checks[0].on) == 120
    assert count("orgs.grassroots_cells", committee, on=scenario.figures[0].checks[0].on) == 6
    listed = io.StringIO()
    call_command("scenario", "list", stdout=listed)  # the shipped file: nothing unknown there
    assert "Số liệu không hiểu được" not in listed.getvalue()

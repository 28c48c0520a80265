import datetime as dt
import random

import pytest
from django.db import transaction

from coso.members.lifecycle import add_months
from coso.members.models import EventType, Member, MemberEvent, Status
from coso.organizations.selectors import placement_on
from coso.people.checks import PROVINCE_CODES, national_id_problems
from coso.people.choices import DatePrecision
from coso.people.models import Person
from coso.places.models import AdminUnit, Generation, Level
from coso.places.services import load_units
from coso.quality import checks, selectors
from coso.quality.checks import ProbationOverdue

from .helpers import D, member, members, national_id, row

pytestmark = pytest.mark.django_db
CHECKED_ON = D(2024, 6, 1)


def _run(organization, on=CHECKED_ON):
    return selectors.run_for(placement_on(organization.pk, on), on, scope=None)


def _sql_ids(code, organization, on=CHECKED_ON):
    run = _run(organization, on)
    return set(run.members.filter(checks.REGISTRY[code].condition(run)).values_list("pk", flat=True))


def _codes(m, on=CHECKED_ON):
    return {p.code for p in checks.check_member(Member.objects.select_related("person").get(pk=m.pk), on)}


def _update(m, **fields):
    Member.objects.filter(pk=m.pk).update(**fields)


def _bad_events_order(cell):
    m = member(cell)
    # an event entered after the record but dated before it (an old database's order)
    MemberEvent.objects.create(member=m, type=EventType.DISCIPLINED, effective_date=D(2023, 5, 1), discipline_form="khien_trach")
    return [m]


def _event_before_birth(cell):
    m = member(cell, birth=D(1980, 5, 1), admitted_on=D(2005, 3, 1))
    MemberEvent.objects.filter(member=m).update(effective_date=D(1979, 1, 1))
    return [m]


CASES = {
    "nid_format": lambda c: [member(c, national_id="00108000001")],
    "nid_province": lambda c: [member(c, national_id="003080000001")],
    "nid_gender": lambda c: [member(c, gender="F", national_id="001080000002")],
    "nid_birth_year": lambda c: [member(c, birth=D(1980, 5, 1), national_id="001085000003")],
    "name_characters": lambda c: [member(c, name="<script>alert(1)</script>"), member(c, name="Nguyễn Văn An2"),
                                  member(c, name="Lê {Thị} Hoa")],
    "name_honorific": lambda c: [member(c, name="Bà Nguyễn Thị Hoa"), member(c, name="Quý cô Lê Thị Mai"),
                                 member(c, name="ĐỒNG CHÍ TRẦN VĂN BA")],
    "recognition_early": lambda c: [m := member(c), _update(m, recognized_on=D(2006, 2, 28))][:1],
    "admitted_under_18": lambda c: [member(c, birth=D(1990, 6, 15), national_id=national_id("M", D(1990, 6, 15)),
                                           admitted_on=D(2008, 6, 14), recognized_on=D(2009, 6, 14))],
    "admission_decision_late": lambda c: [m := member(c), _update(m, admission_decision_date=D(2005, 3, 20))][:1],
    "events_out_of_order": _bad_events_order,
    "duplicate_person": lambda c: members(row(c, name="Trần Văn Bình", birth=D(1975, 1, 2)),
                                          row(c, name="Tran van Binh", birth=D(1975, 1, 2))),
    "duplicate_card": lambda c: members(row(c, name="Hồ Văn Một", card="09.123456"), row(c, name="Hồ Văn Hai", card="09123456")),
    "card_not_official": lambda c: [member(c, admitted_on=D(2023, 12, 1), recognized_on=None, card="12345678")],
    "missing_birth_date": lambda c: [member(c, birth=None)],
    "missing_gender": lambda c: [member(c, gender="")],
    "missing_ethnicity": lambda c: [member(c, ethnicity="")],
    "missing_religion": lambda c: [member(c, religion="")],
    "missing_origin": lambda c: [member(c, origin_text="")],
    "missing_residence": lambda c: [member(c, residence_text="")],
    "missing_education": lambda c: [member(c, education="")],
    "missing_qualification": lambda c: [member(c, qualification="")],
    "missing_theory_level": lambda c: [member(c, theory_level="")],
    "missing_admitted_on": lambda c: [m := member(c), _update(m, admitted_on=None, admission_decision_date=None)][:1],
    "missing_recognized_on": lambda c: [m := member(c), _update(m, recognized_on=None)][:1],
    "missing_card_number": lambda c: [member(c, card="")],
    "probation_overdue": lambda c: [member(c, admitted_on=D(2023, 3, 1), recognized_on=None)],
}


def test_every_check_has_a_case_here():
    assert set(CASES) == set(checks.REGISTRY)


@pytest.mark.parametrize("code", list(CASES))
def test_it_finds_each_problem_in_sql_and_on_entry_and_nothing_else(tree, code):
    clean = member(tree.cell_a1a, name="Phạm Văn Sạch")
    bad = CASES[code](tree.cell_a1b)
    assert _sql_ids(code, tree.district_a) == {m.pk for m in bad}
    for m in bad:
        assert _codes(m) == {code}
    assert _codes(clean) == set()
    run = _run(tree.district_a)
    assert not run.members.filter(checks.any_problem(run)).filter(pk=clean.pk).exists()


def test_it_names_the_field_and_the_reason_in_vietnamese(tree):
    m = member(tree.cell_a1a, gender="F", national_id="001080000002", education="")
    problems = {p.code: p for p in checks.check_member(Member.objects.get(pk=m.pk), CHECKED_ON)}
    assert problems["nid_gender"].field == "national_id"
    assert "001080000002" in problems["nid_gender"].message and "giới tính" in problems["nid_gender"].message
    assert problems["missing_education"].message == "Chưa có trình độ giáo dục phổ thông (ví dụ 12/12)."


def test_it_hides_the_national_id_from_users_without_the_sensitive_permission(tree):
    m = member(tree.cell_a1a, national_id="003080000001")
    [problem] = checks.check_member(Member.objects.get(pk=m.pk), CHECKED_ON)
    assert "003080000001" in problem.text(sensitive=True)
    assert problem.text(sensitive=False) == "Số định danh cá nhân không hợp lệ: ba số đầu không phải mã tỉnh."
    assert "003" not in problem.text(sensitive=False)


def test_it_counts_only_the_members_of_the_subtree_on_the_date(tree):
    member(tree.cell_a1a, education="")
    member(tree.cell_b1a, education="")
    member(tree.cell_a2, education="", on=D(2024, 7, 1))  # recorded after the date
    assert selectors.overview(_run(tree.district_a)).total == 1
    assert selectors.overview(_run(tree.province)).total == 2
    assert selectors.overview(_run(tree.province, D(2024, 8, 1))).total == 3


def test_it_compares_card_numbers_within_the_checked_subtree_and_on_entry_with_everyone(tree):
    a, b = members(row(tree.cell_a1a, name="Hồ Văn Một", card="09.777777"), row(tree.cell_b1a, name="Hồ Văn Hai", card="09777777"))
    assert _sql_ids("duplicate_card", tree.district_a) == set()
    assert _sql_ids("duplicate_card", tree.province) == {a.pk, b.pk}
    assert "duplicate_card" in _codes(a)


def test_it_warns_on_entry_about_an_unsaved_person(tree):
    member(tree.cell_a1a, name="Võ Thị Hoa", gender="F", birth=D(1990, 2, 3))
    typed = Person(full_name="Vo Thi Hoa", gender="F", birth_date=D(1990, 2, 3), national_id="001190000009", education="")
    codes = {p.code for p in checks.check_person(typed, CHECKED_ON)}
    # the ID says a woman born in 1990: no ID problem; a likely duplicate; a few fields missing
    assert "duplicate_person" in codes and "missing_education" in codes
    assert not any(code.startswith("nid_") for code in codes)
    assert not any(checks.REGISTRY[code].member_only for code in codes)


def test_it_judges_an_admission_by_the_earliest_possible_birthday_when_the_day_is_unknown(tree):
    by_year = member(tree.cell_a1a, birth=D(1990, 1, 1), birth_precision=DatePrecision.YEAR, admitted_on=D(2008, 3, 1), recognized_on=D(2009, 3, 1))
    by_month = member(tree.cell_a1a, birth=D(1990, 6, 1), birth_precision=DatePrecision.MONTH, admitted_on=D(2008, 6, 1), recognized_on=D(2009, 6, 1))
    too_young = member(tree.cell_a1a, birth=D(1990, 1, 1), birth_precision=DatePrecision.YEAR, admitted_on=D(2007, 12, 31), recognized_on=D(2008, 12, 31))
    assert _sql_ids("admitted_under_18", tree.district_a) == {too_young.pk}
    assert "admitted_under_18" not in _codes(by_year) | _codes(by_month)


def test_the_probation_cutoff_is_the_last_admission_day_past_its_deadline():
    for on in [D(2024, 1, 1) + dt.timedelta(days=n) for n in range(0, 800, 7)] + [D(2025, 3, 1), D(2024, 3, 1), D(2025, 2, 28)]:
        cutoff = ProbationOverdue.cutoff(on)
        assert ProbationOverdue.deadline(cutoff) < on <= ProbationOverdue.deadline(cutoff + dt.timedelta(days=1))


def _random_date(rng, start, end):
    return start + dt.timedelta(days=rng.randrange((end - start).days))


def test_the_sql_and_python_forms_agree_on_random_records(tree):
    """Random dates and IDs, with the edge days (29/02, month ends) drawn often."""
    rng = random.Random(20240601)
    edges = [D(2004, 2, 29), D(2005, 2, 28), D(2005, 3, 1), D(2008, 2, 29), D(1990, 2, 28), D(1990, 12, 31), D(2000, 1, 1)]
    # names: plain, with an honorific, with a digit or markup, with the hyphen and apostrophe of real names
    names = ["Người", "Ông Người", "Đ/c Người", "H'Người", "<b>Người</b>", "Chị Người", "Người-Người", "ông"]
    rows = [row(tree.cell_a1a, name=f"{names[i % len(names)]} {chr(ord('a') + i % 26)}{i if i % 3 == 0 else ''}") for i in range(120)]
    created = members(*rows)
    persons, updated = [], []
    used_ids = set()
    for i, m in enumerate(created):
        p = m.person
        p.birth_date = rng.choice(edges) if i % 5 == 0 else _random_date(rng, D(1895, 1, 1), D(2010, 1, 1))
        p.birth_precision = rng.choice([DatePrecision.DAY, DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR])
        p.gender = rng.choice(["M", "F", ""])
        digit = rng.choice("0123456789")
        yy = f"{p.birth_date.year % 100:02d}" if rng.random() < 0.7 else f"{rng.randrange(100):02d}"
        province = rng.choice(["001", "079", "096", "003", "100", "000"])
        nid = f"{province}{digit}{yy}{i:06d}"
        nid = rng.choice([nid, nid, nid, nid[:-1], nid[:-1] + "x", "１" + nid[1:]])
        if nid not in used_ids:
            p.national_id = nid
            used_ids.add(nid)
        persons.append(p)
        m.admitted_on = rng.choice(edges) if i % 4 == 0 else _random_date(rng, D(1995, 1, 1), D(2024, 1, 1))
        m.recognized_on = rng.choice([None, add_months(m.admitted_on, 12), m.admitted_on + dt.timedelta(days=rng.randrange(300, 400))])
        m.status = Status.OFFICIAL if m.recognized_on else Status.PROBATIONARY
        m.admission_decision_date = m.admitted_on + dt.timedelta(days=rng.randrange(-40, 10))
        updated.append(m)
    Person.objects.bulk_update(persons, ["birth_date", "birth_precision", "gender", "national_id"])
    Member.objects.bulk_update(updated, ["admitted_on", "recognized_on", "status", "admission_decision_date"])

    for on in (CHECKED_ON, D(2024, 3, 1)):
        run = _run(tree.district_a, on)
        expected: dict[str, set] = {code: set() for code in checks.REGISTRY}
        for m in Member.objects.select_related("person"):
            for p in checks.check_member(m, on):
                expected[p.code].add(m.pk)
        for code, check in checks.REGISTRY.items():
            found = set(run.members.filter(check.condition(run)).values_list("pk", flat=True))
            assert found == expected[code], code
        counts = {c.check.code: c.count for c in selectors.overview(run).counts}
        assert counts == {code: len(ids) for code, ids in expected.items()}
    assert sum(len(ids) for ids in expected.values()) > 100  # the draw did produce problems


def test_the_national_id_problems_are_unchanged_for_people_and_refuse_other_digits():
    assert national_id_problems("001080000001", "M", D(1980, 1, 1)) == []
    assert national_id_problems("001085000001", "F", D(1980, 1, 1)) == [
        "Chữ số thứ tư (0) chỉ giới tính Nam, khác với giới tính trong hồ sơ.",
        "Số định danh ứng với năm sinh 1985, khác với năm sinh 1980 trong hồ sơ.",
    ]
    assert national_id_problems("00108000000²", "M", None) == ["Số định danh cá nhân phải gồm đúng 12 chữ số."]


@pytest.mark.slow
def test_the_province_codes_are_the_legacy_provinces_the_loader_loads():
    with transaction.atomic():
        load_units()
        codes = AdminUnit.objects.filter(generation=Generation.LEGACY, level=Level.PROVINCE).values_list("code", flat=True)
        assert PROVINCE_CODES == {"0" + code for code in codes}
        transaction.set_rollback(True)


def test_another_list_can_filter_its_members_by_problem(tree):
    bad = member(tree.cell_a1a, education="")
    member(tree.cell_a1a, name="Phạm Văn Sạch")
    run = _run(tree.district_a)
    assert list(selectors.members_with("missing_education", run).values_list("pk", flat=True)) == [bad.pk]
    assert not selectors.members_with("khong_co", run).exists()

"""Ethnicity, religion, qualification and theory level: "" is "not known", never Kinh / none.

A record that arrives without them must not read as "Kinh, no religion, not trained": the
statistics count it under "Chưa rõ" and the data-quality checks list it. The entry form starts
the four lists empty and requires a choice ("Chưa qua đào tạo" being one); ethnicity and
religion only where the user may see them.
"""

import pytest
from django.template.loader import render_to_string

from coso.organizations.scope import Scope
from coso.people.choices import KINH, NO_RELIGION, Qualification, TheoryLevel
from coso.people.forms import PersonForm
from coso.people.models import Person
from coso.people.services import create_person

pytestmark = pytest.mark.django_db

FOUR = ("ethnicity", "religion", "qualification", "theory_level")
BASE = {"full_name": "Hoàng Thị Mai", "gender": "F", "birth_date": "12/08/1985", "birth_precision": "day"}
KNOWN = {"ethnicity": KINH, "religion": NO_RELIGION, "qualification": Qualification.NONE, "theory_level": TheoryLevel.NONE}


def form(user, data=None, **kwargs):
    scope = Scope(user)
    return PersonForm(data, sensitive=scope.can("people.sensitive"), scope=scope, **kwargs)


def test_it_leaves_the_four_fields_unknown_when_not_given(people):
    person = create_person(actor=people.staff_a, full_name="Lê Văn Bảy", gender="M")
    person.refresh_from_db()
    assert [getattr(person, name) for name in FOUR] == ["", "", "", ""]
    assert [getattr(person, f"get_{name}_display")() for name in FOUR] == ["", "", "", ""]


@pytest.mark.parametrize(("ethnicity", "minority"), [("", False), (KINH, False), ("02", True), ("55", True)])
def test_it_counts_only_a_known_group_other_than_kinh_as_minority(ethnicity, minority):
    assert Person(full_name="X", ethnicity=ethnicity).is_minority is minority


def test_it_starts_the_four_lists_empty(people):
    html = form(people.staff_a).as_div()
    for name in FOUR:
        field = form(people.staff_a)[name]
        assert field.value() in (None, "") and field.field.required
        assert field.field.choices[0] == ("", "---------")
    assert 'value="01" selected' not in html and 'value="none" selected' not in html


def test_it_requires_the_four_fields_naming_each(people):
    f = form(people.staff_a, BASE)
    assert not f.is_valid()
    assert f.errors["ethnicity"] == ["Chưa chọn dân tộc."]
    assert f.errors["religion"] == ["Chưa chọn tôn giáo (chọn “Không” nếu không theo tôn giáo nào)."]
    assert f.errors["qualification"] == ["Chưa chọn trình độ chuyên môn (chọn “Chưa qua đào tạo” nếu chưa được đào tạo)."]
    assert f.errors["theory_level"] == ["Chưa chọn trình độ lý luận chính trị (chọn “Chưa qua đào tạo” nếu chưa được đào tạo)."]


def test_it_takes_kinh_no_religion_and_not_trained_as_explicit_choices(people):
    f = form(people.staff_a, {**BASE, **KNOWN})
    assert f.is_valid(), f.errors
    person = create_person(actor=people.staff_a, **f.person_fields())
    assert {name: getattr(person, name) for name in FOUR} == KNOWN


def test_it_neither_shows_nor_requires_ethnicity_and_religion_without_the_permission(people):
    # a cell secretary records members but may not see ethnicity or religion
    f = form(people.secretary_a1a, {**BASE, "qualification": "dai_hoc", "theory_level": "so_cap"})
    assert "ethnicity" not in f.fields and "religion" not in f.fields
    assert f.is_valid(), f.errors
    person = create_person(actor=people.secretary_a1a, **f.person_fields())
    assert (person.ethnicity, person.religion) == ("", "")  # not known: not Kinh, not "no religion"
    assert not form(people.secretary_a1a, BASE).is_valid()  # the levels are still required


def test_it_asks_again_for_an_unknown_value_when_the_record_is_edited(people):
    person = create_person(actor=people.staff_a, full_name="Lê Văn Bảy", gender="M", ethnicity="02")
    initial = {"full_name": person.full_name, "gender": person.gender, "birth_precision": "day", "ethnicity": "02", "religion": ""}
    f = form(people.staff_a, {**initial, "qualification": "none", "theory_level": "none"}, initial=initial)
    assert f["ethnicity"].value() == "02"
    assert not f.is_valid() and list(f.errors) == ["religion"]


def test_the_member_page_shows_an_unknown_value_as_chua_ro():
    html = render_to_string("members/_person.html", {"person": Person(full_name="Lê Văn Bảy", gender="M", theory_level="none"), "sensitive": True})
    assert html.count("Chưa rõ") == 3  # ethnicity, religion, qualification; the theory level is an answer
    assert "Chưa qua đào tạo" in html and "Kinh" not in html

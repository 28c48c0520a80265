"""Typed member search in the Vietnamese order (issue #10): every plan of coso/members/search.py
returns what it finds in the order of the lists (coso.lib.text.person_sort_key: given name, middle
names, family name; a < ă < â, d < đ, letters before tones), not in the folded order of the text
typed. Đ after D, Ân after Anh, Hòa and Hoà as one, the pages of the list across the boundary,
and a property: the search's answer is the matching members sorted by the key, nothing lost."""

import datetime as dt
import itertools

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coso.lib.text import fold, name_sort_key, order_prefixes, person_sort_key
from coso.members import search, selectors, services
from coso.members.models import MemberSearch
from coso.organizations.scope import Scope
from coso.organizations.services import open_placement
from coso.people.services import create_person

pytestmark = pytest.mark.django_db
D = dt.date


def _member(name, cell, card=""):
    p = create_person(actor=None, full_name=name, gender="M", birth_date=D(1980, 1, 1))
    return services.record_existing_member(actor=None, person=p, organization=cell, on=D(2024, 1, 5), admitted_on=D(2010, 1, 1),
                                           recognized_on=D(2011, 1, 1), card_number=card)


# in the order of creation: Hoà before Hòa, so that the person id puts them so
NAMES = ["Trần Văn Đức", "Lê Văn Dương", "Phạm Văn Dũng", "Trần Văn Đại", "Trần Văn Dân", "Đặng Văn Bình", "Dương Văn Bình",
         "Nguyễn Văn Ân", "Nguyễn Văn Anh", "Nguyễn Văn An", "Lê Thị Hoá", "Lê Thị Hoà", "Lê Thị Hòa", "Lê Thị Hoa"]


@pytest.fixture
def named(tree):
    return {name: _member(name, tree.cell_a1a, card=f"0777{n:03d}") for n, name in enumerate(NAMES)}


def found(query, org=None, limit=search.LIMIT, cap=None) -> tuple[list[str], str]:
    s = search.Search(query, scope_path=open_placement(org).path if org else None, limit=limit, cap=cap)
    rows = s.run()
    full = dict(MemberSearch.objects.values_list("member_id", "member__person__full_name"))
    return [full[r[1]] for r in rows], s.plan.split(" ")[0]


D_NAMES = ["Dương Văn Bình", "Đặng Văn Bình", "Trần Văn Dân", "Phạm Văn Dũng", "Lê Văn Dương", "Trần Văn Đại", "Trần Văn Đức"]
EXPECTED = {
    # family-first (Dương, Đặng: the same given and middle name, D before Đ), then the given names D..., Đ...
    "d": D_NAMES,
    "van d": ["Trần Văn Dân", "Phạm Văn Dũng", "Lê Văn Dương", "Trần Văn Đại", "Trần Văn Đức"],
    "duong": ["Dương Văn Bình", "Lê Văn Dương"],
    "an": ["Nguyễn Văn An", "Nguyễn Văn Anh", "Nguyễn Văn Ân"],  # â after a: Ân after Anh
    "van an": ["Nguyễn Văn An", "Nguyễn Văn Anh", "Nguyễn Văn Ân"],
    "nguyen van a": ["Nguyễn Văn An", "Nguyễn Văn Anh", "Nguyễn Văn Ân"],
    # tones after letters, one tone a word: Hoà and Hòa together (by person), Hoá after them
    "hoa": ["Lê Thị Hoa", "Lê Thị Hoà", "Lê Thị Hòa", "Lê Thị Hoá"],
    "thi hoa": ["Lê Thị Hoa", "Lê Thị Hoà", "Lê Thị Hòa", "Lê Thị Hoá"],
    "le thi h": ["Lê Thị Hoa", "Lê Thị Hoà", "Lê Thị Hòa", "Lê Thị Hoá"],
}


def test_every_plan_lists_what_it_finds_in_the_vietnamese_order(tree, named):
    plans = set()
    for (query, expected), (org, cap) in itertools.product(EXPECTED.items(), [
            (None, None), (None, 0), (tree.province, None), (tree.province, 0), (tree.district_a, None),
            (tree.commune_a1, None), (tree.cell_a1a, None)]):
        shown, plan = found(query, org, cap=cap)
        assert shown == expected, (query, org, cap, plan)
        plans.add(plan)
        # the first rows alone (a page): the same order, cut
        assert found(query, org, limit=2, cap=cap)[0] == expected[:2], (query, org, cap, plan)
    assert plans == {"streams", "root", "branch", "scope"}
    # card numbers: the same order for the members whose card starts with the digits typed
    shown, plan = found("0777", tree.province)
    assert plan == "card" and shown == sorted(NAMES, key=lambda n: (person_sort_key(n), NAMES.index(n)))
    assert shown.index("Dương Văn Bình") < shown.index("Đặng Văn Bình") and shown.index("Nguyễn Văn Anh") < shown.index("Nguyễn Văn Ân")


def test_the_list_pages_a_typed_search_in_the_vietnamese_order(tree, people, named, client, monkeypatch):
    client.force_login(people.staff_a)
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    pages = []
    for page in (1, 2, 3, 4):
        body = client.get(reverse("members:list"), {"tim": "d", "trang": page}).content.decode()
        pages.append([name for name in D_NAMES if name in body])
    # the page boundary falls between Dương and Đặng (page 1) and between Dương and Đại (page 3)
    assert pages == [D_NAMES[0:2], D_NAMES[2:4], D_NAMES[4:6], D_NAMES[6:7]]
    rows = selectors.member_rows(Scope(people.staff_a), open_placement(tree.district_a).path,
                                 timezone.localdate(), selectors.MemberFilters(query="an"))
    assert rows.count() == 3
    assert [r.member.person.full_name for r in rows[1:3]] == ["Nguyễn Văn Anh", "Nguyễn Văn Ân"]


def test_a_typed_text_stands_for_every_spelling_of_it():
    assert order_prefixes("a") == sorted(person_sort_key(n)[:2] for n in ("An", "Ăn", "Ân"))
    assert len(order_prefixes("duong")) == 12 and len(order_prefixes("nguyen van")) == 12
    # every spelling of a folded text is the start of the key of the names that start with it
    for name in ("Đặng Thị Ưng", "Ông Ơn", "Dương Văn Ân"):
        words = name.split()
        given_first = fold(" ".join([words[-1], *words[1:-1], words[0]]))
        assert any(person_sort_key(name).startswith(p) for p in order_prefixes(given_first[:5].rstrip()))
    assert order_prefixes("an2") == [] and order_prefixes("ø") == []


# ---------------------------------------------------------------- the property

FAMILY = ["Nguyễn", "Đặng", "Dương", "Đỗ", "Lê", "Âu", "Ông", "Ứng"]
MIDDLE = ["Văn", "Vân", "Thị", "Đức", "Ngọc", "Thu"]
GIVEN = ["An", "Ân", "Ăn", "Anh", "Ánh", "Dũng", "Dương", "Đức", "Đạt", "Hoa", "Hoà", "Hòa", "Hoá", "Hóa", "Hoàng", "Ơn", "Ôn", "On", "Ưng", "Uyên"]
NAME = st.builds(lambda f, m, g: " ".join([f, *m, g]), st.sampled_from(FAMILY), st.lists(st.sampled_from(MIDDLE), max_size=2),
                 st.sampled_from(GIVEN))


@st.composite
def worlds(draw):
    people = draw(st.lists(st.tuples(NAME, st.integers(0, 3)), min_size=1, max_size=9))
    queries = []
    for _ in range(draw(st.integers(1, 4))):
        name = fold(draw(st.sampled_from([n for n, _ in people])))
        words = name.split()
        typed = draw(st.sampled_from([
            name, " ".join(words[1:]) or name, words[-1], " ".join(words[:2]), words[0],
            name[: draw(st.integers(1, len(name)))].rstrip(),
            draw(st.sampled_from(["a", "an", "d", "du", "o", "u", "hoa", "van a", "thi h", "u", "duc an"])),
        ]))
        queries.append(typed)
    return people, queries, draw(st.sampled_from([None, 0])), draw(st.integers(1, 4))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(world=worlds())
def test_the_typed_search_is_the_matching_members_sorted_by_the_vietnamese_key(tree, world):
    """Whatever the names (with the letters and tones that fold alike) and whatever is typed, every
    plan returns exactly the members whose name matches (search.matches), sorted by the person's
    Vietnamese key then the person, cut at the limit; and counts them all."""
    people, queries, cap, limit = world
    cells = [tree.cell_a1a, tree.cell_a1b, tree.cell_a2, tree.cell_b1a]
    scopes = [None, tree.province, tree.district_a, tree.district_b, tree.commune_a1]
    with transaction.atomic():
        made = [(name, cells[k], _member(name, cells[k])) for name, k in people]
        under = {None: {c.pk for c in cells}, tree.province.pk: {c.pk for c in cells},
                 tree.district_a.pk: {tree.cell_a1a.pk, tree.cell_a1b.pk, tree.cell_a2.pk}, tree.district_b.pk: {tree.cell_b1a.pk},
                 tree.commune_a1.pk: {tree.cell_a1a.pk, tree.cell_a1b.pk}}
        for query, org in itertools.product(queries, scopes):
            words = search.words_of(query)
            expected = sorted(((person_sort_key(name), m.person_id), m.pk) for name, cell, m in made
                              if cell.pk in under[org.pk if org else None] and search.matches(words, fold(name), name_sort_key(name)))
            expected = [pk for _, pk in expected]
            path = open_placement(org).path if org else None
            s = search.Search(query, scope_path=path, limit=10**6, cap=cap)
            assert [r[1] for r in s.run()] == expected, (query, org, cap, s.plan)
            assert s.count() == len(expected), (query, org)
            first = search.Search(query, scope_path=path, limit=limit, cap=cap)
            assert [r[1] for r in first.run()] == expected[:limit], (query, org, cap, limit, first.plan)
        transaction.set_rollback(True)

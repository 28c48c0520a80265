"""Member search (coso/members/search.py) and the member list that uses it today: what matches, the
scope, the status filter, and the search copy following the members, the persons and the tree."""

import datetime as dt
import itertools
from types import SimpleNamespace

import pytest
from django.db.models.query import QuerySet
from django.urls import reverse
from django.utils import timezone

from coso.members import search, selectors, services
from coso.members.models import EventType, MemberSearch
from coso.members.services import update_person
from coso.organizations.scope import Scope
from coso.organizations.services import move_organization, open_placement
from coso.people.services import create_person

pytestmark = pytest.mark.django_db
D = dt.date
ANY = ("probationary", "official", "deceased")
RECOGNIZED, ADMITTED = D(2011, 1, 1), D(2010, 1, 1)


@pytest.fixture
def m(tree):
    def member(name, cell, card="", recognized=RECOGNIZED, admitted=ADMITTED, gender="M"):
        p = create_person(actor=None, full_name=name, gender=gender, birth_date=D(1980, 1, 1))
        return services.record_existing_member(actor=None, person=p, organization=cell, on=D(2024, 1, 5), admitted_on=admitted,
                                               recognized_on=recognized, card_number=card)

    out = SimpleNamespace(
        an=member("Nguyễn Văn An", tree.cell_a1a, card="0123456"),
        tran_an=member("Trần Văn An", tree.cell_a2),
        binh=member("Nguyễn Thị Bình", tree.cell_a1b, recognized=None, admitted=D(2023, 3, 10), gender="F"),
        hoa=member("Lê Thị Thu Hoa", tree.cell_a1a, gender="F"),
        anh=member("Nguyễn Văn Anh", tree.cell_b1a),  # huyện B
        pham_an=member("Phạm Văn An", tree.cell_b1a, card="0123999"),  # huyện B
        an_dead=member("Nguyễn Văn Ân", tree.cell_a2),
    )
    services.record_event(actor=None, member=out.an_dead, type=EventType.DECEASED, effective_date=D(2024, 6, 1))
    return out


def path(org) -> str:
    return open_placement(org).path


def names(query, org=None, statuses=search.ACTIVE, limit=search.LIMIT, counted=True) -> list[str]:
    s = search.Search(query, scope_path=path(org) if org else None, statuses=statuses, limit=limit)
    rows = s.run()
    if counted:  # the pager's count (which trusts the copy's scope: not after the copy is tampered with)
        assert s.count() == len(search.brute_force(query, scope_path=s.scope_path, statuses=statuses, limit=10**6))
    full = dict(MemberSearch.objects.values_list("member_id", "member__person__full_name"))
    return [full[r[1]] for r in rows]


def test_it_finds_a_name_typed_without_diacritics(tree, m):
    # the name starts with what was typed, the last word possibly unfinished
    assert names("nguyen van an", tree.province) == ["Nguyễn Văn An", "Nguyễn Văn Anh"]
    assert names("NGUYỄN văn  An", tree.province) == ["Nguyễn Văn An", "Nguyễn Văn Anh"]
    assert names("nguyen v", tree.province) == ["Nguyễn Văn An", "Nguyễn Văn Anh"]
    assert names("le", tree.province) == ["Lê Thị Thu Hoa"]


def test_it_finds_by_the_given_name_and_the_middle_names(tree, m):
    # sorted the Vietnamese way: given name, middle names, family name
    assert names("an", tree.province) == ["Nguyễn Văn An", "Phạm Văn An", "Trần Văn An", "Nguyễn Văn Anh"]
    assert names("van an", tree.province) == ["Nguyễn Văn An", "Phạm Văn An", "Trần Văn An", "Nguyễn Văn Anh"]
    assert names("v a", tree.province) == ["Nguyễn Văn An", "Phạm Văn An", "Trần Văn An", "Nguyễn Văn Anh"]
    assert names("thi thu hoa", tree.province) == names("hoa", tree.province) == ["Lê Thị Thu Hoa"]
    # from inside the middle names, or skipping them: no (as the docstring says)
    assert names("thu hoa", tree.province) == names("le hoa", tree.province) == []


def test_it_finds_by_the_start_of_the_card_number(tree, m):
    assert names("0123", tree.province) == ["Nguyễn Văn An", "Phạm Văn An"]
    assert names("0123 999", tree.province) == ["Phạm Văn An"]
    assert names("0123", tree.district_a) == ["Nguyễn Văn An"]
    assert names("9", tree.province) == []


def test_the_status_filter_chooses_who_is_listed(tree, m):
    assert names("nguyen", tree.province, statuses=("probationary",)) == ["Nguyễn Thị Bình"]
    assert "Nguyễn Văn Ân" not in names("nguyen van", tree.province)
    assert names("nguyen van", tree.province, statuses=ANY) == ["Nguyễn Văn An", "Nguyễn Văn Anh", "Nguyễn Văn Ân"]  # Ân after Anh (â after a)
    assert names("an", tree.district_a, statuses=("deceased",)) == ["Nguyễn Văn Ân"]


def test_every_plan_answers_what_checking_every_member_would(tree, m):
    scopes = [None, tree.province, tree.district_a, tree.district_b, tree.commune_a1, tree.cell_a1a, tree.cell_b1a]
    plans = set()
    for org, statuses, query, limit in itertools.product(scopes, (search.ACTIVE, ANY), ["nguyen", "nguyen van a", "an", "van an", "thi",
                                                                                       "h", "le thi thu hoa", "0123", "zz", "|"], (50, 2)):
        s = search.Search(query, scope_path=path(org) if org else None, statuses=statuses, limit=limit)
        assert s.run() == search.brute_force(query, scope_path=s.scope_path, statuses=statuses, limit=limit), (query, org, statuses, limit)
        plans.add(s.plan.split(" ")[0])
    assert plans >= {"streams", "root", "branch", "scope", "card"}


def test_the_scope_never_leaks_even_from_a_stale_copy(tree, m):
    assert "Phạm Văn An" not in names("an", tree.district_a) and names("an", tree.district_b) == ["Phạm Văn An", "Nguyễn Văn Anh"]
    # a copy saying Phạm Văn An's cell is under huyện A (as if written before a move back): the
    # rows are checked against today's placements, so the province plan and the branch plan drop it
    a = path(tree.district_a).strip("/").split("/")
    MemberSearch.objects.filter(member=m.pham_an).update(branch_id=int(a[1]))
    assert names("pham van an", tree.district_a, counted=False) == [] and names("0123", tree.district_a) == ["Nguyễn Văn An"]
    MemberSearch.objects.filter(member=m.pham_an).update(root_id=10**9)
    assert names("pham", tree.province, counted=False) == []  # not found (a stale root), but never elsewhere


def test_the_copy_follows_a_move_of_the_tree(tree, m):
    assert "Phạm Văn An" not in names("an", tree.district_a)
    # organizations.services cannot call this app: the search notices the new placements
    move_organization(actor=None, organization=tree.cell_b1a, new_parent=tree.commune_a1, valid_from=timezone.localdate())
    assert names("an", tree.district_a) == ["Nguyễn Văn An", "Phạm Văn An", "Trần Văn An", "Nguyễn Văn Anh"]
    assert names("an", tree.district_b) == []
    assert MemberSearch.objects.get(member=m.pham_an).branch_id == tree.district_a.pk


def test_the_copy_follows_the_member_and_the_person(tree, m):
    services.record_event(actor=None, member=m.tran_an, type=EventType.DECEASED, effective_date=D(2024, 7, 1))
    assert names("tran", tree.province) == [] and names("tran", tree.province, statuses=("deceased",)) == ["Trần Văn An"]
    update_person(actor=None, person=m.hoa.person, full_name="Lê Thị Thu Hương")
    assert names("huong", tree.province) == ["Lê Thị Thu Hương"] and names("hoa", tree.province) == []
    row = MemberSearch.objects.get(member=m.hoa)
    assert (row.name_folded, row.status, row.organization_id) == ("le thi thu huong", "official", tree.cell_a1a.pk)


# ---------------------------------------------------------------- the member list


def test_todays_list_runs_the_search_and_other_dates_filter_the_same_way(tree, people, m):
    scope = Scope(people.staff_a)
    today, earlier = timezone.localdate(), D(2025, 1, 15)
    a = path(tree.district_a)

    def listed(query, on, **filters):
        rows = selectors.member_rows(scope, a, on, selectors.MemberFilters(query=query, **filters))
        return rows, [r.member.person.full_name for r in rows[0:50]]

    rows, shown = listed("v a", today)
    assert isinstance(rows, selectors.SearchRows) and rows.count() == 2 and shown == ["Nguyễn Văn An", "Trần Văn An"]
    rows, shown = listed("v a", earlier)  # the given name and the middle names on another date too
    assert isinstance(rows, QuerySet) and shown == ["Nguyễn Văn An", "Trần Văn An"]
    for query in ("nguyen van an", "an", "van an", "0123", "nguyen"):
        assert listed(query, today)[1] == listed(query, earlier)[1], query
    # other dates still find the typed text anywhere in the name (selectors._filter_query says why)
    assert listed("thi", today)[1] == [] and listed("thi", earlier)[1] == ["Nguyễn Thị Bình", "Lê Thị Thu Hoa"]
    assert listed("nguyen", today, status="probationary")[1] == ["Nguyễn Thị Bình"]
    rows, shown = listed("nguyen", today, gender="F")  # another filter: the periods' query
    assert isinstance(rows, QuerySet) and shown == ["Nguyễn Thị Bình"]


def test_todays_list_pages_the_search(tree, people, m, client, monkeypatch, django_assert_max_num_queries):
    client.force_login(people.staff_a)
    search.sync_tree()  # the copy has followed the tree built by the fixture (3 more queries otherwise)
    # session, user, scope root paths, the organization's placement today (in scope), its children
    # (filter), the count (and whether the tree moved: one statement), the page: the branch's range,
    # the rows checked against today's placements (and whether the tree moved), the members'
    # periods with person and cell name; whether they left the scope since (their periods, the
    # scope's placements: decision 0007; the scope's name comes with its paths), and the session's
    # sliding expiry (savepoint, update, release)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("members:list"), {"tim": "van an"})
    body = response.content.decode()
    assert "Nguyễn Văn An" in body and "Trần Văn An" in body and "Phạm Văn An" not in body and "2 đảng viên" in body
    monkeypatch.setattr(selectors, "PAGE_SIZE", 1)
    body = client.get(reverse("members:list"), {"tim": "van an", "trang": 2}).content.decode()
    assert "Trần Văn An" in body and "Nguyễn Văn An" not in body

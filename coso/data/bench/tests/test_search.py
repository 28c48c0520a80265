"""The search (coso/members/search.py) answers exactly what checking every member would, on a small synth dataset."""

import itertools
import random

import pytest
from django.core.management import call_command

from coso.data import worlds
from coso.data.synth import world
from coso.members import search
from coso.members.models import Member
from coso.organizations.models import Kind, Placement

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def dataset(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("places", "load", verbosity=0)
        world.build(seed=3, scale=0.0006, workers=0, say=lambda *a: None)
        yield
        worlds.flush()


def queries(rng, n):
    names = list(Member.objects.values_list("person__name_folded", "card_number"))
    out = ["nguyen", "nguyen van", "nguyen van a", "le thi", "thi", "van an", "an", "h", "ng", "tran thi thu", "xyz", "zz top", "  "]
    for _ in range(n):
        folded, card = names[rng.randrange(len(names))]
        w = folded.split()
        out += [folded, " ".join(w[:-1]) + " " + w[-1][:1], " ".join(w[1:]), w[-1], w[0], " ".join(w[:2])]
        if card:
            out.append(card[:6])
    return out


def test_every_plan_gives_the_exact_first_50(dataset):
    rng = random.Random(5)
    today = Placement.objects.current()
    commune = today.filter(kind=Kind.COMMUNE_COMMITTEE).first()
    province_path = "/" + commune.path.strip("/").split("/")[0] + "/"
    cell = today.filter(kind=Kind.SUBORDINATE_CELL).first()
    scopes = [None, province_path, commune.path, cell.path]
    qs = queries(rng, 8)
    plans = set()
    for path in scopes:
        for statuses in (search.ACTIVE, ("official", "deceased", "away")):
            rows = search.members_in(path, statuses)
            # a small cap makes the country and province plans walk the name order, as the national dataset does for common prefixes
            caps = (None,) if path in (commune.path, cell.path) else (None, 100)
            for q, cap in itertools.product(qs, caps):
                s = search.Search(q, scope_path=path, statuses=statuses, cap=cap)
                expected = search.brute_force(q, statuses=statuses, rows=rows)
                assert s.run() == expected, (q, path, statuses, cap)
                if cap is None:
                    assert search.Search(q, scope_path=path, statuses=statuses).count() == len(search.brute_force(q, statuses=statuses, rows=rows, limit=10**9)), (q, path)
                plans.add(s.plan.split(" ")[0] + (" walk" if "walk" in s.plan else " sorted" if "sorted" in s.plan else ""))
    assert plans >= {"card", "scope", "branch", "root walk", "root sorted", "streams walk", "streams sorted"}


def test_what_matches():
    m = search.matches
    assert m(["nguyen", "van", "an"], "nguyen van an", "an van nguyen|an văn nguyễn")
    assert not m(["nguyen", "van", "an"], "tran van nguyen an", "an van nguyen tran|an văn nguyễn trần")
    assert m(["nguyen", "van", "a"], "nguyen van anh", "anh van nguyen|anh văn nguyễn")
    assert m(["van", "an"], "tran van an", "an van tran|an văn trần")
    assert m(["thi", "thu", "hoa"], "le thi thu hoa", "hoa thi thu le|hoa thị thu lê")
    assert m(["hoa"], "le thi thu hoa", "hoa thi thu le|hoa thị thu lê")
    assert m(["le"], "le thi thu hoa", "hoa thi thu le|hoa thị thu lê")
    assert not m(["thu", "hoa"], "le thi thu hoa", "hoa thi thu le|hoa thị thu lê")
    assert not m(["le", "hoa"], "le thi thu hoa", "hoa thi thu le|hoa thị thu lê")

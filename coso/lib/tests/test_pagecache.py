"""The report's and the dashboard's figures, kept until the data changes (coso/lib/pagecache.py).

What users rely on: a page asked again shows the same figures without computing them again, and
a figure read after any committed write — through a service, a bulk write, an update, a delete,
raw SQL — includes it; a write rolled back, or one to the bookkeeping tables (sessions, logs),
changes nothing; two users who may see different things never share a page; a transaction's own
uncommitted writes are never hidden from it by the cache.
"""

import datetime as dt
import re

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from coso.audit.models import AuditEvent
from coso.conftest import build_tree, personas
from coso.lib import pagecache
from coso.members import bulk, services
from coso.organizations.models import Organization
from coso.people.models import Person
from coso.people.services import create_person
from coso.reports import dashboard, views

D = dt.date
ON = "01/05/2025"


@pytest.mark.parametrize(("sql", "writes"), [
    ('SELECT "members_member"."id" FROM "members_member"', False),
    ('  select 1', False),
    ('SAVEPOINT "s1"', False),
    ('RELEASE SAVEPOINT "s1"', False),
    ('INSERT INTO "members_memberevent" ("member_id") VALUES (%s)', True),
    ('INSERT OR IGNORE INTO "measures_ledgerentry" VALUES (1)', True),
    ('UPDATE "people_person" SET "full_name" = %s', True),
    ('DELETE FROM "organizations_placement" WHERE id = 1', True),
    ('INSERT INTO "django_session" ("session_key") VALUES (%s)', False),
    ('UPDATE "access_user" SET "last_login" = %s', False),
    ('INSERT INTO "audit_auditevent" ("action") VALUES (%s)', False),
    ('UPDATE "imports_importjob" SET "status" = %s', False),
    ("WITH x AS (SELECT 1) SELECT * FROM x", False),
    ("WITH x AS (SELECT 1) INSERT INTO members_member SELECT * FROM x", True),
    ("CREATE TEMP TABLE scratch (id int)", False),
    ('ALTER TABLE "members_member" ADD COLUMN "x" int', True),
    ("TRUNCATE members_member", True),
])
def test_which_statements_change_the_figures_data(sql, writes):
    assert pagecache.writes_data(sql) is writes


def _member(cell, name):
    person = create_person(actor=None, full_name=name, gender="M", birth_date=D(1980, 5, 1))
    return services.record_existing_member(actor=None, person=person, organization=cell, on=D(2024, 1, 5), admitted_on=D(2010, 1, 1),
                                           recognized_on=D(2011, 1, 1))


def _members_card(response) -> int:
    """The members card of the dashboard: its number, as the page printed it."""
    card = re.search(r'data-testid="card-members">(.*?)</div></div>', response.content.decode(), re.S)
    assert card, "no members card on the page"
    text = re.sub(r"<[^>]+>", " ", card.group(1))
    return int(re.search(r"\d[\d.]*", text).group(0).replace(".", ""))


@pytest.fixture
def committed(transactional_db, settings):
    settings.COSO_PAGE_CACHE = True  # (the settings fixture empties the cache: each test starts with none)
    tree = build_tree()
    who = personas(tree)
    _member(tree.cell_a1a, "Nguyễn Văn An")
    _member(tree.cell_a2, "Trần Văn Bình")
    return tree, who


@pytest.fixture
def builds(monkeypatch):
    """How many times the dashboard and the report were computed."""
    counted = {"dashboard": 0, "report": 0}
    board, report = dashboard.build, views._build

    def counting_board(*args, **kwargs):
        counted["dashboard"] += 1
        return board(*args, **kwargs)

    def counting_report(*args, **kwargs):
        counted["report"] += 1
        return report(*args, **kwargs)

    monkeypatch.setattr(dashboard, "build", counting_board)
    monkeypatch.setattr(views, "_build", counting_report)
    return counted


def test_a_page_asked_again_is_not_computed_again_and_a_committed_write_shows_at_once(client, committed, builds):
    tree, who = committed
    client.force_login(who.staff_a)
    first = client.get(reverse("reports:dashboard"), {"ngay": ON})
    again = client.get(reverse("reports:dashboard"), {"ngay": ON})
    assert builds["dashboard"] == 1
    assert _members_card(first) == _members_card(again) == 2
    report = client.get(reverse("reports:statistics"), {"ngay": ON})
    report_again = client.get(reverse("reports:statistics"), {"ngay": ON})
    assert builds["report"] == 1
    assert _without_tokens(report) == _without_tokens(report_again)

    _member(tree.cell_a1b, "Lê Văn Cường")  # a service's write, committed

    after = client.get(reverse("reports:dashboard"), {"ngay": ON})
    assert builds["dashboard"] == 2
    assert _members_card(after) == 3
    client.get(reverse("reports:statistics"), {"ngay": ON})
    assert builds["report"] == 2


def _without_tokens(response) -> str:
    """The page without its per-request secrets (the CSRF token, the script nonce)."""
    return re.sub(r"[A-Za-z0-9+/=_-]{32,}", "", response.content.decode())


def test_every_kind_of_committed_write_moves_the_token_and_nothing_else_does(committed):
    tree, _who = committed
    token = pagecache.tokens(None)[0]  # the token every page depends on
    assert token is not None

    def moved() -> bool:
        nonlocal token
        new = pagecache.tokens(None)[0]
        was, token = token, new
        return new != was

    Person.objects.filter(full_name="Nguyễn Văn An").update(full_name="Nguyễn Văn Ân")  # an update
    assert moved()
    Person.objects.bulk_create([Person(full_name="Hồ Thị Dung", gender="F", birth_date=D(1990, 1, 1))])  # a bulk write
    assert moved()
    Person.objects.filter(full_name="Hồ Thị Dung").delete()  # a delete
    assert moved()
    # one INSERT … RETURNING in autocommit: on SQLite it finishes (and commits) only when its row is
    # read, and a statement run before that (the token's) would roll it back
    created = Person.objects.create(full_name="Phan Văn Giáp", gender="M", birth_date=D(1991, 1, 1))
    assert moved()
    assert Person.objects.filter(pk=created.pk).exists()
    with connection.cursor() as cursor:  # raw SQL
        cursor.execute("UPDATE organizations_organization SET code = code WHERE id = %s", [tree.cell_a2.pk])
    assert moved()
    with transaction.atomic():  # several writes, one commit
        Organization.objects.filter(pk=tree.cell_a2.pk).update(code="X")
        Organization.objects.filter(pk=tree.cell_a2.pk).update(code="Y")
    assert moved()

    with transaction.atomic():  # a write rolled back
        Person.objects.filter(full_name="Nguyễn Văn Ân").update(full_name="Nguyễn Văn An")
        transaction.set_rollback(True)
    assert not moved()
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=timezone.now())  # bookkeeping
    AuditEvent.objects.filter(pk=-1).delete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM members_member")
    assert not moved()


def test_a_transactions_own_writes_are_never_hidden_by_the_cache(committed):
    calls = []

    def compute():
        calls.append(1)
        return Person.objects.count()

    before = pagecache.cached(("persons",), compute)
    assert pagecache.cached(("persons",), compute) == before and len(calls) == 1
    with transaction.atomic():
        Person.objects.create(full_name="Đỗ Văn Em", gender="M", birth_date=D(1985, 1, 1))
        assert pagecache.cached(("persons",), compute) == before + 1  # computed again, not the cached figure
        assert pagecache.cached(("persons",), compute) == before + 1
        transaction.set_rollback(True)
    assert len(calls) == 3
    assert pagecache.cached(("persons",), compute) == before  # the rolled-back write left the cached figure right
    assert len(calls) == 3


def test_users_who_may_see_different_things_never_share_a_page(client, committed, builds):
    tree, who = committed
    for user in (who.staff_a, who.leader_a, who.staff_a, who.admin):
        client.force_login(user)
        assert client.get(reverse("reports:statistics"), {"ngay": ON, "to_chuc": tree.district_a.pk}).status_code == 200
    # staff and leader of the same district: one may open the lists behind ethnicity figures, the
    # other not (two pages); the administrator's scope is another (a third)
    assert builds["report"] == 3
    client.force_login(who.staff_b)  # another district's staff: still refused, cache or not
    assert client.get(reverse("reports:statistics"), {"ngay": ON, "to_chuc": tree.district_a.pk}).status_code == 404


def _import(cell, *names):
    """A list of members written by the bulk import (the path that declares its organizations)."""
    rows = [bulk.Row(person={"full_name": name, "gender": "F", "birth_date": D(1990, 2, 2)}, organization_id=cell.pk,
                     on=D(2024, 1, 5), admitted_on=D(2015, 1, 1), recognized_on=D(2016, 1, 1)) for name in names]
    with transaction.atomic():
        bulk.record_members(rows)


def test_an_import_into_one_subtree_leaves_the_other_subtrees_pages_cached_and_shows_in_its_own(client, committed, builds):
    tree, who = committed
    page = reverse("reports:dashboard")
    client.force_login(who.admin)
    seen = {org: _members_card(client.get(page, {"ngay": ON, "to_chuc": org.pk}))
            for org in (tree.district_a, tree.commune_a1, tree.district_b, tree.province)}
    whole = _members_card(client.get(page, {"ngay": ON}))
    assert builds["dashboard"] == 5

    _import(tree.cell_b1a, "Ngô Thị Lan", "Bùi Thị Mai")  # into huyện B

    for org, before in seen.items():
        assert _members_card(client.get(page, {"ngay": ON, "to_chuc": org.pk})) == before + (2 if org in (tree.district_b, tree.province) else 0)
    assert _members_card(client.get(page, {"ngay": ON})) == whole + 2
    # computed again: huyện B, the province and the whole tree; huyện A and xã A1 came from the cache
    assert builds["dashboard"] == 5 + 3


def test_a_declared_write_moves_the_tokens_of_every_ancestor_it_ever_had_and_an_undeclared_one_moves_all(committed):
    tree, _who = committed
    _import(tree.cell_a1a, "Tạ Thị Nga")  # bumps the tokens: the rows exist from here on
    before = {org: pagecache.tokens(org.pk) for org in (tree.province, tree.district_a, tree.commune_a1, tree.cell_a1a,
                                                         tree.district_b, tree.commune_b1, tree.cell_a1b)}
    whole = pagecache.tokens(None)
    _import(tree.cell_a1a, "Hà Thị Oanh")
    after = {org: pagecache.tokens(org.pk) for org in before}
    moved = {org for org in before if after[org] != before[org]}
    assert moved == {tree.province, tree.district_a, tree.commune_a1, tree.cell_a1a}
    assert pagecache.tokens(None) != whole
    assert all(after[org][0] == before[org][0] for org in before)  # the undeclared writes' token stayed

    Person.objects.filter(full_name="Hà Thị Oanh").update(full_name="Hà Thị Oánh")  # not declared: everything moves
    assert all(pagecache.tokens(org.pk)[0] != after[org][0] for org in before)

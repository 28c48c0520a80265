"""What one page costs: statements per page bounded and independent of the number of records, no
session write on an ordinary request, static files under hashed names with a year's cache.

Issue #10 §5 / #11 §2: a page took 0.6–1.2 s in the browser while the server spent 5–60 ms. The
browser re-asked every stylesheet and script once their 60 seconds of cache had passed, and each
request rewrote the session row (a write transaction that queues behind an import on SQLite).
"""

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coso.members import services
from coso.organizations import services as org_services
from coso.organizations.models import Kind
from coso.people.services import create_person

pytestmark = pytest.mark.django_db
D = dt.date
ON = "01/03/2024"


def _member(cell, name, n):
    person = create_person(actor=None, full_name=name, gender="F" if n % 2 else "M", birth_date=D(1960 + n % 25, 1 + n % 12, 1),
                           ethnicity="01", religion="00")
    return services.record_existing_member(actor=None, person=person, organization=cell, on=D(2024, 1, 5),
                                           admitted_on=D(2010, 1, 1), recognized_on=D(2011, 1, 1))


def _grow(tree, start: int, count: int):
    """More members, some in a new cell: more rows and more organizations under huyện A."""
    cell = org_services.create_organization(actor=None, parent=tree.commune_a1, name=f"Chi bộ thôn thêm {start}",
                                            kind=Kind.SUBORDINATE_CELL, valid_from=D(2024, 1, 1))
    for i in range(count):
        _member((tree.cell_a1a, tree.cell_a2, cell)[i % 3], f"Nguyễn Văn Thêm {start + i}", start + i)


def _statements(client, url, params) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return [q["sql"] for q in queries.captured_queries]


PAGES = [
    # (url name, params, the most statements it may take)
    # the member list: 9 with the one statement asking which of the page's members left the scope
    # (decision 0007: their current record and sensitive fields are not shown)
    ("members:list", {"ngay": ON}, 9),
    ("members:list", {"ngay": ON, "q": "nguyen van"}, 9),
    ("members:candidates", {"ngay": ON}, 6),
    ("organizations:tree", {"ngay": ON}, 5),
    # 47 before the summary took its figures from the report's tables, and 3 more for the session;
    # 39 since the member questions ask whether the ledger of counts can answer (its state, 3 times);
    # 51 with the staffing and training sections (#13: staffing against quota, exits, enrolments and
    # completions, cadres by theory level: one grouped statement per family and table, whatever the size);
    # 54 with the political system's section (the posts and bodies families: their grouped counts, the subtree's areas)
    # 64 with the cell-work section (#16: four families); 30 on both databases since each subtree reads once
    # what every table asked of it again (#11 §2: its placements, children's labels, a period's span, its areas);
    # 32 / 18 with the inspection corrections' figures and the rest of the report able to roll up in SQL (#12
    # point 3: the ledger's state asked once more); 33 with the dues' placements in the period (#16: one statement
    # for the subtree's spans, so that only the organizations that moved have each month tested)
    ("reports:statistics", {"ngay": ON}, 33),
    ("reports:dashboard", {"ngay": ON}, 18),
]


@pytest.mark.parametrize(("name", "params", "most"), PAGES, ids=[f"{n}{'+q' if 'q' in p else ''}" for n, p, _ in PAGES])
def test_a_page_takes_a_bounded_number_of_statements_whatever_the_number_of_records(client, people, tree, name, params, most):
    client.force_login(people.staff_a)
    _grow(tree, 0, 3)
    url = reverse(name)
    client.get(url, params)  # anything done once per process (content types, catalog) is done
    few = _statements(client, url, params)
    _grow(tree, 100, 30)
    many = _statements(client, url, params)
    assert len(many) == len(few) <= most, (len(few), len(many))


def test_an_ordinary_request_writes_nothing_to_the_session(client, people):
    client.force_login(people.staff_a)
    for _ in range(3):
        statements = _statements(client, reverse("members:list"), {"ngay": ON})
        assert not [s for s in statements if "django_session" in s and not s.lstrip().upper().startswith("SELECT")], statements


def test_an_idle_session_still_expires_and_an_active_one_is_kept(client, people, settings):
    settings.SESSION_COOKIE_AGE = 3600
    settings.SESSION_REFRESH_SECONDS = 300
    url = reverse("members:list")
    with time_machine.travel(dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC), tick=False) as clock:
        client.force_login(people.staff_a)
        key = client.session.session_key
        first = Session.objects.get(session_key=key).expire_date
        clock.shift(200)  # within the refresh interval: the row is not rewritten
        assert client.get(url).status_code == 200
        assert Session.objects.get(session_key=key).expire_date == first
        clock.shift(200)  # past it: the expiry moves to an hour after this request
        assert client.get(url).status_code == 200
        assert Session.objects.get(session_key=key).expire_date == first + dt.timedelta(seconds=400)
        for _ in range(4):  # in use for longer than the session's age: still signed in
            clock.shift(1000)
            assert client.get(url).status_code == 200
        clock.shift(3601)  # idle for more than the age: signed out
        response = client.get(url)
        assert response.status_code == 302 and reverse("access:login") in response["Location"]


PRODUCTION_STORAGE = {"BACKEND": "coso.lib.staticfiles.StaticStorage"}  # coso/settings.py (the suite uses the plain one)


@pytest.fixture
def collected(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": PRODUCTION_STORAGE}
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def test_the_production_storage_is_the_hashed_one():
    from coso import settings as production

    assert production.STORAGES["staticfiles"] == PRODUCTION_STORAGE


def test_static_files_carry_their_hash_and_a_years_cache(collected, people):
    url = Template("{% load static %}{% static 'coso/app.css' %}").render(Context())
    assert url.startswith("/static/coso/app.") and url.endswith(".css") and url != "/static/coso/app.css"
    client = Client()  # a new handler: WhiteNoise reads the collected folder when it starts
    client.force_login(people.staff_a)
    page = client.get(reverse("members:list"), {"ngay": ON}).content.decode()
    assert f'href="{url}"' in page
    for link in (url, Template("{% load static %}{% static 'vendor/bootstrap/bootstrap.bundle.min.js' %}").render(Context())):
        response = client.get(link, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert "immutable" in response["Cache-Control"] and "max-age=315360000" in response["Cache-Control"]
        assert response["Content-Encoding"] == "gzip"
        response.close()
    # the font the icons' stylesheet names is hashed too
    icons = next(collected.glob("vendor/bootstrap-icons/bootstrap-icons.min.*.css")).read_text()
    font = next(collected.glob("vendor/bootstrap-icons/fonts/bootstrap-icons.*.woff2")).name
    assert f"fonts/{font}" in icons


def test_without_collected_files_pages_link_the_plain_names(client, people, settings, tmp_path):
    """The test suite and a bare runserver before the first collectstatic: nothing breaks."""
    settings.STORAGES = {**settings.STORAGES, "staticfiles": PRODUCTION_STORAGE}
    settings.STATIC_ROOT = tmp_path
    client.force_login(people.staff_a)
    page = client.get(reverse("members:list"), {"ngay": ON}).content.decode()
    assert 'href="/static/coso/app.css"' in page


"""Shared test setup: fast hashing, a small tree built through the services, and personas.

The tree (as of 01/01/2024, before the two-tier reform):

    Đảng bộ tỉnh Thử nghiệm (province)
    ├── Đảng bộ huyện A (district)
    │   ├── Đảng bộ xã A1 (gr_committee) ── Chi bộ thôn A1a, Chi bộ thôn A1b (sub_cell)
    │   └── Chi bộ cơ sở A2 (gr_cell)
    └── Đảng bộ huyện B (district)
        └── Đảng bộ xã B1 (gr_committee) ── Chi bộ thôn B1a (sub_cell)

Personas: admin (whole tree), staff_a (org staff of huyện A), leader_a (read-only, huyện A),
staff_b (org staff of huyện B), secretary_a1a (cell secretary of chi bộ A1a).

The tree and the personas are built once per module when every database test of the module asks
for them (and none needs a real commit): inside a transaction opened for the module and rolled
back after it, each test in its own savepoint, with deep copies of the objects so that a test's
changes in memory do not reach the next one (Django's setUpTestData does the same). Elsewhere
they are built for each test, as before. See "The test suite" in docs/architecture.md.
"""

import copy
import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.test import override_settings

from coso.access.models import Role, User
from coso.organizations import services
from coso.organizations.models import Kind, Sector

START = dt.date(2024, 1, 1)


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.AXES_ENABLED = False
    settings.LANGUAGE_CODE = "vi"
    # the pages' figures in each test process's memory, not in the data folder's files (coso/lib/pagecache.py)
    settings.CACHES = {**settings.CACHES, "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "coso-test-pages"}}
    # plain static names whatever a `make run` collected into var/static: the live server of the
    # browser tests finds files by their plain names (coso/lib/tests/test_request_cost.py tests the hashed ones)
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def make_user(username: str, role: str, scope=None, **extra) -> User:
    return User.objects.create_user(
        username=username, password="pw-" + username, role=role, scope=scope, full_name=username, **extra
    )


def build_tree(actor=None, start=None) -> SimpleNamespace:
    t = SimpleNamespace()

    def org(name, kind, parent=None, sector=Sector.COMMUNE):
        return services.create_organization(actor=actor, parent=parent, name=name, kind=kind, sector=sector, valid_from=start or START)

    t.province = org("Đảng bộ tỉnh Thử nghiệm", Kind.PROVINCE_COMMITTEE)
    t.district_a = org("Đảng bộ huyện A", Kind.DISTRICT_COMMITTEE, t.province)
    t.district_b = org("Đảng bộ huyện B", Kind.DISTRICT_COMMITTEE, t.province)
    t.commune_a1 = org("Đảng bộ xã A1", Kind.GRASSROOTS_COMMITTEE, t.district_a)
    t.cell_a2 = org("Chi bộ cơ sở A2", Kind.GRASSROOTS_CELL, t.district_a, Sector.AGENCY)
    t.cell_a1a = org("Chi bộ thôn A1a", Kind.SUBORDINATE_CELL, t.commune_a1)
    t.cell_a1b = org("Chi bộ thôn A1b", Kind.SUBORDINATE_CELL, t.commune_a1)
    t.commune_b1 = org("Đảng bộ xã B1", Kind.GRASSROOTS_COMMITTEE, t.district_b)
    t.cell_b1a = org("Chi bộ thôn B1a", Kind.SUBORDINATE_CELL, t.commune_b1)
    return t


def personas(tree) -> SimpleNamespace:
    return SimpleNamespace(
        admin=make_user("admin", Role.ADMIN, None, is_staff=True, is_superuser=True),
        staff_a=make_user("staff_a", Role.ORG_STAFF, tree.district_a),
        leader_a=make_user("leader_a", Role.LEADER, tree.district_a),
        staff_b=make_user("staff_b", Role.ORG_STAFF, tree.district_b),
        secretary_a1a=make_user("secretary_a1a", Role.CELL_SECRETARY, tree.cell_a1a),
    )


@pytest.fixture(scope="module")
def tree_founded():
    """The day the tree's organizations begin (a package may override it: evaluation's is 2015)."""
    return START


# module name -> the fixtures its tests share ({"tree"} or {"tree", "people"}), decided at collection
SHARED: dict[str, frozenset] = {}


def _is_ours(item, name: str) -> bool:
    """The item's `name` is this file's fixture (a package may override it, e.g. evaluation's tree)."""
    definitions = item._fixtureinfo.name2fixturedefs.get(name)
    return bool(definitions) and definitions[-1].func.__module__ == __name__


def _uses_database(item) -> bool:
    return bool({"db", "transactional_db", "live_server"} & set(item.fixturenames)) or item.get_closest_marker("django_db") is not None


def _commits(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool({"transactional_db", "live_server"} & set(item.fixturenames)) or bool(marker and marker.kwargs.get("transaction"))


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's own hook, which reads the groups' marks into the node ids
def pytest_collection_modifyitems(session, config, items):
    modules: dict[str, list] = {}
    for item in items:
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.slow)  # a property test runs dozens of examples: `make test` only
        if getattr(item, "module", None) is not None:
            modules.setdefault(item.module.__name__, []).append(item)
    for name, module_items in modules.items():
        database = [item for item in module_items if _uses_database(item)]
        if not database or any(_commits(item) for item in database):
            continue
        shared = {fixture for fixture in ("tree", "people")
                  if all(fixture in item.fixturenames and _is_ours(item, fixture) for item in database)}
        if "tree" in shared:
            SHARED[name] = frozenset(shared)
    for item in items:
        if (group := _world_of(item)) is not None:
            item.add_marker(pytest.mark.xdist_group(group))


def pytest_collection_finish(session):
    """In a pytest-xdist worker under `--dist loadgroup`, the group must be in each grouped test's
    node id, which is what the controller schedules by; pytest 9.2 with pytest-xdist 3.8 silently
    lost it, and every worker built every world (the Núi Thành scenario twice, 25 s each)."""
    if not session.config.getoption("loadgroup", default=False):
        return
    lost = [item.nodeid for item in session.items if item.get_closest_marker("xdist_group") and "@" not in item.nodeid]
    if lost:
        raise pytest.UsageError(f"pytest-xdist did not put the xdist_group into {len(lost)} node ids (e.g. {lost[0]}): "
                                "the tests of one shared world would be spread over the workers; check the pytest and pytest-xdist versions")


def _world_of(item) -> str | None:
    """The world an item's test reads, built once per pytest-xdist worker that runs any of its
    tests: the tests of one world go to one worker (`--dist loadgroup`, scripts/test.sh), so the
    demo and the scenario districts are built once per run, not once per worker."""
    for name in item.fixturenames:
        definitions = item._fixtureinfo.name2fixturedefs.get(name)
        if definitions and definitions[-1].scope in ("package", "module") and "django_db_blocker" in definitions[-1].argnames:
            return f"{definitions[-1].baseid}::{name}"
    module = getattr(item, "module", None)
    return f"{module.__name__}::tree" if module is not None and module.__name__ in SHARED else None


@pytest.fixture(scope="module", autouse=True)
def _module_world(request):
    """The tree (and the personas) of a module whose database tests all use them, built once."""
    shared = SHARED.get(request.module.__name__)
    if not shared:
        yield None
        return
    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    with blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=FAST_HASHERS, LANGUAGE_CODE="vi"):
            t = build_tree(start=request.getfixturevalue("tree_founded"))
            world = SimpleNamespace(tree=t, people=personas(t) if "people" in shared else None)
        connection.check_constraints()  # once, not in every test's teardown (coso/data/worlds.py)
        yield world
        transaction.set_rollback(True)


@pytest.fixture
def _world(db, _module_world):
    """This test's copy of the module's world (None where each test builds its own)."""
    return copy.deepcopy(_module_world) if _module_world is not None else None


@pytest.fixture
def tree(db, _world, tree_founded):
    return _world.tree if _world is not None else build_tree(start=tree_founded)


@pytest.fixture
def people(tree, _world):
    return _world.people if _world is not None and _world.people is not None else personas(tree)

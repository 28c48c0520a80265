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
"""

import datetime as dt
from types import SimpleNamespace

import pytest

from coso.access.models import Role, User
from coso.organizations import services
from coso.organizations.models import Kind, Sector

START = dt.date(2024, 1, 1)


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    settings.LANGUAGE_CODE = "vi"


def make_user(username: str, role: str, scope=None, **extra) -> User:
    return User.objects.create_user(
        username=username, password="pw-" + username, role=role, scope=scope, full_name=username, **extra
    )


def build_tree(actor=None) -> SimpleNamespace:
    t = SimpleNamespace()

    def org(name, kind, parent=None, sector=Sector.COMMUNE):
        return services.create_organization(actor=actor, parent=parent, name=name, kind=kind, sector=sector, valid_from=START)

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


@pytest.fixture
def tree(db):
    return build_tree()


@pytest.fixture
def people(tree):
    return SimpleNamespace(
        admin=make_user("admin", Role.ADMIN, None, is_staff=True, is_superuser=True),
        staff_a=make_user("staff_a", Role.ORG_STAFF, tree.district_a),
        leader_a=make_user("leader_a", Role.LEADER, tree.district_a),
        staff_b=make_user("staff_b", Role.ORG_STAFF, tree.district_b),
        secretary_a1a=make_user("secretary_a1a", Role.CELL_SECRETARY, tree.cell_a1a),
    )

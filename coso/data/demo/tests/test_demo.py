import datetime as dt

import pytest
from django.core.management import call_command

from coso.access.models import User
from coso.organizations import selectors
from coso.organizations.models import Kind, Organization, Placement

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def kinds_under(code, on):
    organization = Organization.objects.get(code=code)
    placements = list(Placement.objects.under(organization, on=on))
    root = next(p for p in placements if p.organization_id == organization.pk)
    direct = [p for p in placements if p.parent_id == organization.pk]
    return root, direct, placements


def test_it_builds_nui_thanh_as_the_article_describes_it_on_31_03_2024(demo):
    root, direct, everything = kinds_under("DEMO-NUITHANH", dt.date(2024, 3, 31))
    grassroots = [p for p in direct if p.kind in (Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL)]
    assert len(grassroots) == 61
    assert sum(p.kind == Kind.GRASSROOTS_COMMITTEE for p in grassroots) == 22
    assert sum(p.kind == Kind.GRASSROOTS_CELL for p in grassroots) == 39
    assert sum(p.kind == Kind.SUBORDINATE_CELL for p in everything) == 223
    assert root.area.full_name == "Huyện Núi Thành"


def test_it_ends_the_legacy_tree_on_the_two_tier_reform_and_starts_da_nang(demo):
    _, direct, _ = kinds_under("DEMO-DANANG", dt.date(2025, 7, 1))
    assert len(direct) == 6 and {p.kind for p in direct} == {Kind.COMMUNE_COMMITTEE}
    assert selectors.placement_on(Organization.objects.get(code="DEMO-NUITHANH").pk, dt.date(2025, 7, 1)) is None


def test_it_is_idempotent_and_creates_users_of_every_role(demo):
    count = Organization.objects.count()
    call_command("demo")
    assert Organization.objects.count() == count
    assert set(User.objects.values_list("role", flat=True)) == {"admin", "org_staff", "inspection_staff", "cell_secretary", "leader"}
    assert User.objects.get(username="nuithanh.tochuc").password.startswith("argon2")  # the production hasher

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


def test_it_gives_a_working_account_whose_organizations_exist_today_and_the_readme_names_it_first(demo):
    """Issue #10: a newcomer following the README lands on full pages (decision 0007)."""
    from pathlib import Path

    from django.utils import timezone

    from coso.access.scope import scope_of
    from coso.members.models import MemberPeriod
    from coso.organizations.workday import working_day_for

    today = timezone.localdate()
    user = User.objects.get(username="ducphu.bithu")
    scope = scope_of(user)
    assert scope.ended_on is None and not scope.read_only and scope.can("members.change")
    placement = selectors.placement_on(user.scope_id, today)
    assert placement is not None and placement.kind == Kind.GRASSROOTS_CELL
    assert "Đức Phú" in selectors.placement_on(placement.parent_id, today).name
    assert working_day_for(scope).on == today and not working_day_for(scope).note
    assert MemberPeriod.objects.on(today).filter(organization_id=user.scope_id).count() > 0
    readme = (Path(__file__).resolve().parents[4] / "README.md").read_text(encoding="utf-8").splitlines()
    first = next(line for line in readme[1:] if line.strip())
    assert "ducphu.bithu" in first


def test_the_readme_gives_the_end_date_of_every_account_whose_organization_ended(demo):
    from pathlib import Path

    from coso.access.scope import scope_of
    from coso.lib.dates import fmt

    readme = (Path(__file__).resolve().parents[4] / "README.md").read_text(encoding="utf-8")
    rows = {line.split("`")[1]: line for line in readme.splitlines() if line.startswith("| `")}
    for user in User.objects.exclude(scope=None):
        ended = scope_of(user).ended_on
        if ended is not None:
            assert fmt(ended) in rows[user.username], user.username
            assert scope_of(user).read_only


def test_it_holds_a_year_of_inspection_work_in_the_district_and_in_a_commune(demo):
    from coso.inspection.models import Case, Discipline, Intake, Plan
    from coso.measures import engine
    from coso.members.models import EventType, MemberEvent

    district = Organization.objects.get(code="DEMO-NUITHANH")
    year = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert engine.count("inspection.cases", district, period=year) == 4
    assert len(set(Case.objects.filter(organization=district).values_list("work_type", flat=True))) == 4
    assert Plan.objects.count() == 2 and Intake.objects.filter(outcome="dung_mot_phan").count() == 1
    discipline = Discipline.objects.get()
    assert discipline.enforced and discipline.form == "canh_cao"
    assert MemberEvent.objects.filter(member=discipline.subject_member, type=EventType.DISCIPLINED, effective_date=dt.date(2026, 4, 15)).exists()

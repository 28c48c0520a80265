"""The 2025 reorganization applied to the Núi Thành scenario (#17 point 5): the command on Quảng
Nam's committee gives Núi Thành's seventeen communes' six successor communes (the
vietnamadminunits lineage) under Đà Nẵng's new committee, every member the same person in the same cell the day before and on
the day. Slow: builds the scenario (about 40 s)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from coso.data.worlds import world
from coso.members.models import MemberPeriod
from coso.organizations.models import Kind, Organization, Placement
from coso.restructuring import reform2025
from coso.restructuring.models import Lineage, Restructuring

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
DAY_BEFORE = reform2025.REFORM - dt.timedelta(days=1)


@pytest.fixture(scope="module")
def nui_thanh(django_db_setup, django_db_blocker):
    def build():
        out = io.StringIO()
        call_command("scenario", "load", "nui-thanh", stdout=out)
        return Organization.objects.get(code=out.getvalue().strip().splitlines()[-1])

    with world(django_db_blocker, build) as district:
        yield district


def test_the_command_gives_nui_thanh_its_six_successor_communes_and_keeps_every_member(nui_thanh):
    district = Placement.objects.on(DAY_BEFORE).get(organization=nui_thanh)
    communes = list(Placement.objects.on(DAY_BEFORE).filter(parent_id=nui_thanh.pk, kind=Kind.GRASSROOTS_COMMITTEE, area__level="commune")
                    .values_list("organization_id", flat=True))
    before = set(MemberPeriod.objects.under(district.path, DAY_BEFORE).values_list("member_id", "organization_id"))
    assert len(communes) == 17 and len(before) > 5000

    out = io.StringIO()
    call_command("restructuring", "reform2025", "--to-chuc", str(district.parent_id), "--chap-nhan", "--thuc-hien", stdout=out)
    assert "Đã thực hiện" in out.getvalue()
    successors = set(Lineage.objects.filter(predecessor_id__in=communes).values_list("successor_id", flat=True))
    placed = Placement.objects.on(reform2025.REFORM).filter(organization_id__in=successors)
    assert sorted(placed.values_list("kind", flat=True)) == [Kind.COMMUNE_COMMITTEE] * 6
    # Quảng Nam joined Đà Nẵng: the communes sit under the new city committee, Quảng Nam's ended into it
    city = Placement.objects.on(reform2025.REFORM).get(organization_id__in=Lineage.objects.filter(predecessor_id=district.parent_id)
                                                         .values("successor_id"))
    assert (city.name, city.kind, city.parent_id) == ("Đảng bộ thành phố Đà Nẵng", Kind.PROVINCE_COMMITTEE, None)
    assert set(placed.values_list("parent_id", flat=True)) == {city.organization_id}
    assert "Đảng bộ xã Núi Thành" in set(placed.values_list("name", flat=True)) or len(successors) == 6
    # the same persons in the same cells: a bulk hand-off, nobody moved
    after = set(MemberPeriod.objects.on(reform2025.REFORM).filter(member_id__in={m for m, _o in before})
                .values_list("member_id", "organization_id"))
    assert after == before
    assert not Placement.objects.on(reform2025.REFORM).filter(kind=Kind.DISTRICT_COMMITTEE).exists()
    assert Restructuring.objects.get().written["members"]

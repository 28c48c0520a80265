import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coso.audit.models import AuditEvent
from coso.conftest import START, build_tree
from coso.organizations import selectors, services
from coso.organizations.models import Kind, Placement

pytestmark = pytest.mark.django_db
LATER = dt.date(2024, 6, 1)


def names_under(org, on):
    return sorted(p.name for p in Placement.objects.under(org, on=on))


def test_it_builds_the_subtree_as_of_a_date(tree):
    assert names_under(tree.district_a, START) == [
        "Chi bộ cơ sở A2", "Chi bộ thôn A1a", "Chi bộ thôn A1b", "Đảng bộ huyện A", "Đảng bộ xã A1",
    ]
    assert names_under(tree.district_a, START - dt.timedelta(days=1)) == []


def test_it_refuses_a_cell_directly_under_a_province_committee_kind_rule(tree):
    with pytest.raises(ValidationError) as error:
        services.create_organization(
            actor=None, parent=tree.province, name="Chi bộ lạc chỗ", kind=Kind.SUBORDINATE_CELL, valid_from=START
        )
    assert "không thể trực thuộc" in str(error.value)


def test_it_refuses_a_district_committee_after_the_two_tier_reform(tree):
    with pytest.raises(ValidationError) as error:
        services.create_organization(
            actor=None, parent=tree.province, name="Đảng bộ huyện C", kind=Kind.DISTRICT_COMMITTEE,
            valid_from=dt.date(2025, 7, 1),
        )
    assert "294-QĐ/TW" in str(error.value)


def test_it_allows_commune_committees_under_the_province_from_july_2025(tree):
    org = services.create_organization(
        actor=None, parent=tree.province, name="Đảng bộ xã Mới", kind=Kind.COMMUNE_COMMITTEE, valid_from=dt.date(2025, 7, 1)
    )
    cell = services.create_organization(
        actor=None, parent=org, name="Chi bộ cơ sở thôn 1", kind=Kind.GRASSROOTS_CELL, valid_from=dt.date(2025, 7, 1)
    )
    assert selectors.placement_on(cell.pk, dt.date(2025, 8, 1)).depth == 2


def test_it_renames_from_a_date_and_keeps_the_old_name_for_earlier_dates(tree):
    services.rename_organization(actor=None, organization=tree.cell_a2, name="Chi bộ Trường THCS A", valid_from=LATER, decision_number="12-QĐ/HU")
    assert selectors.placement_on(tree.cell_a2.pk, START).name == "Chi bộ cơ sở A2"
    assert selectors.placement_on(tree.cell_a2.pk, LATER).name == "Chi bộ Trường THCS A"
    assert selectors.placement_on(tree.cell_a2.pk, LATER).decision_number == "12-QĐ/HU"


def test_it_moves_a_whole_subtree_and_keeps_the_old_tree_for_earlier_dates(tree):
    services.move_organization(actor=None, organization=tree.commune_a1, new_parent=tree.district_b, valid_from=LATER)
    assert "Chi bộ thôn A1a" in names_under(tree.district_a, START)
    assert "Chi bộ thôn A1a" not in names_under(tree.district_a, LATER)
    assert "Chi bộ thôn A1a" in names_under(tree.district_b, LATER)
    moved_cell = selectors.placement_on(tree.cell_a1a.pk, LATER)
    assert moved_cell.path.startswith(selectors.placement_on(tree.district_b.pk, LATER).path)
    assert AuditEvent.objects.filter(event_type="organizations.organization.ancestor_moved").count() == 2


def test_it_refuses_to_move_an_organization_under_its_own_descendant(tree):
    with pytest.raises(ValidationError):
        services.move_organization(actor=None, organization=tree.district_a, new_parent=tree.commune_a1, valid_from=LATER)


def test_it_refuses_to_close_an_organization_with_open_children(tree):
    with pytest.raises(ValidationError) as error:
        services.close_organization(actor=None, organization=tree.commune_a1, closed_on=LATER)
    assert "trực thuộc" in str(error.value)


def test_it_closes_and_hides_from_later_dates(tree):
    services.close_organization(actor=None, organization=tree.cell_a1b, closed_on=LATER, decision_number="5-QĐ/ĐU")
    assert "Chi bộ thôn A1b" in names_under(tree.district_a, START)
    assert "Chi bộ thôn A1b" not in names_under(tree.district_a, LATER)
    with pytest.raises(ValidationError):
        services.rename_organization(actor=None, organization=tree.cell_a1b, name="X", valid_from=dt.date(2024, 7, 1))


def test_it_refuses_back_dated_changes(tree):
    services.rename_organization(actor=None, organization=tree.cell_a2, name="Tên mới", valid_from=LATER)
    with pytest.raises(ValidationError):
        services.rename_organization(actor=None, organization=tree.cell_a2, name="Tên khác", valid_from=START)


def test_it_audits_every_change_inside_the_transaction(tree):
    before = AuditEvent.objects.count()
    services.rename_organization(actor=None, organization=tree.cell_a2, name="Tên mới", valid_from=LATER)
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert event.old["name"] == "Chi bộ cơ sở A2" and event.new["name"] == "Tên mới"
    with pytest.raises(ValidationError):
        services.rename_organization(actor=None, organization=tree.cell_a2, name="  ", valid_from=LATER)
    assert AuditEvent.objects.count() == before + 1


# Property: any sequence of valid moves keeps every organization in exactly one place per day,
# and the subtree of the root always holds all of them (nothing lost).
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 1)), min_size=1, max_size=6))
def test_it_never_loses_or_duplicates_an_organization_across_moves(db, moves):
    Placement.objects.all().delete()
    t = build_tree()
    movable = [t.commune_a1, t.cell_a2, t.commune_b1, t.cell_a2]
    districts = [t.district_a, t.district_b]
    day = START
    for index, target in moves:
        day += dt.timedelta(days=10)
        try:
            services.move_organization(actor=None, organization=movable[index], new_parent=districts[target], valid_from=day)
        except ValidationError:
            pass
    for on in (START, day):
        placements = list(Placement.objects.on(on))
        ids = [p.organization_id for p in placements]
        assert len(ids) == len(set(ids)) == 9
        assert len(Placement.objects.under(t.province, on=on)) == 9
        by_org = {p.organization_id: p for p in placements}
        for p in placements:
            if p.parent_id:
                assert p.path == by_org[p.parent_id].path + f"{p.organization_id}/"

"""The villages' resident spans (coso/measures/residence.py): kept by every write, equal to the periods."""

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coso.lib.dated import in_force
from coso.measures import engine, ledger, residence
from coso.measures.models import VillageResidence
from coso.members import services
from coso.members.models import EventType, Member, MemberPeriod
from coso.people.models import Person

from .test_ledger import OP, PROBES, START, add_member, run, small_tree, with_villages_and_ratings

pytestmark = pytest.mark.django_db
D = dt.date

RESIDE = st.tuples(st.integers(0, 20), st.one_of(st.none(), st.integers(0, 5)))


def lives_there(village_id: int, on: dt.date) -> bool:
    """The rule itself, on the records: a member period in force on the date of a member whose
    person lives in the village."""
    return any(in_force(p.valid_from, p.valid_to, on) for p in MemberPeriod.objects.filter(member__person__residence_village_id=village_id))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(OP, min_size=1, max_size=10), moves=st.lists(RESIDE, max_size=6), probes=PROBES)
def test_the_kept_spans_are_the_periods_answer_after_any_writes(db, ops, moves, probes):
    """Members added (one by one and in bulk), events, person edits, organization moves and
    changes of residence in any order: the kept spans equal a recount, and on any date a village
    has a span exactly when a member lives there."""
    with transaction.atomic():
        t = small_tree()
        with_villages_and_ratings(t)
        run(t, ops)
        members = list(Member.objects.order_by("pk"))
        for who, village in moves:
            if members:
                person = Person.objects.get(pk=members[who % len(members)].person_id)
                services.update_person(actor=None, person=person, residence_village=None if village is None else t.villages[village])
        run(t, ops[: len(ops) // 2])  # more writes of the same members after they moved house
        assert residence.differences() == []
        for on in probes:
            for village in t.villages:
                kept = VillageResidence.objects.on(on).filter(village=village).exists()
                assert kept == lives_there(village.pk, on), (village.name, on)
        transaction.set_rollback(True)


def test_a_member_of_any_organization_who_lives_in_the_village_counts(tree):
    """The villages of district A's communes; a member of district B's cell lives in one of them:
    the village has a resident party member, from the day the member's period begins to its end."""
    t = tree
    t.moves = []
    with_villages_and_ratings(t)
    village = t.villages[1]  # in commune A1's area
    on = START + dt.timedelta(days=30)
    m = add_member(t.cell_b1a, {"gender": "F", "residence_village": village}, D(2010, 1, 1), on, 1)
    assert engine.count("villages.without_resident_member", t.district_a, on=on) == 2
    with override_settings(COSO_LEDGER=False):
        assert engine.count("villages.without_resident_member", t.district_a, on=on) == 2
    assert engine.count("villages.without_resident_member", t.district_a, on=on - dt.timedelta(days=1)) == 3
    services.record_event(actor=None, member=m, type=EventType.DECEASED, effective_date=on + dt.timedelta(days=10))
    assert engine.count("villages.without_resident_member", t.district_a, on=on + dt.timedelta(days=10)) == 3
    assert engine.count("villages.without_resident_member", t.district_a, on=on + dt.timedelta(days=9)) == 2
    assert list(VillageResidence.objects.filter(village=village).values_list("valid_from", "valid_to")) == [
        (on, on + dt.timedelta(days=10))]


def test_measures_check_finds_a_span_that_drifted(tree, capsys):
    from django.core.management import call_command

    t = tree
    t.moves = []
    with_villages_and_ratings(t)
    add_member(t.cell_a1a, {"gender": "M", "residence_village": t.villages[0]}, D(2010, 1, 1), START + dt.timedelta(days=5), 1)
    call_command("measures", "check")
    VillageResidence.objects.update(valid_from=START + dt.timedelta(days=6))
    with pytest.raises(SystemExit):
        call_command("measures", "check")
    assert "residence" in capsys.readouterr().out
    ledger.rebuild()
    call_command("measures", "check")


def test_a_merged_villages_residents_live_in_the_village_it_was_merged_into(tree):
    """Thôn 01 and Thôn 02 merge into a new village on 01/03/2024 (places lineage, as a
    restructuring writes it): the member recorded in Thôn 01 lives in the new village from that day
    (the address is not rewritten), in Thôn 01 before it; both reading paths agree; a village split
    in parts (partial lineage) hands nobody on."""
    from coso.places import services as places
    from coso.places.models import Lineage as PlaceLineage
    from coso.places.models import UnitKind
    from coso.places.watchers import lineage_changing

    t = tree
    t.moves = []
    with_villages_and_ratings(t)
    old1, old2 = t.villages[1], t.villages[2]
    add_member(t.cell_b1a, {"gender": "F", "residence_village": old1}, D(2010, 1, 1), START + dt.timedelta(days=5), 1)
    merged_on = D(2024, 3, 1)
    for v in (old1, old2):
        places.close_village(actor=None, village=v, valid_to=merged_on)
    new = places.create_village(actor=None, commune=old1.parent, name="Mới", kind=UnitKind.VILLAGE, valid_from=merged_on)
    with lineage_changing.watching([old1.pk, old2.pk]):
        PlaceLineage.objects.bulk_create([PlaceLineage(old=v, new=new, effective=merged_on) for v in (old1, old2)])
    assert residence.differences() == []
    for ledger_on in (True, False):
        with override_settings(COSO_LEDGER=ledger_on):
            # district A's villages: Thôn 00 (no resident), 01 (resident), 02 (none); then 00 and the new one
            assert engine.count("villages.without_resident_member", t.district_a, on=merged_on - dt.timedelta(days=1)) == 2
            assert engine.count("villages.without_resident_member", t.district_a, on=merged_on) == 1
            assert engine.count("villages", t.district_a, on=merged_on) == 2
    assert lives_there(old1.pk, merged_on)  # the recorded address: unchanged

    # a split: the old village's lineage to two parts, partial: neither part is known to hold her
    with lineage_changing.watching([old1.pk, old2.pk]):
        PlaceLineage.objects.filter(new=new).update(partial=True)
    assert residence.differences() == []
    for ledger_on in (True, False):
        with override_settings(COSO_LEDGER=ledger_on):
            assert engine.count("villages.without_resident_member", t.district_a, on=merged_on) == 2

"""The demo's members follow the Núi Thành scenario and survive the 2025 reform (issue #3, item 7)."""

import datetime as dt

import pytest
from django.db.models import Count

from coso.lib.text import fold
from coso.measures import engine
from coso.members import lifecycle
from coso.members.models import Candidate, EventType, Member, MemberEvent, MemberPeriod, Status
from coso.organizations.models import Kind, Placement
from coso.people.checks import national_id_problems
from coso.people.models import Person

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

COUNT_DAY = dt.date(2024, 3, 31)
PROBES = [dt.date(2015, 1, 1), dt.date(2018, 6, 30), dt.date(2020, 12, 31), COUNT_DAY, dt.date(2025, 6, 30),
          dt.date(2025, 7, 1), dt.date(2025, 10, 31)]


def periods_under(code: str, on: dt.date):
    """Periods in force on the day whose organization's placement on the day lies under code's subtree."""
    root = Placement.objects.on(on).get(organization__code=code)
    orgs = Placement.objects.on(on).under(root.path).values("organization_id")
    return MemberPeriod.objects.on(on).filter(organization_id__in=orgs)


def test_nui_thanh_has_5400_members_on_31_03_2024(demo):
    periods = periods_under("DEMO-NUITHANH", COUNT_DAY)
    assert periods.count() == 5400
    assert set(periods.values_list("status", flat=True)) == {Status.PROBATIONARY, Status.OFFICIAL}
    probationary = periods.filter(status=Status.PROBATIONARY).count()
    assert 0.02 * 5400 < probationary < 0.04 * 5400
    assert 20 < periods.filter(exempted=True).count() < 300
    persons = Person.objects.filter(membership__periods__in=periods)
    women = persons.filter(gender="F").count()
    assert 0.30 < women / 5400 < 0.40
    assert 10 < persons.exclude(ethnicity="01").count() < 300
    assert set(persons.exclude(ethnicity="01").values_list("ethnicity", flat=True)) == {"30", "16"}
    assert 50 < persons.exclude(religion="00").count() < 500
    ages = [COUNT_DAY.year - b.year - ((COUNT_DAY.month, COUNT_DAY.day) < (b.month, b.day)) for b in persons.values_list("birth_date", flat=True)]
    assert min(ages) >= 22 and max(ages) <= 85


def test_cells_hold_8_to_60_members_and_only_cells_hold_members(demo):
    per_cell = periods_under("DEMO-NUITHANH", COUNT_DAY).values("organization_id").annotate(n=Count("id"))
    sizes = [row["n"] for row in per_cell]
    assert len(sizes) == 262 and min(sizes) >= 8 and max(sizes) <= 60
    placements: dict[int, list] = {}
    for p in Placement.objects.values("organization_id", "kind", "valid_from", "valid_to"):
        placements.setdefault(p["organization_id"], []).append(p)
    for org_id, start, end in MemberPeriod.objects.values_list("organization_id", "valid_from", "valid_to"):
        for day in (start, (end or dt.date(2025, 11, 1)) - dt.timedelta(days=1)):
            kind = next(p["kind"] for p in placements[org_id] if p["valid_from"] <= day and (p["valid_to"] is None or day < p["valid_to"]))
            assert kind in (Kind.GRASSROOTS_CELL, Kind.SUBORDINATE_CELL)


def test_no_member_is_in_two_cells_on_any_probed_day(demo):
    for day in PROBES:
        in_force = MemberPeriod.objects.on(day)
        assert not in_force.values("member_id").annotate(n=Count("id")).filter(n__gt=1).exists(), day


def test_no_member_is_lost_in_the_2025_reform(demo):
    before = periods_under("DEMO-NUITHANH", dt.date(2025, 6, 30))
    after = periods_under("DEMO-DANANG", dt.date(2025, 7, 1))
    exits = MemberEvent.objects.filter(effective_date=dt.date(2025, 7, 1), type__in=[
        EventType.DECEASED, EventType.REMOVED, EventType.EXPELLED, EventType.LEFT]).count()
    admitted = MemberEvent.objects.filter(effective_date=dt.date(2025, 7, 1), type=EventType.ADMITTED).count()
    assert exits == 0 and admitted == 0
    assert before.count() == after.count() + exits > 5000
    assert set(before.values_list("member_id", flat=True)) == set(after.values_list("member_id", flat=True))
    # every move of that day is the restructuring's hand-off, none a transfer (the year's report
    # would count 5,000 transfers in and out)
    assert MemberEvent.objects.filter(effective_date=dt.date(2025, 7, 1), type=EventType.ORG_HANDOVER).count() == before.count()
    assert not MemberEvent.objects.filter(effective_date=dt.date(2025, 7, 1), type__in=[
        EventType.TRANSFER_OUT, EventType.TRANSFER_RECEIVED]).exists()
    assert engine.count("events.transferred_in", None, period=(dt.date(2025, 7, 1), dt.date(2025, 7, 1))) == 0
    assert not Member.objects.filter(in_transit=True).exists()


def test_the_history_replays_and_national_ids_are_mostly_valid(demo):
    counts = dict(MemberEvent.objects.values_list("type").annotate(n=Count("id")))
    for kind in (EventType.RECORDED, EventType.ADMITTED, EventType.RECOGNIZED, EventType.JOINED_BY_TRANSFER, EventType.EXEMPTED,
                 EventType.BADGE_AWARDED, EventType.DECEASED, EventType.REMOVED):
        assert counts.get(kind, 0) > 0, kind
    exits_before = Member.objects.exclude(status__in=[Status.PROBATIONARY, Status.OFFICIAL]).count()
    assert exits_before > 500
    # the stored periods are what the lifecycle derives from the events, for a sample
    for member in Member.objects.order_by("pk")[::37]:
        result = lifecycle.replay(list(member.events.order_by("effective_date", "sequence", "id")))
        stored = list(member.periods.order_by("valid_from").values_list("organization_id", "status", "valid_from", "valid_to"))
        assert stored == [(p.organization_id, p.status, p.valid_from, p.valid_to) for p in result.periods]
    persons = list(Person.objects.filter(membership__isnull=False).values_list("national_id", "gender", "birth_date"))
    with_id = [p for p in persons if p[0]]
    bad = [p for p in with_id if national_id_problems(*p)]
    assert len(with_id) > 0.9 * len(persons) and 0 < len(bad) <= 8
    assert sum(p[0][:3] == "049" for p in with_id) > 0.8 * len(with_id)


def test_candidates_and_names(demo):
    assert Candidate.objects.filter(state=Candidate.State.PREPARING).count() >= 6 * 4
    assert Candidate.objects.filter(state=Candidate.State.ADMITTED, member__isnull=False).count() > 100
    person = Person.objects.filter(membership__isnull=False).first()
    assert person.name_folded == fold(person.full_name)
    assert person.name_sort.split("|")[0].split(" ")[0] == fold(person.full_name).split(" ")[-1]


def test_the_candidate_list_at_31_03_2024_counts_what_the_dashboard_counts(demo, client):
    """Issue #10 §4: the list filtered by today's state showed none at 31/03/2024 while the
    dashboard counted those in training then; both now read Candidate.state_on_q."""
    from django.urls import reverse

    from coso.access.models import User
    from coso.measures import engine
    from coso.measures.catalog import CANDIDATES
    from coso.organizations.models import Organization

    nui_thanh = Organization.objects.get(code="DEMO-NUITHANH")
    expected = engine.count(CANDIDATES, nui_thanh, on=COUNT_DAY)
    assert expected == 87  # the dashboard's figure for Núi Thành on 31/03/2024 (issue #10)
    client.force_login(User.objects.get(username="nuithanh.tochuc"))
    response = client.get(reverse("members:candidates"), {"ngay": "31/03/2024", "to_chuc": nui_thanh.pk})
    assert response.context["page"].paginator.count == expected
    # the people's names come in the Vietnamese order, from the stored key
    persons = Person.objects.exclude(name_order="")
    assert persons.count() == Person.objects.count()

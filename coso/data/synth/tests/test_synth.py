"""`coso synth` at a tiny scale: a consistent tree, members the lifecycle agrees with, exact counts."""

import collections
import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from coso.data import worlds
from coso.data.synth import builder as synth
from coso.data.synth import world
from coso.lib.text import fold, name_sort_key
from coso.members import lifecycle, owners
from coso.members.models import ACTIVE, Candidate, Member, MemberEvent, MemberPeriod
from coso.organizations.models import Kind, Organization, Placement
from coso.organizations.rules import placement_error
from coso.people.checks import national_id_problems
from coso.people.models import Person

SCALE = 0.0006  # two communes, about 3,400 members


pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """One build for the module (about 1 s after the administrative units), flushed afterwards."""
    with django_db_blocker.unblock():
        call_command("places", "load", verbosity=0)
        yield world.build(seed=7, scale=SCALE, workers=0, say=lambda *a: None)
        worlds.flush()


def test_it_builds_the_requested_counts_and_a_tree_that_keeps_the_rules(built):
    counts = built["counts"]
    assert counts["communes"] == 2 and counts["members"] == round(synth.FULL_MEMBERS * SCALE)
    assert Member.objects.count() == counts["members"] + counts["exited"] == counts["members_rows"]
    assert MemberPeriod.objects.on(synth.END).count() == counts["members"]
    assert Member.objects.filter(status__in=ACTIVE).count() == counts["members"]
    today = Placement.objects.on(synth.END)
    assert today.filter(kind=Kind.PROVINCE_COMMITTEE).count() == 34
    assert today.filter(kind=Kind.COMMUNE_COMMITTEE).count() == 2
    assert today.filter(kind__in=[Kind.GRASSROOTS_CELL, Kind.GRASSROOTS_COMMITTEE]).count() == counts["grassroots"]
    assert not Placement.objects.on(synth.END).filter(kind=Kind.DISTRICT_COMMITTEE).exists()
    assert Placement.objects.on(dt.date(2021, 1, 1)).filter(kind=Kind.DISTRICT_COMMITTEE).exists()
    placements = list(Placement.objects.values("organization_id", "parent_id", "kind", "path", "valid_from", "valid_to"))
    by_org = collections.defaultdict(list)
    for p in placements:
        by_org[p["organization_id"]].append(p)
    for p in placements:
        parent = None
        if p["parent_id"]:
            [parent] = [q for q in by_org[p["parent_id"]] if q["valid_from"] <= p["valid_from"] and (q["valid_to"] is None or q["valid_to"] > p["valid_from"])]
            assert p["path"] == f"{parent['path']}{p['organization_id']}/"
            assert parent["valid_to"] is None or (p["valid_to"] is not None and p["valid_to"] <= parent["valid_to"])
        assert placement_error(p["kind"], parent["kind"] if parent else None, p["valid_from"]) is None, p
    assert Organization.objects.filter(closed_on=synth.REFORM).count() > 0


def test_every_member_is_what_the_lifecycle_derives_from_their_events(built):
    events = collections.defaultdict(list)
    for e in MemberEvent.objects.order_by("member_id", "effective_date", "sequence", "id"):
        events[e.member_id].append(e)
    periods = collections.defaultdict(list)
    for p in MemberPeriod.objects.order_by("member_id", "valid_from").values_list(
            "member_id", "organization_id", "status", "exempted", "in_transit", "valid_from", "valid_to"):
        periods[p[0]].append(p[1:])
    for m in Member.objects.values_list("id", "status", "organization_id", "admitted_on", "admission_decision_date", "recognized_on", "exempted", "in_transit"):
        result = lifecycle.replay(events[m[0]])
        s = result.state
        assert (s.status, s.organization_id, s.admitted_on, s.first_decision_date, s.recognized_on, s.exempted, s.transit_to is not None) == m[1:]
        assert [(p.organization_id, p.status, p.exempted, p.in_transit, p.valid_from, p.valid_to) for p in result.periods] == periods[m[0]]
        # the organization each event belongs to, filled after the load (members.owners)
        assert [e.owner_id for e in events[m[0]]] == [owners.owner_of(e.type, e.effective_date, e.organization_id, result.periods)
                                                      for e in events[m[0]]]
    kinds = collections.Counter(MemberEvent.objects.values_list("type", flat=True))
    for kind in ("recorded", "admitted", "recognized", "transfer_out", "transfer_received", "badge", "deceased"):
        assert kinds[kind] > 0, kind


def test_no_member_is_in_two_cells_or_outside_the_tree_on_any_day(built):
    cells = (Kind.GRASSROOTS_CELL, Kind.SUBORDINATE_CELL)
    for day in (synth.FROM, dt.date(2020, 6, 30), dt.date(2025, 6, 30), synth.REFORM, synth.END):
        periods = MemberPeriod.objects.on(day)
        assert not periods.values("member_id").annotate(n=Count("id")).filter(n__gt=1).exists()
        placed = Placement.objects.on(day).filter(kind__in=cells).values("organization_id")
        assert not periods.exclude(organization_id__in=placed).exists(), day
    # the reform moves organizations, not members: the count carries over, give or take that day's entries and exits
    before, after = MemberPeriod.objects.on(dt.date(2025, 6, 30)), MemberPeriod.objects.on(synth.REFORM)
    left = before.exclude(member_id__in=after.values("member_id")).count()
    joined = after.exclude(member_id__in=before.values("member_id")).count()
    assert after.count() == before.count() - left + joined
    assert left == MemberEvent.objects.filter(effective_date=synth.REFORM, type__in=["deceased", "removed", "left", "expelled", "transfer_out"],
                                              target__isnull=True).count()


def test_persons_are_well_formed_and_candidates_exist(built):
    persons = list(Person.objects.values_list("full_name", "name_folded", "name_sort", "national_id", "gender", "birth_date"))
    assert all(f == fold(n) and s == name_sort_key(n) for n, f, s, *_ in persons)
    with_id = [p for p in persons if p[3]]
    # the members and candidates: nine in ten have an ID; the political system's holders who are
    # not members have none (synth/political.py takes no serial from the members' slots)
    recorded = Member.objects.count() + Candidate.objects.count()
    assert len(with_id) > 0.85 * recorded
    assert len(persons) - recorded == built["counts"]["post_persons"]
    assert not [p for p in with_id if national_id_problems(p[3], p[4], p[5])]
    assert Candidate.objects.count() == built["counts"]["candidates"] > 0
    women = Person.objects.filter(membership__status__in=ACTIVE, gender="F").count()
    assert 0.3 < women / built["counts"]["members"] < 0.4


def test_it_is_deterministic_and_refuses_to_build_twice(built):
    from coso.data.synth.world import AlreadyBuilt

    p = synth.plan(7, SCALE, first_org_id=1, first_person_id=1, first_member_id=1, now="t")
    one, two = synth.generate(p.communes[0], 7, p.cell_ids, "t"), synth.generate(p.communes[0], 7, p.cell_ids, "t")
    assert one.persons == two.persons and one.events == two.events and one.periods == two.periods
    with pytest.raises(AlreadyBuilt):
        world.build(seed=7, scale=SCALE, say=lambda *a: None)


@pytest.mark.slow
def test_the_full_plan_covers_every_commune_with_the_national_figures(built):
    """The whole country's tree, without writing it: island special zones made of a legacy district included."""
    p = synth.plan(1, 1.0, first_org_id=1, first_person_id=1, first_member_id=1, now="t")
    counts = p.counts
    assert counts["communes"] == 3321 and counts["members"] == synth.FULL_MEMBERS
    assert 55_000 < counts["grassroots"] < 65_000 and 280_000 < counts["cells"] < 320_000
    zones = {c.name for c in p.communes if c.legacy_units and c.legacy_units == [c.legacy_units[0]] and "Hoàng Sa" == c.name}
    assert zones == {"Hoàng Sa"}
    by_org: dict = {}
    for row in p.placements:
        by_org.setdefault(row[0], []).append(row)
    zone = next(c for c in p.communes if c.name == "Hoàng Sa")
    for oid, _, _ in zone.cells:
        for row in by_org[oid]:
            [parent] = [r for r in by_org[row[1]] if r[9] <= row[9] and (r[10] is None or r[10] > row[9])]
            assert placement_error(row[4], parent[4], dt.date.fromisoformat(row[9])) is None


def test_a_year_of_meetings_covers_each_cell_with_counts_its_roster_and_absences_agree_with(built):
    from coso.activities import selectors as activity_selectors
    from coso.activities.models import Absence, Meeting
    from coso.data.synth import activities as synth_activities

    done = synth_activities.build_year(2025, seed=7, say=lambda *a: None)
    assert not done["already"] and done["meetings"] == Meeting.objects.count() and done["absences"] == Absence.objects.count()
    cells = Placement.objects.during(dt.date(2025, 1, 1), dt.date(2025, 12, 31)).filter(
        kind__in=[Kind.GRASSROOTS_CELL, Kind.SUBORDINATE_CELL]).values("organization_id").distinct().count()
    assert 12 * cells * 0.9 < done["meetings"] < 16 * cells  # a regular meeting a month (a few missed), a thematic one a quarter
    assert 0 < done["absences"] < done["marks"] * 0.1  # exceptions only
    for meeting in Meeting.objects.order_by("?")[:25]:
        rows = activity_selectors.attendance(meeting)
        assert len(rows) == meeting.roster_count  # the roster the lifecycle gives on that date
        stored = activity_selectors.counts_of(rows)
        assert (stored.excused, stored.unexcused, stored.exempted) == (meeting.excused_count, meeting.unexcused_count, meeting.exempted_count)
    again = synth_activities.build_year(2025, seed=7, say=lambda *a: None)
    assert again["already"] and Meeting.objects.count() == done["meetings"]
def test_the_political_system_is_built_for_every_commune_and_keeps_its_rules(built):
    """Bodies of the 2025 model, villages seating the village cells, posts, staff and training for
    both communes; no single-holder title with two holders on any day; one person counted once
    however many posts; the figures come out of the engine."""
    from coso.grassroots import config
    from coso.grassroots.models import Body, Post
    from coso.measures import engine
    from coso.places.models import AdminUnit, Level
    from coso.staffing.models import Employment, Quota
    from coso.training.models import Enrolment

    counts = built["counts"]
    communes = list(Placement.objects.on(synth.END).filter(kind=Kind.COMMUNE_COMMITTEE).values_list("area_id", flat=True))
    villages = AdminUnit.objects.filter(level=Level.VILLAGE, parent_id__in=communes)
    assert villages.count() == counts["villages"] >= 2 * 24
    for unit_id in communes:
        kinds = set(Body.objects.on(synth.END).filter(unit_id=unit_id, village__isnull=True).values_list("kind", flat=True))
        assert set(config.standard_kinds(config.COMMUNE, synth.END)) <= kinds
    village_cells = Placement.objects.on(synth.END).filter(kind=Kind.GRASSROOTS_CELL).filter(
        Q(name__startswith="Chi bộ Thôn ") | Q(name__startswith="Chi bộ Tổ dân phố "))
    assert Body.objects.filter(kind="cell").count() == village_cells.count()
    assert Post.objects.count() == counts["posts"] > 500
    single = {(limit.kind, limit.title) for limit in config.LIMITS if limit.holders == 1}
    held = collections.Counter((p.body_id, p.title) for p in Post.objects.on(synth.END) if (p.body.kind, p.title) in single)
    assert held and max(held.values()) == 1
    # every cell secretary is a member of the cell the body names
    for post in Post.objects.filter(title="cell_secretary").select_related("body"):
        assert MemberPeriod.objects.on(synth.END).filter(member__person_id=post.person_id, organization_id=post.body.organization_id).exists()
    assert Employment.objects.filter(commune_id__in=communes).exists() and Quota.objects.count() == 3 * len(communes)
    assert Employment.objects.filter(ending="tinh_gian").exists()
    assert Enrolment.objects.filter(state="completed").exists()
    province = Placement.objects.on(synth.END).get(area_id=AdminUnit.objects.get(pk=communes[0]).parent_id, kind=Kind.PROVINCE_COMMITTEE)
    figures = engine.table(["villages", "villages.with_head", "villages.head_member", "posts.holders", "posts.holders.members",
                            "villages.with_cell", "villages.without_cell"], province.organization_id, on=synth.END).total
    assert figures["villages.with_head"] == figures["villages"] > 0
    # each village cell covers the village its cell body sits in (the report's "villages with a cell")
    country = engine.table(["villages", "villages.with_cell", "villages.without_cell"], None, on=synth.END).total
    assert country["villages.with_cell"] == counts["village_cells"] == village_cells.count() > 0
    assert 0 < figures["villages.with_cell"] < figures["villages"]
    assert figures["villages.with_cell"] + figures["villages.without_cell"] == figures["villages"]
    for placement in village_cells.prefetch_related("villages")[:20]:
        assert [v.pk for v in placement.villages.all()] == list(
            Body.objects.filter(kind="cell", organization_id=placement.organization_id).values_list("village_id", flat=True))
    assert 0 < figures["villages.head_member"] < figures["villages"]
    # the members of the communes' other cells live in the villages without a cell: nearly every
    # village has a resident party member (the report's "villages without a resident member")
    residents = engine.table(["villages", "villages.without_resident_member"], None, on=synth.END).total
    assert residents["villages.without_resident_member"] < 0.1 * residents["villages"]
    distinct = Post.objects.on(synth.END).filter(body__unit_id=communes[0]).values("person_id").distinct().count()
    assert 0 < figures["posts.holders.members"] < figures["posts.holders"]
    assert figures["posts.holders"] >= distinct


def test_a_year_of_inspection_work_at_realistic_rates_keeps_the_rules(built):
    """Cases of every committee and cell, discipline of about 0.25 % of members by a competent
    body, every expulsion of the year with its decision; the figures come out of the engine and
    the lifecycle still agrees with every member."""
    from coso.data.synth import inspection as synth_inspection
    from coso.inspection import rules
    from coso.inspection import services as inspection_services
    from coso.inspection.models import Case, Discipline, Intake
    from coso.measures import engine

    done = synth_inspection.build_year(2024, seed=7, say=lambda *a: None)
    assert not done["already"] and done["cases"] == Case.objects.count() and done["disciplines"] == Discipline.objects.count()
    members = MemberPeriod.objects.on(dt.date(2024, 7, 1)).count()
    grassroots = Placement.objects.on(dt.date(2024, 7, 1)).filter(kind__in=[Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL]).count()
    assert grassroots * 2 < done["cases"] < grassroots * 30
    assert 0.0005 * members < Discipline.objects.filter(subject_kind="member").exclude(form="khai_tru").count() < 0.01 * members
    expelled = MemberEvent.objects.filter(type="expelled", effective_date__year=2024).count()
    assert Discipline.objects.filter(form="khai_tru").count() == expelled
    for d in Discipline.objects.order_by("?")[:40]:
        level = inspection_services.competence_level(d.organization_id, d.body, d.decided_on)
        assert rules.competence_problem(d.form, d.subject_kind, level, d.body, d.decided_on) is None, d
    assert Intake.objects.exists()
    cell = Placement.objects.on(dt.date(2024, 7, 1)).filter(kind=Kind.SUBORDINATE_CELL).first()
    province = Placement.objects.on(dt.date(2024, 7, 1)).get(organization_id=int(cell.path.strip("/").split("/")[0]))
    period = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    total = engine.table(["inspection.cases", "inspection.disciplined.members"], province.organization_id, period=period).total
    under = Placement.objects.under(province.path, on=dt.date(2024, 7, 1)).values("organization_id")
    assert total["inspection.cases"] == Case.objects.filter(organization_id__in=under).count()
    again = synth_inspection.build_year(2024, seed=7, say=lambda *a: None)
    assert again["already"]
    for m in Member.objects.filter(pk__in=Discipline.objects.values("subject_member_id")).values_list("id", "status")[:50]:
        events = list(MemberEvent.objects.filter(member_id=m[0]).order_by("effective_date", "sequence", "id"))
        assert lifecycle.replay(events).state.status == m[1]
    assert owners.stale().count() == 0  # the disciplines' events too
    # the summaries as a recount gives them: the villages' residents (after the political system
    # gave the persons their villages) and the ledger of events (after the disciplines' events)
    from coso.measures import ledger

    assert ledger.compare_with_rebuild() == []


def test_the_ledger_of_organizations_is_counted_after_the_load_and_followed_again(built):
    """The loader drops the triggers for the bulk rows and counts the ledger after them: it equals
    a recount, and a placement written afterwards is followed again."""
    from django.db import transaction

    from coso.measures import orgledger
    from coso.measures.models import OrgLedgerEntry

    assert OrgLedgerEntry.objects.filter(root=0).exists()
    assert orgledger.differences() == []
    with transaction.atomic():
        placement = Placement.objects.filter(kind=Kind.SUBORDINATE_CELL, valid_to=None).first()
        Placement.objects.filter(pk=placement.pk).update(valid_to=dt.date(2026, 1, 1))
        assert orgledger.differences() == []
        on = dt.date(2026, 1, 1)
        assert sum(n for *_k, n in orgledger.groups(0, on)) == Placement.objects.on(on).count()
        transaction.set_rollback(True)

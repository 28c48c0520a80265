"""Whatever is proposed, a decision and a publication succeed exactly when the rule set's check
finds no violation, and a refused step changes nothing (no rating, no audit row, no period state):
under HD 21 and 124, and under 366 with comparable groups, the 25% allowance, the cap's settings
and a breach found and remedied.

Each example runs in a savepoint rolled back at its end, on one tree and one roll of members.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from coso.audit.models import AuditEvent
from coso.evaluation import services
from coso.evaluation.choices import CapBase, CapRounding, SubjectKind
from coso.evaluation.models import Period, Rating
from coso.evaluation.rules.base import EXCELLENT, FAILED, GOOD, SATISFACTORY

from .conftest import discipline, members

pytestmark = pytest.mark.django_db
D = dt.date
# mostly good: a period that passes the check is common enough to be tried as often as one that fails
LEVELS = st.sampled_from([GOOD] * 10 + [SATISFACTORY] * 4 + [EXCELLENT, FAILED])
ORG_LEVELS = st.sampled_from([SATISFACTORY] * 3 + [GOOD] * 2 + [EXCELLENT, FAILED])
SIZES = {"a1a": 6, "a1b": 5, "a2": 4}
DISCIPLINED = {2022: ("a1a", 0), 2024: ("a2", 0)}  # the member disciplined in the year (the roll fixture)


@pytest.fixture
def roll(tree):
    roll = {key: members(getattr(tree, f"cell_{key}"), key.upper(), n) for key, n in SIZES.items()}
    discipline(roll["a1a"][0], D(2022, 4, 1))  # in the HD 21 year
    discipline(roll["a2"][0], D(2024, 4, 1), "canh_cao")  # in the 124 year
    return roll


def snapshot(period):
    return (list(Rating.objects.filter(period=period).order_by("id").values()), AuditEvent.objects.count(),
            Period.objects.filter(pk=period.pk).values_list("state", flat=True).get())


def attempt(step, period) -> bool:
    """Run a step: True when it succeeded; when refused, assert that nothing changed."""
    before = snapshot(period)
    try:
        step()
    except ValidationError:
        assert snapshot(period) == before
        return False
    return True


@pytest.mark.parametrize("year", [2022, 2024])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(member_levels=st.fixed_dictionaries({k: st.lists(LEVELS, min_size=n, max_size=n) for k, n in SIZES.items()}),
       org_levels=st.lists(ORG_LEVELS, min_size=4, max_size=4),
       disciplined_level=st.sampled_from([FAILED, FAILED, GOOD]),
       late_discipline=st.one_of(st.none(), st.tuples(st.sampled_from(sorted(SIZES)), st.integers(1, 3))))
def test_publish_succeeds_iff_the_check_finds_nothing(tree, people, scopes, roll, year, member_levels, org_levels, disciplined_level,
                                                      late_discipline):
    staff = dict(actor=people.staff_a)
    key, index = DISCIPLINED[year]
    member_levels[key][index] = disciplined_level  # mostly what the rule wants, to reach the decision often
    with transaction.atomic():
        period = services.open_period(**staff, organization=tree.district_a, year=year)
        for key, levels in member_levels.items():
            services.propose(**staff, period=period, cell=getattr(tree, f"cell_{key}"), levels={m.pk: lv for m, lv in zip(roll[key], levels, strict=True)})
        orgs = (tree.commune_a1, tree.cell_a2, tree.cell_a1a, tree.cell_a1b)
        for org, level in zip(orgs, org_levels, strict=True):
            rating = Rating.objects.get(period=period, subject_kind=SubjectKind.ORGANIZATION, organization=org)
            services.propose_rating(**staff, rating=rating, level=level)

        found = services.violations(period)
        decided = attempt(lambda: services.decide(**staff, period=period), period)
        assert decided == (found == [])
        if decided and late_discipline:
            key, index = late_discipline
            discipline(roll[key][index], D(year, 12, 20), "canh_cao")  # recorded after the decision
        found = services.violations(period)
        published = attempt(lambda: services.publish(**staff, period=period), period)
        assert published == (decided and found == [])
        event(f"decided={decided} published={published}")
        if published:
            assert not Rating.objects.filter(period=period).exclude(state=Rating.State.PUBLISHED).exists()
            assert Period.objects.get(pk=period.pk).state == Period.State.PUBLISHED
        transaction.set_rollback(True)


SCORE = {EXCELLENT: 95, GOOD: 80, SATISFACTORY: 60, FAILED: 40}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(member_levels=st.fixed_dictionaries({k: st.lists(LEVELS, min_size=n, max_size=n) for k, n in SIZES.items()}),
       org_levels=st.lists(ORG_LEVELS, min_size=4, max_size=4),
       grouping=st.sampled_from(["default", "district", "commune"]), raised=st.booleans(),
       base=st.sampled_from(CapBase.values), rounding=st.sampled_from(CapRounding.values),
       disciplined_level=st.sampled_from([FAILED, GOOD]), remedied=st.booleans())
def test_under_366_publish_succeeds_iff_the_check_finds_nothing_with_groups_and_the_allowance(
        tree, people, scopes, roll, member_levels, org_levels, grouping, raised, base, rounding, disciplined_level, remedied):
    """The same property for the 2025 round under 366-QĐ/TW: the cap counted in a comparable group
    the competent level defined (the district's members together, or commune A1's) or in the
    default groups, the group's cap raised to 25% by a dated decision or not, the cap's base and
    rounding as set, and a member disciplined in the year whose breach was found remedied or not."""
    staff = dict(actor=people.staff_a)
    disciplined = roll["a2"][1]
    member_levels["a2"][1] = disciplined_level
    with transaction.atomic():
        breach = discipline(disciplined, D(2025, 6, 1))
        period = services.open_period(**staff, organization=tree.district_a, year=2025)
        period = services.set_rule_settings(**staff, period=period, cap_base=base, cap_rounding=rounding, leader_not_above_collective=False)
        if grouping != "default":
            organization = tree.district_a if grouping == "district" else tree.commune_a1
            group = services.create_cap_group(**staff, period=period, organization=organization, name="Nhóm tương đồng")
            services.assign_to_cap_group(**staff, group=group, organization=organization, kind=SubjectKind.MEMBER)
            if raised:
                services.raise_cap(**staff, group=group, percent=25, decision_number="15-QĐ/HU", decided_on=D(2025, 12, 10),
                                   issuer="Ban Thường vụ Huyện ủy A")
        rating = Rating.objects.get(period=period, subject_kind=SubjectKind.MEMBER, member=disciplined)
        if remedied:
            services.flag_remedied_breach(**staff, rating=rating, discipline=breach, evidence="Tự phát hiện, khắc phục xong hậu quả.")
        for key, levels in member_levels.items():
            services.propose(**staff, period=period, cell=getattr(tree, f"cell_{key}"),
                             levels={m.pk: (lv, SCORE[lv]) for m, lv in zip(roll[key], levels, strict=True)})
        for org, level in zip((tree.commune_a1, tree.cell_a2, tree.cell_a1a, tree.cell_a1b), org_levels, strict=True):
            rating = Rating.objects.get(period=period, subject_kind=SubjectKind.ORGANIZATION, organization=org)
            services.propose_rating(**staff, rating=rating, level=level, score=SCORE[level])

        found = services.violations(period)
        decided = attempt(lambda: services.decide(**staff, period=period), period)
        assert decided == (found == [])
        found = services.violations(period)
        published = attempt(lambda: services.publish(**staff, period=period), period)
        assert published == (decided and found == [])
        event(f"{grouping}{'+25%' if raised and grouping != 'default' else ''} decided={decided} published={published}")
        if published:
            assert Period.objects.get(pk=period.pk).state == Period.State.PUBLISHED
        transaction.set_rollback(True)

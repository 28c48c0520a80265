"""The read side: visibility through the scope, and the figures for the measure engine."""

import datetime as dt

import pytest
from django.http import Http404

from coso.evaluation import selectors, services
from coso.evaluation.choices import SubjectKind
from coso.evaluation.models import Rating
from coso.evaluation.rules.base import EXCELLENT, FAILED, GOOD, SATISFACTORY
from coso.organizations.models import Placement

from .conftest import members

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def published(tree, people, scopes):
    """2024 in district A, published: A1a 5 members (4 good, 1 satisfactory), A1b 1 failed, A2 2
    good; cells A1a good, A1b satisfactory, A2 good, commune A1 good."""
    a1a, a1b, a2 = members(tree.cell_a1a, "Nguyễn", 5), members(tree.cell_a1b, "Trần", 1), members(tree.cell_a2, "Lê", 2)
    members(tree.cell_b1a, "Võ", 1)
    period = services.open_period(actor=people.staff_a, scope=scopes.staff_a, organization=tree.district_a, year=2024)
    staff = dict(actor=people.staff_a, scope=scopes.staff_a, period=period)
    services.propose(**staff, cell=tree.cell_a1a, levels={m.pk: GOOD for m in a1a[:4]} | {a1a[4].pk: SATISFACTORY})
    services.propose(**staff, cell=tree.cell_a1b, levels={a1b[0].pk: FAILED})
    services.propose(**staff, cell=tree.cell_a2, levels={m.pk: GOOD for m in a2})
    for org, level in ((tree.cell_a1a, GOOD), (tree.cell_a1b, SATISFACTORY), (tree.cell_a2, GOOD), (tree.commune_a1, GOOD)):
        rating = Rating.objects.get(period=period, subject_kind=SubjectKind.ORGANIZATION, organization=org)
        services.propose_rating(actor=people.staff_a, scope=scopes.staff_a, rating=rating, level=level)
    services.decide(**staff)
    services.publish(**staff)
    return period


def test_counts_by_level_in_one_grouped_query(published, tree, django_assert_num_queries):
    ids = Placement.objects.on(published.reference_date).values("organization_id")
    # one query: the ratings of the period under the organizations given, grouped by kind and level
    with django_assert_num_queries(1):
        counts = selectors.counts_by_level(published, organization_ids=ids)
    assert counts == {SubjectKind.MEMBER: {GOOD: 6, SATISFACTORY: 1, FAILED: 1},
                      SubjectKind.ORGANIZATION: {GOOD: 3, SATISFACTORY: 1}}
    # under an organization: its path first, then the grouped query
    with django_assert_num_queries(2):
        counts = selectors.counts_by_level(published, tree.commune_a1)
    assert counts == {SubjectKind.MEMBER: {GOOD: 4, SATISFACTORY: 1, FAILED: 1}, SubjectKind.ORGANIZATION: {GOOD: 1, SATISFACTORY: 1}}
    assert selectors.counts_by_level(published, tree.cell_a2) == {SubjectKind.MEMBER: {GOOD: 2}}


def test_counts_follow_the_stage_asked_for(published, tree, people, scopes):
    members(tree.cell_b1a, "Đỗ", 1)
    period = services.open_period(actor=people.staff_b, scope=scopes.staff_b, organization=tree.district_b, year=2024)
    rating = Rating.objects.get(period=period, subject_kind=SubjectKind.MEMBER, organization=tree.cell_b1a, subject_name__startswith="Đỗ")
    services.propose_rating(actor=people.staff_b, scope=scopes.staff_b, rating=rating, level=EXCELLENT)
    assert selectors.counts_by_level(period) == {}
    assert selectors.counts_by_level(period, published_only=False) == {SubjectKind.MEMBER: {EXCELLENT: 1}}


def test_periods_are_seen_from_below_and_inside_not_from_aside(published, scopes):
    assert list(selectors.visible_periods(scopes.secretary_a1a)) == [published]
    assert list(selectors.visible_periods(scopes.staff_a)) == [published]
    assert list(selectors.visible_periods(scopes.staff_b)) == []
    with pytest.raises(Http404):
        selectors.get_period_for_user(scopes.staff_b, published.pk)


def test_ratings_are_listed_within_the_scope(published, tree, scopes, django_assert_num_queries):
    mine = selectors.ratings(scopes.secretary_a1a, published)  # reads the period organization's path
    with django_assert_num_queries(1):  # the ratings with their member, person and period
        rows = list(mine)
        names = [str(r.member.person) if r.member else r.subject_name for r in rows]
    assert len(names) == 6  # 5 members and the cell itself
    assert {r.organization_id for r in rows} == {tree.cell_a1a.pk}
    with pytest.raises(Http404):
        selectors.get_rating_for_user(scopes.staff_b, rows[0].pk)


def test_a_member_history_lists_their_ratings(published, scopes):
    rating = Rating.objects.filter(period=published, subject_kind=SubjectKind.MEMBER).first()
    assert selectors.member_history(scopes.staff_a, rating.member) == [rating]
    assert selectors.member_history(scopes.staff_b, rating.member) == []

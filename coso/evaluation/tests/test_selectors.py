"""The read side: visibility through the scope."""

import datetime as dt

import pytest
from django.http import Http404
from django.test import RequestFactory

from coso.evaluation import permissions as perms
from coso.evaluation import selectors, services
from coso.evaluation.choices import SubjectKind
from coso.evaluation.models import Rating
from coso.evaluation.rules.base import FAILED, GOOD, SATISFACTORY

from .conftest import members

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def published(tree, people, scopes):
    """2024 in district A, published: A1a 5 members (4 good, 1 satisfactory), A1b 1 failed, A2 2
    good; cells A1a good, A1b satisfactory, A2 good, commune A1 good."""
    a1a, a1b, a2 = members(tree.cell_a1a, "Nguyễn", 5), members(tree.cell_a1b, "Trần", 1), members(tree.cell_a2, "Lê", 2)
    members(tree.cell_b1a, "Võ", 1)
    period = services.open_period(actor=people.staff_a, organization=tree.district_a, year=2024)
    staff = dict(actor=people.staff_a, period=period)
    services.propose(**staff, cell=tree.cell_a1a, levels={m.pk: GOOD for m in a1a[:4]} | {a1a[4].pk: SATISFACTORY})
    services.propose(**staff, cell=tree.cell_a1b, levels={a1b[0].pk: FAILED})
    services.propose(**staff, cell=tree.cell_a2, levels={m.pk: GOOD for m in a2})
    for org, level in ((tree.cell_a1a, GOOD), (tree.cell_a1b, SATISFACTORY), (tree.cell_a2, GOOD), (tree.commune_a1, GOOD)):
        rating = Rating.objects.get(period=period, subject_kind=SubjectKind.ORGANIZATION, organization=org)
        services.propose_rating(actor=people.staff_a, rating=rating, level=level)
    services.decide(**staff)
    services.publish(**staff)
    return period


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_periods_are_seen_from_below_and_inside_not_from_aside(published, scopes, people):
    assert list(selectors.visible_periods(scopes.secretary_a1a)) == [published]
    assert list(selectors.visible_periods(scopes.staff_a)) == [published]
    assert list(selectors.visible_periods(scopes.staff_b)) == []
    with pytest.raises(Http404):
        perms.get_period_for_user(_request(people.staff_b), published.pk)


def test_ratings_are_listed_within_the_scope(published, tree, scopes, people, django_assert_num_queries):
    mine = selectors.ratings(scopes.secretary_a1a, published)  # reads the period organization's path
    with django_assert_num_queries(1):  # the ratings with their member, person and period
        rows = list(mine)
        names = [str(r.member.person) if r.member else r.subject_name for r in rows]
    assert len(names) == 6  # 5 members and the cell itself
    assert {r.organization_id for r in rows} == {tree.cell_a1a.pk}
    with pytest.raises(Http404):
        perms.get_rating_for_user(_request(people.staff_b), rows[0].pk)


def test_a_member_history_lists_their_ratings(published, scopes):
    rating = Rating.objects.filter(period=published, subject_kind=SubjectKind.MEMBER).first()
    assert selectors.member_history(scopes.staff_a, rating.member) == [rating]
    assert selectors.member_history(scopes.staff_b, rating.member) == []


def test_a_member_or_mass_organization_chosen_by_id_is_found_only_in_the_scope(published, tree, scopes):
    """The subject forms post ids; an id from another district is a 404 even if the form's
    choices were bypassed."""
    from coso.evaluation.models import MassOrganization

    mine = Rating.objects.filter(period=published, subject_kind=SubjectKind.MEMBER).first().member
    theirs = members(tree.cell_b1a, "Phạm", 1)[0]
    assert selectors.get_member(scopes.staff_a, mine.pk) == mine
    with pytest.raises(Http404):
        selectors.get_member(scopes.staff_a, theirs.pk)
    assert selectors.get_member(scopes.staff_b, theirs.pk) == theirs
    front = MassOrganization.objects.create(organization=tree.commune_b1, name="Ủy ban MTTQ xã B1", kind=MassOrganization.Kind.FATHERLAND_FRONT)
    with pytest.raises(Http404):
        selectors.get_mass_organization(scopes.staff_a, front.pk)
    assert selectors.get_mass_organization(scopes.staff_b, front.pk) == front

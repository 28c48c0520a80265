"""Ratings as figures of the measure engine: the published annual ratings over a period, by child,
year and level, and the rows behind each; one evaluation period's subjects by kind and level,
published or as worked on."""

import datetime as dt

import pytest

from coso.evaluation import services
from coso.evaluation.choices import SubjectKind
from coso.evaluation.models import Rating
from coso.evaluation.rules.base import EXCELLENT, FAILED, GOOD, SATISFACTORY
from coso.measures import engine

from .conftest import members
from .test_selectors import published  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
D = dt.date
YEAR = (D(2024, 1, 1), D(2024, 12, 31))


def test_published_ratings_are_counted_under_the_organization(tree, published):  # noqa: F811
    t = engine.table(["ratings.members", "ratings.members.good_or_better", "ratings.members.failed",
                      "ratings.organizations", "ratings.organizations.good_or_better"], tree.district_a, period=YEAR)
    assert t.total == {"ratings.members": 8, "ratings.members.good_or_better": 6, "ratings.members.failed": 1,
                       "ratings.organizations": 4, "ratings.organizations.good_or_better": 3}
    commune = engine.table(["ratings.members", "ratings.organizations"], tree.commune_a1, period=YEAR).total
    assert commune == {"ratings.members": 6, "ratings.organizations": 2}  # its own rating is not among its organizations'
    assert engine.count("ratings.members", tree.district_b, period=YEAR) == 0  # not evaluated there
    assert engine.count("ratings.members", tree.district_a, period=(D(2023, 1, 1), D(2023, 12, 31))) == 0


def test_the_share_rated_good_or_better_is_an_indicator(tree, published):  # noqa: F811
    values = engine.table(["ratings.members", "ratings.members.good_or_better"], tree.district_a, period=YEAR).total
    share = engine.ratio(values["ratings.members.good_or_better"], values["ratings.members"])
    assert str(share) == "75.0"  # 6 of 8


@pytest.mark.parametrize("by", ["child", "year", "level"])
def test_breakdowns_add_up_and_the_rows_behind_match(tree, published, by):  # noqa: F811
    names = ["ratings.members", "ratings.members.good_or_better", "ratings.organizations"]
    t = engine.table(names, tree.district_a, by=by, period=YEAR)
    for name in names:
        assert sum(v[name] for _k, _l, v in t.rows) == t.total[name]
        for key, _label, values in t.rows:
            assert engine.rows(name, tree.district_a, by=by, key=key, period=YEAR).count() == values[name], (name, key)
    if by == "level":
        labels = {k: (label, v["ratings.members"]) for k, label, v in t.rows}
        assert labels[GOOD] == ("Hoàn thành tốt nhiệm vụ", 6)
        assert [k for k, _l, _v in t.rows] == [GOOD, SATISFACTORY, FAILED]  # best first


def test_the_report_shows_the_ratings_and_lists_the_rated(client, tree, people, published):  # noqa: F811
    from django.urls import reverse

    client.force_login(people.staff_a)
    params = {"to_chuc": tree.district_a.pk, "ngay": "31/12/2024", "tu_ngay": "01/01/2024", "den_ngay": "31/12/2024"}
    sections = client.get(reverse("reports:statistics"), params).context["sections"]
    ratings = next(s for s in sections if s.rows.code == "ratings")
    values = dict(zip(ratings.rows.table.measures, [c.value for c in ratings.total.cells], strict=True))
    assert values["ratings.members"] == 8 and values["ratings.members.good_or_better"] == 6
    response = client.get(reverse("reports:figure"), {**params, "chi_tieu": "ratings.members.failed"})
    assert response.context["page"].paginator.count == 1
    assert "Không hoàn thành nhiệm vụ" in response.content.decode()


def test_a_period_s_levels_in_one_grouped_query(published, tree, django_assert_num_queries):  # noqa: F811
    # the period organization's path, then the ratings under it, grouped by kind and level
    with django_assert_num_queries(2):
        counts = engine.evaluation_levels(published)
    assert counts == {SubjectKind.MEMBER: {GOOD: 6, SATISFACTORY: 1, FAILED: 1},
                      SubjectKind.ORGANIZATION: {GOOD: 3, SATISFACTORY: 1}}
    with django_assert_num_queries(2):
        counts = engine.evaluation_levels(published, tree.commune_a1)
    assert counts == {SubjectKind.MEMBER: {GOOD: 4, SATISFACTORY: 1, FAILED: 1}, SubjectKind.ORGANIZATION: {GOOD: 1, SATISFACTORY: 1}}
    assert engine.evaluation_levels(published, tree.cell_a2) == {SubjectKind.MEMBER: {GOOD: 2}}


def test_a_period_s_levels_follow_the_stage_asked_for(published, tree, people, scopes):  # noqa: F811
    members(tree.cell_b1a, "Đỗ", 1)
    period = services.open_period(actor=people.staff_b, organization=tree.district_b, year=2024)
    rating = Rating.objects.get(period=period, subject_kind=SubjectKind.MEMBER, organization=tree.cell_b1a, subject_name__startswith="Đỗ")
    services.propose_rating(actor=people.staff_b, rating=rating, level=EXCELLENT)
    assert engine.evaluation_levels(period) == {}
    assert engine.evaluation_levels(period, working=True) == {SubjectKind.MEMBER: {EXCELLENT: 1}}
    assert engine.evaluation_levels(period, working=True, scope=scopes.staff_b) == {SubjectKind.MEMBER: {EXCELLENT: 1}}

"""The political system's figures through the measure engine: posts, holders who are party
members, village heads, concurrent posts by model and by any pair, vacancies, each on its date and
for a subtree, with the rows behind each figure as many as the figure."""

import datetime as dt

import pytest

from coso.grassroots import services
from coso.grassroots.models import Body
from coso.measures import engine
from coso.measures.grassroots import count_pair, pair_measure
from coso.organizations.models import Placement

from .conftest import ON, member, person

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def posts(tree, place):
    """Village 1: a member is cell secretary and village head; village 2: a non-member head and
    another cell secretary. The commune's secretary is also People's Council chair."""
    both = member(tree, "Kiêm Cả Hai")
    secretary = member(tree, "Bí Thư Xã")
    other_secretary = member(tree, "Bí Thư Chi Bộ Hai", tree.cell_a1b)
    head2 = person("Trưởng Thôn Hai")
    cell1 = services.create_body(actor=None, kind="cell", unit=place.commune, village=place.village1, valid_from=ON,
                                 organization=tree.cell_a1a)
    cell2 = services.create_body(actor=None, kind="cell", unit=place.commune, village=place.village2, valid_from=ON,
                                 organization=tree.cell_a1b)
    services.appoint(actor=None, body=cell1, title="cell_secretary", person=both, valid_from=ON)
    head1 = services.appoint(actor=None, body=place.body("village", place.village1), title="village_head", person=both,
                             valid_from=ON, valid_to=D(2024, 9, 1))
    services.appoint(actor=None, body=cell2, title="cell_secretary", person=other_secretary, valid_from=ON)
    services.appoint(actor=None, body=place.body("village", place.village2), title="village_head", person=head2, valid_from=ON)
    services.appoint(actor=None, body=place.body("party_committee"), title="secretary", person=secretary, valid_from=ON)
    services.appoint(actor=None, body=place.body("hdnd"), title="chair", person=secretary, valid_from=ON)
    return {"head1": head1}


def test_it_counts_village_heads_who_are_members_and_their_share(tree, posts):
    day = D(2024, 4, 1)
    t = engine.table(["posts.village_heads", "posts.village_heads.members"], tree.commune_a1, on=day)
    assert (t.total["posts.village_heads"], t.total["posts.village_heads.members"]) == (2, 1)
    assert engine.indicators(["pct.village_heads_members"], tree.commune_a1, on=day)["pct.village_heads_members"] == 50


def test_it_counts_the_named_concurrent_models_and_follows_the_date(tree, posts):
    names = ["concurrent.cell_secretary_village_head", "concurrent.secretary_hdnd_chair", "concurrent.secretary_ubnd_chair"]
    before = engine.table(names, tree.district_a, on=D(2024, 4, 1)).total
    assert before == {names[0]: 1, names[1]: 1, names[2]: 0}
    after = engine.table(names, tree.district_a, on=D(2024, 9, 1)).total  # the head's post ended that day
    assert after[names[0]] == 0


def test_it_counts_a_person_once_however_many_posts(tree, posts):
    day = D(2024, 4, 1)
    t = engine.table(["posts", "posts.holders", "posts.holders.members"], tree.commune_a1, on=day)
    assert t.total == {"posts": 6, "posts.holders": 4, "posts.holders.members": 3}


def test_the_rows_behind_each_figure_are_as_many_as_the_figure(tree, posts):
    day = D(2024, 4, 1)
    for name in ["posts", "posts.holders", "posts.holders.members", "posts.village_heads.members",
                 "concurrent.cell_secretary_village_head", "concurrent.secretary_hdnd_chair", "bodies", "bodies.head_vacant"]:
        assert engine.rows(name, tree.commune_a1, on=day).count() == engine.count(name, tree.commune_a1, on=day), name


def test_a_sibling_subtree_and_another_date_count_nothing(tree, posts):
    assert engine.count("posts", tree.district_b, on=D(2024, 4, 1)) == 0
    assert engine.count("posts", tree.commune_a1, on=D(2024, 1, 1)) == 0


def test_by_child_and_the_whole_tree(tree, posts):
    day = D(2024, 4, 1)
    rows = {label: values["posts.holders"] for _k, label, values in engine.table(["posts.holders"], tree.province, by="child", on=day).rows}
    assert rows == {"Đảng bộ huyện A": 4, "Đảng bộ huyện B": 0}
    assert engine.count("posts.holders", None, on=day) == 4


def test_the_whole_tree_by_child_puts_each_post_and_body_under_its_top_organization(tree, posts):
    # the country by province: the whole tree has no limit on its units, but its breakdown still
    # needs each unit's organization (every post and body once fell under no province: 0 each)
    day = D(2024, 4, 1)
    names = ["posts", "posts.holders", "bodies"]
    whole = engine.table(names, None, by="child", on=day)
    rows = {label: values for _k, label, values in whole.rows}
    province = engine.table(names, tree.province, on=day).total
    assert rows[str(Placement.objects.on(day).get(organization=tree.province).name)] == province
    assert province["posts"] == 6 and province["bodies"] > 0
    assert whole.total == province


def test_any_pair_a_user_picks(tree, posts):
    tree_ = engine.subtree(tree.commune_a1, D(2024, 4, 1))
    measure = pair_measure(("party_committee", "secretary"), ("hdnd", "chair"))
    assert count_pair(("party_committee", "secretary"), ("hdnd", "chair"), tree_)[None][measure.name] == 1
    assert count_pair(("cell", "cell_secretary"), ("village", "village_head"), tree_)[None].popitem()[1] == 1
    assert count_pair(("ubnd", "chair"), ("hdnd", "chair"), tree_)[None].popitem()[1] == 0


def test_vacant_heads(tree, posts):
    day = D(2024, 4, 1)
    t = engine.table(["bodies", "bodies.head_vacant"], tree.commune_a1, on=day)
    # held heads: the party committee's secretary, the council's chair, 2 village heads, 2 cell
    # secretaries; the standing committee and the council's standing body have no head to miss
    assert t.total["bodies"] - t.total["bodies.head_vacant"] == 6 + 2


def test_one_grouped_query_per_family_whatever_the_breakdown(tree, posts, django_assert_max_num_queries):
    day = D(2024, 4, 1)
    names = ["posts", "posts.holders.members", "concurrent.cell_secretary_village_head", "concurrent.secretary_hdnd_chair"]
    # the subtree's path, its placements' areas, the units under them (Subtree.units),
    # the grouped count
    with django_assert_max_num_queries(4):
        engine.table(names, tree.commune_a1, on=day)


def test_the_units_under_the_areas_are_read_once_for_all_the_families_of_a_table(tree, posts, monkeypatch):
    from coso.measures import tree as trees

    calls = []
    real = trees.units_within
    monkeypatch.setattr(trees, "units_within", lambda areas, on: calls.append(1) or real(areas, on))
    names = ["posts", "posts.holders.members", "bodies", "bodies.head_vacant", "villages", "villages.with_head", "staffing.cadres"]
    engine.table(names, tree.district_a, by="child", on=D(2024, 4, 1))
    assert len(calls) == 1


def test_village_coverage_from_the_villages_posts(tree, place, posts):
    day = D(2024, 4, 1)
    Placement.objects.on(day).get(organization=tree.cell_a1a).villages.add(place.village1)
    names = ["villages", "villages.with_head", "villages.head_member", "villages.cell_secretary_head", "villages.cell_committee",
             "villages.with_cell"]
    t = engine.table(names, tree.district_a, on=day).total
    assert t == {"villages": 2, "villages.with_head": 2, "villages.head_member": 1, "villages.cell_secretary_head": 1,
                 "villages.cell_committee": 0, "villages.with_cell": 1}
    cell2 = Body.objects.get(kind="cell", village=place.village2)
    services.appoint(actor=None, body=cell2, title="cell_committee_member", person=person("Chi Ủy Viên"), valid_from=ON)
    assert engine.count("villages.cell_committee", tree.district_a, on=day) == 1
    assert engine.rows("villages.head_member", tree.district_a, on=day).get() == place.village1
    assert engine.count("villages.head_member", tree.district_a, on=D(2024, 9, 1)) == 0  # the member head left that day


def test_the_report_has_a_political_system_section_and_the_summary_says_it(tree, posts):
    from coso.reports import standard, summary

    day = D(2024, 4, 1)
    report = standard.build(tree.district_a.pk, day, (D(2024, 1, 1), day))
    section, table = next((s, t) for s, t in report.tables if s.code == "political_system")
    assert table.total["posts.village_heads.members"] == 1 and table.total["concurrent.secretary_hdnd_chair"] == 1
    text = summary.paragraph(report)
    assert ("Về hệ thống chính trị, 1/2 trưởng thôn, tổ trưởng tổ dân phố là đảng viên, chiếm 50,0%; "
            "1 bí thư chi bộ đồng thời là trưởng thôn, tổ trưởng tổ dân phố; 1 bí thư đồng thời là chủ tịch HĐND.") in text

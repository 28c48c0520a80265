"""The evaluation services on the test tree, through the personas' scopes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from coso.audit.models import AuditEvent
from coso.evaluation import selectors, services
from coso.evaluation.choices import PeriodKind, SubjectKind
from coso.evaluation.models import Correction, MassOrganization, Period, Rating
from coso.evaluation.rules.base import EXCELLENT, FAILED, GOOD, SATISFACTORY
from coso.members import services as member_services
from coso.members.models import EventType

from .conftest import discipline, members

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def roll(tree):
    """Members of district A: 3 in A1a, 2 in A1b (commune A1), 2 in A2; one in B1a."""
    return {
        "a1a": members(tree.cell_a1a, "Nguyễn", 3),
        "a1b": members(tree.cell_a1b, "Trần", 2),
        "a2": members(tree.cell_a2, "Lê", 2),
        "b1a": members(tree.cell_b1a, "Võ", 1),
    }


def open_2024(tree, people, scopes, **kw):
    return services.open_period(actor=people.staff_a, organization=tree.district_a, year=2024, **kw)


def by_member(period, m) -> Rating:
    return Rating.objects.get(period=period, subject_kind=SubjectKind.MEMBER, member=m)


def by_org(period, org) -> Rating:
    return Rating.objects.get(period=period, subject_kind=SubjectKind.ORGANIZATION, organization=org)


def propose_all(period, tree, people, scopes, roll, level=GOOD, orgs=GOOD):
    for key, cell in (("a1a", tree.cell_a1a), ("a1b", tree.cell_a1b), ("a2", tree.cell_a2)):
        services.propose(actor=people.staff_a, period=period, cell=cell, levels={m.pk: level for m in roll[key]})
    for org in (tree.commune_a1, tree.cell_a2, tree.cell_a1a, tree.cell_a1b):
        services.propose_rating(actor=people.staff_a, rating=by_org(period, org), level=orgs)


# -- opening a period -----------------------------------------------------------------------------------


def test_it_opens_a_year_under_the_rule_set_of_its_last_day(tree, people, scopes, roll):
    period = open_2024(tree, people, scopes)
    assert (period.rule_set, period.starts_on, period.ends_on, period.reference_date) == ("qd124_2023", D(2024, 1, 1), D(2024, 12, 31), D(2024, 12, 31))
    assert period.cap_percent == Decimal(20)
    assert str(period) == "Năm 2024"
    assert AuditEvent.objects.filter(event_type="evaluation.period.opened", target_id=str(period.pk)).exists()


def test_it_enrolls_the_members_and_organizations_of_the_subtree(tree, people, scopes, roll):
    exempted = roll["a2"][1]
    member_services.record_event(actor=None, member=exempted, type=EventType.EXEMPTED, effective_date=D(2024, 6, 1))
    period = open_2024(tree, people, scopes)
    rated = Rating.objects.filter(period=period)
    assert rated.filter(subject_kind=SubjectKind.MEMBER).count() == 6  # 7 in district A, one exempted
    assert set(rated.filter(subject_kind=SubjectKind.ORGANIZATION).values_list("organization_id", flat=True)) == {
        tree.commune_a1.pk, tree.cell_a2.pk, tree.cell_a1a.pk, tree.cell_a1b.pk}
    m = by_member(period, roll["a1a"][0])
    assert (m.organization_id, m.grassroots_id, m.competent_id) == (tree.cell_a1a.pk, tree.commune_a1.pk, tree.commune_a1.pk)
    assert (by_member(period, roll["a2"][0]).grassroots_id, by_member(period, roll["a2"][0]).competent_id) == (tree.cell_a2.pk, tree.cell_a2.pk)
    assert by_org(period, tree.cell_a1a).competent_id == tree.commune_a1.pk
    assert by_org(period, tree.commune_a1).competent_id == tree.district_a.pk
    assert services.enroll(actor=people.staff_a, period=period) == 0  # idempotent


def test_subjects_for_a_cell_lists_its_members_on_the_reference_date(tree, people, scopes, roll):
    period = open_2024(tree, people, scopes)
    subjects = services.subjects_for(scopes.secretary_a1a, period, tree.cell_a1a)
    assert sorted(s.member_id for s in subjects.members) == sorted(m.pk for m in roll["a1a"])
    assert [s.organization_id for s in subjects.organizations] == [tree.cell_a1a.pk]


def test_a_quarter_needs_a_rule_set_that_provides_it(tree, people, scopes, roll):
    with pytest.raises(ValidationError, match="không quy định đánh giá theo kỳ"):
        open_2024(tree, people, scopes, kind=PeriodKind.QUARTER, quarter=2)
    period = services.open_period(actor=people.staff_a, organization=tree.district_a, year=2025,
                                  kind=PeriodKind.QUARTER, quarter=4)
    assert (period.rule_set, period.starts_on, period.ends_on, str(period)) == ("qd366_2025", D(2025, 10, 1), D(2025, 12, 31), "Quý 4 năm 2025")


def test_two_periods_never_cover_one_subject(tree, people, scopes, roll):
    open_2024(tree, people, scopes)
    with pytest.raises(ValidationError, match="Đã có kỳ đánh giá"):
        services.open_period(actor=people.admin, organization=tree.province, year=2024)
    with pytest.raises(ValidationError, match="Đã có kỳ đánh giá"):
        services.open_period(actor=people.admin, organization=tree.commune_a1, year=2024)
    services.open_period(actor=people.admin, organization=tree.district_b, year=2024)


def test_opening_is_scoped(tree, people, scopes, roll):
    with pytest.raises(Http404):
        services.open_period(actor=people.staff_b, organization=tree.district_a, year=2024)
    with pytest.raises(PermissionDenied):
        services.open_period(actor=people.leader_a, organization=tree.district_a, year=2024)
    assert not Period.objects.exists()


# -- the steps --------------------------------------------------------------------------------------------


def test_each_step_is_dated_attributed_and_audited(tree, people, scopes, roll):
    period = open_2024(tree, people, scopes)
    r = by_member(period, roll["a1a"][0])
    services.self_assess(actor=people.secretary_a1a, rating=r, level=GOOD, note="Bản tự kiểm điểm", on=D(2024, 12, 5))
    services.comment(actor=people.secretary_a1a, rating=r, text="Chi bộ thống nhất.", on=D(2024, 12, 10))
    services.propose(actor=people.secretary_a1a, period=period, cell=tree.cell_a1a,
                     levels={m.pk: GOOD for m in roll["a1a"]}, on=D(2024, 12, 10))
    r.refresh_from_db()
    assert (r.state, r.self_level, r.self_assessed_on, r.self_assessed_by_id) == (Rating.State.PROPOSED, GOOD, D(2024, 12, 5), people.secretary_a1a.pk)
    assert (r.comments, r.commented_on, r.proposed_level, r.proposed_by_id) == ("Chi bộ thống nhất.", D(2024, 12, 10), GOOD, people.secretary_a1a.pk)
    assert r.proposed_level_label == "Hoàn thành tốt nhiệm vụ"
    events = set(AuditEvent.objects.filter(target_id=str(r.pk), target_type="evaluation.rating").values_list("event_type", flat=True))
    assert events == {"evaluation.rating.self_assessed", "evaluation.rating.commented", "evaluation.rating.proposed"}
    with pytest.raises(ValidationError, match="không thể tự đánh giá"):
        services.self_assess(actor=people.secretary_a1a, rating=r, level=EXCELLENT)


def test_a_cell_secretary_works_in_their_cell_only(tree, people, scopes, roll):
    period = open_2024(tree, people, scopes)
    with pytest.raises(Http404):
        services.self_assess(actor=people.secretary_a1a, rating=by_member(period, roll["a1b"][0]), level=GOOD)
    with pytest.raises(Http404):
        services.propose(actor=people.secretary_a1a, period=period, cell=tree.cell_a1b, levels={})
    # deciding is the grassroots committee's: the secretary's scope does not hold it
    with pytest.raises(Http404):
        services.decide(actor=people.secretary_a1a, period=period, organization=tree.commune_a1)


def test_a_proposal_refuses_strangers_and_unknown_levels(tree, people, scopes, roll):
    period = open_2024(tree, people, scopes)
    with pytest.raises(ValidationError, match="Không có trong danh sách"):
        services.propose(actor=people.staff_a, period=period, cell=tree.cell_a1a, levels={roll["a1b"][0].pk: GOOD})
    with pytest.raises(ValidationError):
        services.propose(actor=people.staff_a, period=period, cell=tree.cell_a1a, levels={roll["a1a"][0].pk: "tsvm"})
    assert not Rating.objects.filter(period=period, state=Rating.State.PROPOSED).exists()


def test_the_whole_way_to_publication(tree, people, scopes, roll):
    period = open_2024(tree, people, scopes)
    propose_all(period, tree, people, scopes, roll)
    assert services.check_period(scope=scopes.staff_a, period=period) == []
    with pytest.raises(ValidationError, match="chưa được quyết định"):
        services.publish(actor=people.staff_a, period=period)
    decided = services.decide(actor=people.staff_a, period=period, decision_number="15-QĐ/HU", on=D(2024, 12, 20))
    assert len(decided) == 11
    assert services.publish(actor=people.staff_a, period=period, on=D(2024, 12, 25)) == 11
    period.refresh_from_db()
    assert (period.state, period.published_on) == (Period.State.PUBLISHED, D(2024, 12, 25))
    r = by_member(period, roll["a2"][0])
    assert (r.level, r.decision_number, r.decided_by_id, r.published_on) == (GOOD, "15-QĐ/HU", people.staff_a.pk, D(2024, 12, 25))
    assert AuditEvent.objects.filter(event_type="evaluation.rating.published").count() == 11
    assert AuditEvent.objects.filter(event_type="evaluation.period.published").count() == 1


def test_each_competent_level_decides_its_own(tree, people, scopes, roll):
    period = open_2024(tree, people, scopes)
    propose_all(period, tree, people, scopes, roll)
    decided = services.decide(actor=people.staff_a, period=period, organization=tree.commune_a1)
    # commune A1 decides its 5 members and its 2 cells; its own rating is the district's
    assert {(r.subject_kind, r.competent_id) for r in decided} == {(SubjectKind.MEMBER, tree.commune_a1.pk), (SubjectKind.ORGANIZATION, tree.commune_a1.pk)}
    assert len(decided) == 7
    assert by_org(period, tree.commune_a1).state == Rating.State.PROPOSED


def test_decide_waits_for_every_proposal_under_it(tree, people, scopes, roll):
    period = open_2024(tree, people, scopes)
    services.propose(actor=people.staff_a, period=period, cell=tree.cell_a1a, levels={roll["a1a"][0].pk: GOOD})
    with pytest.raises(ValidationError, match="chưa có đề xuất"):
        services.decide(actor=people.staff_a, period=period, organization=tree.commune_a1)


# -- refusals with the rule's message ---------------------------------------------------------------------


def test_decide_is_refused_over_the_cap_under_hd21(tree, people, scopes):
    cells = {"a1a": members(tree.cell_a1a, "Nguyễn", 7), "a1b": members(tree.cell_a1b, "Trần", 6)}
    period = services.open_period(actor=people.staff_a, organization=tree.commune_a1, year=2022)
    assert period.rule_set == "hd21_2019"
    levels = [GOOD] * 10 + [EXCELLENT] * 3
    everyone = cells["a1a"] + cells["a1b"]
    for key, cell in (("a1a", tree.cell_a1a), ("a1b", tree.cell_a1b)):
        services.propose(actor=people.staff_a, period=period, cell=cell,
                         levels={m.pk: levels[everyone.index(m)] for m in cells[key]})
    for org in (tree.cell_a1a, tree.cell_a1b):
        services.propose_rating(actor=people.staff_a, rating=by_org(period, org), level=GOOD)
    before = list(Rating.objects.filter(period=period).values())
    with pytest.raises(ValidationError) as refused:
        services.decide(actor=people.staff_a, period=period)
    assert refused.value.messages == [
        "Đảng bộ xã A1: 3 đảng viên được xếp loại “Hoàn thành xuất sắc nhiệm vụ”, vượt quá 20% số đảng viên được xếp loại "
        "“Hoàn thành tốt nhiệm vụ” (10 người, tối đa 2) theo Hướng dẫn 21-HD/BTCTW ngày 18/10/2019, mục II.B, điểm 2.3.a."]
    assert list(Rating.objects.filter(period=period).values()) == before
    # the competent level lowers one at the decision: 11 good, 2 excellent
    third = by_member(period, cells["a1b"][-1])
    services.decide(actor=people.staff_a, period=period, levels={third.pk: GOOD})
    third.refresh_from_db()
    assert (third.proposed_level, third.level) == (EXCELLENT, GOOD)


def test_a_member_reprimanded_in_2024_cannot_be_rated_good_for_2024(tree, people, scopes, roll):
    an = roll["a2"][0]
    discipline(an, D(2024, 3, 15))
    period = open_2024(tree, people, scopes)
    services.propose(actor=people.staff_a, period=period, cell=tree.cell_a2, levels={m.pk: GOOD for m in roll["a2"]})
    services.propose_rating(actor=people.staff_a, rating=by_org(period, tree.cell_a2), level=GOOD)
    found = services.check_period(scope=scopes.staff_a, period=period, organization=tree.cell_a2)
    assert [v.rule for v in found] == ["discipline.member"]
    with pytest.raises(ValidationError, match="bị kỷ luật khiển trách ngày 15/03/2024"):
        services.decide(actor=people.staff_a, period=period, organization=tree.cell_a2)
    services.decide(actor=people.staff_a, period=period, organization=tree.cell_a2,
                    levels={by_member(period, an).pk: FAILED})
    # the check shows what stands under the organization asked about
    assert services.check_period(scope=scopes.staff_a, period=period, organization=tree.commune_a1) == []


def test_publish_is_refused_when_a_discipline_arrives_after_the_decision(tree, people, scopes, roll):
    period = open_2024(tree, people, scopes)
    propose_all(period, tree, people, scopes, roll)
    services.decide(actor=people.staff_a, period=period)
    discipline(roll["a1b"][1], D(2024, 12, 22), "canh_cao")
    before = (list(Rating.objects.filter(period=period).values()), AuditEvent.objects.count())
    with pytest.raises(ValidationError, match="cảnh cáo"):
        services.publish(actor=people.staff_a, period=period)
    assert (list(Rating.objects.filter(period=period).values()), AuditEvent.objects.count()) == before


# -- after publication ------------------------------------------------------------------------------------


def published_2024(tree, people, scopes, roll):
    period = open_2024(tree, people, scopes)
    propose_all(period, tree, people, scopes, roll, level=SATISFACTORY, orgs=SATISFACTORY)
    services.decide(actor=people.staff_a, period=period)
    services.publish(actor=people.staff_a, period=period)
    return period


def test_a_published_result_changes_only_by_a_recorded_correction(tree, people, scopes, roll):
    period = published_2024(tree, people, scopes, roll)
    r = by_member(period, roll["a1a"][0])
    with pytest.raises(ValidationError, match="Chưa nêu lý do"):
        services.correct(actor=people.staff_a, rating=r, level=FAILED, reason=" ")
    c = services.correct(actor=people.staff_a, rating=r, level=FAILED, reason="Kỷ luật năm 2025 về vi phạm năm 2024",
                         decision_number="3-QĐ/ĐU", on=D(2025, 3, 1))
    r.refresh_from_db()
    assert (r.level, c.old_level, c.new_level, c.corrected_on, c.corrected_by_id) == (FAILED, SATISFACTORY, FAILED, D(2025, 3, 1), people.staff_a.pk)
    assert selectors.corrections_of(r) == [c]
    event = AuditEvent.objects.get(event_type="evaluation.rating.corrected")
    assert (event.old["level"], event.new["level"], event.new["reason"]) == (SATISFACTORY, FAILED, "Kỷ luật năm 2025 về vi phạm năm 2024")
    with pytest.raises(ValidationError, match="đã công bố"):
        services.self_assess(actor=people.staff_a, rating=r, level=GOOD)


def test_a_correction_may_not_create_a_violation(tree, people, scopes, roll):
    period = published_2024(tree, people, scopes, roll)
    r = by_member(period, roll["a1a"][0])
    with pytest.raises(ValidationError, match="vượt quá 20%"):
        services.correct(actor=people.staff_a, rating=r, level=EXCELLENT, reason="Thành tích nổi bật")
    assert not Correction.objects.exists()


def test_a_result_before_publication_is_not_corrected_but_decided_again(tree, people, scopes, roll):
    period = open_2024(tree, people, scopes)
    propose_all(period, tree, people, scopes, roll)
    services.decide(actor=people.staff_a, period=period)
    r = by_member(period, roll["a1a"][0])
    with pytest.raises(ValidationError, match="Chỉ điều chỉnh kết quả đã công bố"):
        services.correct(actor=people.staff_a, rating=r, level=SATISFACTORY, reason="x")
    services.decide(actor=people.staff_a, period=period, levels={r.pk: SATISFACTORY})
    r.refresh_from_db()
    assert (r.state, r.level) == (Rating.State.DECIDED, SATISFACTORY)


# -- 366: scores -----------------------------------------------------------------------------------------


def test_under_366_the_self_assessment_carries_a_score_that_bounds_the_level(tree, people, scopes, roll):
    period = services.open_period(actor=people.staff_a, organization=tree.district_a, year=2025)
    r = by_member(period, roll["a1a"][0])
    with pytest.raises(ValidationError, match="Chưa chấm điểm"):
        services.self_assess(actor=people.staff_a, rating=r, level=GOOD)
    with pytest.raises(ValidationError, match="chỉ được tự xếp loại"):
        services.self_assess(actor=people.staff_a, rating=r, level=EXCELLENT, score=Decimal("89.5"))
    services.self_assess(actor=people.staff_a, rating=r, level=GOOD, score=Decimal("89.5"))
    services.propose(actor=people.staff_a, period=period, cell=tree.cell_a1a, levels={r.member_id: EXCELLENT})
    r.refresh_from_db()
    assert r.proposed_score == Decimal("89.5")  # the self-assessed score stands
    found = {v.rule: v.message for v in services.check_period(scope=scopes.staff_a, period=period)}
    assert "đạt 89,5 điểm" in found["score.level"]


# -- other subjects --------------------------------------------------------------------------------------


def test_collectives_leaders_and_mass_organizations_are_subjects(tree, people, scopes, roll):
    period = services.open_period(actor=people.staff_a, organization=tree.district_a, year=2022)
    collective = services.add_collective(actor=people.staff_a, period=period, organization=tree.commune_a1)
    leader = services.add_leader(actor=people.staff_a, period=period, member=roll["a1a"][0], organization=tree.commune_a1,
                                 post="Bí thư Đảng ủy")
    front = services.create_mass_organization(actor=people.staff_a, organization=tree.commune_a1,
                                              name="Ủy ban Mặt trận Tổ quốc xã A1", kind=MassOrganization.Kind.FATHERLAND_FRONT)
    mass = services.add_mass_organization(actor=people.staff_a, period=period, mass_organization=front)
    assert (collective.subject_name, collective.competent_id) == ("Tập thể lãnh đạo Đảng bộ xã A1", tree.district_a.pk)
    assert (leader.post, leader.competent_id) == ("Bí thư Đảng ủy", tree.district_a.pk)
    assert (mass.competent_id, mass.grassroots_id) == (tree.commune_a1.pk, tree.commune_a1.pk)
    with pytest.raises(ValidationError):
        services.add_collective(actor=people.staff_a, period=period, organization=tree.commune_a1)
    # HD 21: a leader warned in the year takes the collective down to KHTNV
    discipline(roll["a1a"][0], D(2022, 8, 1), "canh_cao")
    services.propose_rating(actor=people.staff_a, rating=collective, level=SATISFACTORY)
    services.propose_rating(actor=people.staff_a, rating=leader, level=FAILED)
    rules_found = {v.rule for v in services.check_period(scope=scopes.staff_a, period=period)}
    assert "discipline.collective" in rules_found


def test_a_mass_organization_named_and_added_in_one_step_is_not_named_when_refused(tree, people, scopes):
    period = services.open_period(actor=people.staff_a, organization=tree.district_a, year=2022)
    staff = dict(actor=people.staff_a, period=period, organization=tree.commune_a1)
    rating = services.add_new_mass_organization(**staff, name="Hội Cựu chiến binh xã A1", kind=MassOrganization.Kind.OTHER)
    assert (rating.subject_name, rating.mass_organization.organization_id) == ("Hội Cựu chiến binh xã A1", tree.commune_a1.pk)
    Period.objects.filter(pk=period.pk).update(state=Period.State.PUBLISHED)  # the period closed meanwhile
    period.refresh_from_db()
    with pytest.raises(ValidationError):
        services.add_new_mass_organization(**staff, name="Hội Nông dân xã A1")
    assert not MassOrganization.objects.filter(name="Hội Nông dân xã A1").exists()


def test_old_periods_keep_their_old_titles(tree, people, scopes, roll):
    period = services.open_period(actor=people.staff_a, organization=tree.district_a, year=2016)
    assert period.rule_set == "hd27_2014" and period.cap_percent is None
    services.propose_rating(actor=people.staff_a, rating=by_org(period, tree.cell_a1a), level="tsvm")
    assert by_org(period, tree.cell_a1a).proposed_level_label == "Trong sạch, vững mạnh"
    with pytest.raises(ValidationError):
        services.propose_rating(actor=people.staff_a, rating=by_org(period, tree.cell_a1b), level=EXCELLENT)

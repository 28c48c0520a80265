"""The services of issue #18: the rule set's settings, comparable groups and the 25% allowance,
breaches found and remedied. Each: the happy path, audited; out of scope (404); read only (403);
refusals that change nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from coso.audit.models import AuditEvent
from coso.evaluation import services
from coso.evaluation.choices import CapBase, CapRounding, SubjectKind
from coso.evaluation.models import CapGroup, Period, Rating, RemediedBreach
from coso.evaluation.rules.base import EXCELLENT, GOOD
from coso.members import services as member_services
from coso.members.models import EventType

from .conftest import discipline, members

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def roll(tree):
    """Commune A1: 3 members in A1a, 2 in A1b; chi bộ cơ sở A2: 2."""
    return {"a1a": members(tree.cell_a1a, "Nguyễn", 3), "a1b": members(tree.cell_a1b, "Trần", 2), "a2": members(tree.cell_a2, "Lê", 2)}


def staff(people, scopes):
    return {"actor": people.staff_a}


def open_2025(tree, people, scopes):
    return services.open_period(**staff(people, scopes), organization=tree.district_a, year=2025)


def member_rating(period, m) -> Rating:
    return Rating.objects.get(period=period, subject_kind=SubjectKind.MEMBER, member=m)


def propose_members(period, tree, people, scopes, roll, excellent=()):
    """Every member "tốt" (80 points) but those in excellent (95)."""
    for key, cell in (("a1a", tree.cell_a1a), ("a1b", tree.cell_a1b), ("a2", tree.cell_a2)):
        services.propose(**staff(people, scopes), period=period, cell=cell,
                         levels={m.pk: (EXCELLENT, 95) if m in excellent else (GOOD, 80) for m in roll[key]})


def cap_rules(period):
    return sorted(v.rule for v in services.violations(period) if v.rule.startswith("cap."))


# -- settings -------------------------------------------------------------------------------------------


def test_a_period_opens_with_its_rule_sets_defaults(tree, people, scopes, roll):
    period = open_2025(tree, people, scopes)
    assert (period.cap_base, period.cap_rounding, period.leader_not_above_collective) == (CapBase.GOOD, CapRounding.DOWN, False)
    hd21 = services.open_period(**staff(people, scopes), organization=tree.district_a, year=2022)
    assert hd21.leader_not_above_collective is True


def test_the_settings_change_the_check_and_are_audited(tree, people, scopes, roll):
    period = open_2025(tree, people, scopes)
    propose_members(period, tree, people, scopes, roll, excellent=roll["a1a"][:1])  # commune A1: 4 tốt, 1 xuất sắc
    assert cap_rules(period) == ["cap.members"]  # floor(4 × 20%) = 0
    period = services.set_rule_settings(**staff(people, scopes), period=period, cap_base=CapBase.GOOD_OR_BETTER, cap_rounding=CapRounding.HALF_UP,
                               leader_not_above_collective=True)
    assert cap_rules(period) == []  # 5 × 20% = 1
    event = AuditEvent.objects.get(event_type="evaluation.period.settings_changed")
    assert event.new["cap_base"] == CapBase.GOOD_OR_BETTER


def test_settings_are_scoped_and_checked(tree, people, scopes, roll):
    period = open_2025(tree, people, scopes)
    args = {"period": period, "cap_base": CapBase.GOOD, "cap_rounding": CapRounding.HALF_UP, "leader_not_above_collective": False}
    with pytest.raises(Http404):
        services.set_rule_settings(actor=people.staff_b, **args)
    with pytest.raises(PermissionDenied):
        services.set_rule_settings(actor=people.leader_a, **args)
    with pytest.raises(ValidationError):
        services.set_rule_settings(**staff(people, scopes), **{**args, "cap_rounding": "up"})
    assert Period.objects.get(pk=period.pk).cap_rounding == CapRounding.DOWN
    assert not AuditEvent.objects.filter(event_type="evaluation.period.settings_changed").exists()


# -- groups and the allowance ----------------------------------------------------------------------------


def test_a_group_counts_the_cap_across_grassroots_organizations(tree, people, scopes, roll):
    period = open_2025(tree, people, scopes)
    propose_members(period, tree, people, scopes, roll, excellent=roll["a1a"][:1])
    group = services.create_cap_group(**staff(people, scopes), period=period, organization=tree.district_a, name="Đảng viên khối xã, cơ quan")
    assert services.assign_to_cap_group(**staff(people, scopes), group=group, organization=tree.district_a, kind=SubjectKind.MEMBER) == 7
    assert cap_rules(period) == []  # 6 tốt allow 1
    assert set(Rating.objects.filter(cap_group=group).values_list("subject_kind", flat=True)) == {SubjectKind.MEMBER}
    assert AuditEvent.objects.filter(event_type__startswith="evaluation.cap_group.").count() == 2


def test_the_allowance_raises_a_groups_cap_to_25_percent_and_unblocks_the_decision(tree, people, scopes, roll):
    period = open_2025(tree, people, scopes)
    propose_members(period, tree, people, scopes, roll, excellent=roll["a1a"][:1])
    group = services.create_cap_group(**staff(people, scopes), period=period, organization=tree.commune_a1, name="Xã A1")
    services.assign_to_cap_group(**staff(people, scopes), group=group, organization=tree.commune_a1, kind=SubjectKind.MEMBER)
    assert cap_rules(period) == ["cap.group"]  # 4 tốt at 20%: none
    for cell in (tree.cell_a1a, tree.cell_a1b):
        org = Rating.objects.get(period=period, subject_kind=SubjectKind.ORGANIZATION, organization=cell)
        services.propose_rating(**staff(people, scopes), rating=org, level=GOOD, score=80)
    with pytest.raises(ValidationError, match="Nhóm “Xã A1”"):
        services.decide(**staff(people, scopes), period=period, organization=tree.commune_a1)
    services.raise_cap(**staff(people, scopes), group=group, percent=25, decision_number="15-QĐ/HU", decided_on=D(2025, 12, 10),
                       issuer="Ban Thường vụ Huyện ủy A", reason="Đơn vị dẫn đầu phong trào thi đua")
    group.refresh_from_db()
    assert (group.raised_percent, group.raised_on, group.raised_by) == (Decimal(25), D(2025, 12, 10), people.staff_a)
    assert cap_rules(period) == []  # 4 tốt at 25%: 1
    decided = services.decide(**staff(people, scopes), period=period, organization=tree.commune_a1)
    assert {r.subject_kind for r in decided} == {SubjectKind.MEMBER, SubjectKind.ORGANIZATION}
    with pytest.raises(ValidationError, match="không thể thay đổi tỷ lệ"):
        services.raise_cap(**staff(people, scopes), group=group, percent=20, decision_number="16-QĐ/HU", decided_on=D(2025, 12, 12),
                           issuer="Ban Thường vụ Huyện ủy A")


def test_the_allowance_is_at_most_25_percent_and_needs_its_decision(tree, people, scopes, roll):
    period = open_2025(tree, people, scopes)
    group = services.create_cap_group(**staff(people, scopes), period=period, organization=tree.commune_a1, name="Xã A1")
    with pytest.raises(ValidationError):
        services.raise_cap(**staff(people, scopes), group=group, percent=30, decision_number="15-QĐ/HU", decided_on=D(2025, 12, 10),
                           issuer="Ban Thường vụ Huyện ủy A")
    with pytest.raises(ValidationError) as refused:
        services.raise_cap(**staff(people, scopes), group=group, percent=25, decision_number="", decided_on=None, issuer="")
    assert set(refused.value.message_dict) == {"decision_number", "decided_on", "issuer"}
    assert CapGroup.objects.get(pk=group.pk).raised_percent is None
    old = services.open_period(**staff(people, scopes), organization=tree.district_a, year=2024)  # 124: no allowance
    old_group = services.create_cap_group(**staff(people, scopes), period=old, organization=tree.commune_a1, name="Xã A1")
    with pytest.raises(ValidationError, match="không quy định nâng tỷ lệ"):
        services.raise_cap(**staff(people, scopes), group=old_group, percent=25, decision_number="15-QĐ/HU", decided_on=D(2024, 12, 10),
                           issuer="Ban Thường vụ Huyện ủy A")


def test_groups_are_scoped(tree, people, scopes, roll):
    period = open_2025(tree, people, scopes)
    with pytest.raises(Http404):
        services.create_cap_group(actor=people.staff_b, period=period, organization=tree.district_a, name="X")
    with pytest.raises(PermissionDenied):
        services.create_cap_group(actor=people.leader_a, period=period, organization=tree.district_a, name="X")
    group = services.create_cap_group(**staff(people, scopes), period=period, organization=tree.commune_a1, name="Xã A1")
    with pytest.raises(ValidationError):  # the name again
        services.create_cap_group(**staff(people, scopes), period=period, organization=tree.commune_a1, name="Xã A1")
    with pytest.raises(ValidationError, match="không thuộc phạm vi của cấp có thẩm quyền"):  # A2 lies outside commune A1
        services.assign_to_cap_group(**staff(people, scopes), group=group, organization=tree.cell_a2, kind=SubjectKind.MEMBER)
    with pytest.raises(Http404):
        services.assign_to_cap_group(actor=people.staff_b, group=group, organization=tree.commune_a1,
                                     kind=SubjectKind.MEMBER)
    with pytest.raises(PermissionDenied):
        services.raise_cap(actor=people.leader_a, group=group, percent=25, decision_number="1", decided_on=D(2025, 12, 1),
                           issuer="Huyện ủy")
    assert not Rating.objects.filter(cap_group__isnull=False).exists()
    assert CapGroup.objects.count() == 1


# -- breaches found and remedied -------------------------------------------------------------------------


def test_a_breach_found_and_remedied_lifts_the_discipline_rule(tree, people, scopes, roll):
    an = roll["a2"][0]
    event = discipline(an, D(2025, 6, 1))
    period = open_2025(tree, people, scopes)
    propose_members(period, tree, people, scopes, roll)
    assert [v.rule for v in services.violations(period)] == ["discipline.member"]
    found = services.flag_remedied_breach(**staff(people, scopes), rating=member_rating(period, an), discipline=event,
                                          evidence="Biên bản tự kiểm điểm ngày 10/05/2025; khắc phục xong thiệt hại.", decision_number="05-BB/CB",
                                          on=D(2025, 12, 5))
    assert (found.organization_id, found.decided_by, found.member_id) == (tree.cell_a2.pk, people.staff_a, an.pk)
    assert services.violations(period) == []
    assert AuditEvent.objects.get(event_type="evaluation.breach.remedied").new["discipline"] == event.pk
    with pytest.raises(ValidationError, match="đã được ghi nhận"):
        services.flag_remedied_breach(**staff(people, scopes), rating=member_rating(period, an), discipline=event, evidence="Lần nữa")


def test_the_remedy_needs_evidence_a_rule_set_with_the_exception_and_the_scope(tree, people, scopes, roll):
    an = roll["a2"][0]
    event = discipline(an, D(2025, 6, 1))
    period = open_2025(tree, people, scopes)
    rating = member_rating(period, an)
    with pytest.raises(ValidationError) as refused:
        services.flag_remedied_breach(**staff(people, scopes), rating=rating, discipline=event, evidence="  ")
    assert "evidence" in refused.value.message_dict
    with pytest.raises(Http404):
        services.flag_remedied_breach(actor=people.staff_b, rating=rating, discipline=event, evidence="x")
    with pytest.raises(PermissionDenied):
        services.flag_remedied_breach(actor=people.leader_a, rating=rating, discipline=event, evidence="x")
    other = discipline(roll["a2"][1], D(2025, 7, 1))
    with pytest.raises(ValidationError, match="không phải của đối tượng này"):
        services.flag_remedied_breach(**staff(people, scopes), rating=rating, discipline=other, evidence="x")
    old_event = discipline(roll["a1a"][0], D(2022, 6, 1))
    hd21 = services.open_period(**staff(people, scopes), organization=tree.district_a, year=2022)
    with pytest.raises(ValidationError, match="không có ngoại lệ"):
        services.flag_remedied_breach(**staff(people, scopes), rating=member_rating(hd21, roll["a1a"][0]), discipline=old_event, evidence="x")
    assert not RemediedBreach.objects.exists()
    assert not AuditEvent.objects.filter(event_type="evaluation.breach.remedied").exists()


def test_the_breach_date_is_recorded_beside_the_discipline_and_shown(tree, people, scopes, roll):
    an = roll["a2"][0]
    member_services.record_event(actor=None, member=an, type=EventType.DISCIPLINED, effective_date=D(2026, 2, 10), discipline_form="khien_trach",
                                 breach_on=D(2025, 9, 1), breach_category="duty")
    period = services.open_period(**staff(people, scopes), organization=tree.district_a, year=2026)
    propose_members(period, tree, people, scopes, roll)
    [found] = services.violations(period)
    assert "vi phạm ngày 01/09/2025, trước kỳ đánh giá, được tính vào kỳ này" in found.message
    with pytest.raises(ValidationError, match="Ngày vi phạm sau ngày quyết định"):
        member_services.record_event(actor=None, member=an, type=EventType.DISCIPLINED, effective_date=D(2026, 3, 1), discipline_form="canh_cao",
                                     breach_on=D(2026, 4, 1))


def test_a_units_own_discipline_is_recorded_on_its_rating_and_read_by_the_rules(tree, people, scopes, roll):
    period = services.open_period(**staff(people, scopes), organization=tree.district_a, year=2024)  # 124
    cells = {org: Rating.objects.get(period=period, subject_kind=SubjectKind.ORGANIZATION, organization=org)
             for org in (tree.commune_a1, tree.cell_a1a, tree.cell_a1b)}
    for rating in cells.values():
        services.propose_rating(**staff(people, scopes), rating=rating, level=GOOD)
    services.record_unit_discipline(**staff(people, scopes), rating=cells[tree.cell_a1a], disciplined=True)
    found = sorted((v.rule, v.subject) for v in services.violations(period) if v.rule == "organization.units_disciplined")
    # the cell itself, and commune A1 with 1 of its 2 cells disciplined (50% > 20%)
    assert found == sorted([("organization.units_disciplined", cells[tree.cell_a1a].pk), ("organization.units_disciplined", cells[tree.commune_a1].pk)])
    assert AuditEvent.objects.get(event_type="evaluation.rating.unit_disciplined").new == {"disciplined": True}


def test_a_units_discipline_is_scoped_and_only_for_units(tree, people, scopes, roll):
    period = services.open_period(**staff(people, scopes), organization=tree.district_a, year=2024)
    unit = Rating.objects.get(period=period, subject_kind=SubjectKind.ORGANIZATION, organization=tree.cell_a1a)
    with pytest.raises(Http404):
        services.record_unit_discipline(actor=people.staff_b, rating=unit, disciplined=True)
    with pytest.raises(PermissionDenied):
        services.record_unit_discipline(actor=people.leader_a, rating=unit, disciplined=True)
    with pytest.raises(ValidationError, match="kỷ luật đảng viên ghi trong hồ sơ"):
        services.record_unit_discipline(**staff(people, scopes), rating=member_rating(period, roll["a1a"][0]), disciplined=True)
    assert not Rating.objects.filter(period=period, conditions__has_key="disciplined").exists()


# ---------------------------------------------------------------- two users at once


def test_a_group_named_by_another_user_meanwhile_is_refused_not_a_server_error(people, tree, scopes, roll, monkeypatch):
    """The name check and the insert are two statements: a group created between them hits the
    unique constraint, which comes back as the same message, in a savepoint (the caller's
    transaction stays usable)."""
    period = open_2025(tree, people, scopes)
    services.create_cap_group(actor=people.staff_a, period=period, organization=tree.commune_a1, name="Xã A1")
    from django.db.models import QuerySet

    real_exists = QuerySet.exists
    monkeypatch.setattr(QuerySet, "exists", lambda qs: False if qs.model is CapGroup else real_exists(qs))
    with pytest.raises(ValidationError) as refused:
        services.create_cap_group(actor=people.staff_a, period=period, organization=tree.commune_a1, name="Xã A1")
    assert "Kỳ đánh giá đã có nhóm cùng tên." in refused.value.messages
    assert CapGroup.objects.filter(period=period).count() == 1


def test_a_remedy_recorded_by_another_user_meanwhile_is_refused_not_a_server_error(people, tree, scopes, roll, monkeypatch):
    period = open_2025(tree, people, scopes)
    an = roll["a2"][0]
    event = discipline(an, D(2025, 6, 1))
    rating = Rating.objects.get(period=period, member=an, subject_kind=SubjectKind.MEMBER)
    services.flag_remedied_breach(actor=people.staff_a, rating=rating, discipline=event, evidence="Tự khắc phục.")
    from django.db.models import QuerySet

    real_exists = QuerySet.exists
    monkeypatch.setattr(QuerySet, "exists", lambda qs: False if qs.model is RemediedBreach else real_exists(qs))
    with pytest.raises(ValidationError) as refused:
        services.flag_remedied_breach(actor=people.staff_a, rating=rating, discipline=event, evidence="Lần nữa.")
    assert "Vi phạm này đã được ghi nhận là tự phát hiện, khắc phục." in refused.value.messages
    assert RemediedBreach.objects.count() == 1

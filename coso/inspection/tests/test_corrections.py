"""What issue 15 left after the first sessions: the competent body per form, an organization's
discipline reaching its rating, a dissolution carried out through the restructuring of
organizations, and later decisions on a discipline (a complaint, a superior, 117-QĐ/TW) as dated
corrections that keep the history."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from coso.audit.models import AuditEvent
from coso.evaluation import services as evaluation
from coso.evaluation.choices import SubjectKind as RatedKind
from coso.evaluation.models import Rating
from coso.evaluation.rules.base import GOOD
from coso.inspection import services
from coso.inspection.choices import Body, Channel, CorrectionKind, Form, IntakeKind, SubjectKind
from coso.inspection.models import Discipline, DisciplineCorrection, Intake
from coso.measures import engine
from coso.members.models import EventType, MemberEvent, MemberPeriod, Status
from coso.organizations.models import Placement
from coso.organizations.scope import Scope
from coso.restructuring.models import Lineage

from .conftest import member

D = dt.date
pytestmark = pytest.mark.django_db
YEAR_2025 = (D(2025, 1, 1), D(2025, 12, 31))


def decide(tree, actor, **kw):
    args = {"organization": tree.district_a, "body": Body.COMMISSION, "subject_kind": SubjectKind.MEMBER, "form": Form.WARNING,
            "breach_started_on": D(2025, 1, 10), "votes_for": 5, "votes_entitled": 7, "decided_on": D(2025, 5, 1),
            "effective_on": D(2025, 5, 1), "decision_number": "12-QĐ/UBKT", "breach_category": "duty"}
    args.update(kw)
    return services.decide_discipline(actor=actor, **args)


def correct(tree, actor, discipline, **kw):
    args = {"organization": tree.district_a, "body": Body.STANDING, "kind": CorrectionKind.ANNULLED, "decided_on": D(2025, 9, 1),
            "effective_on": D(2025, 9, 1), "decision_number": "30-QĐ/HU", "reason": "Không đủ căn cứ kết luận vi phạm."}
    args.update(kw)
    return services.correct_discipline(actor=actor, discipline=discipline, **args)


def written():
    return (Discipline.objects.count(), DisciplineCorrection.objects.count(), MemberEvent.objects.count(), AuditEvent.objects.count(),
            Placement.objects.count())


# ---------------------------------------------------------------- the competent body per form


def test_a_cell_warns_its_own_member_but_may_not_expel_and_nothing_is_written(tree, officers):
    an = member(tree.cell_a1a, "Nguyễn Văn Chi")
    before = written()
    with pytest.raises(ValidationError) as error:
        decide(tree, officers.a, organization=tree.cell_a1a, body=Body.CELL, subject_member=an, form=Form.EXPULSION, votes_for=7, votes_entitled=9)
    assert str(error.value.error_dict["body"][0].message) == (
        "Chi bộ không có thẩm quyền quyết định hình thức khai trừ đối với đảng viên; chỉ quyết định: khiển trách, cảnh cáo "
        "(Điều lệ Đảng, Điều 36; cấu hình, chưa đối chiếu văn bản).")
    assert written() == before
    assert decide(tree, officers.a, organization=tree.cell_a1a, body=Body.CELL, subject_member=an).enforced


def test_a_grassroots_commission_may_not_remove_from_post(tree, officers):
    an = member(tree.cell_a1a, "Nguyễn Văn Chức")
    with pytest.raises(ValidationError, match="không có thẩm quyền quyết định hình thức cách chức") as error:
        decide(tree, officers.commune, organization=tree.commune_a1, subject_member=an, form=Form.DISMISSAL, votes_for=7, votes_entitled=9)
    assert "body" in error.value.error_dict and not Discipline.objects.exists()


def test_organizations_are_disciplined_from_above_and_dissolved_only_by_a_committee_above_grassroots(tree, officers):
    org = {"subject_kind": SubjectKind.ORGANIZATION, "breach_category": "other"}
    with pytest.raises(ValidationError, match="không tự thi hành kỷ luật chính mình"):
        decide(tree, officers.a, organization=tree.commune_a1, body=Body.COMMITTEE, subject_organization=tree.commune_a1, **org)
    with pytest.raises(ValidationError, match="chỉ quyết định: khiển trách, cảnh cáo"):
        decide(tree, officers.a, body=Body.COMMISSION, subject_organization=tree.commune_a1, form=Form.DISSOLUTION, votes_for=7,
               votes_entitled=9, receiver=tree.district_a, **org)
    with pytest.raises(ValidationError, match="Ủy ban kiểm tra cấp cơ sở không có thẩm quyền thi hành kỷ luật tổ chức đảng"):
        decide(tree, officers.a, organization=tree.commune_a1, body=Body.COMMISSION, subject_organization=tree.cell_a1a, **org)
    assert not Discipline.objects.exists()
    assert decide(tree, officers.a, body=Body.COMMISSION, subject_organization=tree.commune_a1, **org).enforced


# ---------------------------------------------------------------- an organization's discipline reaches its rating


def test_an_organizations_discipline_in_the_records_limits_its_rating_and_its_superiors(tree, people, officers):
    warned = decide(tree, officers.a, body=Body.COMMITTEE, subject_kind=SubjectKind.ORGANIZATION, subject_organization=tree.cell_a1a,
                    breach_started_on=D(2024, 2, 1), decided_on=D(2024, 5, 1), effective_on=D(2024, 5, 1))
    period = evaluation.open_period(actor=people.staff_a, organization=tree.district_a, year=2024)  # 124-QĐ/TW
    units = {org: Rating.objects.get(period=period, subject_kind=RatedKind.ORGANIZATION, organization=org)
             for org in (tree.commune_a1, tree.cell_a1a, tree.cell_a1b)}
    for rating in units.values():
        evaluation.propose_rating(actor=people.staff_a, rating=rating, level=GOOD)

    def found():
        return sorted((v.rule, v.subject) for v in evaluation.violations(period) if v.rule == "organization.units_disciplined")

    # the cell itself, and xã A1 with 1 of its 2 cells disciplined (50 % > 20 %): nothing typed on the ratings
    assert found() == sorted([("organization.units_disciplined", units[tree.cell_a1a].pk),
                              ("organization.units_disciplined", units[tree.commune_a1].pk)])
    assert not Rating.objects.filter(period=period, conditions__has_key="disciplined").exists()
    message = next(v.message for v in evaluation.violations(period) if v.subject == units[tree.cell_a1a].pk)
    assert message.startswith("Chi bộ thôn A1a bị kỷ luật trong kỳ")
    # annulled since: the rating no longer reads it
    correct(tree, officers.a, warned, decided_on=D(2024, 9, 1), effective_on=D(2024, 9, 1))
    assert found() == []
    assert Discipline.objects.get(pk=warned.pk).form == Form.WARNING  # the decision itself is kept


# ---------------------------------------------------------------- a dissolution carried out


def test_a_dissolution_closes_the_organization_and_hands_its_members_on_counts_conserved(tree, people, officers):
    roll = [member(tree.cell_a1b, f"Trần Văn Giải {i}") for i in range(3)]
    on = D(2025, 6, 1)
    before = {root: engine.count("members", root, on=on) for root in (tree.district_a, tree.commune_a1, tree.cell_a1a, tree.cell_a1b)}
    discipline = decide(tree, officers.a, body=Body.COMMITTEE, subject_kind=SubjectKind.ORGANIZATION, subject_organization=tree.cell_a1b,
                        form=Form.DISSOLUTION, votes_for=7, votes_entitled=9, breach_started_on=D(2025, 1, 10), decided_on=D(2025, 5, 20),
                        effective_on=on, receiver=tree.cell_a1a, breach_category="other")
    assert discipline.enforced and discipline.restructuring is not None
    assert not Placement.objects.on(on).filter(organization=tree.cell_a1b).exists()
    assert Placement.objects.on(on - dt.timedelta(days=1)).filter(organization=tree.cell_a1b).exists()
    assert set(MemberPeriod.objects.on(on).filter(member__in=roll).values_list("organization_id", flat=True)) == {tree.cell_a1a.pk}
    assert Lineage.objects.filter(predecessor=tree.cell_a1b, successor=tree.cell_a1a, kind="dissolved").exists()
    after = {root: engine.count("members", root, on=on) for root in (tree.district_a, tree.commune_a1, tree.cell_a1a)}
    assert after[tree.district_a] == before[tree.district_a] and after[tree.commune_a1] == before[tree.commune_a1]
    assert after[tree.cell_a1a] == before[tree.cell_a1a] + before[tree.cell_a1b]  # the dissolved cell's, handed on
    assert engine.count("inspection.disciplined.giai_tan", tree.district_a, period=YEAR_2025) == 1


def test_a_dissolution_without_a_receiver_or_refused_by_the_restructuring_writes_nothing(tree, officers):
    member(tree.cell_a1b, "Trần Văn Ở")
    args = {"body": Body.COMMITTEE, "subject_kind": SubjectKind.ORGANIZATION, "subject_organization": tree.cell_a1b, "form": Form.DISSOLUTION,
            "votes_for": 7, "votes_entitled": 9, "breach_category": "other"}
    before = written()
    with pytest.raises(ValidationError) as error:
        decide(tree, officers.a, **args)
    assert "receiver" in error.value.error_dict
    with pytest.raises(ValidationError) as error:  # a receiver outside the deciding committee's tree
        decide(tree, officers.a, receiver=tree.cell_b1a, **args)
    assert "receiver" in error.value.error_dict
    assert written() == before


# ---------------------------------------------------------------- later decisions: complaints, superiors, 117-QĐ/TW


def test_a_warning_annulled_no_longer_blocks_the_rating_and_the_history_is_kept(tree, people, officers):
    an = member(tree.cell_a2, "Lê Văn Oan")
    warned = decide(tree, officers.a, subject_member=an)
    period = evaluation.open_period(actor=people.staff_a, organization=tree.district_a, year=2025)
    rating = Rating.objects.get(period=period, subject_kind=RatedKind.MEMBER, member=an)
    evaluation.propose(actor=people.staff_a, period=period, cell=tree.cell_a2, levels={an.pk: (GOOD, 80)})

    def rules():
        return [v.rule for v in evaluation.check_period(scope=Scope(people.staff_a), period=period, organization=tree.cell_a2)
                if v.subject == rating.pk]

    assert "discipline.member" in rules()
    complaint = services.register_intake(actor=officers.a, organization=tree.district_a, body=Body.COMMITTEE, kind=IntakeKind.COMPLAINT,
                                         received_on=D(2025, 6, 1), channel=Channel.LETTER, concerned="Lê Văn Oan")
    c = correct(tree, officers.a, warned, wrongful=True, intake=complaint)
    assert (c.kind, c.member_event) == (CorrectionKind.ANNULLED, None)
    assert "discipline.member" not in rules()
    assert Discipline.objects.get(pk=warned.pk).form == Form.WARNING and MemberEvent.objects.filter(member=an, type=EventType.DISCIPLINED).exists()
    assert services.standing_form(warned) is None
    closed = Intake.objects.get(pk=complaint.pk)
    assert (closed.outcome, closed.closed_on) == ("xoa_bo", D(2025, 9, 1))
    figures = engine.table(["inspection.disciplined.members", "inspection.corrections.xoa_bo", "inspection.corrections.wrongful",
                            "inspection.complaints.handled"], tree.district_a, period=YEAR_2025).total
    assert figures == {"inspection.disciplined.members": 1, "inspection.corrections.xoa_bo": 1, "inspection.corrections.wrongful": 1,
                       "inspection.complaints.handled": 1}
    assert AuditEvent.objects.get(event_type="inspection.discipline.corrected").new["form"] is None
    with pytest.raises(ValidationError, match="đã bị xóa bỏ"):
        correct(tree, officers.a, warned, decided_on=D(2025, 10, 1), effective_on=D(2025, 10, 1))


def test_a_warning_changed_to_a_reprimand_counts_as_it_stands(tree, people, officers):
    an = member(tree.cell_a2, "Lê Văn Nhẹ")
    warned = decide(tree, officers.a, subject_member=an, breach_category="other")
    c = correct(tree, officers.a, warned, kind=CorrectionKind.CHANGED, new_form=Form.REPRIMAND)
    assert services.standing_form(warned) == Form.REPRIMAND and c.member_event is None
    period = evaluation.open_period(actor=people.staff_a, organization=tree.district_a, year=2025)
    ctx = evaluation.context_for(period)
    assert [d.form for d in ctx.discipline[an.pk]] == [Form.REPRIMAND]
    assert engine.count("inspection.corrections.thay_doi", tree.district_a, period=YEAR_2025) == 1


def test_an_expulsion_annulled_as_wrongful_restores_the_membership_from_its_date(tree, people, officers):
    an = member(tree.cell_a1a, "Nguyễn Văn Phục")
    expelled_on, restored_on = D(2025, 5, 1), D(2025, 9, 1)
    counts = {day: engine.count("members", tree.district_a, on=day) for day in (D(2025, 4, 30), D(2025, 6, 1), D(2025, 10, 1))}
    expelled = decide(tree, officers.a, subject_member=an, form=Form.EXPULSION, votes_for=7, votes_entitled=9, effective_on=expelled_on)
    party_months = 12 * 15 + 8  # admitted 01/01/2010, on 01/09/2025
    c = correct(tree, officers.a, expelled, wrongful=True, decided_on=restored_on, effective_on=restored_on)
    an.refresh_from_db()
    assert (an.status, an.organization_id) == (Status.OFFICIAL, tree.cell_a1a.pk)
    assert c.member_event.type == EventType.RESTORED
    # the history is kept: counted before the expulsion, nowhere until the restoration, again from it
    assert engine.count("members", tree.district_a, on=D(2025, 4, 30)) == counts[D(2025, 4, 30)]
    assert engine.count("members", tree.district_a, on=D(2025, 6, 1)) == counts[D(2025, 6, 1)] - 1
    assert engine.count("members", tree.district_a, on=D(2025, 10, 1)) == counts[D(2025, 10, 1)]
    assert engine.count("members", tree.cell_a1a, on=D(2025, 10, 1)) == engine.count("members", tree.cell_a1a, on=D(2025, 4, 30))
    assert list(MemberEvent.objects.filter(member=an).order_by("effective_date", "sequence").values_list("type", flat=True))[-2:] == [
        EventType.EXPELLED, EventType.RESTORED]
    from coso.members import lifecycle
    state = lifecycle.replay(list(MemberEvent.objects.filter(member=an).order_by("effective_date", "sequence", "id"))).state
    assert state.party_months(restored_on) == party_months  # the expulsion undone: no gap (UNCONFIRMED setting)
    assert engine.table(["inspection.restored", "events.restored"], tree.district_a, period=YEAR_2025).total == {
        "inspection.restored": 1, "events.restored": 1}


def test_an_expulsion_changed_to_a_warning_restores_then_warns(tree, officers):
    an = member(tree.cell_a1a, "Nguyễn Văn Giảm")
    expelled = decide(tree, officers.a, subject_member=an, form=Form.EXPULSION, votes_for=7, votes_entitled=9)
    correct(tree, officers.a, expelled, kind=CorrectionKind.CHANGED, new_form=Form.WARNING, restore_to=tree.cell_a1b)
    an.refresh_from_db()
    assert (an.status, an.organization_id) == (Status.OFFICIAL, tree.cell_a1b.pk)
    last = list(MemberEvent.objects.filter(member=an).order_by("effective_date", "sequence").values_list("type", "discipline_form"))[-2:]
    assert last == [(EventType.RESTORED, ""), (EventType.DISCIPLINED, Form.WARNING)]


def test_refused_corrections_write_nothing(tree, officers):
    an = member(tree.cell_a1a, "Nguyễn Văn Khiếu")
    warned = decide(tree, officers.a, subject_member=an)
    old = decide(tree, officers.a, subject_member=member(tree.cell_a1a, "Nguyễn Văn Cũ"), form=Form.REPRIMAND,
                 breach_started_on=D(2019, 3, 1), decided_on=D(2025, 2, 1), effective_on=D(2025, 2, 1))
    assert not old.enforced
    before = written()
    cases = [
        ({"organization": tree.commune_a1, "body": Body.COMMISSION}, "organization"),  # below the deciding body
        ({"decided_on": D(2025, 4, 1)}, "decided_on"),  # before the decision
        ({"reason": ""}, "reason"),
        ({"kind": CorrectionKind.CHANGED, "new_form": Form.WARNING}, "new_form"),  # the same form
        ({"kind": CorrectionKind.CHANGED, "new_form": Form.DISSOLUTION}, "new_form"),
        ({"kind": CorrectionKind.CHANGED, "new_form": Form.EXPULSION, "body": Body.CELL, "organization": tree.cell_a1a}, "organization"),
    ]
    for kw, field in cases:
        with pytest.raises(ValidationError) as error:
            correct(tree, officers.a, warned, **kw)
        assert field in error.value.error_dict, (kw, error.value)
    with pytest.raises(ValidationError, match="hết thời hiệu"):
        correct(tree, officers.a, old, kind=CorrectionKind.CHANGED, new_form=Form.WARNING)
    assert written() == before


def test_a_warning_changed_to_expulsion_by_the_superior_ends_the_membership(tree, officers):
    an = member(tree.cell_a1a, "Nguyễn Văn Nặng")
    warned = decide(tree, officers.a, subject_member=an)
    c = correct(tree, officers.a, warned, organization=tree.province, body=Body.COMMISSION, kind=CorrectionKind.CHANGED,
                new_form=Form.EXPULSION, reason="Vi phạm đến mức phải khai trừ.")
    an.refresh_from_db()
    assert an.status == Status.EXPELLED and c.member_event.type == EventType.EXPELLED
    assert engine.count("members", tree.district_a, on=D(2025, 9, 1)) == engine.count("members", tree.district_a, on=D(2025, 8, 31)) - 1

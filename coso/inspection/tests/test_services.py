"""Cases, conclusions, remedies and discipline through the services, with the effects on the
member's record, the counts and the year-end rating."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from coso.audit.models import AuditEvent
from coso.evaluation import services as evaluation
from coso.evaluation.choices import SubjectKind as RatedKind
from coso.evaluation.models import Rating
from coso.evaluation.rules.base import GOOD
from coso.inspection import services
from coso.inspection.choices import Body, Form, PlanKind, Stage, SubjectKind, WorkType
from coso.inspection.models import Case, Discipline
from coso.inspection.selectors import DONE, IN_PROGRESS, NOT_STARTED, plan_state
from coso.measures import engine
from coso.members.models import EventType, MemberEvent, Status
from coso.organizations import services as org_services
from coso.organizations.scope import Scope

from .conftest import member

D = dt.date
pytestmark = pytest.mark.django_db


def signs_case(tree, officer, subject, **kw):
    return services.open_case(actor=officer, organization=tree.district_a, body=Body.COMMISSION, work_type=WorkType.SIGNS,
                              subject_kind=SubjectKind.MEMBER, subject_member=subject, decided_on=kw.pop("decided_on", D(2025, 3, 1)), **kw)


def decide(tree, officer, subject, **kw):
    args = {"organization": tree.district_a, "body": Body.COMMISSION, "subject_kind": SubjectKind.MEMBER, "subject_member": subject,
            "form": Form.WARNING, "breach_started_on": D(2025, 1, 10), "votes_for": 5, "votes_entitled": 7, "decided_on": D(2025, 5, 1),
            "effective_on": D(2025, 5, 1), "decision_number": "12-QĐ/UBKT"}
    args.update(kw)
    return services.decide_discipline(actor=officer, **args)


def test_a_case_goes_from_its_decision_to_its_conclusion(tree, officers):
    an = member(tree.cell_a1a, "Nguyễn Văn An")
    case = signs_case(tree, officers.a, an, decision_number="05-QĐ/UBKT", conduct_due=D(2025, 4, 1), conclusion_due=D(2025, 4, 30))
    assert case.subject_name == "Nguyễn Văn An" and case.stage == Stage.PREPARATION
    services.advance_stage(actor=officers.a, case=case, on=D(2025, 3, 10))
    assert Case.objects.get(pk=case.pk).stage == Stage.CONDUCT
    assert case.overdue_stage(D(2025, 4, 2)) == Stage.CONDUCT
    services.conclude_case(actor=officers.a, case=case, concluded_on=D(2025, 4, 20), violation_found=True, discipline_considered=True,
                           shortcomings="Vi phạm quy định về những điều đảng viên không được làm.")
    case.refresh_from_db()
    assert (case.stage, case.violation_found, case.overdue_stage(D(2026, 1, 1))) == (Stage.CONCLUDED, True, None)
    with pytest.raises(ValidationError, match="đã có kết luận"):
        services.conclude_case(actor=officers.a, case=case, concluded_on=D(2025, 4, 21), violation_found=False)
    assert AuditEvent.objects.filter(event_type__startswith="inspection.case", target_id=str(case.pk)).count() == 3


def test_a_case_on_an_organization_that_has_since_ended_keeps_its_name(tree, officers):
    org_services.close_organization(actor=None, organization=tree.cell_a1b, closed_on=D(2025, 1, 1))
    case = services.open_case(actor=officers.a, organization=tree.district_a, body=Body.COMMITTEE, work_type=WorkType.COMPLIANCE,
                              subject_kind=SubjectKind.ORGANIZATION, subject_organization=tree.cell_a1b, decided_on=D(2025, 3, 1))
    assert case.subject_name == "Chi bộ thôn A1b"


def test_it_refuses_a_subject_outside_the_body_and_commission_work_by_a_committee(tree, officers):
    other = member(tree.cell_b1a, "Võ Văn Ngoài")
    with pytest.raises(ValidationError) as error:
        signs_case(tree, officers.a, other)
    assert "subject_member" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.open_case(actor=officers.a, organization=tree.district_a, body=Body.COMMITTEE, work_type=WorkType.FINANCE,
                           subject_kind=SubjectKind.ORGANIZATION, subject_organization=tree.commune_a1, decided_on=D(2025, 3, 1))
    assert "work_type" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.open_case(actor=officers.a, organization=tree.cell_a1a, body=Body.COMMISSION, work_type=WorkType.SIGNS,
                           subject_kind=SubjectKind.ORGANIZATION, subject_organization=tree.cell_a1a, decided_on=D(2025, 3, 1))
    assert "body" in error.value.error_dict
    assert not Case.objects.exists()


def test_recommendations_are_tracked_to_their_remedy(tree, officers):
    case = signs_case(tree, officers.a, member(tree.cell_a1a, "Nguyễn Văn Bình"))
    rec = services.add_recommendation(actor=officers.a, case=case, text="Kiểm điểm trước chi bộ", owner="Chi bộ thôn A1a", due_on=D(2025, 6, 30))
    assert rec.overdue_on(D(2025, 7, 1)) and not rec.overdue_on(D(2025, 6, 30))
    assert engine.count("inspection.remedies.overdue", tree.district_a, on=D(2025, 7, 1)) == 1
    services.record_remedy(actor=officers.a, recommendation=rec, remedied_on=D(2025, 7, 15), remedy="Đã kiểm điểm")
    assert engine.count("inspection.remedies.overdue", tree.district_a, on=D(2025, 7, 1)) == 1  # as it stood then
    assert engine.count("inspection.remedies.overdue", tree.district_a, on=D(2025, 8, 1)) == 0


def test_a_warning_reaches_the_member_record_and_blocks_a_rating_above_the_allowed_level(tree, people, officers):
    an = member(tree.cell_a2, "Lê Văn An")
    member(tree.cell_a2, "Lê Văn Bình")
    case = signs_case(tree, officers.a, an)
    services.conclude_case(actor=officers.a, case=case, concluded_on=D(2025, 4, 20), violation_found=True, discipline_considered=True)
    discipline = decide(tree, officers.a, an, case=case, breach_category="duty")
    assert discipline.enforced and "Còn thời hiệu" in discipline.limitation_text
    event = MemberEvent.objects.get(member=an, type=EventType.DISCIPLINED)
    assert (event.discipline_form, event.effective_date, event.breach_on, event.decision_number) == ("canh_cao", D(2025, 5, 1), D(2025, 1, 10), "12-QĐ/UBKT")
    # the year-end rating of 2025 reads it (366-QĐ/TW): rated "good", the member is blocked
    period = evaluation.open_period(actor=people.staff_a, organization=tree.district_a, year=2025)
    rating = Rating.objects.get(period=period, subject_kind=RatedKind.MEMBER, member=an)
    evaluation.propose(actor=people.staff_a, period=period, cell=tree.cell_a2, levels={rating.member_id: GOOD})
    found = evaluation.check_period(scope=Scope(people.staff_a), period=period, organization=tree.cell_a2)
    assert "discipline.member" in [v.rule for v in found]


def test_an_expulsion_ends_the_membership_through_the_lifecycle(tree, officers):
    an = member(tree.cell_a1a, "Nguyễn Văn Khai")
    before = engine.count("members", tree.district_a, on=D(2025, 4, 30))
    decide(tree, officers.a, an, form=Form.EXPULSION, votes_for=6, votes_entitled=7)
    an.refresh_from_db()
    assert an.status == Status.EXPELLED
    assert engine.count("members", tree.district_a, on=D(2025, 4, 30)) == before
    assert engine.count("members", tree.district_a, on=D(2025, 5, 1)) == before - 1
    assert engine.count("events.expelled", tree.district_a, period=(D(2025, 1, 1), D(2025, 12, 31))) == 1


def test_a_probationary_member_cannot_be_expelled_and_nothing_is_written(tree, officers):
    du_bi = member(tree.cell_a1a, "Nguyễn Văn Dự", admitted=D(2023, 10, 1), official=False)
    audits = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        decide(tree, officers.a, du_bi, form=Form.EXPULSION, votes_for=7, votes_entitled=7, decided_on=D(2025, 2, 1), effective_on=D(2025, 2, 1))
    assert "dự bị" in str(error.value.error_dict["form"])
    assert not Discipline.objects.exists() and AuditEvent.objects.count() == audits


def test_a_vote_short_of_the_threshold_is_refused(tree, officers):
    an = member(tree.cell_a1a, "Nguyễn Văn Phiếu")
    with pytest.raises(ValidationError) as error:
        decide(tree, officers.a, an, form=Form.DISMISSAL, votes_for=4, votes_entitled=6)
    assert "Chưa đủ số phiếu" in str(error.value.error_dict["votes_for"])
    assert not Discipline.objects.exists() and not MemberEvent.objects.filter(type=EventType.DISCIPLINED).exists()


def test_an_expired_period_blocks_enforcement_not_the_vote(tree, officers):
    an = member(tree.cell_a1a, "Nguyễn Văn Cũ")
    discipline = decide(tree, officers.a, an, form=Form.REPRIMAND, breach_started_on=D(2019, 3, 1), breach_ended_on=D(2019, 12, 31),
                        decided_on=D(2025, 2, 1), effective_on=D(2025, 2, 1))
    assert not discipline.enforced
    assert discipline.limitation_text.startswith("Đã hết thời hiệu xử lý kỷ luật: 5 năm kể từ ngày 31/12/2019")
    assert not MemberEvent.objects.filter(member=an, type=EventType.DISCIPLINED).exists()
    assert engine.count("inspection.disciplined", tree.district_a, period=(D(2025, 1, 1), D(2025, 12, 31))) == 0
    assert engine.count("inspection.disciplines.expired", tree.district_a, period=(D(2025, 1, 1), D(2025, 12, 31))) == 1


def test_a_recorded_later_breach_restarts_the_clock_of_an_earlier_one(tree, officers):
    an = member(tree.cell_a1a, "Nguyễn Văn Tái")
    decide(tree, officers.a, an, form=Form.REPRIMAND, breach_started_on=D(2023, 6, 1), decided_on=D(2024, 2, 1), effective_on=D(2024, 2, 1))
    status = services.limitation_for(subject_kind=SubjectKind.MEMBER, subject=an, form=Form.REPRIMAND, breach_started_on=D(2019, 1, 1),
                                     on=D(2025, 3, 1))
    assert not status.expired and status.restarted_by == D(2023, 6, 1)


def test_a_plan_shows_done_in_progress_not_started_and_unplanned(tree, officers):
    plan = services.create_plan(actor=officers.a, organization=tree.district_a, body=Body.COMMISSION, kind=PlanKind.YEAR,
                                title="Chương trình kiểm tra, giám sát năm 2025", starts_on=D(2025, 1, 1), ends_on=D(2025, 12, 31))
    items = [services.add_plan_item(actor=officers.a, plan=plan, work_type=WorkType.SIGNS, subject_text=f"Nội dung {i}", quarter=i)
             for i in (1, 2, 3)]
    a, b = member(tree.cell_a1a, "Nguyễn Văn Một"), member(tree.cell_a1a, "Nguyễn Văn Hai")
    done = signs_case(tree, officers.a, a, plan_item=items[0])
    services.conclude_case(actor=officers.a, case=done, concluded_on=D(2025, 4, 1), violation_found=False)
    signs_case(tree, officers.a, b, plan_item=items[1])
    unplanned = signs_case(tree, officers.a, b, decided_on=D(2025, 9, 1))
    states, outside = plan_state(plan)
    assert [s.state for s in states] == [DONE, IN_PROGRESS, NOT_STARTED]
    assert outside == [unplanned]

"""A year of inspection work in the demo (issue 15, point 7), through the inspection services.

- Đảng bộ huyện Núi Thành, 2024: the inspection commission's annual program (four items), a
  compliance inspection by the committee, a thematic supervision with a recommendation remedied,
  a finance inspection still in progress (its conclusion overdue), a case outside the program,
  and a denunciation received and handled.
- Đảng bộ xã Đức Phú (the commune committee from 01/07/2025), 2026: its program, a regular
  supervision of a village cell, and an inspection on signs of violation of a member, concluded
  with a violation and a warning (cảnh cáo) in force from 15/04/2026: the member's 2026 rating is
  then held below "Hoàn thành tốt nhiệm vụ" by the evaluation's own check.

Dated after the members' last events (the move of 01/07/2025), since the member lifecycle takes
no event back-dated before the last one.
"""

import datetime as dt

from coso.inspection import services
from coso.inspection.choices import (
    Body,
    Channel,
    Form,
    IntakeKind,
    Outcome,
    PlanKind,
    SubjectKind,
    WorkType,
)
from coso.members.models import Member, MemberPeriod
from coso.organizations.models import Placement

from .dataset import Demo

D = dt.date


def _member_under(commune, on: dt.date) -> Member:
    cells = Placement.objects.under(commune, on=on).values("organization_id")
    member_id = (MemberPeriod.objects.on(on).filter(organization_id__in=cells, status="official")
                 .order_by("member_id").values_list("member_id", flat=True).first())
    return Member.objects.select_related("person").get(pk=member_id)


def _cell_under(commune, on: dt.date):
    return (Placement.objects.on(on).filter(parent_id=commune.pk, villages__isnull=False).order_by("name_folded")
            .select_related("organization").first().organization)


def build(d: Demo, *, actor=None, say=print) -> dict:
    district, communes = d.district, d.grassroots
    plan = services.create_plan(actor=actor, organization=district, body=Body.COMMISSION, kind=PlanKind.YEAR,
                                title="Chương trình kiểm tra, giám sát năm 2024 của Ủy ban Kiểm tra Huyện ủy", number="05-CTr/UBKT",
                                starts_on=D(2024, 1, 1), ends_on=D(2024, 12, 31), adopted_on=D(2024, 1, 15))
    items = [services.add_plan_item(actor=actor, plan=plan, work_type=w, subject_text=s, quarter=q, lead="Trần Văn Bình")
             for w, s, q in ((WorkType.THEMATIC_SUPERVISION, "Đảng ủy xã về công tác phát triển đảng viên", 2),
                             (WorkType.FINANCE, "Đảng ủy xã về thu, chi tài chính đảng, đảng phí", 3),
                             (WorkType.SUBORDINATE_WORK, "Ủy ban Kiểm tra Đảng ủy xã", 4),
                             (WorkType.REGULAR_SUPERVISION, "Các tổ chức cơ sở đảng", None))]
    compliance = services.open_case(actor=actor, organization=district, body=Body.COMMITTEE, work_type=WorkType.COMPLIANCE,
                                    subject_kind=SubjectKind.ORGANIZATION, subject_organization=communes[0], decided_on=D(2024, 3, 5),
                                    decision_number="112-QĐ/HU", conclusion_due=D(2024, 5, 31))
    services.conclude_case(actor=actor, case=compliance, concluded_on=D(2024, 5, 20), violation_found=False, conclusion_number="45-TB/HU",
                           shortcomings="Chấp hành tốt Điều lệ Đảng; sinh hoạt chi bộ thôn còn chưa đều.")
    thematic = services.open_case(actor=actor, organization=district, body=Body.COMMISSION, work_type=WorkType.THEMATIC_SUPERVISION,
                                  subject_kind=SubjectKind.ORGANIZATION, subject_organization=communes[1], decided_on=D(2024, 4, 10),
                                  decision_number="21-QĐ/UBKT", plan_item=items[0], conclusion_due=D(2024, 6, 30))
    services.conclude_case(actor=actor, case=thematic, concluded_on=D(2024, 6, 25), violation_found=False, conclusion_number="08-TB/UBKT",
                           shortcomings="Hồ sơ kết nạp đảng viên còn thiếu nhận xét của đoàn thể ở hai chi bộ.")
    rec = services.add_recommendation(actor=actor, case=thematic, text="Bổ sung hồ sơ kết nạp đảng viên còn thiếu", owner=str(communes[1]),
                                      due_on=D(2024, 9, 30))
    services.record_remedy(actor=actor, recommendation=rec, remedied_on=D(2024, 9, 20), remedy="Đã bổ sung đủ hồ sơ.")
    services.open_case(actor=actor, organization=district, body=Body.COMMISSION, work_type=WorkType.FINANCE,
                       subject_kind=SubjectKind.ORGANIZATION, subject_organization=communes[2], decided_on=D(2024, 8, 1),
                       decision_number="30-QĐ/UBKT", plan_item=items[1], conduct_due=D(2024, 9, 15), conclusion_due=D(2024, 10, 31))
    services.open_case(actor=actor, organization=district, body=Body.COMMISSION, work_type=WorkType.SUBORDINATE_WORK,
                       subject_kind=SubjectKind.ORGANIZATION, subject_organization=communes[3], decided_on=D(2024, 10, 2),
                       decision_number="35-QĐ/UBKT")
    intake = services.register_intake(actor=actor, organization=district, body=Body.COMMISSION, kind=IntakeKind.DENUNCIATION,
                                      received_on=D(2024, 5, 6), channel=Channel.LETTER, concerned=str(communes[4]),
                                      summary="Tố cáo việc quản lý quỹ đảng phí chưa công khai.", sender_name="Người tố cáo (bảo mật)",
                                      handler="Trần Văn Bình", due_on=D(2024, 7, 5))
    services.close_intake(actor=actor, intake=intake, closed_on=D(2024, 7, 1), outcome=Outcome.PARTLY_TRUE)

    commune = d.new_communes.get("Đức Phú")
    if commune is None:
        return {"district_plan": plan}
    on = D(2026, 2, 1)
    subject = _member_under(commune, on)
    commune_plan = services.create_plan(actor=actor, organization=commune, body=Body.COMMISSION, kind=PlanKind.YEAR,
                                        title="Chương trình kiểm tra, giám sát năm 2026 của Ủy ban Kiểm tra Đảng ủy xã Đức Phú",
                                        starts_on=D(2026, 1, 1), ends_on=D(2026, 12, 31), adopted_on=D(2026, 1, 10))
    item = services.add_plan_item(actor=actor, plan=commune_plan, work_type=WorkType.REGULAR_SUPERVISION, subject_text="Các chi bộ thôn",
                                  quarter=1)
    supervision = services.open_case(actor=actor, organization=commune, body=Body.COMMISSION, work_type=WorkType.REGULAR_SUPERVISION,
                                     subject_kind=SubjectKind.ORGANIZATION, subject_organization=_cell_under(commune, on),
                                     decided_on=D(2026, 1, 20), plan_item=item)
    services.conclude_case(actor=actor, case=supervision, concluded_on=D(2026, 3, 10), violation_found=False)
    signs = services.open_case(actor=actor, organization=commune, body=Body.COMMISSION, work_type=WorkType.SIGNS,
                               subject_kind=SubjectKind.MEMBER, subject_member=subject, decided_on=D(2026, 2, 2),
                               decision_number="03-QĐ/UBKT", conclusion_due=D(2026, 3, 31))
    services.conclude_case(actor=actor, case=signs, concluded_on=D(2026, 3, 25), violation_found=True, discipline_considered=True,
                           conclusion_number="02-TB/UBKT", shortcomings="Vi phạm quy định về những điều đảng viên không được làm.")
    services.decide_discipline(actor=actor, organization=commune, body=Body.COMMISSION, case=signs, subject_kind=SubjectKind.MEMBER,
                               subject_member=subject, form=Form.WARNING, breach_started_on=D(2025, 11, 1), breach_ended_on=D(2025, 12, 15),
                               breach_category="forbidden", votes_for=5, votes_entitled=7, decided_on=D(2026, 4, 10),
                               effective_on=D(2026, 4, 15), decision_number="04-QĐ/UBKT")
    say(f"Kiểm tra, giám sát: chương trình, 4 cuộc và 1 đơn tố cáo ở huyện Núi Thành (2024); 2 cuộc và 1 kỷ luật cảnh cáo ở xã Đức Phú (2026, {subject.person.full_name}).")
    return {"district_plan": plan, "commune_plan": commune_plan, "disciplined": subject}

"""Scope-leak registry of the inspection pages (see coso/access/tests/scope_urls.py).

Huyện B's inspection commission inspects a member with a name no page of huyện A may show,
concludes with a recommendation and a file, decides a warning, and registers a denunciation
whose sender's name is secret; it also has a program.
"""

import datetime as dt
import tempfile

from django.test import override_settings

from coso.access.models import Role
from coso.conftest import make_user
from coso.inspection import services
from coso.inspection.choices import (
    Body,
    Channel,
    FileKind,
    Form,
    IntakeKind,
    PlanKind,
    SubjectKind,
    WorkType,
)
from coso.members import services as members
from coso.people.services import create_person

SIBLING_NAMES = ["Đinh Thị Kiểm Mật", "Người Tố Cáo Kín"]
D = dt.date


def extend_world(world, people):
    tree = world["tree"]
    officer = make_user("kiemtra_leak_b", Role.INSPECTION_STAFF, tree.district_b)
    person = create_person(actor=officer, full_name="Đinh Thị Kiểm Mật", gender="F", birth_date=D(1980, 3, 1))
    member = members.record_existing_member(actor=officer, person=person, organization=tree.cell_b1a, on=D(2024, 1, 10),
                                            admitted_on=D(2010, 1, 1), recognized_on=D(2011, 1, 1))
    plan = services.create_plan(actor=officer, organization=tree.district_b, body=Body.COMMISSION, kind=PlanKind.YEAR,
                                title="Chương trình Kiểm Mật", starts_on=D(2024, 1, 1), ends_on=D(2024, 12, 31))
    item = services.add_plan_item(actor=officer, plan=plan, work_type=WorkType.SIGNS, subject_text="Đinh Thị Kiểm Mật")
    case = services.open_case(actor=officer, organization=tree.district_b, body=Body.COMMISSION, work_type=WorkType.SIGNS,
                              subject_kind=SubjectKind.MEMBER, subject_member=member, decided_on=D(2024, 3, 1), plan_item=item)
    services.conclude_case(actor=officer, case=case, concluded_on=D(2024, 4, 1), violation_found=True, discipline_considered=True)
    rec = services.add_recommendation(actor=officer, case=case, text="Khắc phục Kiểm Mật", owner="Chi bộ B1a", due_on=D(2024, 6, 1))
    with override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="coso-scope-")):  # never under the real uploads
        file = services.attach_file(actor=officer, case=case, kind=FileKind.CONCLUSION, name="ket-luan-kiem-mat.txt", content=b"Kiem Mat")
    discipline = services.decide_discipline(actor=officer, organization=tree.district_b, body=Body.COMMISSION, case=case,
                                            subject_kind=SubjectKind.MEMBER, subject_member=member, form=Form.WARNING,
                                            breach_started_on=D(2024, 2, 1), votes_for=5, votes_entitled=7, decided_on=D(2024, 5, 1),
                                            effective_on=D(2024, 5, 1), decision_number="01-QĐ/UBKT")
    intake = services.register_intake(actor=officer, organization=tree.district_b, body=Body.COMMISSION, kind=IntakeKind.DENUNCIATION,
                                      received_on=D(2024, 2, 1), channel=Channel.LETTER, concerned="Đinh Thị Kiểm Mật",
                                      sender_name="Người Tố Cáo Kín")
    world.update({"insp_case": case, "insp_plan": plan, "insp_rec": rec, "insp_file": file, "insp_discipline": discipline,
                  "insp_intake": intake})


def _case(w):
    return [{"pk": w["insp_case"].pk}]


OBJECT_URLS = {
    "inspection:case": _case,
    "inspection:case_stage": _case,
    "inspection:case_conclude": _case,
    "inspection:case_recommend": _case,
    "inspection:case_upload": _case,
    "inspection:discipline_create": _case,
    "inspection:remedy": lambda w: [{"pk": w["insp_rec"].pk}],
    "inspection:download": lambda w: [{"pk": w["insp_file"].pk}],
    "inspection:discipline": lambda w: [{"pk": w["insp_discipline"].pk}],
    "inspection:discipline_correct": lambda w: [{"pk": w["insp_discipline"].pk}],
    "inspection:plan": lambda w: [{"pk": w["insp_plan"].pk}],
    "inspection:plan_item_add": lambda w: [{"pk": w["insp_plan"].pk}],
    "inspection:intake": lambda w: [{"pk": w["insp_intake"].pk}],
    "inspection:intake_close": lambda w: [{"pk": w["insp_intake"].pk}],
    "inspection:intake_sender": lambda w: [{"pk": w["insp_intake"].pk}],
}

_report = {"ky": "year", "nam": "2024"}

LIST_URLS = {
    "inspection:cases": lambda w: [{}],
    "inspection:case_create": lambda w: [{}, {"to_chuc": w["tree"].district_b.pk}],
    "inspection:member_options": lambda w: [{"q": "Kiem Mat"}, {"q": "Đinh"}],
    "inspection:plans": lambda w: [{}],
    "inspection:plan_create": lambda w: [{}],
    "inspection:intakes": lambda w: [{}],
    "inspection:intake_create": lambda w: [{}],
    "inspection:report": lambda w: [{}, {**_report, "to_chuc": w["tree"].district_b.pk}, {**_report, "to_chuc": w["tree"].province.pk}],
    "inspection:report_xlsx": lambda w: [{**_report, "to_chuc": w["tree"].district_b.pk}],
    "inspection:report_pdf": lambda w: [{**_report, "to_chuc": w["tree"].district_b.pk}],
    "inspection:report_rows": lambda w: [{**_report, "to_chuc": w["tree"].district_b.pk, "chi_tieu": "inspection.cases"},
                                         {**_report, "to_chuc": w["tree"].province.pk, "chi_tieu": "inspection.cases"}],
}

EXEMPT: set[str] = set()

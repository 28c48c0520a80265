"""Every inspection page answers its user: programs, the register, the case's actions, the
overdue lists, with bounded queries; wrong input is a message on the form, never a 500."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coso.inspection import services
from coso.inspection.choices import Body, Channel, IntakeKind, PlanKind, SubjectKind, WorkType
from coso.inspection.models import CaseFile, Intake, Plan, PlanItem, Recommendation

from .conftest import member

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def case(tree, officers):
    return services.open_case(actor=officers.a, organization=tree.district_a, body=Body.COMMISSION, work_type=WorkType.SIGNS,
                              subject_kind=SubjectKind.MEMBER, subject_member=member(tree.cell_a1a, "Nguyễn Văn Hạn"),
                              decided_on=D(2025, 3, 1), conduct_due=D(2025, 4, 1), conclusion_due=D(2025, 5, 1))


def test_programs_are_created_filled_and_shown(client, tree, officers):
    client.force_login(officers.a)
    assert client.get(reverse("inspection:plan_create")).status_code == 200
    response = client.post(reverse("inspection:plan_create"), {"organization": tree.district_a.pk, "body": Body.COMMISSION, "kind": PlanKind.YEAR,
                                                                "title": "Chương trình 2025", "starts_on": "01/01/2025", "ends_on": "31/12/2025"})
    plan = Plan.objects.get()
    assert response.status_code == 302
    response = client.post(reverse("inspection:plan_item_add", args=[plan.pk]), {"work_type": WorkType.FINANCE, "subject_text": "Đảng ủy xã A1",
                                                                                "quarter": "2"})
    assert response.status_code == 302 and PlanItem.objects.filter(plan=plan, quarter=2).exists()
    page = client.get(reverse("inspection:plan", args=[plan.pk]))
    assert page.status_code == 200 and "Đảng ủy xã A1" in page.content.decode()
    assert client.get(reverse("inspection:plans")).status_code == 200
    bad = client.post(reverse("inspection:plan_create"), {"organization": tree.district_a.pk, "body": Body.COMMISSION, "kind": PlanKind.YEAR,
                                                           "title": "X", "starts_on": "01/01/2025", "ends_on": "01/01/2024"})
    assert bad.status_code == 200 and "Ngày kết thúc trước ngày bắt đầu" in bad.content.decode()


def test_the_case_list_shows_overdue_stages_and_remedies_in_a_few_queries(client, officers, case, django_assert_max_num_queries):
    services.add_recommendation(actor=officers.a, case=case, text="Bổ sung hồ sơ", owner="Chi bộ thôn A1a", due_on=D(2025, 3, 15))
    client.force_login(officers.a)
    with django_assert_max_num_queries(14):
        # session, user, scope paths, the page of cases (count, rows), the overdue cases, the overdue remedies
        page = client.get(reverse("inspection:cases"), {"ngay": "01/06/2025"})
    body = page.content.decode()
    assert page.status_code == 200 and "Giai đoạn quá hạn" in body and "Bổ sung hồ sơ" in body


def test_the_case_actions_record_stage_remedy_and_file(client, officers, case, media):
    client.force_login(officers.a)
    assert client.post(reverse("inspection:case_stage", args=[case.pk]), {"on": "05/03/2025"}).status_code == 302
    bad = client.post(reverse("inspection:case_stage", args=[case.pk]), {"on": "01/01/2025"})
    assert bad.status_code == 400 and "trước ngày quyết định kiểm tra" in bad.content.decode()
    assert client.post(reverse("inspection:case_recommend", args=[case.pk]), {"text": "Kiểm điểm", "owner": "Chi bộ", "due_on": "30/06/2025"}).status_code == 302
    rec = Recommendation.objects.get()
    assert client.post(reverse("inspection:remedy", args=[rec.pk]), {"remedied_on": "20/06/2025", "remedy": "Đã kiểm điểm"}).status_code == 302
    upload = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    assert client.post(reverse("inspection:case_upload", args=[case.pk]), {"kind": "report", "file": upload}).status_code == 302
    assert CaseFile.objects.get().name == "bao-cao.pdf"
    empty = client.post(reverse("inspection:case_upload", args=[case.pk]), {"kind": "report"})
    assert empty.status_code == 400


def test_the_register_takes_and_closes_a_complaint(client, tree, officers):
    client.force_login(officers.a)
    response = client.post(reverse("inspection:intake_create"), {"organization": tree.district_a.pk, "body": Body.COMMISSION,
                                                                  "kind": IntakeKind.COMPLAINT, "received_on": "02/02/2025",
                                                                  "channel": Channel.LETTER, "concerned": "Nguyễn Văn Khiếu"})
    intake = Intake.objects.get()
    assert response.status_code == 302
    wrong = client.post(reverse("inspection:intake_close", args=[intake.pk]), {"closed_on": "01/03/2025", "outcome": "dung"})
    assert wrong.status_code == 200 and Intake.objects.get().closed_on is None
    assert client.post(reverse("inspection:intake_close", args=[intake.pk]), {"closed_on": "01/03/2025", "outcome": "giu_nguyen"}).status_code == 302
    assert client.get(reverse("inspection:intakes")).status_code == 200


def test_a_read_only_leader_and_an_outsider_cannot_write(client, people, officers, case):
    client.force_login(people.leader_a)
    assert client.post(reverse("inspection:case_conclude", args=[case.pk]), {"concluded_on": "01/04/2025", "violation_found": "0"}).status_code == 403
    client.force_login(officers.b)
    assert client.get(reverse("inspection:case", args=[case.pk])).status_code == 404


def test_the_report_exports_a_pdf(client, tree, officers, case):
    client.force_login(officers.a)
    response = client.get(reverse("inspection:report_pdf"), {"to_chuc": tree.district_a.pk, "ky": "six", "nam": "2025"})
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")

"""The inspection pages: inspection staff of the subtree read and write; organization staff and
leaders of the same subtree see counts, never a case's page or file (403); the denouncer's
identity only at the handling body, each view audited."""

import datetime as dt

import pytest
from django.urls import reverse

from coso.audit.models import AuditEvent
from coso.inspection import services
from coso.inspection.choices import Body, Channel, FileKind, IntakeKind, SubjectKind, WorkType
from coso.inspection.models import Case, CaseFile

from .conftest import member

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def case(tree, officers, media):
    an = member(tree.cell_a1a, "Nguyễn Văn An")
    found = services.open_case(actor=officers.a, organization=tree.district_a, body=Body.COMMISSION, work_type=WorkType.SIGNS,
                               subject_kind=SubjectKind.MEMBER, subject_member=an, decided_on=D(2025, 3, 1))
    services.attach_file(actor=officers.a, case=found, kind=FileKind.DECISION, name="quyet-dinh.txt", content=b"QD 05")
    return found


def test_organization_staff_and_leaders_of_the_subtree_get_403_on_a_case_and_its_files(client, people, case):
    file = CaseFile.objects.get(case=case)
    for user in (people.staff_a, people.leader_a):
        client.force_login(user)
        assert client.get(reverse("inspection:case", args=[case.pk])).status_code == 403
        assert client.get(reverse("inspection:download", args=[file.pk])).status_code == 403
        assert client.get(reverse("inspection:cases")).status_code == 403
        # the figures they may read
        response = client.get(reverse("inspection:report"), {"to_chuc": case.organization_id, "ky": "year", "nam": "2025"})
        assert response.status_code == 200 and "Nguyễn Văn An" not in response.content.decode()
        assert client.get(reverse("inspection:report_rows"), {"to_chuc": case.organization_id, "ky": "year", "nam": "2025",
                                                             "chi_tieu": "inspection.cases"}).status_code == 403


def test_inspection_staff_read_the_case_and_its_file_and_each_reading_is_audited(client, officers, case):
    client.force_login(officers.a)
    page = client.get(reverse("inspection:case", args=[case.pk]))
    assert page.status_code == 200 and "Nguyễn Văn An" in page.content.decode()
    file = CaseFile.objects.get(case=case)
    response = client.get(reverse("inspection:download", args=[file.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"QD 05"
    assert AuditEvent.objects.filter(event_type="inspection.case.file_viewed", target_id=str(case.pk)).count() == 1


def test_an_inspection_officer_of_a_commune_does_not_see_the_district_case(client, officers, case):
    client.force_login(officers.commune)
    assert client.get(reverse("inspection:case", args=[case.pk])).status_code == 404


def test_it_records_a_case_concludes_it_and_refuses_bad_input_with_a_message(client, tree, officers, media):
    an = member(tree.cell_a1a, "Nguyễn Văn Bình")
    client.force_login(officers.a)
    bad = client.post(reverse("inspection:case_create"), {"organization": tree.district_a.pk, "body": Body.COMMISSION, "work_type": "xyz",
                                                          "subject_kind": "member", "subject_member": an.pk, "decided_on": "31/02/2025"})
    assert bad.status_code == 200 and not Case.objects.exists()
    assert "Ngày không hợp lệ" in bad.content.decode()
    response = client.post(reverse("inspection:case_create"), {
        "organization": tree.district_a.pk, "body": Body.COMMISSION, "work_type": WorkType.SIGNS, "subject_kind": "member",
        "subject_member": an.pk, "decided_on": "01/03/2025", "decision_number": "05-QĐ/UBKT"})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("inspection:case", args=[case.pk])
    response = client.post(reverse("inspection:case_conclude", args=[case.pk]), {"concluded_on": "20/04/2025", "violation_found": "1",
                                                                                 "discipline_considered": "on"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.violation_found and case.discipline_considered
    # the discipline page shows the limitation before deciding
    page = client.post(reverse("inspection:discipline_create", args=[case.pk]), {
        "body": Body.COMMISSION, "form": "canh_cao", "breach_started_on": "10/01/2025", "breach_category": "duty", "votes_for": "5",
        "votes_entitled": "7", "decided_on": "01/05/2025", "effective_on": "01/05/2025", "decision_number": "12-QĐ/UBKT", "check": "1"})
    assert page.status_code == 200 and "Còn thời hiệu xử lý kỷ luật: 10 năm kể từ ngày 10/01/2025" in page.content.decode()


def test_the_get_method_only_pages_refuse_a_post(client, officers, case):
    client.force_login(officers.a)
    assert client.post(reverse("inspection:case", args=[case.pk])).status_code == 405


def test_the_denouncer_is_shown_only_to_the_handling_body_and_each_view_is_audited(client, tree, officers, people):
    intake = services.register_intake(actor=officers.a, organization=tree.district_a, body=Body.COMMISSION, kind=IntakeKind.DENUNCIATION,
                                      received_on=D(2025, 2, 1), channel=Channel.LETTER, concerned="Nguyễn Văn Bị",
                                      sender_name="Trần Thị Tố", sender_contact="Thôn 3")
    assert "Trần Thị Tố" not in str(list(AuditEvent.objects.values_list("new", flat=True)))
    client.force_login(officers.a)
    page = client.get(reverse("inspection:intake", args=[intake.pk]))
    assert "Trần Thị Tố" not in page.content.decode()
    shown = client.post(reverse("inspection:intake_sender", args=[intake.pk]))
    assert "Trần Thị Tố" in shown.content.decode()
    assert AuditEvent.objects.filter(event_type="inspection.intake.sender_viewed", target_id=str(intake.pk)).count() == 1
    # the province's administrator and another body's staff never see it
    for user in (people.admin, people.staff_a):
        client.force_login(user)
        response = client.post(reverse("inspection:intake_sender", args=[intake.pk]))
        assert response.status_code == 403
    report = client.get(reverse("inspection:report"), {"to_chuc": tree.district_a.pk, "ky": "year", "nam": "2025"})
    assert "Trần Thị Tố" not in report.content.decode()


def test_the_report_counts_from_records_and_exports(client, tree, officers, case):
    client.force_login(officers.a)
    params = {"to_chuc": tree.province.pk, "ky": "year", "nam": "2025"}
    page = client.get(reverse("inspection:report"), params)
    assert page.status_code == 403 or page.status_code == 200  # the province lies outside huyện A: no figures
    params["to_chuc"] = tree.district_a.pk
    page = client.get(reverse("inspection:report"), params)
    assert page.status_code == 200 and "Kiểm tra khi có dấu hiệu vi phạm" in page.content.decode()
    rows = client.get(reverse("inspection:report_rows"), {**params, "chi_tieu": "inspection.cases.members"})
    assert rows.status_code == 200 and "Nguyễn Văn An" in rows.content.decode()
    xlsx = client.get(reverse("inspection:report_xlsx"), params)
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")


def test_the_audit_list_shows_inspection_events_only_to_inspection_staff(client, people, officers, case):
    label = "Quyết định kiểm tra, giám sát"  # the event opening the case, which names its subject
    client.force_login(people.staff_a)
    assert label not in client.get(reverse("audit:list")).content.decode()
    client.force_login(officers.a)
    assert label in client.get(reverse("audit:list")).content.decode()

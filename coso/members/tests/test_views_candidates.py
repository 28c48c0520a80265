"""Candidates (quần chúng ưu tú): the list, adding one (a new or an existing person), the
course, admission and dropping."""

import datetime as dt

import pytest
from django.urls import reverse

from coso.audit.models import AuditEvent
from coso.members import services
from coso.members.models import Candidate, Member, Status
from coso.people.models import Person
from coso.people.services import create_person

pytestmark = pytest.mark.django_db
D = dt.date
COURSE = D(2024, 1, 20)


@pytest.fixture
def c(tree):
    def candidate(name, cell, course=COURSE):
        person = create_person(actor=None, full_name=name, gender="F", birth_date=D(2000, 1, 1))
        return services.add_candidate(actor=None, person=person, organization=cell, listed_on=D(2024, 1, 10), course_completed_on=course)

    return {"lan": candidate("Phan Thị Lan", tree.cell_a1a), "hoa": candidate("Đặng Thị Hoa", tree.cell_a2, course=None),
            "b": candidate("Tạ Thị Bê", tree.cell_b1a)}


@pytest.fixture
def as_staff_a(client, people):
    client.force_login(people.staff_a)
    return client


def test_it_lists_the_candidates_of_the_subtree(as_staff_a, c, django_assert_max_num_queries):
    # session, user, scope root paths, the organization's placement, the count, the rows, the
    # scope's name in the header, and the session's sliding expiry (savepoint, update, release)
    with django_assert_max_num_queries(10):
        response = as_staff_a.get(reverse("members:candidates"), {"ngay": "01/03/2024"})
    body = response.content.decode()
    assert "Phan Thị Lan" in body and "Đặng Thị Hoa" in body and "Tạ Thị Bê" not in body
    assert "chưa học" in body  # Hoa has not done the course yet
    body = as_staff_a.get(reverse("members:candidates"), {"ngay": "01/03/2024", "tim": "phan thi"}).content.decode()
    assert "Phan Thị Lan" in body and "Đặng Thị Hoa" not in body


def test_it_adds_a_candidate_with_a_new_person(as_staff_a, tree):
    response = as_staff_a.post(reverse("members:candidate_create"), {
        "full_name": "Mai Văn Tùng", "gender": "M", "birth_date": "02/02/1999", "birth_precision": "day", "ethnicity": "01", "religion": "00",
        "qualification": "dai_hoc", "theory_level": "none", "organization": tree.cell_a2.pk, "listed_on": "01/02/2024",
    })
    assert response.status_code == 302
    candidate = Candidate.objects.get(person__full_name="Mai Văn Tùng")
    assert response["Location"] == reverse("members:candidate", args=[candidate.pk])
    assert candidate.organization_id == tree.cell_a2.pk and candidate.state == Candidate.State.PREPARING


def test_it_adds_an_existing_person_again_after_a_drop(as_staff_a, tree, c):
    services.drop_candidate(actor=None, candidate=c["lan"], reason="Chuyển công tác")
    url = reverse("members:candidate_create")
    assert "Phan Thị Lan" in as_staff_a.get(reverse("members:person_options"), {"q": "phan thi lan"}).content.decode()
    assert "Tạ Thị Bê" not in as_staff_a.get(reverse("members:person_options"), {"q": "ta thi be"}).content.decode()
    body = as_staff_a.get(url, {"nguoi": c["lan"].person_id}).content.decode()
    assert 'data-testid="existing-person"' in body and 'name="full_name"' not in body
    count = Person.objects.count()
    response = as_staff_a.post(url, {"nguoi": c["lan"].person_id, "organization": tree.cell_a1b.pk, "listed_on": "01/03/2024"})
    assert response.status_code == 302 and Person.objects.count() == count
    assert Candidate.objects.filter(person_id=c["lan"].person_id, state=Candidate.State.PREPARING, organization=tree.cell_a1b).exists()
    assert as_staff_a.get(url, {"nguoi": c["b"].person_id}).status_code == 404  # a person of huyện B


def test_it_records_the_course_then_admits(as_staff_a, c):
    hoa = c["hoa"]
    response = as_staff_a.post(reverse("members:admit", args=[hoa.pk]), {"admitted_on": "01/03/2024", "decision_number": "15-QĐ/ĐU"})
    assert "Chưa hoàn thành lớp bồi dưỡng nhận thức về Đảng." in response.content.decode()
    response = as_staff_a.post(reverse("members:candidate_edit", args=[hoa.pk]), {"course_completed_on": "15/02/2024", "course_certificate": "CN 12"})
    assert response.status_code == 302
    response = as_staff_a.post(reverse("members:admit", args=[hoa.pk]), {"admitted_on": "01/03/2024", "decision_number": "15-QĐ/ĐU",
                                                                         "decision_date": "25/02/2024"})
    member = Member.objects.get(person_id=hoa.person_id)
    assert response.status_code == 302 and response["Location"] == reverse("members:detail", args=[member.pk])
    assert member.status == Status.PROBATIONARY and member.admission_decision_date == D(2024, 2, 25)
    body = as_staff_a.get(reverse("members:candidate", args=[hoa.pk])).content.decode()
    assert "Đã kết nạp" in body and reverse("members:detail", args=[member.pk]) in body
    assert reverse("members:admit", args=[hoa.pk]) not in body  # no more actions


def test_it_drops_a_candidate_with_a_reason(as_staff_a, c):
    response = as_staff_a.post(reverse("members:drop", args=[c["lan"].pk]), {"reason": "Không đủ tiêu chuẩn"})
    assert response.status_code == 302
    c["lan"].refresh_from_db()
    assert c["lan"].state == Candidate.State.DROPPED
    assert AuditEvent.objects.get(event_type="members.candidate.dropped").new["reason"] == "Không đủ tiêu chuẩn"
    assert "không còn trong danh sách" in as_staff_a.post(reverse("members:drop", args=[c["lan"].pk]), {"reason": "x"}).content.decode()


def test_it_answers_404_outside_the_scope_and_403_when_read_only(client, people, c):
    client.force_login(people.staff_a)
    assert client.get(reverse("members:candidate", args=[c["b"].pk])).status_code == 404
    assert client.post(reverse("members:admit", args=[c["b"].pk]), {"admitted_on": "01/03/2024", "decision_number": "1"}).status_code == 404
    client.force_login(people.leader_a)
    assert client.get(reverse("members:candidate", args=[c["lan"].pk])).status_code == 200
    assert client.post(reverse("members:admit", args=[c["lan"].pk]), {"admitted_on": "01/03/2024", "decision_number": "1"}).status_code == 403
    assert client.get(reverse("members:candidate_create")).status_code == 403
    assert not Member.objects.exists()


def test_it_refuses_the_wrong_method(as_staff_a, c):
    assert as_staff_a.post(reverse("members:candidates")).status_code == 405
    assert as_staff_a.post(reverse("members:candidate", args=[c["lan"].pk])).status_code == 405
    assert as_staff_a.delete(reverse("members:admit", args=[c["lan"].pk])).status_code == 405


def test_the_list_shows_the_state_on_the_chosen_date_as_the_engine_counts(as_staff_a, tree, c):
    """Admitted in May 2024: at 31/03/2024 Lan was still in training, and the list says so (as the
    dashboard's count does); listed on 10/01/2024: not yet a candidate on 31/12/2023."""
    from coso.measures import engine
    from coso.measures.catalog import CANDIDATES

    services.admit_candidate(actor=None, candidate=c["lan"], admitted_on=D(2024, 5, 2), decision_number="5-QĐ/ĐU")
    url = reverse("members:candidates")
    body = as_staff_a.get(url, {"ngay": "31/03/2024", "to_chuc": tree.district_a.pk}).content.decode()
    assert "Phan Thị Lan" in body and "Đặng Thị Hoa" in body
    row = body[body.index("Phan Thị Lan"):]
    assert "Đang bồi dưỡng" in row[:row.index("</tr>")]
    assert engine.count(CANDIDATES, tree.district_a, on=D(2024, 3, 31)) == 2
    body = as_staff_a.get(url, {"ngay": "31/05/2024", "to_chuc": tree.district_a.pk}).content.decode()
    assert "Phan Thị Lan" not in body and "Đặng Thị Hoa" in body
    assert engine.count(CANDIDATES, tree.district_a, on=D(2024, 5, 31)) == 1
    body = as_staff_a.get(url, {"ngay": "31/05/2024", "to_chuc": tree.district_a.pk, "tinh_trang": "admitted"}).content.decode()
    assert "Phan Thị Lan" in body
    body = as_staff_a.get(url, {"ngay": "31/03/2024", "to_chuc": tree.district_a.pk, "tinh_trang": "admitted"}).content.decode()
    assert "Phan Thị Lan" not in body
    body = as_staff_a.get(url, {"ngay": "31/12/2023", "to_chuc": tree.district_a.pk}).content.decode()
    assert "Phan Thị Lan" not in body and "Đặng Thị Hoa" not in body

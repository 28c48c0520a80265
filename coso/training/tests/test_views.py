import datetime as dt

import pytest
from django.urls import reverse

from coso.audit.models import AuditEvent
from coso.training import services
from coso.training.choices import Body, Program
from coso.training.models import Course, Enrolment

from .conftest import make_member

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def course(tree, people):
    return services.create_course(actor=people.staff_a, organizer=tree.commune_a1, name="Lớp sơ cấp khóa I", program=Program.ELEMENTARY,
                                  body=Body.DISTRICT_CENTRE, starts_on=D(2024, 3, 1), ends_on=D(2024, 4, 30))


def test_staff_open_a_course_from_the_form(client, tree, people):
    client.force_login(people.staff_a)
    response = client.post(reverse("training:course_create"), {
        "organizer": tree.commune_a1.pk, "name": "Lớp trung cấp 2024", "program": "trung_cap", "body": "truong_tinh",
        "mode": "khong_tap_trung", "starts_on": "01/03/2024", "ends_on": "30/11/2024"})
    course = Course.objects.get(name="Lớp trung cấp 2024")
    assert response.status_code == 302 and response["Location"] == reverse("training:course", args=[course.pk])
    assert "Lớp trung cấp 2024" in client.get(reverse("training:courses")).content.decode()


def test_a_refused_course_shows_the_reason_on_its_field_and_writes_nothing(client, tree, people):
    client.force_login(people.staff_a)
    before = AuditEvent.objects.count()
    response = client.post(reverse("training:course_create"), {
        "organizer": tree.commune_a1.pk, "name": "Lớp", "program": "so_cap", "body": "ttct_xa", "mode": "tap_trung",
        "starts_on": "01/03/2024", "ends_on": "30/04/2024"})
    assert response.status_code == 200 and "01/07/2025" in response.content.decode()
    assert response.context["form"].errors["body"] and AuditEvent.objects.count() == before and not Course.objects.exists()


@pytest.mark.parametrize("data", [
    {"organizer": "x", "name": "", "program": "zzz", "starts_on": "31/02/2024", "ends_on": "x"},
    {"organizer": "999999", "name": "A" * 400, "program": "so_cap", "body": "khac", "starts_on": "01/01/2024", "ends_on": "01/01/2023"},
    {},
])
def test_malformed_course_input_is_a_form_error_not_a_server_error(client, tree, people, data):
    client.force_login(people.staff_a)
    assert client.post(reverse("training:course_create"), data).status_code == 200
    assert not Course.objects.exists()


def test_a_course_page_lists_its_enrolments_and_staff_record_a_completion(client, tree, people, course):
    person = make_member(people.staff_a, tree.cell_a1a, "Nguyễn Văn Học")
    client.force_login(people.staff_a)
    response = client.post(reverse("training:enrol", args=[course.pk]), {"person": person.pk})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(course=course, person=person)
    response = client.post(reverse("training:complete", args=[enrolment.pk]), {"completed_on": "30/04/2024", "certificate_number": "SC-12"})
    assert response.status_code == 302
    page = client.get(reverse("training:course", args=[course.pk])).content.decode()
    assert "Nguyễn Văn Học" in page and "SC-12" in page
    person_page = client.get(reverse("training:person", args=[person.pk]), {"ngay": "01/05/2024"}).content.decode()
    assert "Sơ cấp" in person_page and "30/04/2024" in person_page


def test_a_second_enrolment_of_a_person_is_refused_on_the_person_field(client, tree, people, course):
    person = make_member(people.staff_a, tree.cell_a1a, "Nguyễn Văn Học")
    services.enrol(actor=people.staff_a, course=course, person=person)
    client.force_login(people.staff_a)
    response = client.post(reverse("training:enrol", args=[course.pk]), {"person": person.pk})
    assert response.status_code == 200 and "đã có tên trong lớp" in str(response.context["form"].errors["person"])


def test_a_completion_outside_the_course_dates_is_refused_on_its_field(client, tree, people, course):
    enrolment = services.enrol(actor=people.staff_a, course=course, person=make_member(people.staff_a, tree.cell_a1a, "Nguyễn Văn Học"))
    client.force_login(people.staff_a)
    response = client.post(reverse("training:complete", args=[enrolment.pk]), {"completed_on": "01/06/2024", "certificate_number": "SC-1"})
    assert response.status_code == 200 and response.context["form"].errors["completed_on"]
    enrolment.refresh_from_db()
    assert enrolment.state == Enrolment.State.ENROLLED


def test_a_leader_reads_but_may_not_change(client, tree, people, course):
    enrolment = services.enrol(actor=people.staff_a, course=course, person=make_member(people.staff_a, tree.cell_a1a, "Nguyễn Văn Học"))
    client.force_login(people.leader_a)
    assert client.get(reverse("training:course", args=[course.pk])).status_code == 200
    assert client.get(reverse("training:course_create")).status_code == 403
    assert client.get(reverse("training:enrol", args=[course.pk])).status_code == 403
    assert client.post(reverse("training:complete", args=[enrolment.pk]), {"completed_on": "30/04/2024", "certificate_number": "X"}).status_code == 403
    assert client.post(reverse("training:withdraw", args=[enrolment.pk]), {"withdrawn_on": "30/04/2024", "reason": "X"}).status_code == 403


def test_another_subtree_gets_404(client, tree, people, course):
    client.force_login(people.staff_b)
    assert client.get(reverse("training:course", args=[course.pk])).status_code == 404
    assert "Lớp sơ cấp khóa I" not in client.get(reverse("training:courses")).content.decode()


def test_the_read_only_pages_refuse_other_methods(client, tree, people, course):
    client.force_login(people.staff_a)
    for url in (reverse("training:courses"), reverse("training:course", args=[course.pk]), reverse("training:lacking"),
                reverse("training:refresher")):
        assert client.post(url).status_code == 405


def test_the_course_page_reads_a_fixed_number_of_queries(client, tree, people, course, django_assert_max_num_queries):
    for i in range(12):
        services.enrol(actor=people.staff_a, course=course, person=make_member(people.staff_a, tree.cell_a1a, f"Nguyễn Văn Số {i}"))
    client.force_login(people.staff_a)
    # session, user, scope paths, course, organizer name, counts, page count, page rows, + the layout's
    with django_assert_max_num_queries(14):
        assert client.get(reverse("training:course", args=[course.pk])).status_code == 200


def test_lists_of_who_lacks_the_level_and_who_is_due_for_refresher(client, tree, people, course, posts):
    secretary = make_member(people.staff_a, tree.cell_a1a, "Lê Văn Bí Thư", theory_level="so_cap")
    chair = make_member(people.staff_a, tree.cell_a1a, "Lê Thị Chủ Tịch", gender="F", theory_level="trung_cap")
    outsider = make_member(people.staff_b, tree.cell_b1a, "Lê Văn Ngoài")
    posts.extend([(secretary, "bi_thu", "Xã A1", tree.commune_a1), (chair, "chu_tich_ubnd", "Xã A1", tree.commune_a1),
                  (outsider, "bi_thu", "Xã B1", tree.commune_b1)])
    client.force_login(people.staff_a)
    # before QĐ 350 (29/08/2025): trung cấp is required; after it, cao cấp
    before = client.get(reverse("training:lacking"), {"ngay": "01/06/2024"}).content.decode()
    assert "Lê Văn Bí Thư" in before and "Lê Thị Chủ Tịch" not in before and "Lê Văn Ngoài" not in before
    after = client.get(reverse("training:lacking"), {"ngay": "01/10/2025"}).content.decode()
    assert "Lê Văn Bí Thư" in after and "Lê Thị Chủ Tịch" in after
    # a refresher course completed in 2024 covers the chair until 2029; the secretary never had one
    refresher = services.create_course(actor=people.staff_a, organizer=tree.commune_a1, name="Cập nhật kiến thức 2024",
                                       program=Program.REFRESHER, body=Body.DISTRICT_CENTRE, starts_on=D(2024, 5, 1), ends_on=D(2024, 5, 5))
    e = services.enrol(actor=people.staff_a, course=refresher, person=chair)
    services.complete(actor=people.staff_a, enrolment=e, completed_on=D(2024, 5, 5), certificate_number="CN-1")
    due = client.get(reverse("training:refresher"), {"ngay": "01/06/2024"}).content.decode()
    assert "Lê Văn Bí Thư" in due and "Lê Thị Chủ Tịch" not in due
    assert "Lê Thị Chủ Tịch" in client.get(reverse("training:refresher"), {"ngay": "06/05/2029"}).content.decode()


def test_the_person_page_counts_courses_outside_the_scope_without_naming_them(client, tree, people):
    person = make_member(people.staff_a, tree.cell_a1a, "Nguyễn Văn Học")
    elsewhere = services.create_course(actor=people.staff_b, organizer=tree.commune_b1, name="Lớp của huyện B", program=Program.INTERMEDIATE,
                                       body=Body.PROVINCIAL_SCHOOL, starts_on=D(2024, 3, 1), ends_on=D(2024, 9, 1))
    e = services.enrol(actor=people.staff_b, course=elsewhere, person=person)
    services.complete(actor=people.staff_b, enrolment=e, completed_on=D(2024, 9, 1), certificate_number="TC-1")
    client.force_login(people.staff_a)
    page = client.get(reverse("training:person", args=[person.pk]), {"ngay": "01/10/2024"}).content.decode()
    assert "Lớp của huyện B" not in page and "Trung cấp" in page and 'data-testid="others"' in page

import datetime as dt

import pytest
from django.urls import reverse

from coso.staffing import services
from coso.staffing.models import Employment, Quota
from coso.staffing.reference import BodyKind, Category

pytestmark = pytest.mark.django_db
D = dt.date


def test_staff_record_a_new_person_a_quota_and_see_headcount_against_it(client, tree, people, communes):
    a, _b = communes
    client.force_login(people.staff_a)
    response = client.post(reverse("staffing:employment_create", args=[a.pk]), {
        "full_name": "Hà Thị Công Chức", "gender": "F", "birth_date": "01/02/1990", "body_kind": "ubnd", "category": "cong_chuc_xa",
        "position": "Công chức Tài chính – kế toán", "valid_from": "01/01/2024"})
    assert response.status_code == 302
    assert client.post(reverse("staffing:quota_set", args=[a.pk]), {"category": "cong_chuc_xa", "number": "6", "valid_from": "01/08/2023"}).status_code == 302
    response = client.get(reverse("staffing:commune", args=[a.pk]), {"ngay": "01/03/2024"})
    row = next(r for r in response.context["table"].rows if r.category == "cong_chuc_xa")
    assert "Hà Thị Công Chức" in response.content.decode() and (row.headcount, row.quota, row.against_quota) == (1, 6, -5)
    assert "An Hòa" in client.get(reverse("staffing:index"), {"ngay": "01/03/2024"}).content.decode()


def test_a_refused_record_names_the_field_and_writes_nothing(client, tree, people, communes):
    client.force_login(people.staff_a)
    response = client.post(reverse("staffing:employment_create", args=[communes[0].pk]), {
        "full_name": "Hà Văn Muộn", "gender": "M", "body_kind": "ubnd", "category": "kct_xa", "position": "Phó chỉ huy quân sự",
        "valid_from": "01/09/2025"})
    assert response.status_code == 200 and response.context["form"].errors["category"]
    assert not Employment.objects.exists()


@pytest.mark.parametrize("data", [{}, {"person": "abc", "valid_from": "99/99/9999", "category": "x"}, {"full_name": "A", "gender": "Z"}])
def test_malformed_input_is_a_form_error(client, tree, people, communes, data):
    client.force_login(people.staff_a)
    assert client.post(reverse("staffing:employment_create", args=[communes[0].pk]), data).status_code == 200
    assert client.post(reverse("staffing:quota_set", args=[communes[0].pk]), data).status_code == 200
    assert not Employment.objects.exists() and not Quota.objects.exists()


def test_an_exit_from_the_page_and_the_before_after_figures(client, tree, people, communes):
    a = communes[0]
    e = services.start_employment(actor=people.staff_a, commune=a, body_kind=BodyKind.COMMITTEE, category=Category.COMMUNE_CIVIL_SERVANT,
                                  position="Công chức Tư pháp", valid_from=D(2024, 1, 1), new_person={"full_name": "Võ Văn Nghỉ", "gender": "M"})
    client.force_login(people.staff_a)
    response = client.post(reverse("staffing:employment_end", args=[e.pk]), {
        "valid_to": "01/07/2025", "ending": "tinh_gian", "basis": "154/2025", "exit_form": "nghi_huu_truoc_tuoi"})
    assert response.status_code == 302
    page = client.get(reverse("staffing:commune", args=[a.pk]), {"tu": "01/01/2025", "den": "01/07/2025"})
    [row] = page.context["changes"]
    assert (row.before, row.after, row.streamlined) == (1, 0, 1)


def test_the_part_time_end_page_keeps_those_ticked(client, tree, people, communes):
    a = communes[0]
    kept, gone = (services.start_employment(actor=people.staff_a, commune=a, body_kind=BodyKind.COMMITTEE, category=Category.COMMUNE_PART_TIME,
                                            position=f"Không chuyên trách {i}", valid_from=D(2024, 1, 1),
                                            new_person={"full_name": f"Người {i}", "gender": "M"}) for i in range(2))
    client.force_login(people.staff_a)
    assert client.post(reverse("staffing:part_time_end", args=[a.pk]), {"giu_lai": [str(kept.pk), "x", "999999"]}).status_code == 302
    gone.refresh_from_db()
    assert gone.valid_to == D(2025, 8, 1)
    assert Employment.objects.filter(category=Category.PART_TIME_RETAINED, person=kept.person).exists()


def test_a_leader_reads_and_another_subtree_gets_404(client, tree, people, communes):
    a, b = communes
    client.force_login(people.leader_a)
    assert client.get(reverse("staffing:commune", args=[a.pk])).status_code == 200
    assert client.get(reverse("staffing:employment_create", args=[a.pk])).status_code == 403
    assert client.get(reverse("staffing:commune", args=[b.pk])).status_code == 404
    assert client.post(reverse("staffing:commune", args=[a.pk])).status_code == 405


def test_a_non_member_on_the_staff_can_be_picked_for_training_and_another_post(client, tree, people, communes):
    """A civil servant who is not a party member (no membership, no candidacy) is found by the
    pickers of employment, enrolment and posts, and has a training page; another subtree does not
    see them."""
    from coso.training import services as training
    from coso.training.choices import Body, Program
    from coso.training.models import Enrolment

    a, _b = communes
    client.force_login(people.staff_a)
    client.post(reverse("staffing:employment_create", args=[a.pk]), {
        "full_name": "Đinh Văn Ngoài Đảng", "gender": "M", "birth_date": "01/02/1990", "body_kind": "ubnd", "category": "cong_chuc_xa",
        "position": "Công chức Văn phòng – thống kê", "valid_from": "01/01/2024"})
    person = Employment.objects.get().person
    assert "Đinh Văn Ngoài Đảng" in client.get(reverse("grassroots:person_options"), {"q": "ngoai dang"}).content.decode()
    course = training.create_course(actor=people.staff_a, organizer=tree.commune_a1, name="Lớp sơ cấp", program=Program.ELEMENTARY,
                                    body=Body.DISTRICT_CENTRE, starts_on=D(2024, 3, 1), ends_on=D(2024, 4, 30))
    assert client.post(reverse("training:enrol", args=[course.pk]), {"person": person.pk}).status_code == 302
    assert Enrolment.objects.filter(course=course, person=person).exists()
    assert client.get(reverse("training:person", args=[person.pk])).status_code == 200
    response = client.post(reverse("staffing:employment_create", args=[a.pk]), {
        "person": person.pk, "body_kind": "dang", "category": "cong_chuc_xa", "position": "Văn phòng Đảng ủy", "valid_from": "01/02/2025"})
    assert response.status_code == 302 and Employment.objects.filter(person=person).count() == 2
    client.force_login(people.staff_b)
    assert "Đinh Văn Ngoài Đảng" not in client.get(reverse("grassroots:person_options"), {"q": "ngoai dang"}).content.decode()
    assert client.get(reverse("training:person", args=[person.pk])).status_code == 404

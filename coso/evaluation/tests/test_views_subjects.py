"""The section "Đối tượng khác" of the period page: leadership collectives, leaders and the
commune's Front and mass organizations added by hand (evaluation:subjects and the three forms).

Personas (evaluation/tests/conftest.py): staff_a decides in huyện A; leader_a reads it (no
decide: 403); staff_b (huyện B) does not see huyện A's period (404).
"""

import pytest
from django.urls import reverse

from coso.audit.models import AuditEvent
from coso.evaluation import services
from coso.evaluation.choices import SubjectKind
from coso.evaluation.models import MassOrganization, Period, Rating
from coso.evaluation.rules.base import GOOD

from .conftest import members

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def roll(tree):
    return {"a1a": members(tree.cell_a1a, "Nguyễn", 3), "a1b": members(tree.cell_a1b, "Trần", 2), "a2": members(tree.cell_a2, "Lê", 2)}


@pytest.fixture
def period(tree, people, scopes, roll):
    return services.open_period(actor=people.staff_a, organization=tree.district_a, year=2024)


def url(name, period):
    return reverse(f"evaluation:{name}", args=[period.pk])


def body(response) -> str:
    return response.content.decode()


def added(period, kind):
    return Rating.objects.filter(period=period, subject_kind=kind)


# ---------------------------------------------------------------- the section


def test_the_period_page_has_the_section_for_those_who_decide(client, people, tree, period, roll):
    client.force_login(people.staff_a)
    text = body(client.get(url("period", period), {"nhom": tree.commune_a1.pk}))
    assert "Đối tượng khác" in text and f"{url('subjects', period)}?nhom={tree.commune_a1.pk}" in text
    # the forms (htmx into the section; a page of their own without it)
    text = body(client.get(url("subjects", period), {"nhom": tree.commune_a1.pk}, **HTMX))
    assert "<html" not in text and "Tập thể lãnh đạo của tổ chức đảng" in text and "csrfmiddlewaretoken" in text
    assert "Nguyễn Văn A (Chi bộ thôn A1a)" in text and "Lê Văn A" not in text  # the members of the group chosen only
    assert "Mặt trận Tổ quốc" in text and "Đảng bộ xã A1" in text
    page = client.get(url("subjects", period))
    assert page.status_code == 200 and "<html" in body(page) and "Chọn một tổ chức cơ sở đảng" in body(page)
    client.force_login(people.leader_a)
    assert "Đối tượng khác" not in body(client.get(url("period", period)))


# ---------------------------------------------------------------- each form adds its subject


def test_the_collective_form_adds_the_leadership_collective(client, people, tree, period):
    client.force_login(people.staff_a)
    response = client.post(url("add_collective", period), {"organization": tree.cell_a1a.pk, "name": ""}, follow=True)
    rating = added(period, SubjectKind.COLLECTIVE).get()
    assert (rating.organization_id, rating.competent_id, rating.subject_name) == (tree.cell_a1a.pk, tree.commune_a1.pk,
                                                                                  "Tập thể lãnh đạo Chi bộ thôn A1a")
    text = body(response)
    assert "Đã thêm Tập thể lãnh đạo Chi bộ thôn A1a vào kỳ đánh giá." in text
    assert reverse("evaluation:rating", args=[rating.pk]) in text and "Tập thể lãnh đạo, quản lý" in text  # in the group's list


def test_the_leader_form_adds_a_member_in_a_post(client, people, tree, period, roll):
    client.force_login(people.staff_a)
    chosen = roll["a1b"][0]
    response = client.post(url("add_leader", period), {"nhom": tree.commune_a1.pk, "member": chosen.pk, "organization": tree.commune_a1.pk,
                                                       "post": " Bí thư "}, follow=True)
    rating = added(period, SubjectKind.LEADER).get()
    assert (rating.member_id, rating.organization_id, rating.post, rating.competent_id) == (chosen.pk, tree.commune_a1.pk, "Bí thư",
                                                                                           tree.district_a.pk)
    text = body(response)
    assert "(lãnh đạo) vào kỳ đánh giá." in text and reverse("evaluation:rating", args=[rating.pk]) in text and "(Bí thư)" in text


def test_the_mass_organization_form_creates_or_picks_one(client, people, tree, scopes, period):
    client.force_login(people.staff_a)
    response = client.post(url("add_mass_organization", period), {"organization": tree.commune_a1.pk, "kind": "nong_dan",
                                                                  "name": "Hội Nông dân xã A1"}, follow=True)
    mass = MassOrganization.objects.get(name="Hội Nông dân xã A1")
    assert (mass.organization_id, mass.kind) == (tree.commune_a1.pk, MassOrganization.Kind.FARMERS)
    rating = added(period, SubjectKind.MASS_ORGANIZATION).get(mass_organization=mass)
    assert rating.competent_id == tree.commune_a1.pk
    assert "Đã thêm Hội Nông dân xã A1 vào kỳ đánh giá." in body(response)
    # one already named: offered, and added as it is
    front = services.create_mass_organization(actor=people.staff_a, organization=tree.commune_a1,
                                              name="Ủy ban MTTQ xã A1", kind=MassOrganization.Kind.FATHERLAND_FRONT)
    text = body(client.get(url("subjects", period), **HTMX))
    assert "Ủy ban MTTQ xã A1" in text and "Hội Nông dân xã A1" not in text  # the one in the period is not offered again
    client.post(url("add_mass_organization", period), {"organization": tree.commune_a1.pk, "existing": front.pk})
    assert added(period, SubjectKind.MASS_ORGANIZATION).filter(mass_organization=front).exists()
    assert MassOrganization.objects.count() == 2


# ---------------------------------------------------------------- scope and permission


@pytest.mark.parametrize("name", ["subjects", "add_collective", "add_leader", "add_mass_organization"])
def test_another_district_gets_404_and_a_reader_403(client, people, tree, period, name):
    data = {"organization": tree.commune_a1.pk, "name": "Lọt"}
    posted = 405 if name == "subjects" else None  # the forms' page is read-only
    client.force_login(people.staff_b)
    assert client.get(url(name, period)).status_code == 404
    assert client.post(url(name, period), data).status_code == (posted or 404)
    client.force_login(people.leader_a)
    assert client.get(url(name, period)).status_code == 403
    assert client.post(url(name, period), data).status_code == (posted or 403)
    client.force_login(people.secretary_a1a)
    assert client.get(url(name, period)).status_code == 403
    assert client.post(url(name, period), data).status_code == (posted or 403)
    assert Rating.objects.filter(period=period).exclude(subject_kind__in=(SubjectKind.MEMBER, SubjectKind.ORGANIZATION)).count() == 0
    assert MassOrganization.objects.count() == 0


# ---------------------------------------------------------------- refused input


@pytest.mark.parametrize(("name", "data", "message"), [
    ("add_collective", {}, "Chưa chọn tổ chức đảng."),
    ("add_collective", {"organization": "commune_b1"}, "Tổ chức đảng đã chọn không có trong danh sách của kỳ đánh giá."),
    ("add_collective", {"organization": "district_a"}, "Tổ chức đảng đã chọn không có trong danh sách của kỳ đánh giá."),
    ("add_leader", {"nhom": "commune_a1", "member": "a1a", "organization": "commune_a1", "post": "  "}, "Chưa nhập chức vụ."),
    ("add_leader", {"nhom": "commune_a1", "member": "a2", "organization": "commune_a1", "post": "Bí thư"},
     "Đảng viên đã chọn không sinh hoạt trong tổ chức cơ sở đảng này vào ngày chốt danh sách."),
    ("add_leader", {"nhom": "commune_a1", "member": "a1a", "organization": "cell_a2", "post": "Bí thư"},
     "Tổ chức đảng đã chọn không có trong danh sách của kỳ đánh giá."),
    ("add_leader", {"member": "a1a", "organization": "commune_a1", "post": "Bí thư"},
     "Đảng viên đã chọn không sinh hoạt trong tổ chức cơ sở đảng này"),
    ("add_mass_organization", {"organization": "commune_a1", "kind": "mttq"}, "Chọn một tổ chức đã có hoặc nhập tên tổ chức mới."),
    ("add_mass_organization", {"organization": "cell_a2", "kind": "mttq", "name": "Mặt trận"},
     "Đảng bộ xã, phường đã chọn không có trong phạm vi của kỳ đánh giá."),
    ("add_mass_organization", {"organization": "commune_a1", "kind": "bogus", "name": "Hội X"}, "Loại tổ chức không hợp lệ."),
])
def test_bad_input_is_refused_in_vietnamese_and_changes_nothing(client, people, tree, roll, period, name, data, message):
    values = {"commune_b1": tree.commune_b1.pk, "district_a": tree.district_a.pk, "commune_a1": tree.commune_a1.pk,
              "cell_a2": tree.cell_a2.pk, "a1a": roll["a1a"][0].pk, "a2": roll["a2"][0].pk}
    data = {k: values.get(v, v) for k, v in data.items()}
    client.force_login(people.staff_a)
    ratings, events = Rating.objects.count(), AuditEvent.objects.count()
    response = client.post(url(name, period), data, follow=True)
    assert response.status_code == 200
    assert "Chưa thêm được đối tượng:" in body(response) and message in body(response)
    assert (Rating.objects.count(), AuditEvent.objects.count(), MassOrganization.objects.count()) == (ratings, events, 0)


def test_a_step_the_service_refuses_shows_its_message(client, people, tree, scopes, period):
    client.force_login(people.staff_a)
    client.post(url("add_collective", period), {"organization": tree.commune_a1.pk})
    count = Rating.objects.count()
    response = client.post(url("add_collective", period), {"organization": tree.commune_a1.pk}, follow=True)
    assert "Tập thể lãnh đạo của tổ chức này đã có trong kỳ đánh giá." in body(response) and Rating.objects.count() == count
    # a new mass organization whose addition is refused is not created either
    other = services.create_mass_organization(actor=people.staff_a, organization=tree.commune_a1, name="Hội Cựu chiến binh xã A1")
    response = client.post(url("add_mass_organization", period), {"organization": tree.commune_a1.pk, "kind": "cuu_chien_binh",
                                                                  "name": "Hội Cựu chiến binh xã A1"}, follow=True)
    assert "Đã có tổ chức cùng tên." in body(response)
    assert list(MassOrganization.objects.all()) == [other]


# ---------------------------------------------------------------- the way of an added subject


def test_a_mass_organization_added_here_is_proposed_decided_and_published(client, people, tree, scopes, period, roll):
    client.force_login(people.staff_a)
    client.post(url("add_mass_organization", period), {"organization": tree.commune_a1.pk, "kind": "phu_nu",
                                                       "name": "Hội Liên hiệp Phụ nữ xã A1"})
    rating = added(period, SubjectKind.MASS_ORGANIZATION).get()
    # the rest of commune A1 proposed (nothing is decided there while a subject waits)
    for cell in ("a1a", "a1b"):
        services.propose(actor=people.staff_a, period=period, cell=getattr(tree, f"cell_{cell}"),
                         levels={m.pk: GOOD for m in roll[cell]})
    for org in (tree.cell_a1a, tree.cell_a1b):
        services.propose_rating(actor=people.staff_a, level=GOOD,
                                rating=Rating.objects.get(period=period, subject_kind=SubjectKind.ORGANIZATION, organization=org))
    page = body(client.get(reverse("evaluation:rating", args=[rating.pk])))
    assert "Hội Liên hiệp Phụ nữ xã A1" in page and "Mức đề xuất" in page
    response = client.post(reverse("evaluation:propose", args=[rating.pk]), {"level": GOOD}, follow=True)
    assert "Đã ghi mức đề xuất cho Hội Liên hiệp Phụ nữ xã A1." in body(response)
    response = client.post(url("decide", period), {"organization": tree.commune_a1.pk, "decision_number": "12-QĐ/ĐU"}, follow=True)
    assert "Đã quyết định xếp loại" in body(response)
    rating.refresh_from_db()
    assert (rating.state, rating.level, rating.decision_number) == (Rating.State.DECIDED, GOOD, "12-QĐ/ĐU")
    response = client.post(url("publish", period), {"organization": tree.commune_a1.pk}, follow=True)
    assert "Đã công bố kết quả xếp loại" in body(response)
    rating.refresh_from_db()
    assert rating.state == Rating.State.PUBLISHED and rating.level_label == "Hoàn thành tốt nhiệm vụ"
    # the period goes on (huyện A's other subjects); once published, no subject is added any more
    assert Period.objects.get(pk=period.pk).state == Period.State.OPEN

"""The person form of the member pages: the photo (upload, checks, scoped serving) and the
village pickers (the villages of the chosen commune, in the user's scope)."""

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from coso.audit.models import AuditEvent
from coso.members import services
from coso.members.models import Member
from coso.organizations.models import Placement
from coso.people.models import Person
from coso.people.services import create_person
from coso.places.models import AdminUnit, Generation, Level, UnitKind
from coso.places.services import create_village

pytestmark = pytest.mark.django_db
D = dt.date

PERSON = {"full_name": "Hoàng Thị Mai", "gender": "F", "birth_date": "12/08/1985", "birth_precision": "day", "ethnicity": "01",
          "religion": "00", "qualification": "none", "theory_level": "none"}


def image_bytes(kind="PNG", size=(40, 50)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


def upload(name="anh.png", kind="PNG", content=None, content_type="image/png"):
    return SimpleUploadedFile(name, content if content is not None else image_bytes(kind), content_type=content_type)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def places(tree, people):
    """Areas of the two communes' organizations (current units, in force today) and their villages."""

    def unit(code, name, level, kind, parent=None):
        return AdminUnit.objects.create(generation=Generation.CURRENT, level=level, kind=kind, code=code, name=name,
                                        full_name=f"{UnitKind(kind).label} {name}", parent=parent)

    province = unit("98", "Thử nghiệm", Level.PROVINCE, UnitKind.PROVINCE)
    p = SimpleNamespace(
        commune_a=unit("98001", "An Phú", Level.COMMUNE, UnitKind.COMMUNE, province),
        commune_a2=unit("98003", "An Hòa", Level.COMMUNE, UnitKind.COMMUNE, province),
        commune_b=unit("98002", "Bình Yên", Level.COMMUNE, UnitKind.COMMUNE, province),
    )
    Placement.objects.filter(organization=tree.commune_a1).update(area=p.commune_a)
    Placement.objects.filter(organization=tree.cell_a2).update(area=p.commune_a2)
    Placement.objects.filter(organization=tree.commune_b1).update(area=p.commune_b)
    p.village_a = create_village(actor=people.staff_a, commune=p.commune_a, name="Mỹ Lợi", kind=UnitKind.VILLAGE, valid_from=D(2024, 1, 1))
    p.village_a_old = create_village(actor=people.staff_a, commune=p.commune_a, name="Tây", kind=UnitKind.VILLAGE, valid_from=D(2024, 1, 1))
    AdminUnit.objects.filter(pk=p.village_a_old.pk).update(valid_to=D(2025, 1, 1))  # merged away: no longer offered
    p.village_a2 = create_village(actor=people.staff_a, commune=p.commune_a2, name="Đông", kind=UnitKind.VILLAGE, valid_from=D(2024, 1, 1))
    p.village_b = create_village(actor=people.staff_b, commune=p.commune_b, name="Kín Cổng", kind=UnitKind.VILLAGE, valid_from=D(2024, 1, 1))
    return p


@pytest.fixture
def as_staff_a(client, people):
    client.force_login(people.staff_a)
    return client


def record(tree, name="Trần Văn An", cell=None, **person):
    p = create_person(actor=None, full_name=name, gender="M", birth_date=D(1990, 5, 1), **person)
    return services.record_existing_member(actor=None, person=p, organization=cell or tree.cell_a1a, on=D(2024, 1, 5),
                                           admitted_on=D(2010, 1, 1), recognized_on=D(2011, 1, 1))


def create(client, tree, **fields):
    data = {**PERSON, "organization": tree.cell_a2.pk, "on": "01/02/2024", "admitted_on": "03/02/2010", **fields}
    return client.post(reverse("members:create"), data)


# ---------------------------------------------------------------- the photo


def test_it_stores_the_photo_and_shows_it_on_the_member_page(as_staff_a, tree, media):
    response = create(as_staff_a, tree, photo=upload("Hoàng Thị Mai CCCD.png"))
    assert response.status_code == 302
    person = Person.objects.get(full_name="Hoàng Thị Mai")
    # a random name under MEDIA_ROOT/photos: the uploaded name says who it is
    assert person.photo.name.startswith("photos/") and person.photo.name.endswith(".png") and "Mai" not in person.photo.name
    assert (media / person.photo.name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert AuditEvent.objects.get(event_type="people.person.created").new["photo"] == person.photo.name
    body = as_staff_a.get(response["Location"]).content.decode()
    url = reverse("members:photo", args=[person.pk])
    assert f'src="{url}"' in body and 'alt="Ảnh của Hoàng Thị Mai"' in body
    served = as_staff_a.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png" and "private" in served["Cache-Control"]
    assert b"".join(served.streaming_content) == (media / person.photo.name).read_bytes()


def test_the_forms_send_files(as_staff_a, tree):
    assert 'enctype="multipart/form-data"' in as_staff_a.get(reverse("members:create")).content.decode()
    assert 'enctype="multipart/form-data"' in as_staff_a.get(reverse("members:candidate_create")).content.decode()
    member = record(tree)
    body = as_staff_a.get(reverse("members:person_edit", args=[member.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in body and 'accept="image/jpeg,image/png"' in body
    assert 'name="remove_photo"' not in body  # nothing to remove yet


@pytest.mark.parametrize(("photo", "message"), [
    (lambda: upload("to.jpg", content=b"\xff\xd8" + b"0" * (2 * 1024 * 1024)), "Ảnh lớn hơn 2 MB: hãy chọn ảnh nhỏ hơn."),
    (lambda: upload("dong.gif", "GIF", content_type="image/gif"), "Ảnh phải là tệp JPEG hoặc PNG."),
    (lambda: upload("thu.jpg", content=b"khong phai anh", content_type="image/jpeg"),
     "Tệp đã chọn không phải ảnh hoặc ảnh bị hỏng: hãy chọn ảnh JPEG hoặc PNG."),
])
def test_it_refuses_a_photo_that_is_too_big_or_not_a_jpeg_or_png(as_staff_a, tree, media, photo, message):
    response = create(as_staff_a, tree, photo=photo())
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Person.objects.filter(full_name="Hoàng Thị Mai").exists()
    assert not (media / "photos").exists() or not any((media / "photos").iterdir())


def test_it_accepts_a_jpeg_just_under_2_mb(as_staff_a, tree, media):
    content = image_bytes("JPEG")
    assert create(as_staff_a, tree, photo=upload("a.jpg", content=content, content_type="image/jpeg")).status_code == 302
    assert Person.objects.get(full_name="Hoàng Thị Mai").photo.name.endswith(".jpg")


def test_it_replaces_then_removes_the_photo_and_deletes_the_old_files(as_staff_a, tree, media, django_capture_on_commit_callbacks):
    create(as_staff_a, tree, photo=upload())
    person = Person.objects.get(full_name="Hoàng Thị Mai")
    member = Member.objects.get(person=person)
    first = person.photo.name
    url = reverse("members:person_edit", args=[member.pk])
    fields = {**PERSON, "full_name": "Hoàng Thị Mai"}
    assert 'name="remove_photo"' in as_staff_a.get(url).content.decode()
    # an edit without a new photo keeps it
    assert as_staff_a.post(url, fields).status_code == 302
    person.refresh_from_db()
    assert person.photo.name == first
    with django_capture_on_commit_callbacks(execute=True):
        assert as_staff_a.post(url, {**fields, "photo": upload("moi.jpg", "JPEG", content_type="image/jpeg")}).status_code == 302
    person.refresh_from_db()
    second = person.photo.name
    assert second.endswith(".jpg") and (media / second).exists() and not (media / first).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert as_staff_a.post(url, {**fields, "remove_photo": "on"}).status_code == 302
    person.refresh_from_db()
    assert not person.photo and not (media / second).exists()
    assert as_staff_a.get(reverse("members:photo", args=[person.pk])).status_code == 404
    changed = AuditEvent.objects.filter(event_type="people.person.changed").order_by("id").last()
    assert changed.old["photo"] == second and changed.new["photo"] == ""


def test_the_photo_is_served_only_to_the_scope(client, people, tree, django_assert_max_num_queries):
    member = record(tree)
    member.person.photo.save("p.png", SimpleUploadedFile("p.png", image_bytes()))
    url = reverse("members:photo", args=[member.person_id])
    client.force_login(people.staff_b)
    assert client.get(url).status_code == 404  # huyện B does not see huyện A's member
    client.force_login(people.leader_a)  # read-only: may see
    # session, user, scope root paths, the person (visible through a membership or candidacy of
    # the scope), and the session's sliding expiry (savepoint, update, release); whether the
    # member left the scope (the member, their periods, the scope's placements: decision 0007)
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert client.post(url).status_code == 405
    assert client.get(reverse("members:photo", args=[record(tree, "Lê Văn Chí").person_id])).status_code == 404  # no photo
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


# ---------------------------------------------------------------- the village pickers


def test_the_commune_picker_reloads_the_villages(as_staff_a, tree, places):
    body = as_staff_a.get(reverse("members:create")).content.decode()
    assert f'hx-get="{reverse("members:village_options")}"' in body
    assert 'hx-target="#id_origin_village"' in body and 'hx-target="#id_residence_village"' in body


def test_it_offers_the_villages_in_force_of_a_commune_of_the_scope(as_staff_a, tree, places, django_assert_max_num_queries):
    url = reverse("members:village_options")
    # session, user, scope root paths, the commune (covered by the scope), its villages, and the
    # session's sliding expiry (savepoint, update, release)
    with django_assert_max_num_queries(8):
        body = as_staff_a.get(url, {"origin_unit": places.commune_a.pk}).content.decode()
    assert "Thôn Mỹ Lợi" in body and "Thôn Tây" not in body and "Thôn Đông" not in body
    assert "Thôn Đông" in as_staff_a.get(url, {"residence_unit": places.commune_a2.pk}).content.decode()
    body = as_staff_a.get(url, {"origin_unit": places.commune_b.pk}).content.decode()
    assert "Kín Cổng" not in body and "<option" in body  # outside the scope: an empty list
    assert "Thôn" not in as_staff_a.get(url, {"origin_unit": "x"}).content.decode()
    assert as_staff_a.post(url, {"origin_unit": places.commune_a.pk}).status_code == 405


def test_it_records_the_villages_and_shows_them(as_staff_a, tree, places):
    response = create(as_staff_a, tree, origin_unit=places.commune_a.pk, origin_village=places.village_a.pk,
                      residence_unit=places.commune_a2.pk, residence_village=places.village_a2.pk, residence_text="Số 5")
    assert response.status_code == 302
    person = Person.objects.get(full_name="Hoàng Thị Mai")
    assert person.origin_village_id == places.village_a.pk and person.residence_village_id == places.village_a2.pk
    body = as_staff_a.get(response["Location"]).content.decode()
    assert "Thôn Mỹ Lợi, Xã An Phú" in body and "Số 5, Thôn Đông, Xã An Hòa" in body
    # the edit form lists the villages of the person's commune, the recorded one chosen
    member = Member.objects.get(person=person)
    body = as_staff_a.get(reverse("members:person_edit", args=[member.pk])).content.decode()
    assert f'<option value="{places.village_a.pk}" selected>Thôn Mỹ Lợi</option>' in body


def test_it_refuses_a_village_of_another_commune_naming_the_field(as_staff_a, tree, places):
    response = create(as_staff_a, tree, residence_unit=places.commune_a2.pk, residence_village=places.village_a.pk)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Thôn Mỹ Lợi không thuộc Xã An Hòa đã chọn ở mục “Nơi cư trú (xã, huyện, tỉnh)”." in body
    response = create(as_staff_a, tree, origin_village=places.village_a.pk)
    assert "Chọn xã ở mục “Quê quán (xã, huyện, tỉnh)” trước khi chọn thôn, tổ dân phố." in response.content.decode()
    assert not Person.objects.filter(full_name="Hoàng Thị Mai").exists()


def test_it_refuses_a_village_outside_the_scope_without_naming_it(as_staff_a, tree, places):
    response = create(as_staff_a, tree, origin_unit=places.commune_b.pk, origin_village=places.village_b.pk)
    body = response.content.decode()
    assert response.status_code == 200 and "Kín Cổng" not in body
    assert not Person.objects.filter(full_name="Hoàng Thị Mai").exists()


def test_an_edit_keeps_a_village_the_editor_cannot_choose(client, people, tree, places):
    # huyện B recorded the member's home village in its own commune; the member now lives in huyện A
    member = record(tree, origin_unit=places.commune_b, origin_village=places.village_b)
    client.force_login(people.staff_a)
    url = reverse("members:person_edit", args=[member.pk])
    assert "Thôn Kín Cổng" in client.get(url).content.decode()  # the recorded value, not the commune's list
    fields = {**PERSON, "full_name": "Trần Văn An", "origin_unit": places.commune_b.pk, "origin_village": places.village_b.pk}
    assert client.post(url, fields).status_code == 302
    assert Person.objects.get(pk=member.person_id).origin_village_id == places.village_b.pk


def test_it_names_no_one_for_a_national_id_held_outside_the_scope_and_audits_the_attempt(client, tree, people):
    """Security finding: the person form answered "Số định danh … đã thuộc về <name>" after a
    system-wide lookup, turning a national ID into a name. It now says a record exists that the
    user cannot see, and the refused attempt stays in the audit trail (the write rolled back)."""
    services.create_member(actor=None, person_fields={"full_name": "Người Huyện Bê", "gender": "F", "birth_date": dt.date(1985, 2, 3),
                                            "national_id": "049185000123"},
                  organization=tree.cell_b1a, on=dt.date(2024, 1, 5), admitted_on=dt.date(2010, 1, 1))
    before = Member.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.create_member(actor=people.staff_a, person_fields={"full_name": "Lê Văn Dò", "gender": "F", "birth_date": dt.date(1985, 2, 3),
                                                          "national_id": "049185000123"},
                      organization=tree.cell_a1a, on=dt.date(2024, 1, 5), admitted_on=dt.date(2010, 1, 1))
    assert "Người Huyện Bê" not in str(refused.value) and "tổ chức đảng cấp trên" in str(refused.value)
    assert Member.objects.count() == before
    event = AuditEvent.objects.get(event_type="people.national_id.refused")
    assert event.actor == people.staff_a and event.target_repr == ""

"""The register's pages: search, registration, a document, files served only in scope."""

import datetime as dt

import pytest
from django.urls import reverse

from coso.access.models import ExportLog
from coso.resolutions import services
from coso.resolutions.models import Attachment, Document
from coso.resolutions.symbols import DocumentKind

D = dt.date
pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def doc(tree, people):
    services.open_term(actor=None, organization=tree.district_a, name="2024–2029", starts_on=D(2024, 1, 1))
    return services.register_document(actor=None, organization=tree.district_a, kind=DocumentKind.RESOLUTION, issued_on=D(2024, 3, 1),
                                      subject="Về xây dựng hệ thống chính trị cơ sở vững mạnh toàn diện")


def test_it_registers_a_document_with_the_next_number(client, people, doc, tree):
    client.force_login(people.staff_a)
    response = client.post(reverse("resolutions:create"), {
        "organization": tree.district_a.pk, "organ": "committee", "kind": "nq", "issued_on": "02/04/2024",
        "subject": "Về công tác phát triển đảng viên", "signer": "Nguyễn Văn A", "signer_capacity": "tm"})
    created = Document.objects.exclude(pk=doc.pk).get()
    assert response.status_code == 302 and created.symbol == "02-NQ/HU"
    page = client.get(reverse("resolutions:detail", args=[created.pk])).content.decode()
    assert "02-NQ/HU" in page and "Còn hiệu lực" in page


def test_it_shows_the_proposed_number_and_refuses_a_taken_one_on_the_field(client, people, doc, tree):
    client.force_login(people.staff_a)
    proposal = client.get(reverse("resolutions:proposal"), {"organization": tree.district_a.pk, "kind": "nq", "organ": "committee",
                                                             "issued_on": "02/04/2024"}).content.decode()
    assert "02-NQ/HU" in proposal
    response = client.post(reverse("resolutions:create"), {
        "organization": tree.district_a.pk, "organ": "committee", "kind": "nq", "issued_on": "02/04/2024", "number": "1",
        "subject": "Trùng số"})
    assert response.status_code == 200 and "01-NQ/HU đã được dùng" in response.content.decode()
    assert Document.objects.count() == 1


def test_garbage_gives_messages_not_errors(client, people, doc):
    client.force_login(people.staff_a)
    for data in ({}, {"organization": "x", "kind": "zz", "issued_on": "31/02/2024", "number": "-3"}):
        assert client.post(reverse("resolutions:create"), data).status_code == 200
    assert client.get(reverse("resolutions:documents"), {"nam": "abc", "q": "%%%", "trang": "x"}).status_code == 200
    assert client.get(reverse("resolutions:proposal"), {"organization": "abc", "kind": "nq", "issued_on": "x"}).status_code == 200


def test_a_leader_reads_but_does_not_register(client, people, doc):
    client.force_login(people.leader_a)
    assert client.get(reverse("resolutions:documents")).status_code == 200
    assert client.get(reverse("resolutions:create")).status_code == 403
    assert client.post(reverse("resolutions:attach", args=[doc.pk])).status_code == 403


def test_a_lower_organization_reads_its_superiors_documents_but_cannot_change_them(client, people, doc):
    client.force_login(people.secretary_a1a)
    assert client.get(reverse("resolutions:detail", args=[doc.pk])).status_code == 200
    assert client.post(reverse("resolutions:relate", args=[doc.pk]), {"kind": "implements", "target": doc.pk}).status_code == 403


def test_attachments_are_stored_under_the_app_and_served_only_in_scope(client, people, doc, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(people.staff_a)
    upload = tmp_path / "nghi-quyet.pdf"
    upload.write_bytes(PDF)
    with upload.open("rb") as f:
        assert client.post(reverse("resolutions:attach", args=[doc.pk]), {"file": f}).status_code == 302
    attachment = Attachment.objects.get()
    assert (tmp_path / attachment.path).read_bytes() == PDF and attachment.path.startswith(f"resolutions/{doc.organization_id}/")
    response = client.get(reverse("resolutions:attachment", args=[attachment.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert ExportLog.objects.filter(kind="resolutions.attachment").count() == 1
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"MZ not a pdf")
    with fake.open("rb") as f:
        client.post(reverse("resolutions:attach", args=[doc.pk]), {"file": f})
    assert Attachment.objects.count() == 1
    client.force_login(people.staff_b)
    assert client.get(reverse("resolutions:attachment", args=[attachment.pk])).status_code == 404


def test_the_document_list_is_a_fixed_number_of_queries(client, people, doc, tree, django_assert_max_num_queries):
    for i in range(5):
        services.register_document(actor=None, organization=tree.district_a, kind=DocumentKind.PLAN, issued_on=D(2024, 4, 1), subject=f"KH {i}")
    client.force_login(people.staff_a)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("resolutions:documents")).status_code == 200


def test_the_register_is_searched_by_issuer_among_the_committees_the_user_reads(client, people, doc, tree):
    services.open_term(actor=None, organization=tree.province, name="2024–2029 tỉnh", starts_on=D(2024, 1, 1))
    services.register_document(actor=None, organization=tree.province, kind=DocumentKind.DIRECTIVE, issued_on=D(2024, 2, 1),
                               subject="Chỉ thị của Tỉnh ủy")
    services.open_term(actor=None, organization=tree.district_b, name="2024–2029 B", starts_on=D(2024, 1, 1))
    services.register_document(actor=None, organization=tree.district_b, kind=DocumentKind.PLAN, issued_on=D(2024, 2, 1),
                               subject="Kế hoạch của huyện B")
    client.force_login(people.staff_a)
    response = client.get(reverse("resolutions:documents"))
    issuers = dict(response.context["form"].fields["to_chuc"].choices)
    assert str(tree.province.pk) in issuers and str(tree.district_a.pk) in issuers  # its own and the one above it
    assert str(tree.district_b.pk) not in issuers  # a sibling's name is not shown
    page = client.get(reverse("resolutions:documents"), {"to_chuc": tree.province.pk}).content.decode()
    assert "Chỉ thị của Tỉnh ủy" in page and "Về xây dựng hệ thống" not in page

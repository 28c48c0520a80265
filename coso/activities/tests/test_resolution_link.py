"""A meeting's adopted resolution linked to the document register (issue #16 point 1): the form
offers the documents the meeting's organization issued that the user reads; a document of another
subtree, or of another organization, is refused on the field with a message and nothing is
written; the meeting page links the document."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coso.activities import services
from coso.activities.models import Meeting
from coso.resolutions import services as register
from coso.resolutions.symbols import DocumentKind

from .factories import members

D = dt.date
pytestmark = pytest.mark.django_db


def _resolution(organization, subject):
    register.open_term(actor=None, organization=organization, name="2020–2025", starts_on=D(2020, 10, 1))
    return register.register_document(actor=None, organization=organization, kind=DocumentKind.RESOLUTION, issued_on=D(2024, 3, 5),
                                      subject=subject)


@pytest.fixture
def documents(tree, people):
    members(tree.cell_a1a, "Nguyễn", 2)
    return {"own": _resolution(tree.cell_a1a, "Nghị quyết sinh hoạt chi bộ tháng 3"),
            "commune": _resolution(tree.commune_a1, "Nghị quyết của đảng ủy xã"),
            "sibling": _resolution(tree.cell_b1a, "Nghị quyết bí mật của chi bộ B")}


FORM = {"kind": "regular", "held_on": "05/03/2024", "mode": "in_person"}


def test_the_form_offers_the_cells_own_documents_and_links_the_one_chosen(client, tree, people, documents):
    client.force_login(people.secretary_a1a)
    url = reverse("activities:create", args=[tree.cell_a1a.pk])
    form = client.get(url).content.decode()
    assert documents["own"].symbol in form and "Nghị quyết sinh hoạt chi bộ tháng 3" in form
    assert "Nghị quyết bí mật của chi bộ B" not in form and "Nghị quyết của đảng ủy xã" not in form
    response = client.post(url, {**FORM, "resolution_id": documents["own"].pk})
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and meeting.resolution == documents["own"]
    page = client.get(reverse("activities:meeting", args=[meeting.pk])).content.decode()
    assert reverse("resolutions:detail", args=[documents["own"].pk]) in page and documents["own"].symbol in page
    # and the document's page names the meeting that adopted it
    register_page = client.get(reverse("resolutions:detail", args=[documents["own"].pk])).content.decode()
    assert 'data-testid="adopted-at"' in register_page and reverse("activities:meeting", args=[meeting.pk]) in register_page
    # unlinked again from the edit form
    client.post(reverse("activities:edit", args=[meeting.pk]), {**FORM, "resolution_id": ""})
    meeting.refresh_from_db()
    assert meeting.resolution is None


@pytest.mark.parametrize("which", ["sibling", "commune", "missing"])
def test_a_document_of_another_subtree_or_organization_is_refused_on_the_field(client, tree, people, documents, which):
    client.force_login(people.secretary_a1a)
    pk = documents[which].pk if which in documents else 999_999
    response = client.post(reverse("activities:create", args=[tree.cell_a1a.pk]), {**FORM, "resolution_id": pk})
    body = response.content.decode()
    assert response.status_code == 422 and not Meeting.objects.exists()
    assert "không có trong sổ văn bản của chi bộ mà bạn được xem" in body and "Nghị quyết bí mật của chi bộ B" not in body


def test_the_service_links_only_a_document_of_the_meetings_organization(tree, people, documents):
    with pytest.raises(ValidationError) as refused:
        services.record_meeting(actor=None, organization=tree.cell_a1a, held_on=D(2024, 3, 5), resolution_id=documents["commune"].pk)
    assert "resolution_id" in refused.value.message_dict and not Meeting.objects.exists()
    meeting = services.record_meeting(actor=None, organization=tree.cell_a1a, held_on=D(2024, 3, 5), resolution_id=documents["own"].pk)
    assert meeting.resolution_id == documents["own"].pk

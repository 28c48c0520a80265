"""Every malformed or hostile file of the upload corpus (coso/lib/tests/corpus.py), sent to the
evaluation proposals import: never a server error, a message naming what is wrong, nothing written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coso.audit.models import AuditEvent
from coso.evaluation import services
from coso.evaluation.models import Rating
from coso.lib.tests.corpus import corpus

from .conftest import members

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(tree, people, scopes):
    members(tree.cell_a1a, "Nguyễn", 2)
    return services.open_period(actor=people.staff_a, organization=tree.district_a, year=2024)


def written() -> tuple[int, ...]:
    return Rating.objects.exclude(proposed_level="").count(), Rating.objects.count(), AuditEvent.objects.count()


@pytest.mark.parametrize("case", corpus(), ids=lambda c: c.id)
def test_it_refuses_every_file_of_the_corpus_with_a_message_and_writes_nothing(client, people, tree, period, case):
    client.force_login(people.secretary_a1a)
    before = written()
    url = reverse("evaluation:import", args=[period.pk]) + f"?to_chuc={tree.cell_a1a.pk}"
    response = client.post(url, {"file": SimpleUploadedFile(case.filename, case.content)})
    assert response.status_code == 200
    body = response.content.decode()
    # a legal file is read, and its member (not in this period) refused by name
    assert (case.expect_evaluation or case.expect or "Không có đảng viên “Nguyễn Văn An”") in body
    assert written() == before

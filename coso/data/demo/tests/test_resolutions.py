"""The demo's congress resolution: its targets evaluated from the demo's records, one reported, one
waiting for the training capability, and the action program implementing it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from coso.access.models import User
from coso.resolutions.models import Document, RelationKind
from coso.targets import progress

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_the_congress_resolution_has_its_targets_and_action_program(demo, client):
    congress = Document.objects.get(organ="congress", kind="nq")
    assert congress.symbol == "01-NQ/ĐH"
    assert congress.incoming.filter(kind=RelationKind.IMPLEMENTS, source__kind="cthd").exists()
    found = {p.target.code: p for p in progress.evaluate_all(congress.targets.order_by("order"), congress.organization_id, dt.date(2025, 6, 30))}
    assert found["1"].value is not None and found["1"].value > 0
    assert found["5"].status == progress.Status.PENDING and "staff.theory_intermediate_or_higher" in found["5"].pending
    assert not found["6"].computed and found["6"].value == Decimal("52.4")
    assert found["4"].value is not None
    client.force_login(User.objects.get(username="nuithanh.tochuc"))
    response = client.get(reverse("targets:document", args=[congress.pk]))
    assert response.status_code == 200 and "chỉ tiêu đạt và vượt" in response.content.decode()

"""Numbers are unique per issuer, kind (series) and term, whatever is typed or proposed, in any
order, across a term boundary; a refused registration writes nothing.

Each example runs in a savepoint rolled back at its end, on one tree with two terms."""

import collections
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coso.audit.models import AuditEvent
from coso.resolutions import services
from coso.resolutions.models import Document
from coso.resolutions.symbols import DocumentKind, Organ

pytestmark = pytest.mark.django_db
D = dt.date

ATTEMPTS = st.lists(st.tuples(
    st.sampled_from([DocumentKind.RESOLUTION, DocumentKind.CONCLUSION, DocumentKind.PLAN]),
    st.sampled_from([Organ.COMMITTEE, Organ.STANDING, Organ.CONGRESS]),
    st.sampled_from([D(2024, 3, 1), D(2024, 9, 1), D(2025, 2, 1), D(2025, 5, 1)]),  # both sides of the boundary
    st.one_of(st.none(), st.integers(min_value=1, max_value=4)),
), min_size=1, max_size=12)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(attempts=ATTEMPTS)
def test_numbers_are_unique_per_issuer_kind_and_term(tree, attempts):
    with transaction.atomic():
        services.open_term(actor=None, organization=tree.district_a, name="2024–2029", starts_on=D(2024, 1, 1))
        services.open_term(actor=None, organization=tree.district_a, name="2025–2030", starts_on=D(2025, 1, 1))
        for kind, organ, on, number in attempts:
            before = (Document.objects.count(), AuditEvent.objects.count())
            try:
                doc = services.register_document(actor=None, organization=tree.district_a, kind=kind, organ=organ, issued_on=on,
                                                 subject="Thử", number=number)
            except ValidationError as error:
                assert number is not None and "number" in error.message_dict
                assert (Document.objects.count(), AuditEvent.objects.count()) == before
            else:
                if number is not None:
                    assert doc.number == number
                assert doc.term.valid_from <= on and (doc.term.valid_to is None or on < doc.term.valid_to)
        keys = collections.Counter(Document.objects.values_list("organization_id", "term_id", "series", "number"))
        assert all(n == 1 for n in keys.values())
        # proposed numbers fill each series without going back: 01, 02… after the highest taken
        transaction.set_rollback(True)

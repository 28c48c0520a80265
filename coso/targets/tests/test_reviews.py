"""Reviews: prefilled from the engine, frozen when adopted; a recomputation shows the difference."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coso.targets import progress, services
from coso.targets.models import Review, ReviewLine

from .helpers import admit, resolution

D = dt.date
pytestmark = pytest.mark.django_db


def lines(review):
    return list(ReviewLine.objects.filter(review=review).order_by("order").values_list("value", "status", "achievement", "sentence"))


def setup_document(tree):
    doc = resolution(tree.district_a, term_to=D(2026, 1, 1))
    services.create_target(actor=None, document=doc, code="1", text="Kết nạp 2 đảng viên mới", numerator="events.admitted",
                           threshold=Decimal(2), unit="đảng viên")
    services.create_target(actor=None, document=doc, code="2", text="Thu nhập bình quân 60 triệu đồng", threshold=Decimal(60))
    return doc


def test_an_adopted_review_keeps_its_values_and_a_recomputation_shows_the_difference(tree, people):
    doc = setup_document(tree)
    admit(tree.cell_a1a, "Lê Văn Một", D(2024, 3, 1))
    review = services.prepare_review(actor=people.staff_a, document=doc, organization=tree.district_a, kind="midterm", on=D(2024, 12, 31))
    assert (review.met, review.total) == (0, 2)
    admit(tree.cell_a1b, "Lê Văn Hai", D(2024, 6, 1))
    services.comment_review(actor=people.staff_a, review=review, comment="Cần cố gắng hơn", comments={})
    review = services.adopt_review(actor=people.staff_a, review=review)
    frozen = lines(review)
    assert review.state == Review.State.ADOPTED and review.met == 1 and frozen[0][1] == progress.Status.MET
    assert "Kết nạp 2 đảng viên mới: 2 đảng viên, đạt 100% chỉ tiêu" in frozen[0][3]
    admit(tree.cell_a1b, "Lê Văn Ba", D(2024, 7, 1))  # a record of the period changes later
    assert lines(review) == frozen
    with pytest.raises(ValidationError):
        services.comment_review(actor=people.staff_a, review=review, comment="sửa", comments={})
    with pytest.raises(ValidationError):
        services.adopt_review(actor=people.staff_a, review=review)
    assert lines(review) == frozen and Review.objects.get(pk=review.pk).comment == "Cần cố gắng hơn"
    now = progress.evaluate_all([line.target for line in review.lines.all()], tree.district_a.pk, review.on)
    assert now[0].value == 3 != frozen[0][0]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(later=st.lists(st.tuples(st.sampled_from(["a1a", "a1b", "a2"]), st.dates(D(2024, 3, 5), D(2025, 12, 1))), max_size=4))
def test_an_adopted_review_never_changes(tree, later):
    with transaction.atomic():
        doc = setup_document(tree)
        review = services.prepare_review(actor=None, document=doc, organization=tree.district_a, kind="annual", on=D(2024, 12, 31))
        review = services.adopt_review(actor=None, review=review)
        frozen, state = lines(review), Review.objects.filter(pk=review.pk).values("state", "met", "total", "adopted_at").get()
        for i, (cell, on) in enumerate(later):
            admit(getattr(tree, f"cell_{cell}"), f"Người {i}", on)
            for attempt in (lambda: services.adopt_review(actor=None, review=review),
                            lambda: services.comment_review(actor=None, review=review, comment="x", comments={})):
                with pytest.raises(ValidationError):
                    attempt()
        assert lines(review) == frozen
        assert Review.objects.filter(pk=review.pk).values("state", "met", "total", "adopted_at").get() == state
        transaction.set_rollback(True)

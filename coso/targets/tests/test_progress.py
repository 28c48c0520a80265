"""A target's value, expected value and status on any date, computed by the measure engine."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coso.targets import progress, services
from coso.targets.models import Comparator, Horizon

from .helpers import admit, existing, resolution

D = dt.date
pytestmark = pytest.mark.django_db


def test_an_admission_changes_the_status_of_a_count_target(tree):
    doc = resolution(tree.district_a, term_to=D(2026, 1, 1))
    target = services.create_target(actor=None, document=doc, code="1", text="Kết nạp 2 đảng viên mới trong nhiệm kỳ",
                                     numerator="events.admitted", threshold=Decimal(2), unit="đảng viên")
    assert (target.starts_on, target.due_on, target.baseline) == (D(2024, 1, 1), D(2025, 12, 31), Decimal(0))
    trees = progress.Trees(tree.district_a.pk)
    assert progress.evaluate(target, D(2024, 6, 1), trees).status == progress.Status.NOT_MET  # behind the straight path
    admit(tree.cell_a1a, "Lê Văn Một", D(2024, 3, 1))
    p = progress.evaluate(target, D(2024, 6, 1), progress.Trees(tree.district_a.pk))
    assert p.value == 1 and p.status == progress.Status.ON_TRACK and p.expected == Decimal("0.4")
    admit(tree.cell_a1b, "Lê Văn Hai", D(2024, 5, 1))
    p = progress.evaluate(target, D(2024, 6, 1), progress.Trees(tree.district_a.pk))
    assert p.value == 2 and p.status == progress.Status.MET and p.achievement == 100
    assert "đạt 100% chỉ tiêu" in p.sentence()
    # the sibling district's admissions are not counted
    admit(tree.cell_b1a, "Lê Văn Ba", D(2024, 5, 1))
    assert progress.evaluate(target, D(2024, 6, 1), progress.Trees(tree.district_a.pk)).value == 2


def test_a_percentage_target_is_a_ratio_of_two_measures_with_its_baseline(tree):
    existing(tree.cell_a1a, "Nguyễn Thị Hoa", gender="F")
    existing(tree.cell_a1a, "Trần Văn Nam")
    doc = resolution(tree.district_a, on=D(2024, 2, 1))
    target = services.create_target(actor=None, document=doc, code="2", text="Trên 60% đảng viên là nữ", numerator="members.female",
                                    denominator="members", comparator=Comparator.GT, threshold=Decimal(60), due_on=D(2025, 12, 31),
                                    starts_on=D(2024, 1, 5))
    assert target.percent and target.baseline == Decimal(50)
    p = progress.evaluate(target, D(2025, 12, 31), progress.Trees(tree.district_a.pk))
    assert (p.numerator, p.denominator, p.value) == (1, 2, Decimal(50)) and p.status == progress.Status.NOT_MET
    existing(tree.cell_a1b, "Phạm Thị Lan", on=D(2024, 6, 1), gender="F")
    existing(tree.cell_a1b, "Võ Thị Mai", on=D(2024, 6, 1), gender="F")
    p = progress.evaluate(target, D(2025, 12, 31), progress.Trees(tree.district_a.pk))
    assert p.value == Decimal(75) and p.status == progress.Status.EXCEEDED
    # 75% of "over 60%" before the due date, with an 80% path: on track
    assert progress.evaluate(target, D(2024, 12, 31), progress.Trees(tree.district_a.pk)).status == progress.Status.EXCEEDED


def test_a_target_naming_a_measure_that_does_not_exist_says_so(tree):
    doc = resolution(tree.district_a)
    target = services.create_target(actor=None, document=doc, code="3", text="95% cán bộ có trình độ trung cấp lý luận",
                                    numerator="staff.theory_intermediate", denominator="staff", threshold=Decimal(95))
    p = progress.evaluate(target, D(2024, 6, 1), progress.Trees(tree.district_a.pk))
    assert p.status == progress.Status.PENDING and "chưa tính được" in p.pending and "staff.theory_intermediate" in p.pending


def test_each_year_targets_show_each_year(tree):
    existing(tree.cell_a1a, "Nguyễn Văn Một")
    doc = resolution(tree.district_a, term_to=D(2027, 1, 1))
    target = services.create_target(actor=None, document=doc, code="4", text="Mỗi năm có ít nhất 2 đảng viên", numerator="members",
                                    threshold=Decimal(2), horizon=Horizon.EACH_YEAR)
    existing(tree.cell_a1b, "Nguyễn Văn Hai", on=D(2025, 3, 1))
    p = progress.evaluate(target, D(2026, 6, 1), progress.Trees(tree.district_a.pk))
    assert [(y.year, y.value, y.status) for y in p.years] == [
        (2024, 1, progress.Status.NOT_MET), (2025, 2, progress.Status.MET), (2026, 2, progress.Status.MET)]
    assert p.status == progress.Status.NOT_MET  # the worst of the complete years


def test_a_reported_target_takes_the_last_value_with_its_source(tree, people):
    doc = resolution(tree.district_a)
    target = services.create_target(actor=None, document=doc, code="5", text="Thu nhập bình quân đạt 60 triệu đồng", threshold=Decimal(60),
                                    unit="triệu đồng")
    assert not target.computed
    services.report_value(actor=people.staff_a, target=target, on=D(2024, 12, 31), value=Decimal(48), source="Báo cáo UBND huyện")
    p = progress.evaluate(target, D(2025, 1, 5), progress.Trees(tree.district_a.pk))
    assert p.value == 48 and not p.computed and "Báo cáo UBND huyện" in p.source and "staff_a" in p.source
    with pytest.raises(ValidationError) as error:
        services.report_value(actor=None, target=target, on=D(2025, 1, 1), value=Decimal(50), source="")
    assert "source" in error.value.message_dict


def test_a_document_dashboard_is_one_engine_call_per_target_whatever_the_organizations(tree):
    doc = resolution(tree.district_a)
    for i in range(5):
        services.create_target(actor=None, document=doc, code=str(i), text=f"Chỉ tiêu {i}", numerator="events.admitted", threshold=Decimal(3))
    targets = list(doc.targets.all())
    with CaptureQueriesContext(connection) as few:
        progress.evaluate_all(targets, tree.district_a.pk, D(2024, 6, 1))
    for i in range(4):
        admit(tree.cell_a1a, f"Người {i}", D(2024, 3, 1))
    with CaptureQueriesContext(connection) as more:
        progress.evaluate_all(targets, tree.district_a.pk, D(2024, 6, 1))
    # the subtree once (1), then per target: the family's grouped query and the subtree's span (2 each)
    assert len(more) == len(few) <= 1 + 3 * len(targets)


def test_a_page_of_targets_sharing_a_period_makes_one_engine_call_and_the_values_of_one_call_each(tree):
    """share_calls: the targets counted over the same period (or on the same date) are read by one
    engine call; each value equals the target's own call, and more targets add no statement."""
    doc = resolution(tree.district_a, term_to=D(2026, 1, 1))
    existing(tree.cell_a1a, "Nguyễn Thị Hoa", gender="F")
    existing(tree.cell_a2, "Trần Văn Nam")
    admit(tree.cell_a1a, "Lê Văn Một", D(2024, 3, 1))
    formulas = [("events.admitted", "", 1), ("events.recognized", "", 1), ("members.female", "members", 30), ("members", "", 2),
                ("members.probationary", "members", 10)]

    def add(n):
        for i in range(n):
            numerator, denominator, threshold = formulas[i % len(formulas)]
            services.create_target(actor=None, document=doc, code=f"{n}-{i}", text=f"Chỉ tiêu {i}", numerator=numerator,
                                   denominator=denominator, threshold=Decimal(threshold))
        return list(doc.targets.filter(code__startswith=f"{n}-"))

    five, fifteen = add(5), add(15)
    on = D(2024, 6, 1)
    with CaptureQueriesContext(connection) as few:
        together = progress.evaluate_all(five, tree.district_a.pk, on)
    with CaptureQueriesContext(connection) as many:
        progress.evaluate_all(fifteen, tree.district_a.pk, on)
    assert len(many) == len(few)
    for p in together:
        alone = progress.evaluate(p.target, on, progress.Trees(tree.district_a.pk))
        assert (p.value, p.numerator, p.denominator, p.status) == (alone.value, alone.numerator, alone.denominator, alone.status)
    assert [p.value for p in together] == [Decimal(1), Decimal(0), Decimal("33.3"), Decimal(3), Decimal("33.3")]


def test_each_year_targets_of_a_page_share_one_call_broken_down_by_year(tree):
    doc = resolution(tree.district_a, term_to=D(2026, 1, 1))
    admit(tree.cell_a1a, "Lê Văn Một", D(2024, 3, 1))
    admit(tree.cell_a2, "Lê Văn Hai", D(2025, 2, 1))
    targets = [services.create_target(actor=None, document=doc, code=str(i), text=f"Mỗi năm {name}", numerator=name, threshold=Decimal(1),
                                      horizon=Horizon.EACH_YEAR) for i, name in enumerate(["events.admitted", "events.recognized"])]
    on = D(2025, 6, 1)
    with CaptureQueriesContext(connection) as shared:
        together = progress.evaluate_all(targets, tree.district_a.pk, on)
    alone = []
    with CaptureQueriesContext(connection) as separate:
        for t in targets:
            alone.append(progress.evaluate(t, on, progress.Trees(tree.district_a.pk)))
    assert [[(y.year, y.value, y.status) for y in p.years] for p in together] == [[(y.year, y.value, y.status) for y in p.years] for p in alone]
    assert [(y.year, y.value) for y in together[0].years] == [(2024, Decimal(1)), (2025, Decimal(1))]
    assert len(shared) < len(separate)


def test_term_targets_over_the_period_of_each_year_targets_add_no_statement_and_keep_their_values(tree):
    """The term's counts and the "each year" counts over the same period come from one call broken
    down by year (the years partition the period): a term target beside an "each year" one adds no
    statement, and every value is the target's own call's."""
    doc = resolution(tree.district_a, term_to=D(2026, 1, 1))
    admit(tree.cell_a1a, "Lê Văn Một", D(2024, 3, 1))
    admit(tree.cell_a2, "Lê Văn Hai", D(2025, 2, 1))
    yearly = [services.create_target(actor=None, document=doc, code=f"y{i}", text=f"Mỗi năm {name}", numerator=name, threshold=Decimal(1),
                                     horizon=Horizon.EACH_YEAR) for i, name in enumerate(["events.admitted", "events.recognized"])]
    term = [services.create_target(actor=None, document=doc, code=f"t{i}", text=f"Nhiệm kỳ {name}", numerator=name, threshold=Decimal(2))
            for i, name in enumerate(["events.admitted", "events.recognized", "events.deceased"])]
    on = D(2025, 6, 1)
    with CaptureQueriesContext(connection) as alone:
        progress.evaluate_all(yearly, tree.district_a.pk, on)
    with CaptureQueriesContext(connection) as together:
        found = progress.evaluate_all([*yearly, *term], tree.district_a.pk, on)
    assert len(together) == len(alone), [q["sql"][:100] for q in together.captured_queries]
    for p in found:
        own = progress.evaluate(p.target, on, progress.Trees(tree.district_a.pk))
        assert (p.value, p.status, [(y.year, y.value) for y in p.years]) == (own.value, own.status, [(y.year, y.value) for y in own.years])
    assert [p.value for p in found] == [Decimal(1), Decimal(0), Decimal(2), Decimal(0), Decimal(0)]

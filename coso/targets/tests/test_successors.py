"""A target of an organization that ended in a restructuring is followed on its successor
through the lineage (#17 point 4: targets of ended organizations roll up to successors)."""

import datetime as dt
from decimal import Decimal

import pytest

from coso.organizations.models import Kind, Sector
from coso.restructuring import services as restructuring
from coso.restructuring.models import OperationKind
from coso.targets import progress, services
from coso.targets.models import Horizon

from .helpers import admit, existing, resolution

D = dt.date
pytestmark = pytest.mark.django_db
MERGED_ON = D(2025, 1, 1)


def _merge(tree, *sources, kind=OperationKind.MERGE, name="Đảng bộ huyện A-B"):
    r = restructuring.create_restructuring(actor=None, organization=tree.province, title="Hợp nhất huyện", decision_number="5-QĐ/TU",
                                           decision_issuer="Tỉnh ủy Thử nghiệm", decision_date=D(2024, 12, 1), effective_date=MERGED_ON)
    op = restructuring.add_operation(actor=None, restructuring=r, kind=kind, parent=tree.province, name=name, org_kind=Kind.DISTRICT_COMMITTEE,
                                     sector=Sector.OTHER, sources=sources)
    return r, op


def test_a_target_of_a_merged_organization_counts_its_own_records_then_its_successors(tree):
    doc = resolution(tree.district_a, term_to=D(2026, 1, 1))
    admissions = services.create_target(actor=None, document=doc, code="1", text="Kết nạp 3 đảng viên mới trong nhiệm kỳ",
                                        numerator="events.admitted", threshold=Decimal(3), unit="đảng viên")
    yearly = services.create_target(actor=None, document=doc, code="2", text="Mỗi năm kết nạp ít nhất 1 đảng viên", numerator="events.admitted",
                                    threshold=Decimal(1), horizon=Horizon.EACH_YEAR)
    members = services.create_target(actor=None, document=doc, code="3", text="Có ít nhất 4 đảng viên", numerator="members", threshold=Decimal(4))
    admit(tree.cell_a1a, "Lê Văn Một", D(2024, 3, 1))
    admit(tree.cell_b1a, "Lê Văn Hai", D(2024, 4, 1))  # huyện B's before the merge: not huyện A's
    existing(tree.cell_b1a, "Trần Văn Ba")
    r, _op = _merge(tree, tree.district_a, tree.district_b)
    restructuring.commit(actor=None, restructuring=r)
    admit(tree.cell_b1a, "Lê Văn Bốn", D(2025, 3, 1))  # in the merged district, after the merge

    trees = progress.Trees(tree.district_a.pk)
    p = progress.evaluate(admissions, D(2025, 6, 1), trees)
    # huyện A's admission before the merge and the merged district's after it; not huyện B's before
    assert (p.value, p.pending) == (2, "")
    assert p.followed == [("Đảng bộ huyện A-B", MERGED_ON)]
    y = progress.evaluate(yearly, D(2025, 6, 1), trees)
    assert [(row.year, row.value) for row in y.years] == [(2024, 1), (2025, 1)]
    assert progress.evaluate(members, D(2025, 6, 1), trees).value == 4  # the successor's members on the day
    # before the merge nothing changes: huyện A's own figures
    before = progress.evaluate(admissions, D(2024, 12, 31), progress.Trees(tree.district_a.pk))
    assert (before.value, before.followed) == (1, [])


def test_a_target_of_a_split_organization_says_why_it_is_not_followed(tree):
    doc = resolution(tree.district_a, term_to=D(2026, 1, 1))
    target = services.create_target(actor=None, document=doc, code="1", text="Kết nạp 3 đảng viên mới trong nhiệm kỳ",
                                    numerator="events.admitted", threshold=Decimal(3))
    r = restructuring.create_restructuring(actor=None, organization=tree.province, title="Chia tách huyện A", decision_number="6-QĐ/TU",
                                           decision_issuer="Tỉnh ủy Thử nghiệm", decision_date=D(2024, 12, 1), effective_date=MERGED_ON)
    east = restructuring.add_operation(actor=None, restructuring=r, kind=OperationKind.ESTABLISH, parent=tree.province, name="Đảng bộ huyện Đông",
                                       org_kind=Kind.DISTRICT_COMMITTEE, sector=Sector.OTHER)
    restructuring.add_operation(actor=None, restructuring=r, kind=OperationKind.SPLIT, organization=tree.district_a, parent=tree.district_b,
                                allocations=[{"organization": tree.commune_a1, "receiver_new": east}])
    restructuring.commit(actor=None, restructuring=r)
    p = progress.evaluate(target, D(2025, 6, 1), progress.Trees(tree.district_a.pk))
    assert p.value is None and "chia tách" in p.pending

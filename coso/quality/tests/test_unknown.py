"""Ethnicity, religion, qualification and theory level not known ("", the default since a record
may arrive without them) are missing data; Kinh, "Không" and "Chưa qua đào tạo" are answers."""

import pytest

from coso.members.bulk import Row
from coso.organizations.selectors import placement_on
from coso.quality import checks, selectors

from .helpers import ADMITTED, ON, RECOGNIZED, members, person

pytestmark = pytest.mark.django_db
CHECKED_ON = ON.replace(month=6)
FOUR = ("ethnicity", "religion", "qualification", "theory_level")
MISSING = {f"missing_{name}" for name in FOUR}


def _row(cell, data) -> Row:
    return Row(person=data, organization_id=cell.pk, on=ON, admitted_on=ADMITTED, recognized_on=RECOGNIZED, card_number="")


def test_it_counts_a_record_written_without_the_four_fields_as_missing_them(tree):
    untold = {k: v for k, v in person("Không Ghi").items() if k not in FOUR}  # as an old file brings it in
    told = person("Có Ghi", national_id=None, ethnicity="01", religion="00", qualification="none", theory_level="none")
    blank, answered = members(_row(tree.cell_a1a, untold), _row(tree.cell_a1a, told))
    assert [getattr(blank.person, name) for name in FOUR] == ["", "", "", ""]

    assert MISSING <= {p.code for p in checks.check_member(blank)}
    assert not MISSING & {p.code for p in checks.check_member(answered)}
    messages = {p.code: p.message for p in checks.check_member(blank)}
    assert messages["missing_ethnicity"] == "Chưa có dân tộc."
    assert messages["missing_theory_level"] == "Chưa có trình độ lý luận chính trị."

    run = selectors.run_for(placement_on(tree.district_a.pk, CHECKED_ON), CHECKED_ON, scope=None)
    found = selectors.overview(run)
    assert {c.check.code: c.count for c in found.counts if c.check.code in MISSING} == dict.fromkeys(MISSING, 1)
    assert {s.field.key: (s.filled, s.of) for s in found.shares if s.field.key in FOUR} == dict.fromkeys(FOUR, (1, 2))

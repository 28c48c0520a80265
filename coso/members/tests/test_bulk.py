import datetime as dt

import pytest

from coso.audit.models import AuditEvent
from coso.members.bulk import Row, record_members
from coso.members.lifecycle import LifecycleError
from coso.members.models import EventType, Member, MemberPeriod, Status

pytestmark = pytest.mark.django_db
D = dt.date


def test_it_records_many_members_in_a_few_queries(tree, django_assert_max_num_queries):
    rows = [Row(person={"full_name": f"  Nguyễn  Văn {i} ", "gender": "M"}, organization_id=tree.cell_a1a.pk, on=D(2024, 1, 5),
                admitted_on=D(2010, 1, 1), recognized_on=D(2011, 1, 1) if i % 2 else None) for i in range(300)]
    # a handful of multi-row INSERTs per table (SQLite caps the variables of one statement)
    with django_assert_max_num_queries(40):
        members = record_members(rows)
    assert len(members) == 300 and Member.objects.count() == 300
    assert Member.objects.filter(status=Status.OFFICIAL).count() == 150
    assert MemberPeriod.objects.current().count() == 300
    assert Member.objects.first().person.full_name.startswith("Nguyễn Văn")
    assert AuditEvent.objects.filter(event_type="members.member.imported").count() == 300
    # rows written without the ORM read back as the ORM writes them: dates, flags, JSON, times
    audit = AuditEvent.objects.filter(event_type="members.member.imported").first()
    assert audit.new["status"] in (Status.OFFICIAL, Status.PROBATIONARY) and audit.at is not None
    period = MemberPeriod.objects.filter(member=members[1]).get()
    assert period.valid_from == D(2024, 1, 5) and period.exempted is False and period.status == Status.OFFICIAL
    assert members[1].events.get().admitted_on == D(2010, 1, 1)


def test_it_records_nothing_when_one_row_breaks_a_rule(tree):
    rows = [
        Row(person={"full_name": "A", "gender": "M"}, organization_id=tree.cell_a1a.pk, on=D(2024, 1, 5), admitted_on=D(2010, 1, 1)),
        Row(person={"full_name": "B", "gender": "F"}, organization_id=tree.cell_a1a.pk, on=D(2024, 1, 5), admitted_on=D(2010, 1, 1),
            events=[{"type": EventType.RECOGNIZED, "effective_date": D(2011, 5, 5)}]),
    ]
    with pytest.raises(LifecycleError, match="^2: "):
        record_members(rows)
    assert Member.objects.count() == 0

import datetime as dt

import pytest

from coso.audit.models import AuditEvent
from coso.members.bulk import Row, record_members
from coso.members.lifecycle import LifecycleError
from coso.members.models import EventType, Member, MemberEvent, MemberPeriod, Status

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


def test_bulk_rows_keep_dates_given_as_text_open_ends_and_the_write_time(tree):
    """insert_rows passes plain dates to the driver itself: a date typed as text still goes through
    the field, an open end stays open; the creation time is the write's, on the rows and the objects."""
    from django.utils import timezone

    from coso.members.bulk import insert_rows

    member = record_members([Row(person={"full_name": "A", "gender": "M"}, organization_id=tree.cell_a1a.pk, on=D(2024, 1, 5),
                                 admitted_on=D(2010, 1, 1), recognized_on=D(2011, 1, 1))])[0]
    period = MemberPeriod(member=member, organization_id=tree.cell_a1b.pk, status=Status.OFFICIAL, valid_from="2030-01-01", valid_to=D(2031, 1, 1))
    insert_rows(MemberPeriod, [period])
    stored = MemberPeriod.objects.get(member=member, organization_id=tree.cell_a1b.pk)
    assert (stored.valid_from, stored.valid_to) == (D(2030, 1, 1), D(2031, 1, 1))
    assert MemberPeriod.objects.get(member=member, organization_id=tree.cell_a1a.pk).valid_to is None  # an open end
    before = timezone.now()
    events = [MemberEvent(member=member, type=EventType.BADGE_AWARDED, effective_date=D(2040, 1, 1), sequence=10 + i, badge_years=30)
              for i in range(3)]
    insert_rows(MemberEvent, events)
    stamps = set(MemberEvent.objects.filter(member=member, sequence__gte=10).values_list("created_at", flat=True))
    assert len(stamps) == 1 and before <= stamps.pop() <= timezone.now() and events[0].created_at is not None

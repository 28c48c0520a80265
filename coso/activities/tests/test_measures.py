"""The figures of cell work through the measure engine: meetings by kind, attendance sums and the
rate, absences by mark, dues due/paid/owed — by child organization, with the records behind a
count as many as the figure, and the number of queries independent of the number of cells."""

import datetime as dt

import pytest

from coso.activities import services
from coso.activities.models import DuesPayment, Mark, MeetingKind
from coso.measures import engine
from coso.measures.catalog import family
from coso.organizations import services as org_services

from .factories import members

D = dt.date
YEAR = (D(2024, 1, 1), D(2024, 12, 31))
NAMES = ["meetings.held", "meetings.regular", "meetings.thematic", "attendance.present", "attendance.expected",
         "absences.unexcused", "absences.excused", "dues.due", "dues.paid", "dues.owed"]


def test_the_engine_counts_meetings_attendance_and_dues_by_child(tree, people, django_assert_max_num_queries):
    a = members(tree.cell_a1a, "Nguyễn", 4)
    b = members(tree.cell_a1b, "Trần", 2)
    for month in (1, 2, 3):
        m = services.record_meeting(actor=None, organization=tree.cell_a1a, held_on=D(2024, month, 5))
        services.mark_attendance(actor=None, meeting=m, member_id=a[0].pk, mark=Mark.UNEXCUSED)
    services.record_meeting(actor=None, organization=tree.cell_a1a, held_on=D(2024, 3, 20), kind=MeetingKind.THEMATIC)
    m = services.record_meeting(actor=None, organization=tree.cell_a1b, held_on=D(2024, 1, 7))
    services.mark_attendance(actor=None, meeting=m, member_id=b[0].pk, mark=Mark.EXCUSED, reason="Ốm")
    services.record_meeting(actor=None, organization=tree.cell_b1a, held_on=D(2024, 1, 7))  # the other district
    for x in a[:2]:
        services.set_dues_profile(actor=None, member=x, valid_from=D(2024, 1, 1), income_kind="other")
    services.record_dues(actor=None, organization=tree.cell_a1a, member_id=a[0].pk, month=D(2024, 1, 1), paid=True)
    services.record_dues(actor=None, organization=tree.cell_a1a, member_id=a[1].pk, month=D(2024, 1, 1), paid=False, reason="Ốm")

    # one grouped query per family (3), the rest the tree's: the organization's path, its children
    # on the period's end and start, their labels; the same whatever the number of cells
    with django_assert_max_num_queries(12):
        table = engine.table(NAMES, tree.commune_a1, by="child", period=YEAR)
    a1a, a1b = tree.cell_a1a.pk, tree.cell_a1b.pk
    assert table.value("meetings.held", a1a) == 4 and table.value("meetings.regular", a1a) == 3
    assert table.value("meetings.thematic", a1a) == 1 and table.value("meetings.held", a1b) == 1
    assert table.value("attendance.expected", a1a) == 16 and table.value("attendance.present", a1a) == 13
    assert table.value("absences.unexcused") == 3 and table.value("absences.excused", a1b) == 1
    assert (table.value("dues.due"), table.value("dues.paid"), table.value("dues.owed")) == (12_000, 6_000, 6_000)
    assert table.total["meetings.held"] == 5  # huyện B's meeting is not under xã A1
    rate = engine.indicators(["pct.attendance"], tree.commune_a1, on=YEAR[1], measures=table.total)["pct.attendance"]
    assert str(rate) == "77.8"  # 14 present of 18 expected: 13 of 16 in A1a, 1 of 2 in A1b
    for name in ("meetings.held", "meetings.regular", "absences.unexcused", "absences.excused"):
        rows = engine.rows(name, tree.commune_a1, period=YEAR)
        assert rows.count() == table.total[name], name
        assert len(family(name).order(rows)) == table.total[name]


@pytest.mark.parametrize("moved_on", [D(2024, 2, 1), D(2024, 7, 15), D(2024, 12, 1)])
def test_a_cells_dues_count_under_the_commune_it_lay_in_each_month(tree, people, moved_on):
    """Dues are summed per organization and only the organizations that moved within the period are
    taken again per month: a cell moved from xã A1 to xã B1 during the year gives each month's dues
    to the commune it lay under on the month's first day, and every figure equals its records."""
    a = members(tree.cell_a1b, "Lê", 2)
    b = members(tree.cell_b1a, "Phạm", 1)
    for x in (*a, *b):
        services.set_dues_profile(actor=None, member=x, valid_from=D(2024, 1, 1), income_kind="other")
    for month in range(1, 13):
        for x in a:
            services.record_dues(actor=None, organization=tree.cell_a1b, member_id=x.pk, month=D(2024, month, 1), paid=month % 2 == 0,
                                 reason="" if month % 2 == 0 else "Ốm")
        services.record_dues(actor=None, organization=tree.cell_b1a, member_id=b[0].pk, month=D(2024, month, 1), paid=True)
    org_services.move_organization(actor=None, organization=tree.cell_a1b, new_parent=tree.commune_b1, valid_from=moved_on)

    due = DuesPayment.objects.filter(member=b[0]).first().due  # the same profile for all three
    before = sum(1 for month in range(1, 13) if D(2024, month, 1) < moved_on)  # months of A1b under A1
    dues = ["dues.due", "dues.paid", "dues.owed"]
    a1 = engine.table(dues, tree.commune_a1, by="child", period=YEAR)
    b1 = engine.table(dues, tree.commune_b1, by="child", period=YEAR)
    district_b = engine.table(dues, tree.district_b, by="child", period=YEAR)
    province = engine.table(dues, tree.province, by="child", period=YEAR)
    assert a1.total["dues.due"] == 2 * before * due
    assert b1.total["dues.due"] == 2 * (12 - before) * due + 12 * due
    assert district_b.total["dues.due"] == b1.total["dues.due"]
    assert province.total["dues.due"] == a1.total["dues.due"] + b1.total["dues.due"]  # nothing lost, nothing twice
    paid_before = 2 * due * sum(1 for month in range(1, 13) if D(2024, month, 1) < moved_on and month % 2 == 0)
    assert a1.total["dues.paid"] == paid_before
    assert a1.total["dues.owed"] == a1.total["dues.due"] - a1.total["dues.paid"]
    for organization in (tree.commune_a1, tree.commune_b1, tree.district_a, tree.province):
        table = engine.table(dues, organization, by="child", period=YEAR)
        for name in dues:
            rows = engine.rows(name, organization, period=YEAR)
            field = {"dues.due": "due", "dues.paid": "paid"}.get(name)
            recorded = sum(r.due - r.paid if field is None else getattr(r, field) for r in rows)
            assert table.total[name] == recorded, (organization.name, name)

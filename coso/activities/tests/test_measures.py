"""The figures of cell work through the measure engine: meetings by kind, attendance sums and the
rate, absences by mark, dues due/paid/owed — by child organization, with the records behind a
count as many as the figure, and the number of queries independent of the number of cells."""

import datetime as dt

from coso.activities import services
from coso.activities.models import Mark, MeetingKind
from coso.measures import engine
from coso.measures.catalog import family

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

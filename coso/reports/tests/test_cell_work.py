"""The standard report's cell-work section and its sentence in the written summary (issue #16
point 8): meetings by kind, the point person's presence, attendance, dues and commendations over the
report's period, from the measure engine, by child organization."""

import datetime as dt

from coso.activities import services
from coso.activities.models import Mark, MeetingKind
from coso.activities.tests.factories import members
from coso.reports import standard, summary

D = dt.date


def test_the_report_has_cell_work_by_child_and_the_summary_says_it(tree, people):
    a = members(tree.cell_a1a, "Nguyễn", 4)
    boss = members(tree.cell_a1b, "Trần", 1)[0]
    services.assign_point_person(actor=None, member=boss, organization=tree.cell_a1a, role="in_charge", valid_from=D(2024, 1, 2))
    for month in (1, 2, 3):
        m = services.record_meeting(actor=None, organization=tree.cell_a1a, held_on=D(2024, month, 5),
                                    superior_attendee_id=boss.pk if month == 2 else None)
        if month == 3:
            services.mark_attendance(actor=None, meeting=m, member_id=a[0].pk, mark=Mark.UNEXCUSED)
    services.record_meeting(actor=None, organization=tree.cell_a1b, held_on=D(2024, 3, 20), kind=MeetingKind.THEMATIC)
    for x in a[:2]:
        services.set_dues_profile(actor=None, member=x, valid_from=D(2024, 1, 1), income_kind="other")
        services.record_dues(actor=None, organization=tree.cell_a1a, member_id=x.pk, month=D(2024, 1, 1), paid=x == a[0], reason="" if x == a[0] else "Ốm")
    services.record_commendation(actor=None, organization=tree.cell_a1b, form="certificate", title="Chi bộ tiêu biểu",
                                 decision_number="3-QĐ/ĐU", decided_on=D(2024, 2, 1), awarded_by=tree.commune_a1)
    report = standard.build(tree.commune_a1, D(2024, 3, 31), sections=["cell_work"])
    (section, table), = report.tables
    assert section.period and table.value("meetings.regular", tree.cell_a1a.pk) == 3
    assert table.value("meetings.thematic", tree.cell_a1b.pk) == 1 and table.total["meetings.point_person"] == 1
    # 4 members × 3 meetings in A1a, one absent; the one member of A1b at its thematic meeting
    assert (table.total["attendance.present"], table.total["attendance.expected"]) == (12, 13)
    assert (table.total["dues.due"], table.total["dues.paid"]) == (12_000, 6_000)
    assert table.value("commendations", tree.cell_a1b.pk) == 1
    text = summary.paragraph(report)
    assert ("Trong kỳ, các chi bộ sinh hoạt 3 buổi thường kỳ và 1 buổi chuyên đề (1 buổi có cấp ủy viên phụ trách dự); "
            "tỉ lệ đảng viên dự sinh hoạt 92,3%; 1 lượt vắng không lý do; đã thu 6.000/12.000 đồng đảng phí; 1 lượt khen thưởng.") in text

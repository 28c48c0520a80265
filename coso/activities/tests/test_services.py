"""Meetings, attendance and tasks through the services, on the shared tree: worked examples of the
frequency rules on a cell's calendar, the attendance of a meeting (temporary and exempted members),
the quality flags and the three-absence (xóa tên) list."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from coso.activities import selectors, services
from coso.activities.models import Absence, Mark, Meeting, MeetingKind
from coso.audit.models import AuditEvent
from coso.members import services as member_services
from coso.members.models import EventType, TransferKind
from coso.organizations.scope import Scope

from .factories import member, members

D = dt.date
T = dt.time


def meet(cell, held_on, kind=MeetingKind.REGULAR, **fields):
    return services.record_meeting(actor=None, organization=cell, kind=kind, held_on=held_on, **fields)


def test_it_records_a_meeting_with_every_member_present_but_the_exempted(tree, people):
    a, b, c = members(tree.cell_a1a, "Nguyễn", 3)
    member_services.record_event(actor=None, member=c, type=EventType.EXEMPTED, effective_date=D(2024, 2, 1))
    member(tree.cell_a1b, "Trần Văn Khác")
    m = meet(tree.cell_a1a, D(2024, 3, 5), starts_at=T(19, 0), ends_at=T(21, 0), place="Nhà văn hóa")
    assert (m.roster_count, m.present_count, m.exempted_count) == (3, 2, 1)
    assert m.counts_for == D(2024, 3, 1) and m.duration == 120
    rows = selectors.attendance(m)
    assert [(r.name, r.mark) for r in rows] == [("Nguyễn Văn A", "present"), ("Nguyễn Văn B", "present"), ("Nguyễn Văn C", "exempted")]
    assert AuditEvent.objects.filter(event_type="activities.meeting.recorded", target_id=str(m.pk)).exists()


def test_it_counts_a_temporary_member_at_the_host_cell_not_at_home(tree, people):
    home = member(tree.cell_a1a, "Lê Văn Tạm")
    member(tree.cell_a1b, "Phạm Văn Chủ")
    member_services.record_event(actor=None, member=home, type=EventType.TRANSFER_OUT, effective_date=D(2024, 3, 1),
                                 target_id=tree.cell_a1b.pk, transfer_kind=TransferKind.TEMPORARY)
    member_services.record_event(actor=None, member=home, type=EventType.TRANSFER_RECEIVED, effective_date=D(2024, 3, 10))
    host_rows = selectors.roster(tree.cell_a1b.pk, D(2024, 4, 1))
    assert [(r.name, r.temporary) for r in host_rows] == [("Phạm Văn Chủ", False), ("Lê Văn Tạm", True)]  # by given name
    assert selectors.roster(tree.cell_a1a.pk, D(2024, 4, 1)) == []
    # in transit (before the receipt) the member is still the sending cell's
    assert [r.name for r in selectors.roster(tree.cell_a1a.pk, D(2024, 3, 5))] == ["Lê Văn Tạm"]


def test_it_marks_attendance_and_rewrites_the_counts(tree, people):
    a, b, c, d = members(tree.cell_a1a, "Võ", 4)
    m = meet(tree.cell_a1a, D(2024, 3, 5))
    services.mark_attendance(actor=people.secretary_a1a, meeting=m, member_id=a.pk, mark=Mark.UNEXCUSED)
    services.mark_attendance(actor=people.secretary_a1a, meeting=m, member_id=b.pk, mark=Mark.EXCUSED, reason="Ốm")
    services.mark_attendance(actor=people.secretary_a1a, meeting=m, member_id=c.pk, mark=Mark.ON_DUTY)
    m.refresh_from_db()
    assert (m.present_count, m.unexcused_count, m.excused_count, m.on_duty_count) == (1, 1, 1, 1)
    assert Absence.objects.filter(meeting=m).count() == 3
    services.mark_attendance(actor=people.secretary_a1a, meeting=m, member_id=a.pk, mark=Mark.PRESENT)
    m.refresh_from_db()
    assert (m.present_count, m.unexcused_count) == (2, 0) and Absence.objects.filter(meeting=m).count() == 2
    q = selectors.quality(m)
    assert q.counts.expected == 3 and not q.flags.rate_ok and q.flags.no_unexcused


def test_it_refuses_marks_the_rules_forbid_and_writes_nothing(tree, people):
    a, b = members(tree.cell_a1a, "Đỗ", 2)
    member_services.record_event(actor=None, member=b, type=EventType.EXEMPTED, effective_date=D(2024, 2, 1))
    outsider = member(tree.cell_a1b, "Hồ Văn Ngoài")
    m = meet(tree.cell_a1a, D(2024, 3, 5))
    before = AuditEvent.objects.count()
    cases = [
        (outsider.pk, Mark.UNEXCUSED, "", "member"),
        (a.pk, Mark.EXCUSED, "  ", "reason"),
        (a.pk, Mark.EXEMPTED, "", "mark"),
        (b.pk, Mark.PRESENT, "", "mark"),
        (a.pk, "late", "", "mark"),
    ]
    for member_id, mark, reason, field in cases:
        with pytest.raises(ValidationError) as error:
            services.mark_attendance(actor=None, meeting=m, member_id=member_id, mark=mark, reason=reason)
        assert field in error.value.error_dict
    assert AuditEvent.objects.count() == before and not Absence.objects.exists()


def test_it_refuses_a_second_regular_meeting_for_a_month_and_a_month_too_far(tree, people):
    meet(tree.cell_a1a, D(2024, 3, 5))
    with pytest.raises(ValidationError) as error:
        meet(tree.cell_a1a, D(2024, 3, 25))
    assert "counts_for" in error.value.error_dict
    meet(tree.cell_a1a, D(2024, 3, 25), kind=MeetingKind.THEMATIC)  # a thematic one is not the regular
    meet(tree.cell_a1a, D(2024, 5, 2), counts_for=D(2024, 4, 1))  # early May, for April
    with pytest.raises(ValidationError) as error:
        meet(tree.cell_a1a, D(2024, 6, 2), counts_for=D(2024, 4, 1))
    assert "counts_for" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        meet(tree.cell_a1a, D(2024, 6, 2), starts_at=T(20, 0), ends_at=T(19, 0))
    assert "ends_at" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        meet(tree.cell_a1a, D(2023, 6, 2))  # before the cell existed
    assert "held_on" in error.value.error_dict
    assert Meeting.objects.count() == 3


def test_it_builds_the_calendar_of_a_cell_and_lists_the_commune_cells_that_missed_a_month(tree, people):
    members(tree.cell_a1a, "Bùi", 1)
    for month in (1, 2, 4):
        meet(tree.cell_a1a, D(2024, month, 10))
    meet(tree.cell_a1a, D(2024, 3, 10), kind=MeetingKind.THEMATIC)
    for month in range(1, 6):
        meet(tree.cell_a1b, D(2024, month, 12))
    cal = selectors.calendar(tree.cell_a1a.pk, "A1a", 2024, D(2024, 7, 1))
    assert [m.month.month for m in cal.missed_months] == [3, 5, 6]
    assert [q.quarter for q in cal.missed_quarters] == [2]
    missed = selectors.missed(Scope(people.staff_a), tree.commune_a1.pk, 2024, D(2024, 7, 1))
    assert {c.name: [m.month.month for m in c.missed_months] for c in missed} == {"Chi bộ thôn A1a": [3, 5, 6], "Chi bộ thôn A1b": [6]}
    # the sibling district's user sees none of them
    assert selectors.missed(Scope(people.staff_b), tree.commune_a1.pk, 2024, D(2024, 7, 1)) == []


def test_it_marks_a_regular_meeting_shorter_than_the_minimum_of_its_date(tree, people):
    meet(tree.cell_a1a, D(2025, 9, 10), starts_at=T(19, 0), ends_at=T(20, 0))  # before HD 42: no minimum
    meet(tree.cell_a1a, D(2025, 11, 10), starts_at=T(19, 0), ends_at=T(20, 0))
    short = meet(tree.cell_a1a, D(2025, 11, 20), kind=MeetingKind.THEMATIC, combined=True, starts_at=T(19, 0), ends_at=T(20, 45))
    cal = selectors.calendar(tree.cell_a1a.pk, "A1a", 2025, D(2025, 12, 31))
    assert [m.month.month for m in cal.short_months] == [11]
    q = selectors.quality(short)
    assert q.minimum == 120 and q.too_short


def test_it_fails_the_fourth_excused_absence_in_a_row(tree, people):
    a, b = members(tree.cell_a1a, "Lý", 2)
    meetings = [meet(tree.cell_a1a, D(2024, month, 10)) for month in range(1, 5)]
    for m in meetings:
        services.mark_attendance(actor=None, meeting=m, member_id=a.pk, mark=Mark.EXCUSED, reason="Đi làm xa")
    assert selectors.quality(meetings[2]).flags.no_long_excused_run
    q = selectors.quality(meetings[3])
    assert q.runs == {a.pk: 4} and not q.flags.no_long_excused_run


def test_it_lists_a_member_with_unexcused_absences_in_three_months_for_removal_never_removing(tree, people):
    a, b = members(tree.cell_a1a, "Hà", 2)
    scope = Scope(people.staff_a)
    jan, feb = meet(tree.cell_a1a, D(2024, 1, 10)), meet(tree.cell_a1a, D(2024, 2, 10))
    feb_thematic = meet(tree.cell_a1a, D(2024, 2, 20), kind=MeetingKind.THEMATIC)
    mar, apr = meet(tree.cell_a1a, D(2024, 3, 10)), meet(tree.cell_a1a, D(2024, 4, 10))
    for m in (jan, feb, feb_thematic):
        services.mark_attendance(actor=None, meeting=m, member_id=a.pk, mark=Mark.UNEXCUSED)
    services.mark_attendance(actor=None, meeting=mar, member_id=a.pk, mark=Mark.EXCUSED, reason="Ốm")
    # three absences, in two months: not yet
    assert selectors.removal_list(scope, tree.commune_a1.pk, 2024, D(2024, 4, 30)) == []
    services.mark_attendance(actor=None, meeting=apr, member_id=a.pk, mark=Mark.UNEXCUSED)
    cases = selectors.removal_list(scope, tree.commune_a1.pk, 2024, D(2024, 4, 30))
    assert [(c.name, [m.month for m in c.months]) for c in cases] == [("Hà Văn A", [1, 2, 4])]
    assert "Điều 8" in cases[0].rule
    a.refresh_from_db()
    assert a.status == "official"  # listed, never removed
    assert selectors.removal_list(scope, tree.commune_a1.pk, 2025, D(2025, 4, 30)) == []  # a new year starts again
    assert selectors.removal_list(Scope(people.staff_b), tree.commune_a1.pk, 2024, D(2024, 4, 30)) == []


def test_it_drops_the_marks_of_those_no_longer_members_when_the_date_moves(tree, people):
    a = member(tree.cell_a1a, "Mai Văn Cũ")
    late = member(tree.cell_a1a, "Mai Văn Mới", on=D(2024, 3, 15))
    m = meet(tree.cell_a1a, D(2024, 3, 20))
    services.mark_attendance(actor=None, meeting=m, member_id=late.pk, mark=Mark.UNEXCUSED)
    m = services.change_meeting(actor=None, meeting=m, held_on=D(2024, 3, 10))
    assert (m.roster_count, m.unexcused_count) == (1, 0) and not Absence.objects.filter(meeting=m).exists()
    assert [r.member_id for r in selectors.attendance(m)] == [a.pk]


def test_it_gives_tasks_and_reviews_them_at_a_later_meeting(tree, people):
    a, b = members(tree.cell_a1a, "Tô", 2)
    first, second = meet(tree.cell_a1a, D(2024, 3, 10)), meet(tree.cell_a1a, D(2024, 4, 10))
    task = services.assign_task(actor=None, meeting=first, description="Vận động hộ nghèo", member_id=a.pk, due_on=D(2024, 4, 1))
    with pytest.raises(ValidationError):
        services.assign_task(actor=None, meeting=first, description="   ")
    with pytest.raises(ValidationError):
        services.review_task(actor=None, task=task, at=first, outcome="done")
    assert list(selectors.open_tasks(tree.cell_a1a.pk, D(2024, 4, 10))) == [task]
    services.review_task(actor=None, task=task, at=second, outcome="done", note="Xong")
    assert list(selectors.open_tasks(tree.cell_a1a.pk, D(2024, 4, 10))) == []

"""Attendance always covers exactly the cell's members on the meeting's date: whatever happened to
the members (exemptions and their end, temporary stays in the other cell, permanent transfers,
removal), the attendance of a meeting lists each member of the cell that day once, and nobody else,
and its counts add up to them, whatever marks were tried. The oracle is the lifecycle's replay of
each member's events up to the date (not the periods the roster reads).

Each example runs in a savepoint rolled back at its end.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coso.activities import selectors, services
from coso.activities.models import Mark
from coso.members import lifecycle
from coso.members import services as member_services
from coso.members.models import EventType, MemberEvent, TransferKind

from .factories import member

pytestmark = pytest.mark.django_db
D = dt.date
START = D(2024, 2, 1)
ACTIONS = st.sampled_from(["exempt", "end_exemption", "temporary", "receive", "return", "transfer", "remove"])
MEMBER = st.lists(st.tuples(ACTIONS, st.integers(min_value=1, max_value=300)), max_size=4)


def _try_event(m, action, day, tree):
    fields = {
        "exempt": {"type": EventType.EXEMPTED},
        "end_exemption": {"type": EventType.EXEMPTION_ENDED},
        "temporary": {"type": EventType.TRANSFER_OUT, "transfer_kind": TransferKind.TEMPORARY, "target_id": tree.cell_a1b.pk},
        "receive": {"type": EventType.TRANSFER_RECEIVED},
        "return": {"type": EventType.TEMPORARY_RETURNED},
        "transfer": {"type": EventType.TRANSFER_OUT, "transfer_kind": TransferKind.OFFICIAL, "target_id": tree.cell_a1b.pk},
        "remove": {"type": EventType.REMOVED, "decision_number": "1-QĐ"},
    }[action]
    try:
        member_services.record_event(actor=None, member=m, effective_date=day, **fields)
    except ValidationError:
        pass  # the lifecycle refused it: the member's story goes on without it


def _in_cell_on(m, cell_id, on) -> bool:
    events = [e for e in MemberEvent.objects.filter(member=m).order_by("effective_date", "sequence", "id") if e.effective_date <= on]
    state = lifecycle.replay(events).state
    if not state.active:
        return False
    return state.host_id == cell_id or (state.organization_id == cell_id and state.host_id is None)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(stories=st.lists(MEMBER, min_size=1, max_size=5), meeting_day=st.integers(min_value=0, max_value=330),
       cell_key=st.sampled_from(["cell_a1a", "cell_a1b"]),
       marks=st.lists(st.tuples(st.integers(min_value=0, max_value=6), st.sampled_from(Mark.values), st.sampled_from(["", "Ốm"])), max_size=8))
def test_attendance_covers_exactly_the_cells_members_on_the_date(tree, stories, meeting_day, cell_key, marks):
    with transaction.atomic():
        people = []
        for i, story in enumerate(stories):
            m = member(tree.cell_a1a if i % 2 == 0 else tree.cell_a1b, f"Thành viên Văn {chr(65 + i)}")
            day = START
            for action, offset in sorted(story, key=lambda s: s[1]):
                day = max(day, START + dt.timedelta(days=offset))
                _try_event(m, action, day, tree)
            people.append(m)
        cell = getattr(tree, cell_key)
        on = START + dt.timedelta(days=meeting_day)
        meeting = services.record_meeting(actor=None, organization=cell, held_on=on)
        for index, mark, reason in marks:
            target = people[index % len(people)] if index < 6 else member(tree.cell_b1a, "Người Ngoài Văn Z")
            try:
                services.mark_attendance(actor=None, meeting=meeting, member_id=target.pk, mark=mark, reason=reason)
            except ValidationError:
                pass
        rows = selectors.attendance(meeting)
        expected = {m.pk for m in people if _in_cell_on(m, cell.pk, on)}
        assert [r.member_id for r in rows if r.member_id in expected] == [r.member_id for r in rows]
        assert {r.member_id for r in rows} == expected and len(rows) == len(expected)
        meeting.refresh_from_db()
        counts = selectors.stored_counts(meeting)
        assert counts == selectors.counts_of(rows)
        assert counts.roster == counts.present + counts.excused + counts.unexcused + counts.exempted + counts.on_duty
        transaction.set_rollback(True)

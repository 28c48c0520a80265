import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coso.audit.models import AuditEvent
from coso.members import services
from coso.members.models import (
    Candidate,
    EventType,
    Member,
    MemberEvent,
    MemberPeriod,
    Status,
    TransferKind,
)
from coso.people.models import Person
from coso.people.services import create_person

pytestmark = pytest.mark.django_db
D = dt.date


def person(name="Nguyễn Văn An", **kw):
    return create_person(actor=None, full_name=name, gender=kw.pop("gender", "M"), birth_date=kw.pop("birth_date", D(1990, 5, 1)), **kw)


def test_it_admits_a_candidate_and_keeps_the_candidacy(tree):
    candidate = services.add_candidate(actor=None, person=person(), organization=tree.cell_a1a, listed_on=D(2024, 1, 10),
                                       course_completed_on=D(2024, 2, 1))
    member = services.admit_candidate(actor=None, candidate=candidate, admitted_on=D(2024, 3, 1), decision_number="15-QĐ/HU", decision_date=D(2024, 2, 20))
    candidate.refresh_from_db()
    assert candidate.state == Candidate.State.ADMITTED and candidate.member == member
    assert member.status == Status.PROBATIONARY and member.organization_id == tree.cell_a1a.pk
    assert member.admission_decision_date == D(2024, 2, 20)
    services.recognize(actor=None, member=member, decision_number="40-QĐ/HU", decision_date=D(2025, 3, 20))
    member.refresh_from_db()
    assert member.status == Status.OFFICIAL and member.recognized_on == D(2025, 3, 1)


def test_it_places_members_only_in_cells(tree):
    with pytest.raises(ValidationError, match="chi bộ"):
        services.record_existing_member(actor=None, person=person(), organization=tree.commune_a1, on=D(2024, 1, 5), admitted_on=D(2010, 1, 1))


def test_a_refused_event_changes_nothing(tree):
    member = services.record_existing_member(actor=None, person=person(), organization=tree.cell_a1a, on=D(2024, 1, 5),
                                             admitted_on=D(2010, 1, 1), recognized_on=D(2011, 1, 1))
    services.record_event(actor=None, member=member, type=EventType.REMOVED, effective_date=D(2024, 2, 1), decision_number="1-QĐ")
    counts = (MemberEvent.objects.count(), MemberPeriod.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError, match="không còn sinh hoạt"):
        services.record_event(actor=None, member=member, type=EventType.TRANSFER_OUT, effective_date=D(2024, 3, 1), target_id=tree.cell_b1a.pk)
    assert (MemberEvent.objects.count(), MemberPeriod.objects.count(), AuditEvent.objects.count()) == counts
    member.refresh_from_db()
    assert member.status == Status.REMOVED


def test_it_hands_a_transfer_over_to_the_receiving_cell(tree):
    member = services.record_existing_member(actor=None, person=person(), organization=tree.cell_a1a, on=D(2024, 1, 5),
                                             admitted_on=D(2010, 1, 1), recognized_on=D(2011, 1, 1))
    services.record_event(actor=None, member=member, type=EventType.TRANSFER_OUT, effective_date=D(2024, 3, 1),
                          target_id=tree.cell_b1a.pk, transfer_kind=TransferKind.OFFICIAL, decision_number="GT 12")
    member.refresh_from_db()
    assert member.in_transit and member.organization_id == tree.cell_a1a.pk
    services.record_event(actor=None, member=member, type=EventType.TRANSFER_RECEIVED, effective_date=D(2024, 3, 20), organization_id=tree.cell_b1a.pk)
    member.refresh_from_db()
    assert not member.in_transit and member.organization_id == tree.cell_b1a.pk
    assert AuditEvent.objects.filter(event_type="members.member.transfer_received", organization_id=tree.cell_b1a.pk).exists()


def test_it_refuses_a_second_national_id_holder(tree):
    person("Trần Thị Bình", gender="F", birth_date=D(1985, 2, 3), national_id="049185000123")
    with pytest.raises(ValidationError, match="đã có trong hồ sơ của một người khác") as refused:
        person("Lê Thị Bình", gender="F", birth_date=D(1985, 2, 3), national_id="049185000123")
    assert "Trần Thị Bình" not in str(refused.value)  # the holder is not named
    with pytest.raises(ValidationError, match="giới tính"):
        person("Lê Văn Cường", gender="M", birth_date=D(1985, 2, 3), national_id="049185000124")


# Property: whatever valid sequence of events members go through, no member is ever in two
# organizations on the same day, and every member admitted is somewhere or has a recorded exit.
EVENT_CHOICES = st.sampled_from(["transfer", "receive", "cancel", "exempt", "unexempt", "remove", "die", "recognize", "temp"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(script=st.lists(st.tuples(st.integers(0, 2), EVENT_CHOICES, st.integers(1, 40)), max_size=14))
def test_members_are_never_in_two_places_and_never_lost(tree, script):
    MemberPeriod.objects.all().delete()
    MemberEvent.objects.all().delete()
    Member.objects.all().delete()
    Person.objects.all().delete()
    cells = [tree.cell_a1a, tree.cell_a1b, tree.cell_b1a]
    members = [
        services.record_existing_member(actor=None, person=person(f"Đảng viên {i}"), organization=cells[i], on=D(2024, 1, 2),
                                        admitted_on=D(2023, 6, 1 + i))
        for i in range(3)
    ]
    day = D(2024, 1, 2)
    for index, action, step in script:
        day += dt.timedelta(days=step)
        member = Member.objects.get(pk=members[index].pk)
        target = cells[(index + step) % 3]
        kwargs = {
            "transfer": dict(type=EventType.TRANSFER_OUT, target_id=target.pk, transfer_kind=TransferKind.OFFICIAL),
            "temp": dict(type=EventType.TRANSFER_OUT, target_id=target.pk, transfer_kind=TransferKind.TEMPORARY),
            "receive": dict(type=EventType.TRANSFER_RECEIVED),
            "cancel": dict(type=EventType.TRANSFER_CANCELLED),
            "exempt": dict(type=EventType.EXEMPTED),
            "unexempt": dict(type=EventType.EXEMPTION_ENDED),
            "remove": dict(type=EventType.REMOVED),
            "die": dict(type=EventType.DECEASED),
        }.get(action)
        before = (MemberEvent.objects.count(), list(MemberPeriod.objects.order_by("id").values_list("id", "valid_to")))
        try:
            if action == "recognize":
                services.recognize(actor=None, member=member, decision_number="x")
            else:
                services.record_event(actor=None, member=member, effective_date=day, **kwargs)
        except ValidationError:
            assert (MemberEvent.objects.count(), list(MemberPeriod.objects.order_by("id").values_list("id", "valid_to"))) == before
    for probe in (D(2024, 1, 2), day, day + dt.timedelta(days=1)):
        placed = list(MemberPeriod.objects.filter(valid_from__lte=probe).exclude(valid_to__lte=probe).values_list("member_id", flat=True))
        assert len(placed) == len(set(placed)), "a member in two places on one day"
        for member in Member.objects.all():
            assert member.pk in placed or member.status in (Status.REMOVED, Status.DECEASED) or probe < D(2024, 1, 2)

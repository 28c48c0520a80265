"""Issue #10 §4: events dated ahead (decision 0008) and the member page on its date; §5: a move
between two cells of the same name tells them apart by their superior."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coso.lib.dates import fmt
from coso.members import services
from coso.members.models import EventType, MemberEvent, MemberPeriod, TransferKind
from coso.organizations import services as org_services
from coso.organizations.models import Kind
from coso.people.services import create_person

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def an(tree):
    p = create_person(actor=None, full_name="Trần Văn An", gender="M", birth_date=D(1990, 5, 1))
    return services.record_existing_member(actor=None, person=p, organization=tree.cell_a1a, on=D(2024, 1, 5), admitted_on=D(2010, 1, 1),
                                           recognized_on=D(2011, 1, 1))


@pytest.fixture
def as_staff_a(client, people):
    client.force_login(people.staff_a)
    return client


def _today():
    return timezone.localdate()


def test_an_exemption_dated_ahead_needs_the_confirmation(an):
    ahead = _today() + dt.timedelta(days=30)
    with pytest.raises(ValidationError) as refused:
        services.record_event(actor=None, member=an, type=EventType.EXEMPTED, effective_date=ahead)
    assert "Xác nhận ghi trước" in str(refused.value)
    assert not MemberEvent.objects.filter(member=an, type=EventType.EXEMPTED).exists()
    services.record_event(actor=None, member=an, type=EventType.EXEMPTED, effective_date=ahead, confirm_future=True)
    # counted from its day in the periods (lists, reports), not before
    assert not MemberPeriod.objects.on(_today()).get(member=an).exempted
    assert MemberPeriod.objects.on(ahead).get(member=an).exempted


@pytest.mark.parametrize("kind", [EventType.DISCIPLINED, EventType.REMOVED, EventType.DECEASED, EventType.TRANSFER_OUT])
def test_other_events_dated_ahead_are_refused_even_confirmed(an, kind, tree):
    extra = {"discipline_form": "khien_trach"} if kind == EventType.DISCIPLINED else {}
    if kind == EventType.TRANSFER_OUT:
        extra = {"target_id": tree.cell_a2.pk, "transfer_kind": TransferKind.OFFICIAL}
    with pytest.raises(ValidationError) as refused:
        services.record_event(actor=None, member=an, type=kind, effective_date=_today() + dt.timedelta(days=3), confirm_future=True, **extra)
    assert "chỉ được ghi khi đã có hiệu lực" in str(refused.value)


def test_more_than_366_days_ahead_is_refused(an):
    with pytest.raises(ValidationError) as refused:
        services.record_event(actor=None, member=an, type=EventType.EXEMPTED, effective_date=_today() + dt.timedelta(days=367), confirm_future=True)
    assert "366 ngày" in str(refused.value)


def test_the_form_asks_for_the_confirmation_then_records(as_staff_a, an):
    ahead = fmt(_today() + dt.timedelta(days=365))
    url = reverse("members:event", args=[an.pk, "mien"])
    assert "Xác nhận ghi trước" in as_staff_a.get(url).content.decode()
    response = as_staff_a.post(url, {"effective_date": ahead, "decision_number": "12-QĐ/ĐU"})
    assert response.status_code == 200 and "Xác nhận ghi trước" in response.content.decode()
    assert not MemberEvent.objects.filter(member=an, type=EventType.EXEMPTED).exists()
    response = as_staff_a.post(url, {"effective_date": ahead, "decision_number": "12-QĐ/ĐU", "confirm_future": "on"})
    assert response.status_code == 302
    # a kind that may not be recorded ahead offers no box
    assert "Xác nhận ghi trước" not in as_staff_a.get(reverse("members:event", args=[an.pk, "ky-luat"])).content.decode()


def test_the_member_page_shows_the_state_on_its_date(as_staff_a, an):
    ahead = _today() + dt.timedelta(days=365)
    services.record_event(actor=None, member=an, type=EventType.EXEMPTED, effective_date=ahead, confirm_future=True)
    url = reverse("members:detail", args=[an.pk])
    body = as_staff_a.get(url).content.decode()
    assert 'data-testid="member-exempted"' not in body  # not exempted today
    assert 'data-testid="later"' in body and 'data-testid="later-events"' in body  # the event is there, marked
    body = as_staff_a.get(url, {"ngay": fmt(ahead)}).content.decode()
    assert 'data-testid="member-exempted"' in body and 'data-testid="later"' not in body
    # before the member was recorded here: the party age and status of that day
    body = as_staff_a.get(url, {"ngay": "01/01/2024"}).content.decode()
    assert "Chưa là đảng viên" in body


def test_a_move_between_two_cells_of_the_same_name_names_their_superiors(as_staff_a, tree, an):
    other_commune = org_services.create_organization(actor=None, parent=tree.district_a, name="Đảng bộ xã A3", kind=Kind.GRASSROOTS_COMMITTEE,
                                                     valid_from=D(2024, 1, 1))
    twin = org_services.create_organization(actor=None, parent=other_commune, name="Chi bộ thôn Phước Hòa", kind=Kind.SUBORDINATE_CELL,
                                            valid_from=D(2024, 1, 1))
    org_services.rename_organization(actor=None, organization=tree.cell_a1a, name="Chi bộ thôn Phước Hòa", valid_from=D(2024, 1, 2))
    services.record_event(actor=None, member=an, type=EventType.TRANSFER_OUT, effective_date=D(2024, 2, 1), target_id=twin.pk,
                          transfer_kind=TransferKind.OFFICIAL, decision_number="GT 3")
    body = as_staff_a.get(reverse("members:detail", args=[an.pk])).content.decode()
    assert "(Đảng bộ xã A1)" in body and "(Đảng bộ xã A3)" in body
    row = body[body.index("GT 3") - 600:body.index("GT 3")]
    assert row.index("Đảng bộ xã A1") < row.index("→") < row.index("Đảng bộ xã A3")

"""Read access ends where the member left (issue #11, 1.6; decision 0007).

A district whose committee ended must not see the *current* national ID or ethnicity of a member
who has since moved elsewhere; a cell's officer must not see a member's current record after the
member left. Their history up to the departure stays visible.
"""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coso.members import services
from coso.members.models import EventType
from coso.members.permissions import departure
from coso.members.tests.test_views import make_members
from coso.organizations import services as org_services
from coso.organizations.models import CloseReason
from coso.people.models import Person
from coso.people.services import create_person

D = dt.date
REFORM = D(2025, 7, 1)
NATIONAL_ID = "049090001234"


def _file(response) -> str:
    """A downloaded file's text (exports are streamed from disk)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig")


def _move(member, target, on, received=None, note=""):
    services.record_event(actor=None, member=member, type=EventType.TRANSFER_OUT, effective_date=on, target_id=target.pk)
    services.record_event(actor=None, member=member, type=EventType.TRANSFER_RECEIVED, effective_date=received or on,
                          organization_id=target.pk, note=note)


@pytest.fixture
def moved(db, tree, people):
    """Dũng (huyện B) moves to Chi bộ thôn A1a when huyện B ends on 01/07/2025; An leaves Chi bộ
    thôn A1a for Chi bộ cơ sở A2 in February 2024."""
    m = make_members(tree)
    Person.objects.filter(pk=m.dung.person_id).update(national_id=NATIONAL_ID, ethnicity="04", residence_text="Tổ 7 phường Mới")
    _move(m.dung, tree.cell_a1a, REFORM, note="Tiếp nhận tại A1a")
    for org in (tree.cell_b1a, tree.commune_b1, tree.district_b):
        org_services.close_organization(actor=None, organization=org, closed_on=REFORM, reason=CloseReason.MERGED)
    _move(m.an, tree.cell_a2, D(2024, 2, 1), received=D(2024, 2, 5), note="Đã nhận tại A2")
    return m


def test_a_district_that_ended_does_not_see_the_current_sensitive_fields_of_a_member_who_moved(client, people, moved):
    client.force_login(people.staff_b)  # organization staff: people.sensitive
    body = client.get(reverse("members:detail", args=[moved.dung.pk])).content.decode()
    assert "Bùi Văn Dũng" in body
    assert 'data-testid="departed"' in body and "30/06/2025" in body
    assert NATIONAL_ID not in body
    assert "Dân tộc" not in body and "Mường" not in body
    assert "Tổ 7 phường Mới" not in body
    assert "Chi bộ thôn A1a" not in body  # the current organization
    assert "Tiếp nhận tại A1a" not in body  # events after the departure
    assert "Chi bộ thôn B1a" in body  # the history up to it


def test_nor_in_the_list_or_the_export(client, people, moved):
    client.force_login(people.staff_b)
    body = client.get(reverse("members:list")).content.decode()
    assert "Bùi Văn Dũng" in body and NATIONAL_ID not in body
    export = _file(client.get(reverse("imports:export_members"), {"dinh_dang": "csv"}))
    assert "Bùi Văn Dũng" in export
    assert NATIONAL_ID not in export and "Mường" not in export and "Tổ 7 phường Mới" not in export


def test_the_organization_the_member_is_in_still_sees_everything(client, people, moved):
    client.force_login(people.staff_a)
    body = client.get(reverse("members:detail", args=[moved.dung.pk])).content.decode()
    assert NATIONAL_ID in body and "Tổ 7 phường Mới" in body and "Tiếp nhận tại A1a" in body
    assert 'data-testid="departed"' not in body


def test_a_cell_officer_does_not_see_the_current_record_of_a_member_who_left(client, people, moved):
    client.force_login(people.secretary_a1a)
    body = client.get(reverse("members:detail", args=[moved.an.pk])).content.decode()
    assert "Trần Văn An" in body
    assert 'data-testid="departed"' in body and "04/02/2024" in body
    assert "Đã nhận tại A2" not in body
    assert "Chi bộ cơ sở A2" not in body or body.index("Chi bộ cơ sở A2") > body.index('data-testid="timeline"')
    assert 'data-testid="member-status"' not in body
    assert "0123456" not in body  # the card number: the current record


def test_a_member_still_in_the_cell_is_shown_whole(client, people, moved):
    client.force_login(people.secretary_a1a)
    body = client.get(reverse("members:detail", args=[moved.dung.pk])).content.decode()
    assert 'data-testid="departed"' not in body and "Tiếp nhận tại A1a" in body


# ---------------------------------------------------------------- the rule, as a property

H = 60  # days of the examples; "open" is the horizon
BASE = D(2024, 1, 1)


def _day(n):
    return None if n is None else BASE + dt.timedelta(days=n)


@st.composite
def histories(draw):
    cuts = sorted(set(draw(st.lists(st.integers(0, H - 1), min_size=2, max_size=7))))
    periods = []
    for start, end in zip(cuts, cuts[1:] + [None], strict=True):
        if draw(st.booleans()) or end is None or not periods:
            org = draw(st.integers(1, 4))
            host = draw(st.one_of(st.none(), st.integers(1, 4)))
            periods.append((org, host, start, end if end is not None or draw(st.booleans()) else min(start + 3, H - 1)))
    periods = [p for p in periods if p[3] is None or p[3] > p[2]]
    in_scope = {}
    for org in range(1, 5):
        spans = sorted(set(draw(st.lists(st.integers(0, H - 1), max_size=4))))
        pairs = list(zip(spans[::2], spans[1::2], strict=False))
        if len(spans) % 2:
            pairs.append((spans[-1], None))
        in_scope[org] = [(a, b) for a, b in pairs if b is None or b > a]
    return periods, in_scope


def _oracle(periods, in_scope):
    """Day by day: the last day the member was in the subtree, if the record went on after it."""
    if not periods:
        return None
    record_end = max(H if p[3] is None else p[3] for p in periods)
    inside = [d for d in range(H) for org, host, a, b in periods if a <= d < (H if b is None else b)
              and any(x <= d < (H if y is None else y) for o in (org, host) if o for x, y in in_scope.get(o, ()))]
    if not inside:
        return D.min
    last_in = max(inside) + 1
    if last_in >= record_end:
        return None
    return _day(last_in - 1)


@settings(max_examples=300, deadline=None)
@given(histories())
def test_no_day_after_the_departure_is_visible(history):
    periods, in_scope = history
    real = [(o, h, _day(a), _day(b)) for o, h, a, b in periods]
    spans = {o: [(_day(a), _day(b)) for a, b in v] for o, v in in_scope.items()}
    got = departure(real, spans)
    assert got == _oracle(periods, in_scope)
    if got is not None and got != D.min:
        # nothing after the departure lies in the scope, and the record goes on after it
        for o, h, a, b in real:
            for org in (o, h):
                for x, y in spans.get(org, ()) if org else ():
                    assert max(a, x) >= min(b or D.max, y or D.max) or min(b or D.max, y or D.max) <= got + dt.timedelta(days=1)


# ---------------------------------------------------------------- no leak, on the pages

SECRET = "001080000777"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(moves=st.lists(st.integers(0, 3), max_size=4))
def test_the_pages_never_show_a_departed_members_current_sensitive_fields(client, tree, people, moves):
    """Whatever the member's moves between the cells of huyện A and huyện B, huyện A's staff see
    the national ID exactly while the member is in huyện A, and the cell secretary of A1a sees the
    member's latest event only while the member is in A1a."""
    cells = [tree.cell_a1a, tree.cell_a1b, tree.cell_a2, tree.cell_b1a]
    with transaction.atomic():
        person = create_person(actor=None, full_name="Hồ Văn Thử", gender="M", birth_date=D(1980, 1, 1), national_id=SECRET)
        member = services.record_existing_member(actor=None, person=person, organization=tree.cell_a1a, on=D(2024, 1, 5),
                                                 admitted_on=D(2005, 1, 1), recognized_on=D(2006, 1, 1))
        here, day, last_note = tree.cell_a1a, D(2024, 2, 1), "ghi-nhan-dau"
        for n, k in enumerate(moves):
            target = cells[k]
            if target.pk == here.pk:
                continue
            last_note = f"buoc-{n}"
            _move(member, target, day, note=last_note)
            here, day = target, day + dt.timedelta(days=10)
        in_a = here.pk in {tree.cell_a1a.pk, tree.cell_a1b.pk, tree.cell_a2.pk}
        client.force_login(people.staff_a)
        body = client.get(reverse("members:detail", args=[member.pk])).content.decode()
        assert (SECRET in body) == in_a
        listed = _file(client.get(reverse("imports:export_members"), {"dinh_dang": "csv", "ngay": "05/01/2024"}))
        assert "Hồ Văn Thử" in listed and (SECRET in listed) == in_a
        client.force_login(people.secretary_a1a)
        body = client.get(reverse("members:detail", args=[member.pk])).content.decode()
        if last_note.startswith("buoc"):
            assert (last_note in body) == (here.pk == tree.cell_a1a.pk)
        assert ('data-testid="departed"' in body) == (here.pk != tree.cell_a1a.pk)
        transaction.set_rollback(True)

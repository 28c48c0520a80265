"""A member's commendations on the member's page (issue #16 point 6), scoped: a user reads the
awards recorded under the organizations of their scope, so a member who moved from huyện B to
huyện A shows A's award to A and B's award to B (their history up to the departure), never the
other's; recording one is offered to those who record cell work in the member's organization."""

import datetime as dt

from django.urls import reverse

from coso.activities import services
from coso.activities.commendations import Form
from coso.members import services as member_services
from coso.members.models import EventType

from .factories import member

D = dt.date


def _award(actor, cell, m, title, on):
    return services.record_commendation(actor=actor, organization=cell, member=m, form=Form.PRAISE, title=title,
                                        decision_number=f"{on.month:02d}-QĐ/CB", decided_on=on, awarded_by=cell)


def test_the_member_page_shows_the_awards_its_reader_may_see(client, tree, people):
    x = member(tree.cell_b1a, "Đỗ Văn Chuyển")
    _award(people.staff_b, tree.cell_b1a, x, "Biểu dương ở huyện B", D(2024, 3, 1))
    member_services.record_event(actor=None, member=x, type=EventType.TRANSFER_OUT, effective_date=D(2024, 6, 1), target_id=tree.cell_a1a.pk)
    member_services.record_event(actor=None, member=x, type=EventType.TRANSFER_RECEIVED, effective_date=D(2024, 6, 1),
                                 organization_id=tree.cell_a1a.pk)
    _award(people.staff_a, tree.cell_a1a, x, "Biểu dương ở huyện A", D(2024, 9, 1))
    url = reverse("members:detail", args=[x.pk])

    client.force_login(people.staff_a)
    body = client.get(url, {"ngay": "01/10/2024"}).content.decode()
    assert 'data-testid="awards"' in body and "Biểu dương ở huyện A" in body and "09-QĐ/CB" in body
    assert "Biểu dương ở huyện B" not in body
    commend = reverse("activities:commend", args=[tree.cell_a1a.pk]) + f"?dang_vien={x.pk}"
    assert commend in body

    client.force_login(people.staff_b)  # the member departed from huyện B: B's own award only
    body = client.get(url, {"ngay": "01/10/2024"}).content.decode()
    assert "Biểu dương ở huyện B" in body and "Biểu dương ở huyện A" not in body
    assert reverse("activities:commend", args=[tree.cell_b1a.pk]) not in body

    client.force_login(people.leader_a)  # reads, does not record
    body = client.get(url, {"ngay": "01/10/2024"}).content.decode()
    assert "Biểu dương ở huyện A" in body and commend not in body


def test_a_member_without_awards_says_so(client, tree, people):
    x = member(tree.cell_a1a, "Lê Văn Chưa")
    client.force_login(people.secretary_a1a)
    body = client.get(reverse("members:detail", args=[x.pk])).content.decode()
    assert "Chưa có khen thưởng được ghi." in body

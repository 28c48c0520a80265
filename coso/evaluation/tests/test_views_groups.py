"""The pages of issue #18: groups of comparable subjects with their allowance and the rule set's
settings (evaluation:groups and its forms), a breach found and remedied (evaluation:remedy).

Personas (evaluation/tests/conftest.py): staff_a decides in huyện A; leader_a reads it; staff_b
(huyện B) is an outsider.
"""

import datetime as dt

import pytest
from django.urls import reverse

from coso.evaluation import services
from coso.evaluation.choices import CapBase, CapRounding, SubjectKind
from coso.evaluation.models import CapGroup, Period, Rating, RemediedBreach

from .conftest import discipline, members

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def roll(tree):
    return {"a1a": members(tree.cell_a1a, "Nguyễn", 3), "a2": members(tree.cell_a2, "Lê", 2)}


@pytest.fixture
def period(tree, people, scopes, roll):
    return services.open_period(actor=people.staff_a, organization=tree.district_a, year=2025)


@pytest.fixture
def group(period, tree, people, scopes):
    group = services.create_cap_group(actor=people.staff_a, period=period, organization=tree.commune_a1, name="Xã A1")
    services.assign_to_cap_group(actor=people.staff_a, group=group, organization=tree.commune_a1, kind=SubjectKind.MEMBER)
    services.raise_cap(actor=people.staff_a, group=group, percent=25, decision_number="15-QĐ/HU",
                       decided_on=D(2025, 12, 10), issuer="Ban Thường vụ Huyện ủy A")
    return group


def text(response) -> str:
    return response.content.decode()


def test_the_groups_page_shows_groups_allowances_and_settings_with_their_source(client, people, period, group, django_assert_max_num_queries):
    client.force_login(people.staff_a)
    # session, user, scope paths, the period; scope checks and placements (2); the organizations
    # offered (1); the groups (subtree path, groups with their counts); the header's scope name;
    # the session saved. None per group.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("evaluation:groups", args=[period.pk]))
    page = text(response)
    assert response.status_code == 200
    assert "Xã A1" in page and "Quyết định số 15-QĐ/HU ngày 10/12/2025 của Ban Thường vụ Huyện ủy A" in page
    assert "Quy định 366-QĐ/TW ngày 30/08/2025, Điều 11, khoản 1, điểm 1.5" in page  # the cap's source
    assert "CHƯA XÁC NHẬN (UNCONFIRMED)" in page  # the rounding
    assert 'action="%s"' % reverse("evaluation:raise_cap", args=[group.pk]) in page


def test_the_period_page_shows_the_groups_beside_the_check_and_the_settings(client, people, period, group):
    client.force_login(people.staff_a)
    page = text(client.get(reverse("evaluation:period", args=[period.pk])))
    assert 'data-testid="cap-groups"' in page and "theo Quyết định số 15-QĐ/HU ngày 10/12/2025" in page
    assert 'data-testid="setting-cap_rounding"' in page and "Làm tròn xuống" in page


def test_the_forms_post_through_their_services(client, tree, people, period):
    client.force_login(people.staff_a)
    response = client.post(reverse("evaluation:rule_settings", args=[period.pk]),
                           {"cap_base": CapBase.GOOD_OR_BETTER, "cap_rounding": CapRounding.HALF_UP, "leader_not_above_collective": "on"})
    assert response.status_code == 302
    assert Period.objects.filter(pk=period.pk, cap_base=CapBase.GOOD_OR_BETTER, leader_not_above_collective=True).exists()
    client.post(reverse("evaluation:create_group", args=[period.pk]), {"organization": tree.commune_a1.pk, "name": "Xã A1"})
    group = CapGroup.objects.get(period=period)
    client.post(reverse("evaluation:assign_group", args=[group.pk]), {"organization": tree.cell_a1a.pk, "kind": SubjectKind.MEMBER})
    assert Rating.objects.filter(cap_group=group).count() == 3
    response = client.post(reverse("evaluation:raise_cap", args=[group.pk]), {"percent": "25", "decision_number": "15-QĐ/HU",
                                                                              "decided_on": "10/12/2025", "issuer": "Ban Thường vụ Huyện ủy A"},
                           follow=True)
    assert "Đã ghi quyết định nâng tỷ lệ" in text(response)
    group.refresh_from_db()
    assert group.raised_on == D(2025, 12, 10)


def test_a_refused_form_says_why_and_changes_nothing(client, people, period, group):
    client.force_login(people.staff_a)
    response = client.post(reverse("evaluation:raise_cap", args=[group.pk]),
                           {"percent": "30", "decision_number": "", "decided_on": "", "issuer": ""}, follow=True)
    assert "Chưa lưu được" in text(response)
    group.refresh_from_db()
    assert group.raised_decision_number == "15-QĐ/HU"


@pytest.mark.parametrize("name", ["rule_settings", "create_group"])
def test_the_post_only_pages_redirect_a_get(client, people, period, name):
    client.force_login(people.staff_a)
    response = client.get(reverse(f"evaluation:{name}", args=[period.pk]))
    assert response.status_code == 302 and response.url == reverse("evaluation:groups", args=[period.pk])


def test_outside_the_scope_404_and_read_only_403(client, tree, people, period, group):
    client.force_login(people.staff_b)
    assert client.get(reverse("evaluation:groups", args=[period.pk])).status_code == 404
    assert client.post(reverse("evaluation:raise_cap", args=[group.pk]), {"percent": "20"}).status_code == 404
    client.force_login(people.leader_a)
    assert client.get(reverse("evaluation:groups", args=[period.pk])).status_code == 200  # reads
    assert client.post(reverse("evaluation:create_group", args=[period.pk]), {"organization": tree.commune_a1.pk, "name": "X"}).status_code == 403
    assert client.post(reverse("evaluation:assign_group", args=[group.pk]), {"organization": tree.cell_a1a.pk, "kind": "member"}).status_code == 403
    assert CapGroup.objects.count() == 1


def test_the_remedy_page_lists_the_disciplines_and_records_the_finding(client, people, roll, period, django_assert_max_num_queries):
    an = roll["a2"][0]
    event = discipline(an, D(2025, 6, 1))
    rating = Rating.objects.get(period=period, member=an, subject_kind=SubjectKind.MEMBER)
    client.force_login(people.staff_a)
    # session, user, scope paths; the rating with its period and member; the disciplines, the
    # findings; the header's scope name; the session saved
    with django_assert_max_num_queries(12):
        page = text(client.get(reverse("evaluation:remedy", args=[rating.pk])))
    assert "Khiển trách" in page and "01/06/2025" in page
    response = client.post(reverse("evaluation:remedy", args=[rating.pk]),
                           {"discipline": event.pk, "evidence": "Tự báo cáo và bồi hoàn ngày 20/05/2025.", "decision_number": "05-BB/CB"})
    assert response.status_code == 302
    found = RemediedBreach.objects.get()
    assert (found.discipline_id, found.decided_by) == (event.pk, people.staff_a)
    assert "Đã ghi nhận" in text(client.get(reverse("evaluation:remedy", args=[rating.pk])))


def test_the_remedy_form_needs_evidence_and_the_decide_permission(client, people, roll, period):
    an = roll["a2"][0]
    event = discipline(an, D(2025, 6, 1))
    rating = Rating.objects.get(period=period, member=an, subject_kind=SubjectKind.MEMBER)
    client.force_login(people.staff_a)
    response = client.post(reverse("evaluation:remedy", args=[rating.pk]), {"discipline": event.pk, "evidence": ""})
    assert response.status_code == 200 and "is-invalid" in text(response)
    client.force_login(people.leader_a)
    assert client.get(reverse("evaluation:remedy", args=[rating.pk])).status_code == 200  # reads, no form
    assert client.post(reverse("evaluation:remedy", args=[rating.pk]), {"discipline": event.pk, "evidence": "x"}).status_code == 403
    client.force_login(people.staff_b)
    assert client.get(reverse("evaluation:remedy", args=[rating.pk])).status_code == 404
    assert not RemediedBreach.objects.exists()


def test_a_units_discipline_is_recorded_from_its_page(client, tree, people, period):
    unit = Rating.objects.get(period=period, subject_kind=SubjectKind.ORGANIZATION, organization=tree.cell_a1a)
    client.force_login(people.staff_a)
    assert 'data-testid="unit-discipline"' in text(client.get(reverse("evaluation:remedy", args=[unit.pk])))
    response = client.post(reverse("evaluation:unit_discipline", args=[unit.pk]), {"disciplined": "on"})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.conditions["disciplined"] is True
    assert client.get(reverse("evaluation:unit_discipline", args=[unit.pk])).status_code == 302  # GET: back to the page
    client.force_login(people.leader_a)
    assert client.post(reverse("evaluation:unit_discipline", args=[unit.pk]), {}).status_code == 403
    client.force_login(people.staff_b)
    assert client.post(reverse("evaluation:unit_discipline", args=[unit.pk]), {}).status_code == 404
    unit.refresh_from_db()
    assert unit.conditions["disciplined"] is True

"""Users' assignments carry dates (issue #11, 1.6; decision 0007): an account whose post ended is
read-only for the handover days, then closed."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coso.access.models import Assignment, Role, User
from coso.access.scope import scope_of
from coso.conftest import make_user
from coso.members.tests.test_views import make_members

pytestmark = pytest.mark.django_db
LOGIN = reverse("access:login")


def _today():
    return timezone.localdate()


def test_an_assignment_is_active_then_read_only_then_closed(settings):
    settings.COSO_HANDOVER_DAYS = 90
    user = User(username="x", assigned_from=dt.date(2024, 1, 1), assigned_until=dt.date(2025, 6, 30))
    assert user.assignment_on(dt.date(2023, 12, 31)) == Assignment.CLOSED
    assert user.assignment_on(dt.date(2025, 6, 30)) == Assignment.ACTIVE
    assert user.assignment_on(dt.date(2025, 7, 1)) == Assignment.READ_ONLY
    assert user.assignment_on(dt.date(2025, 9, 28)) == Assignment.READ_ONLY
    assert user.assignment_on(dt.date(2025, 9, 29)) == Assignment.CLOSED
    assert user.closes_on == dt.date(2025, 9, 29)


def test_an_account_whose_post_ended_reads_but_writes_nothing(client, tree, people):
    m = make_members(tree)
    staff = make_user("staff_gone", Role.ORG_STAFF, tree.district_a, assigned_until=_today() - dt.timedelta(days=1))
    scope = scope_of(staff)
    assert scope.read_only and scope.can("members.view") and scope.can("people.sensitive")
    assert not scope.can("members.change") and not scope.can("members.import") and not scope.can("organizations.change")
    client.force_login(staff)
    body = client.get(reverse("members:detail", args=[m.an.pk])).content.decode()
    assert "Trần Văn An" in body
    assert reverse("members:person_edit", args=[m.an.pk]) not in body
    assert client.get(reverse("members:person_edit", args=[m.an.pk])).status_code == 403
    response = client.get(reverse("imports:upload", args=[tree.cell_a1a.pk]))
    assert response.status_code == 403
    assert "Tài khoản đã thôi nhiệm vụ từ ngày" in response.content.decode()


def test_an_account_closes_after_the_handover(settings, tree):
    settings.COSO_HANDOVER_DAYS = 90
    settings.AXES_ENABLED = False
    make_user("staff_closed", Role.ORG_STAFF, tree.district_a, assigned_until=_today() - dt.timedelta(days=91))
    make_user("staff_open", Role.ORG_STAFF, tree.district_a, assigned_until=_today() - dt.timedelta(days=90))
    client = Client()
    assert client.post(LOGIN, {"username": "staff_closed", "password": "pw-staff_closed"}).status_code == 200  # refused
    assert client.post(LOGIN, {"username": "staff_open", "password": "pw-staff_open"}).status_code == 302


def test_a_session_of_a_closed_account_ends(client, tree):
    user = make_user("staff_later", Role.ORG_STAFF, tree.district_a)
    client.force_login(user)
    assert client.get(reverse("organizations:detail", args=[tree.cell_a1a.pk])).status_code == 200
    User.objects.filter(pk=user.pk).update(assigned_until=_today() - dt.timedelta(days=400))
    assert scope_of(User.objects.get(pk=user.pk)).is_empty
    response = client.get(reverse("organizations:detail", args=[tree.cell_a1a.pk]))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_the_users_admin_page_shows_the_assignment_dates(client, tree, people):
    make_user("staff_dated", Role.ORG_STAFF, tree.district_a, assigned_from=dt.date(2020, 1, 1), assigned_until=dt.date(2025, 6, 30))
    client.force_login(people.admin)
    body = client.get(reverse("admin:access_user_changelist")).content.decode()
    assert "Nhận nhiệm vụ từ ngày" in body and "Đảm nhiệm đến hết ngày" in body
    assert "30/06/2025" in body or "30 tháng 6 năm 2025" in body
    form = client.get(reverse("admin:access_user_change", args=[people.staff_a.pk])).content.decode()
    assert 'name="assigned_until"' in form

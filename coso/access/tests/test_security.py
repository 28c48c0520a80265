import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from coso.access.models import Role
from coso.audit.models import AuditEvent
from coso.conftest import START, make_user
from coso.organizations import services
from coso.organizations.models import Kind, Organization, Placement
from coso.organizations.scope import Scope

pytestmark = pytest.mark.django_db
LOGIN = reverse("access:login")


def test_it_locks_out_after_repeated_wrong_passwords(settings, people):
    settings.AXES_ENABLED = True
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(LOGIN, {"username": "staff_a", "password": "sai mật khẩu"})
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert client.post(LOGIN, {"username": "staff_a", "password": "sai mật khẩu"}).status_code == 429
    # locked: even the right password is refused now
    response = client.post(LOGIN, {"username": "staff_a", "password": "pw-staff_a"})
    assert response.status_code == 429
    assert "tạm thời bị khóa" in response.content.decode()


def test_it_logs_in_with_the_right_password(settings, people):
    settings.AXES_ENABLED = True
    client = Client()
    response = client.post(LOGIN, {"username": "staff_a", "password": "pw-staff_a"})
    assert response.status_code == 302
    assert client.get(reverse("organizations:tree")).status_code == 200


def test_it_hashes_passwords_with_argon2_and_expires_idle_sessions():
    from coso import settings as production  # the module itself: tests swap in a fast hasher

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    # the age counts from the last request (refreshed at most every few minutes: coso/lib/tests/test_request_cost.py)
    assert "coso.lib.middleware.SlidingSessionMiddleware" in production.MIDDLEWARE and production.SESSION_COOKIE_AGE <= 12 * 3600
    assert production.SESSION_REFRESH_SECONDS <= 600
    assert production.SESSION_EXPIRE_AT_BROWSER_CLOSE and not production.DEBUG


def test_it_refuses_a_post_without_csrf_token(people, tree):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.staff_a)
    response = client.post(reverse("organizations:rename", args=[tree.cell_a2.pk]), {"name": "X", "valid_from": "01/03/2024"})
    assert response.status_code == 403
    assert Placement.objects.filter(name="X").count() == 0


def test_it_escapes_names_that_hold_markup(client, people, tree):
    services.rename_organization(actor=None, organization=tree.cell_a2, name='<script>alert("x")</script>', valid_from=dt.date(2024, 2, 1))
    client.force_login(people.staff_a)
    body = client.get(reverse("organizations:detail", args=[tree.cell_a2.pk]), {"ngay": "01/03/2024"}).content.decode()
    assert '<script>alert("x")</script>' not in body
    assert "&lt;script&gt;" in body


def test_it_sends_a_content_security_policy_without_inline_scripts(client, people, tree):
    client.force_login(people.staff_a)
    policy = client.get(reverse("organizations:tree"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_it_speaks_vietnamese_by_default_even_to_an_english_browser(client, people, tree):
    client.force_login(people.staff_a)
    response = client.get(reverse("organizations:tree"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="vi">' in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get(reverse("organizations:tree")).content.decode()


def test_it_audits_admin_site_edits(client, people, tree):
    client.force_login(people.admin)
    url = reverse("admin:access_user_change", args=[people.leader_a.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("password", "groups", "user_permissions", "last_login", "date_joined")}
    data.update({"username": "leader_a", "role": Role.ORG_STAFF, "scope": tree.district_a.pk, "full_name": "Lãnh đạo A",
                 "date_joined_0": "01/01/2024", "date_joined_1": "08:00", "is_active": "on"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    event = AuditEvent.objects.get(event_type="admin.access.user.changed")
    assert event.old["role"] == Role.LEADER and event.new["role"] == Role.ORG_STAFF
    assert "password" not in event.new and event.actor == people.admin


def test_the_audit_cannot_be_edited_in_the_admin(client, people, tree):
    client.force_login(people.admin)
    event = AuditEvent.objects.first()
    assert client.get(reverse("admin:audit_auditevent_change", args=[event.pk])).status_code == 200  # view only
    assert client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


# Property: whatever the tree and its moves, a user sees exactly the organizations that were ever
# under their scope organization (path through it), and nothing else.
@hsettings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    shape=st.lists(st.integers(0, 2), min_size=2, max_size=6),
    moves=st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20)), max_size=4),
    scope_pick=st.integers(0, 20),
)
def test_it_never_shows_an_organization_outside_the_scope(db, shape, moves, scope_pick):
    Placement.objects.all().delete()
    province = services.create_organization(actor=None, parent=None, name="Tỉnh", kind=Kind.PROVINCE_COMMITTEE, valid_from=START)
    districts = [services.create_organization(actor=None, parent=province, name=f"Huyện {i}", kind=Kind.DISTRICT_COMMITTEE, valid_from=START) for i in range(3)]
    committees = [services.create_organization(actor=None, parent=districts[d], name=f"Xã {i}", kind=Kind.GRASSROOTS_COMMITTEE, valid_from=START) for i, d in enumerate(shape)]
    cells = [services.create_organization(actor=None, parent=c, name=f"Chi bộ {i}", kind=Kind.SUBORDINATE_CELL, valid_from=START) for i, c in enumerate(committees)]
    day = START
    for a, b in moves:
        day += dt.timedelta(days=5)
        try:
            services.move_organization(actor=None, organization=committees[a % len(committees)], new_parent=districts[b % 3], valid_from=day)
        except Exception:  # noqa: BLE001 - refused moves change nothing; the invariant must hold anyway
            pass
    everything = [province, *districts, *committees, *cells]
    root = everything[scope_pick % len(everything)]
    user = make_user(f"u{Organization.objects.count()}-{scope_pick}", Role.ORG_STAFF, root)
    visible = set(Scope(user).organizations().values_list("pk", flat=True))
    expected = {
        p.organization_id for p in Placement.objects.filter(organization__in=everything) if f"/{root.pk}/" in p.path
    }
    assert visible == expected

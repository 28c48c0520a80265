"""Issue #11 §1.7: HSTS, no-store, Vietnamese password and NUL messages, error pages in the
layout, one log line for a refusal, a user's own password page, the demo password replaced."""

import importlib
import logging

import pytest
from django.test import Client
from django.urls import reverse

from coso.access.models import Role
from coso.access.passwords import DEMO_PASSWORD
from coso.conftest import make_user
from coso.organizations.models import Placement

pytestmark = pytest.mark.django_db


def test_it_sends_hsts_only_when_served_over_https(monkeypatch):
    from coso import settings as production

    try:
        monkeypatch.setenv("COSO_HTTPS", "1")
        monkeypatch.setenv("COSO_HSTS_SECONDS", "600")
        assert importlib.reload(production).SECURE_HSTS_SECONDS == 600
        monkeypatch.delenv("COSO_HSTS_SECONDS")
        assert importlib.reload(production).SECURE_HSTS_SECONDS == 31536000
        assert production.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
        monkeypatch.delenv("COSO_HTTPS")
        assert importlib.reload(production).SECURE_HSTS_SECONDS == 0
        assert production.SECURE_PROXY_SSL_HEADER is None  # without a proxy a client could claim HTTPS
    finally:
        monkeypatch.delenv("COSO_HTTPS", raising=False)
        importlib.reload(production)


def test_https_responses_carry_the_hsts_header(client, people, tree, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    client.force_login(people.staff_a)
    response = client.get(reverse("organizations:tree"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"


def test_behind_the_reverse_proxy_https_is_known_by_its_header(client, people, tree, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client.force_login(people.staff_a)
    response = client.get(reverse("organizations:tree"), headers={"X-Forwarded-Proto": "https"})
    assert response["Strict-Transport-Security"] == "max-age=31536000"


def test_pages_and_files_with_personal_data_are_not_stored(client, people, tree):
    client.force_login(people.staff_a)
    for url in (reverse("organizations:tree"), reverse("members:list"), reverse("imports:export_members")):
        cache = client.get(url)["Cache-Control"]
        assert "no-store" in cache and "private" in cache, url


def test_password_messages_are_vietnamese(client, people, tree):
    client.force_login(people.staff_a)
    url = reverse("access:password_change")
    body = client.post(url, {"old_password": "pw-staff_a", "new_password1": "abc12", "new_password2": "abc12"}).content.decode()
    assert "Mật khẩu quá ngắn: cần ít nhất 10 ký tự." in body
    assert "too short" not in body
    body = client.post(url, {"old_password": "pw-staff_a", "new_password1": "password123", "new_password2": "password123"}).content.decode()
    assert "quá phổ biến" in body and "too common" not in body
    body = client.post(url, {"old_password": "pw-staff_a", "new_password1": "1234567890123", "new_password2": "1234567890123"}).content.decode()
    assert "chỉ gồm chữ số" in body


def test_a_user_changes_their_own_password_from_the_user_menu(client, people, tree):
    client.force_login(people.staff_a)
    page = client.get(reverse("members:list")).content.decode()
    assert reverse("access:password_change") in page
    response = client.post(
        reverse("access:password_change"),
        {"old_password": "pw-staff_a", "new_password1": "Thôn Phước Hòa 2026", "new_password2": "Thôn Phước Hòa 2026"},
    )
    assert response.status_code == 302
    people.staff_a.refresh_from_db()
    assert people.staff_a.check_password("Thôn Phước Hòa 2026")
    assert client.get(reverse("members:list")).status_code == 200  # still logged in


def test_input_holding_a_nul_character_is_refused_in_vietnamese(client, people, tree):
    client.force_login(people.staff_a)
    response = client.get(reverse("members:list"), {"q": "Nguy\x00n"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "ký tự NUL" in body and 'data-testid="error-page"' in body
    url = reverse("organizations:rename", args=[tree.cell_a2.pk])
    response = client.post(url, "name=Chi+b%E1%BB%99%00&valid_from=01%2F03%2F2024", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    # a multipart form (the test client's default, a browser's upload form) is left to the view:
    # its form refuses the field with the same Vietnamese words, and nothing is written
    response = client.post(url, {"name": "Chi bộ\x00", "valid_from": "01/03/2024"})
    assert response.status_code == 200 and "ký tự NUL" in response.content.decode()
    assert all("\x00" not in name for name in Placement.objects.values_list("name", flat=True))


@pytest.mark.parametrize("url_name", ["members:detail", "organizations:detail"])
def test_404_is_a_vietnamese_page_in_the_layout(client, people, tree, url_name):
    client.force_login(people.staff_a)
    response = client.get(reverse(url_name, args=[999999]))
    assert response.status_code == 404
    body = response.content.decode()
    assert "Không tìm thấy" in body and 'data-testid="scope"' in body  # the layout, with the user's bar
    assert "Not Found" not in body


def test_403_is_a_vietnamese_page_logged_as_one_line(client, people, tree, caplog):
    leader = make_user("leader_x", Role.LEADER, tree.district_a)
    client.force_login(leader)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("audit:list"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Bạn không có quyền" in body and 'data-testid="scope"' in body and "403 Forbidden" not in body
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records and all(r.exc_info is None and r.exc_text is None for r in records)
    assert "/nhat-ky/" in records[0].getMessage()


def test_500_page_is_vietnamese(client):
    from django.template import loader

    body = loader.get_template("500.html").render()
    assert "Máy chủ gặp lỗi" in body


def test_csrf_failure_is_a_vietnamese_page(people, tree):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.staff_a)
    response = client.post(reverse("organizations:rename", args=[tree.cell_a2.pk]), {"name": "X", "valid_from": "01/03/2024"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Biểu mẫu không gửi được" in body and "CSRF verification failed" not in body


def test_outside_the_demo_the_demo_password_must_be_changed_first(people, tree, settings):
    settings.COSO_DEMO = False
    settings.AXES_ENABLED = False
    user = make_user("demo_like", Role.ORG_STAFF, tree.district_a)
    user.set_password(DEMO_PASSWORD)
    user.save()
    client = Client()
    response = client.post(reverse("access:login"), {"username": "demo_like", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("access:password_change")
    # every other page sends back to the change form
    response = client.get(reverse("members:list"))
    assert response.status_code == 302 and response.url == reverse("access:password_change")
    # the demo password itself is not a new password
    body = client.post(reverse("access:password_change"), {"old_password": DEMO_PASSWORD, "new_password1": DEMO_PASSWORD, "new_password2": DEMO_PASSWORD}).content.decode()
    assert "mật khẩu của bản trình diễn" in body
    client.post(reverse("access:password_change"), {"old_password": DEMO_PASSWORD, "new_password1": "Riêng của tôi 2026", "new_password2": "Riêng của tôi 2026"})
    assert client.get(reverse("members:list")).status_code == 200


def test_in_the_demo_the_demo_password_may_stay(people, tree, settings):
    settings.COSO_DEMO = True
    settings.AXES_ENABLED = False
    user = make_user("demo_like", Role.ORG_STAFF, tree.district_a)
    user.set_password(DEMO_PASSWORD)
    user.save()
    client = Client()
    response = client.post(reverse("access:login"), {"username": "demo_like", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response.url != reverse("access:password_change")
    assert client.get(reverse("members:list")).status_code == 200


def test_a_nul_character_in_a_multipart_form_gets_the_vietnamese_message(client, people, tree):
    from django import forms

    from coso.lib.forms import StyledForm

    class NameForm(StyledForm):
        name = forms.CharField()

    form = NameForm({"name": "Nguy\x00n"})
    assert not form.is_valid()
    assert "ký tự NUL" in form.errors["name"][0] and "Null characters" not in form.errors["name"][0]

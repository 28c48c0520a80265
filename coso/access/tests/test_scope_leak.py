"""No page leaks outside the user's subtree.

staff_a (organization staff of huyện A) requests every URL of the project with the ids of
objects of the sibling subtree (huyện B): every answer is 403 or 404 (the admin site, for
non-staff users, sends them to its login page) and no answer shows any of huyện B's data.
A URL pattern no registry knows fails the test: a new page must say how it is scoped.

The registries are the tests/scope_urls.py modules of the apps (see access/tests/scope_urls.py).
"""

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from coso.audit.models import AuditEvent
from coso.lib.tests.responses import whole

pytestmark = pytest.mark.django_db

REGISTRIES = [
    importlib.import_module(f"coso.{path.parent.parent.name}.tests.scope_urls")
    for path in sorted(Path(__file__).resolve().parents[2].glob("*/tests/scope_urls.py"))
]
SIBLING_NAMES = [name for r in REGISTRIES for name in r.SIBLING_NAMES]
OBJECT_URLS = {k: v for r in REGISTRIES for k, v in r.OBJECT_URLS.items()}
LIST_URLS = {k: v for r in REGISTRIES for k, v in r.LIST_URLS.items()}
EXEMPT = {name for r in REGISTRIES for name in r.EXEMPT}


@pytest.fixture
def world(tree, people):
    world = {"tree": tree}
    for registry in REGISTRIES:
        if hasattr(registry, "extend_world"):
            registry.extend_world(world, people)
    return world


def _url_names(patterns=None, namespace=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _url_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}"


def _assert_no_sibling_data(response, url):
    body = whole(response).content.decode(errors="replace")
    for name in SIBLING_NAMES:
        assert name not in body, f"{url} shows {name!r}"


def test_every_url_pattern_is_covered_by_this_test():
    known = set(OBJECT_URLS) | set(LIST_URLS) | EXEMPT
    missing = sorted(n for n in _url_names() if not n.startswith("admin:") and n not in known)
    assert not missing, f"URLs with no scope-leak check: {missing}"


def test_object_urls_of_a_sibling_subtree_answer_403_or_404(client, people, world):
    client.force_login(people.staff_a)
    for name, variants in OBJECT_URLS.items():
        for kwargs in variants(world):
            url = reverse(name, kwargs=kwargs)
            for method in ("get", "post"):
                response = getattr(client, method)(url, {"name": "X", "valid_from": "01/03/2024", "closed_on": "01/03/2024"})
                if method == "post" and response.status_code == 405:
                    continue  # a read-only page: the method is refused before any object is read
                assert response.status_code in (403, 404), f"{method.upper()} {url} answered {response.status_code}"
                _assert_no_sibling_data(response, url)


def test_list_urls_show_nothing_of_a_sibling_subtree(client, people, world):
    client.force_login(people.staff_a)
    for name, variants in LIST_URLS.items():
        for params in variants(world):
            url = reverse(name)
            response = client.get(url, params, follow=True)
            assert response.status_code in (200, 403, 404), f"GET {url} {params} answered {response.status_code}"
            _assert_no_sibling_data(response, url)
    # a creation under a sibling parent is refused and writes nothing
    count = AuditEvent.objects.count()
    response = client.post(reverse("organizations:create"), {"cha": world["tree"].commune_b1.pk, "name": "Lọt", "kind": "sub_cell", "valid_from": "01/03/2024"})
    assert response.status_code == 404 and AuditEvent.objects.count() == count


def test_the_admin_site_sends_non_staff_users_away(client, people, world):
    client.force_login(people.staff_a)
    for url in (reverse("admin:index"), reverse("admin:organizations_organization_change", args=[world["tree"].commune_b1.pk]),
                reverse("admin:audit_auditevent_changelist")):
        response = client.get(url)
        assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_the_sibling_sees_its_own_data(client, people, world):
    """The same requests from the sibling's own user succeed: the test above is not vacuous."""
    client.force_login(people.staff_b)
    assert client.get(reverse("organizations:detail", args=[world["tree"].commune_b1.pk])).status_code == 200
    assert "Thôn Bí Mật" in client.get(reverse("places:commune", args=[world["commune_b"].pk]), {"ngay": "01/03/2024"}).content.decode()
    assert "Mật danh B" in client.get(reverse("organizations:search"), {"q": "mat danh", "ngay": "01/03/2024"}).content.decode()

"""No page leaks outside the user's subtree.

staff_a (organization staff of huyện A) requests every URL of the project with the ids of
objects of the sibling subtree (huyện B): every answer is 403 or 404 (the admin site, for
non-staff users, sends them to its login page) and no answer shows any of huyện B's data.
A URL pattern this test does not know fails it: a new page must say how it is scoped.
"""

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from coso.audit.models import AuditEvent
from coso.organizations import services
from coso.organizations.models import Placement
from coso.places.models import AdminUnit, Generation, Level, UnitKind
from coso.places.services import create_village

pytestmark = pytest.mark.django_db

SIBLING_NAMES = ["Đảng bộ huyện B", "Đảng bộ xã B1", "Chi bộ thôn B1a", "Thôn Bí Mật", "Mật danh B"]


def _unit(code, name, level, kind, parent=None):
    return AdminUnit.objects.create(
        generation=Generation.LEGACY, level=level, kind=kind, code=code, name=name,
        full_name=f"{UnitKind(kind).label} {name}", parent=parent, valid_to=dt.date(2025, 7, 1),
    )


@pytest.fixture
def world(tree, people):
    province = _unit("99", "Thử nghiệm", Level.PROVINCE, UnitKind.PROVINCE)
    commune_a = _unit("99001", "An Phú", Level.COMMUNE, UnitKind.COMMUNE, province)
    commune_b = _unit("99002", "Bình Yên", Level.COMMUNE, UnitKind.COMMUNE, province)
    Placement.objects.filter(organization=tree.commune_a1).update(area=commune_a)
    Placement.objects.filter(organization=tree.commune_b1).update(area=commune_b)
    village_a = create_village(actor=people.staff_a, commune=commune_a, name="Thôn Mỹ", kind=UnitKind.VILLAGE, valid_from=dt.date(2024, 1, 1))
    village_b = create_village(actor=people.staff_b, commune=commune_b, name="Bí Mật", kind=UnitKind.VILLAGE, valid_from=dt.date(2024, 1, 1))
    services.rename_organization(actor=people.staff_b, organization=tree.cell_b1a, name="Mật danh B", valid_from=dt.date(2024, 2, 1))
    return {"commune_b": commune_b, "village_b": village_b, "village_a": village_a, "tree": tree}


def _b(world):
    return world["tree"]


# URL name -> the kwargs of sibling objects to request it with (one or more variants)
OBJECT_URLS = {
    "organizations:detail": lambda w: [{"pk": _b(w).commune_b1.pk}, {"pk": _b(w).district_b.pk}],
    "organizations:children": lambda w: [{"pk": _b(w).district_b.pk}],
    "organizations:edit": lambda w: [{"pk": _b(w).commune_b1.pk}],
    "organizations:rename": lambda w: [{"pk": _b(w).cell_b1a.pk}],
    "organizations:move": lambda w: [{"pk": _b(w).commune_b1.pk}],
    "organizations:close": lambda w: [{"pk": _b(w).cell_b1a.pk}],
    "places:commune": lambda w: [{"pk": w["commune_b"].pk}],  # requested with ?ngay below too
    "places:close_village": lambda w: [{"pk": w["village_b"].pk}],
    "audit:object": lambda w: [
        {"target_type": "organizations.organization", "pk": _b(w).commune_b1.pk},
        {"target_type": "places.adminunit", "pk": w["village_b"].pk},
    ],
}

# URLs without object ids: requested with queries that would reveal sibling data if unscoped.
# They answer 200 (or 403/404), never with sibling data.
LIST_URLS = {
    "home": lambda w: [{}],
    "organizations:tree": lambda w: [{"ngay": "01/03/2024"}, {"q": "B1", "ngay": "01/03/2024"}],
    "organizations:search": lambda w: [{"q": "B1", "ngay": "01/03/2024"}, {"q": "mat danh", "ngay": "01/03/2024"}],
    "organizations:options": lambda w: [{"q": "B", "ngay": "01/03/2024"}],
    "organizations:create": lambda w: [{"cha": _b(w).commune_b1.pk}],
    "places:unit_options": lambda w: [{"q": "bi mat"}, {"q": "thon"}],
    "audit:list": lambda w: [{}, {"loai": "organizations"}],
}

# Pages with no data of anyone's: logging in and out, choosing a language.
EXEMPT = {"access:login", "access:logout", "set_language"}


def _url_names(patterns=None, namespace=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _url_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}"


def _assert_no_sibling_data(response, url):
    body = response.content.decode(errors="replace")
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

"""Organizations in the Vietnamese order (Đ after D): a stored, indexed key kept by every write."""

import datetime as dt

import pytest
from django.urls import reverse

from coso.lib.text import sort_key
from coso.organizations import selectors, services
from coso.organizations.models import Kind, Placement
from coso.organizations.scope import Scope

pytestmark = pytest.mark.django_db
ON = dt.date(2024, 3, 1)


def _cells(tree, *names):
    return [services.create_organization(actor=None, parent=tree.commune_a1, name=n, kind=Kind.SUBORDINATE_CELL,
                                         valid_from=dt.date(2024, 2, 1)) for n in names]


def test_children_are_listed_with_d_with_stroke_after_d(tree, people):
    _cells(tree, "Chi bộ thôn Đông Yên", "Chi bộ thôn Dương Lâm", "Chi bộ thôn Ấp Bắc")
    names = [p.name for p in selectors.children(Scope(people.staff_a), tree.commune_a1.pk, ON)]
    assert names == ["Chi bộ thôn A1a", "Chi bộ thôn A1b", "Chi bộ thôn Ấp Bắc", "Chi bộ thôn Dương Lâm", "Chi bộ thôn Đông Yên"]


def test_the_tree_page_shows_them_in_that_order(client, tree, people):
    _cells(tree, "Chi bộ thôn Đông Yên", "Chi bộ thôn Dương Lâm")
    client.force_login(people.staff_a)
    body = client.get(reverse("organizations:detail", args=[tree.commune_a1.pk]), {"ngay": "01/03/2024"}).content.decode()
    assert body.index("Chi bộ thôn Dương Lâm") < body.index("Chi bộ thôn Đông Yên")


def test_the_key_follows_renames_and_moves(tree):
    dong, = _cells(tree, "Chi bộ thôn Đông Yên")
    services.rename_organization(actor=None, organization=dong, name="Chi bộ thôn Bình Yên", valid_from=dt.date(2024, 3, 1))
    services.move_organization(actor=None, organization=tree.commune_a1, new_parent=tree.district_b, valid_from=dt.date(2024, 4, 1))
    for p in Placement.objects.filter(organization__in=[dong, tree.commune_a1, tree.cell_a1a]):
        assert p.name_order == sort_key(p.name), p

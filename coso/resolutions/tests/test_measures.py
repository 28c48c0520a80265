"""Counts of documents by kind over a period are measures of the engine (Nghèn's 41 resolutions,
16 conclusions and 12 action programs of 2010–17/02/2017 are three such figures)."""

import datetime as dt

import pytest
from django.urls import reverse

from coso.measures import engine
from coso.resolutions import services
from coso.resolutions.symbols import DocumentKind

D = dt.date
pytestmark = pytest.mark.django_db


def test_documents_are_counted_by_kind_over_a_period_under_their_issuer(tree):
    for org in (tree.commune_a1, tree.cell_a1a, tree.commune_b1):
        services.open_term(actor=None, organization=org, name="2024–2029", starts_on=D(2024, 1, 1))
    issued = [(tree.commune_a1, DocumentKind.RESOLUTION, D(2024, 2, 1)), (tree.commune_a1, DocumentKind.RESOLUTION, D(2024, 5, 1)),
              (tree.commune_a1, DocumentKind.CONCLUSION, D(2024, 6, 1)), (tree.commune_a1, DocumentKind.ACTION_PROGRAM, D(2024, 2, 2)),
              (tree.cell_a1a, DocumentKind.RESOLUTION, D(2024, 3, 1)), (tree.commune_a1, DocumentKind.RESOLUTION, D(2025, 3, 1)),
              (tree.commune_b1, DocumentKind.RESOLUTION, D(2024, 3, 1))]
    for org, kind, on in issued:
        services.register_document(actor=None, organization=org, kind=kind, issued_on=on, subject="Thử")
    names = ["documents", "documents.resolutions", "documents.conclusions", "documents.action_programs"]
    period = (D(2024, 1, 1), D(2024, 12, 31))
    table = engine.table(names, tree.commune_a1, period=period)
    assert [table.total[n] for n in names] == [5, 3, 1, 1]
    assert engine.rows("documents.resolutions", tree.commune_a1, period=period).count() == 3
    by_child = engine.table(["documents.resolutions"], tree.commune_a1, by="child", period=period)
    assert by_child.value("documents.resolutions", tree.commune_a1.pk) == 2
    assert by_child.value("documents.resolutions", tree.cell_a1a.pk) == 1
    assert engine.count("documents.resolutions", tree.province, period=period) == 4


def test_the_records_page_lists_the_documents_of_a_figure(client, people, tree):
    services.open_term(actor=None, organization=tree.district_a, name="2024–2029", starts_on=D(2024, 1, 1))
    services.register_document(actor=None, organization=tree.district_a, kind=DocumentKind.CONCLUSION, issued_on=D(2024, 2, 1),
                               subject="Kết luận về công tác cán bộ")
    client.force_login(people.staff_a)
    page = client.get(reverse("reports:figure"), {"chi_tieu": "documents.conclusions", "to_chuc": tree.district_a.pk,
                                                  "tu_ngay": "01/01/2024", "den_ngay": "31/12/2024", "ngay": "31/12/2024"})
    assert page.status_code == 200 and "01-KL/HU" in page.content.decode()

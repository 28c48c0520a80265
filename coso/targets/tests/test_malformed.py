"""Malformed query strings and forms on every page of the register and of targets: a message or a
404, never a 500, and nothing written by a refused form."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coso.audit.models import AuditEvent
from coso.resolutions.models import Attachment, Document, Relation, Term
from coso.targets import services
from coso.targets.models import AggregateReport, ReportedValue, Review, Target

from .helpers import admit, resolution

D = dt.date
pytestmark = pytest.mark.django_db
HUGE = "99999999999999999999"  # above the largest key: SQLite raised OverflowError on it
JUNK_QUERIES = [
    {"ngay": "abc"}, {"ngay": "31/02/2024"}, {"ngay": "01/01/99999"}, {"to_chuc": "abc"}, {"to_chuc": HUGE}, {"to_chuc": "-1"},
    {"to_chuc": "0"}, {"to_chuc": "１２"}, {"mau": "khong-co"}, {"tinh_lai": "x"}, {"trang": "abc"}, {"trang": HUGE},
    {"nam": "abc"}, {"nam": HUGE}, {"loai": "zzz"}, {"q": "x" * 5000}, {"q": "a\x00b"}, {"q": "%'\"<>"},
    {"organization": HUGE, "kind": "nq", "issued_on": "01/03/2024"}, {"organization": "abc", "kind": "nq", "issued_on": "x"},
    {"organization": "1", "kind": "zz", "issued_on": "01/03/2024"},
]


@pytest.fixture
def world(tree):
    doc = resolution(tree.district_a, term_to=D(2026, 1, 1))
    counted = services.create_target(actor=None, document=doc, code="1", text="Kết nạp 2 đảng viên mới", numerator="events.admitted",
                                     threshold=Decimal(2), cascade=True)
    reported = services.create_target(actor=None, document=doc, code="2", text="Thu nhập bình quân", threshold=Decimal(60))
    admit(tree.cell_a1a, "Lê Văn Một", D(2024, 3, 1))
    review = services.prepare_review(actor=None, document=doc, organization=tree.district_a, kind="annual", on=D(2024, 12, 31))
    return {"doc": doc, "counted": counted, "reported": reported, "review": review}


def _pages(w):
    doc, counted, reported, review = w["doc"], w["counted"], w["reported"], w["review"]
    return [
        reverse("resolutions:documents"), reverse("resolutions:create"), reverse("resolutions:proposal"),
        reverse("resolutions:terms"), reverse("resolutions:detail", args=[doc.pk]),
        reverse("targets:document", args=[doc.pk]), reverse("targets:create", args=[doc.pk]),
        reverse("targets:detail", args=[counted.pk]), reverse("targets:detail", args=[reported.pk]),
        reverse("targets:cascade", args=[counted.pk]), reverse("targets:review", args=[review.pk]),
        reverse("targets:review_xlsx", args=[review.pk]), reverse("targets:review_pdf", args=[review.pk]),
        reverse("targets:aggregate"),
    ]


def _written():
    return (Document.objects.count(), Term.objects.count(), Relation.objects.count(), Attachment.objects.count(), Target.objects.count(),
            ReportedValue.objects.count(), Review.objects.count(), AggregateReport.objects.count(), AuditEvent.objects.count())


def test_it_answers_every_page_with_junk_in_the_query_string_without_an_error(client, people, world):
    client.force_login(people.staff_a)
    failures = []
    for url in _pages(world):
        for query in JUNK_QUERIES:
            status = client.get(url, query).status_code
            if status >= 500 or status not in (200, 302, 400, 404):
                failures.append((url, query, status))
    assert not failures


def test_an_id_above_the_largest_key_in_a_path_is_not_found(client, people):
    client.force_login(people.staff_a)
    names = ["resolutions:detail", "resolutions:relate", "resolutions:attach", "resolutions:attachment", "targets:document",
             "targets:create", "targets:review_create", "targets:detail", "targets:report", "targets:inherit", "targets:cascade",
             "targets:review", "targets:review_adopt", "targets:review_xlsx", "targets:review_pdf"]
    for name in names:
        url = reverse(name, args=[1]).replace("/1/", f"/{HUGE}/")
        assert client.get(url).status_code == 404, name
        assert client.post(url, {}).status_code in (404, 405), name  # 405: a page only read


def test_malformed_forms_are_refused_with_a_message_and_write_nothing(client, people, world, tree):
    client.force_login(people.staff_a)
    doc, counted, reported, review = world["doc"], world["counted"], world["reported"], world["review"]
    before = _written()
    junk_target = {"code": "9", "text": "x", "threshold": "1e400", "comparator": "zz", "horizon": "zz", "starts_on": "31/02/2024",
                   "due_on": "abc", "exceed_from": "NaN", "near_from": "-Infinity", "numerator": "không.có", "indicator": "x"}
    posts = [
        (reverse("targets:create", args=[doc.pk]), junk_target),
        (reverse("targets:create", args=[doc.pk]), {**junk_target, "threshold": "9" * 30, "comparator": "ge", "horizon": "term"}),
        (reverse("targets:create", args=[doc.pk]), {"code": "\x00", "text": "\x00", "threshold": "5", "comparator": "ge",
                                                    "horizon": "term", "exceed_from": "105", "near_from": "90"}),
        (reverse("targets:report", args=[reported.pk]), {"on": "abc", "value": "Infinity", "source": ""}),
        (reverse("targets:report", args=[reported.pk]), {"on": "01/06/2024", "value": "1e30", "source": "x"}),
        (reverse("targets:report", args=[counted.pk]), {"on": "01/06/2024", "value": "5", "source": "báo cáo"}),
        (reverse("targets:inherit", args=[counted.pk]), {"organization": HUGE, "threshold": "abc"}),
        (reverse("targets:inherit", args=[counted.pk]), {"organization": str(tree.cell_a1a.pk), "threshold": "1"}),  # looser
        (reverse("targets:review_create", args=[doc.pk]), {"kind": "zz", "on": "99/99/9999"}),
        (reverse("targets:review_create", args=[doc.pk]), {"kind": "annual", "on": "01/01/1900"}),
        (f"{reverse('targets:aggregate')}?to_chuc={tree.district_a.pk}&mau=organizations",
         {"on": "abc", "reporter": "", "tccs": "abc", "grassroots_committees": "1e30", "grassroots_cells": "-1", "subordinate_cells": "NaN"}),
        (f"{reverse('targets:aggregate')}?to_chuc={tree.district_a.pk}&mau=organizations",
         {"on": "01/06/2024", "reporter": "Huyện A", "tccs": "49", "grassroots_committees": "31", "grassroots_cells": "17",
          "subordinate_cells": "5"}),
        (reverse("resolutions:create"), {"organization": HUGE, "kind": "zz", "issued_on": "abc", "number": HUGE, "subject": ""}),
        (reverse("resolutions:create"), {"organization": str(tree.district_a.pk), "organ": "committee", "kind": "nq",
                                         "issued_on": "01/02/2024", "number": "1", "subject": "Trùng số"}),  # 01 is taken
        (reverse("resolutions:relate", args=[doc.pk]), {"kind": "zz", "target": HUGE}),
        (reverse("resolutions:attach", args=[doc.pk]), {}),
        (reverse("resolutions:attach", args=[doc.pk]), {"file": SimpleUploadedFile("gia.pdf", b"not a pdf")}),
        (reverse("resolutions:attach", args=[doc.pk]), {"file": SimpleUploadedFile("a.exe", b"MZ\x90\x00")}),
        (f"{reverse('resolutions:terms')}?to_chuc={tree.district_a.pk}", {"name": "", "starts_on": "31/02/2024"}),
        (f"{reverse('resolutions:terms')}?to_chuc={HUGE}", {"name": "x", "starts_on": "01/01/2024"}),
    ]
    failures = []
    for url, data in posts:
        status = client.post(url, data).status_code
        if status >= 500:
            failures.append((url, data, status))
        assert _written() == before, (url, data)
    assert not failures
    commented = client.post(reverse("targets:review", args=[review.pk]), {"comment": "a\x00b\r\nc", f"line-{HUGE}": "x"})
    assert commented.status_code == 302  # PostgreSQL refuses NUL in text: the comment is kept without control characters
    assert Review.objects.get(pk=review.pk).comment == "ab\nc"

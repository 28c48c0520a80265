"""Pages of targets: the dashboard, a target with its chart, the cascade, reviews and their files,
aggregate entry; what a lower organization sees of its superior's targets."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from coso.targets import services
from coso.targets.models import AggregateReport, Review

from .helpers import admit, resolution

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def doc(tree):
    doc = resolution(tree.district_a, term_to=D(2026, 1, 1))
    services.create_target(actor=None, document=doc, code="1", text="Kết nạp 2 đảng viên mới", numerator="events.admitted",
                           threshold=Decimal(2), unit="đảng viên", cascade=True)
    services.create_target(actor=None, document=doc, code="2", text="Thu nhập bình quân 60 triệu đồng", threshold=Decimal(60))
    services.create_target(actor=None, document=doc, code="3", text="Cán bộ có trung cấp lý luận", numerator="staff.intermediate",
                           denominator="staff", threshold=Decimal(95))
    admit(tree.cell_a1a, "Lê Văn Một", D(2024, 3, 1))
    admit(tree.cell_a1b, "Lê Văn Hai", D(2024, 4, 1))
    return doc


def test_the_dashboard_counts_targets_met_and_links_each_value_to_its_records(client, people, doc):
    client.force_login(people.staff_a)
    page = client.get(reverse("targets:document", args=[doc.pk]), {"ngay": "01/06/2024"}).content.decode()
    assert "1/3 chỉ tiêu đạt và vượt" in page
    assert "chưa tính được" in page and "staff.intermediate" in page
    assert reverse("reports:figure") in page and "chi_tieu=events.admitted" in page
    target = doc.targets.get(code="1")
    page = client.get(reverse("targets:detail", args=[target.pk]), {"ngay": "01/06/2024"}).content.decode()
    assert 'id="target-data"' in page and "đạt 100% chỉ tiêu" in page


def test_a_review_is_prepared_adopted_and_exported(client, people, doc):
    client.force_login(people.staff_a)
    response = client.post(reverse("targets:review_create", args=[doc.pk]), {"kind": "midterm", "on": "31/12/2024"})
    review = Review.objects.get()
    assert response.status_code == 302
    assert client.post(reverse("targets:review_adopt", args=[review.pk])).status_code == 302
    assert Review.objects.get().state == Review.State.ADOPTED
    page = client.get(reverse("targets:review", args=[review.pk]), {"tinh_lai": "1"}).content.decode()
    assert "Đã thông qua" in page and "cùng kết quả" in page
    xlsx = client.get(reverse("targets:review_xlsx", args=[review.pk]))
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content)[:2] == b"PK"
    pdf = client.get(reverse("targets:review_pdf", args=[review.pk]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content)[:5] == b"%PDF-"


def test_a_cell_sees_its_superiors_targets_on_its_own_records_and_cannot_change_them(client, people, doc, tree):
    client.force_login(people.secretary_a1a)
    page = client.get(reverse("targets:document", args=[doc.pk]), {"ngay": "01/06/2024"}).content.decode()
    assert "Chi bộ thôn A1a" in page and "Thêm chỉ tiêu" not in page
    assert client.post(reverse("targets:review_create", args=[doc.pk]), {"kind": "annual", "on": "31/12/2024"}).status_code == 403


def test_the_cascade_of_a_province_target_shows_only_the_scope(client, people, tree):
    province_doc = resolution(tree.province, term_to=D(2026, 1, 1))
    target = services.create_target(actor=None, document=province_doc, code="1", text="Kết nạp", numerator="events.admitted",
                                    threshold=Decimal(1), cascade=True)
    client.force_login(people.staff_a)
    page = client.get(reverse("targets:cascade", args=[target.pk]), {"ngay": "31/12/2025"}).content.decode()
    assert "Đảng bộ xã A1" in page and "Đảng bộ huyện B" not in page


def test_aggregate_entry_refuses_parts_that_do_not_add_up_and_writes_nothing(client, people, tree):
    client.force_login(people.staff_a)
    url = f"{reverse('targets:aggregate')}?to_chuc={tree.district_a.pk}&mau=organizations"
    data = {"on": "08/08/2022", "reporter": "Huyện ủy", "tccs": "49", "grassroots_committees": "17", "grassroots_cells": "31",
            "subordinate_cells": "100"}
    response = client.post(url, data)
    assert response.status_code == 200 and "17 + 31 = 48 ≠ 49" in response.content.decode()
    assert AggregateReport.objects.count() == 0
    assert client.post(url, {**data, "tccs": "48"}).status_code == 302 and AggregateReport.objects.count() == 1
    assert client.post(url, {"tccs": "x", "on": "99/99/2022"}).status_code == 200

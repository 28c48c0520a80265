"""The targets' sentences of the reports' written summary, computed from records."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from coso.reports import summary as report_summary
from coso.resolutions import services as register
from coso.resolutions.models import RelationKind
from coso.resolutions.symbols import DocumentKind
from coso.targets import services, summary

from .helpers import admit, existing, resolution

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def doc(tree):
    doc = resolution(tree.district_a, term_to=D(2026, 1, 1))
    services.create_target(actor=None, document=doc, code="1", text="Kết nạp từ 2 đảng viên mới trở lên trong nhiệm kỳ",
                           numerator="events.admitted", threshold=Decimal(2), unit="đảng viên")
    services.create_target(actor=None, document=doc, code="2", text="Đảng viên nữ chiếm từ 30% trở lên", numerator="members.female",
                           denominator="members", percent=True, threshold=Decimal(30))
    services.create_target(actor=None, document=doc, code="3", text="Thu nhập bình quân đầu người", threshold=Decimal(60))  # reported
    existing(tree.cell_a1a, "Nguyễn Thị Hoa", gender="F")
    existing(tree.cell_a2, "Trần Văn Nam")
    return doc


def test_the_report_summary_says_how_many_targets_are_met_and_a_sentence_per_target(tree, doc):
    with translation.override("vi"):
        before = report_summary.write(tree.district_a, D(2024, 6, 30))
        admit(tree.cell_a1a, "Lê Văn Một", D(2024, 3, 1))
        admit(tree.cell_a1b, "Lê Thị Hai", D(2024, 4, 1), gender="F")
        after = report_summary.write(tree.district_a, D(2024, 6, 30))
    assert f"Thực hiện {doc.title}, 1/2 chỉ tiêu tính được từ dữ liệu đạt và vượt." in before
    assert "Kết nạp từ 2 đảng viên mới trở lên trong nhiệm kỳ: 0 đảng viên, đạt 0% chỉ tiêu (≥ 2 đảng viên) — chưa đạt." in before
    assert "Đảng viên nữ chiếm từ 30% trở lên: 50%, đạt 167% chỉ tiêu (≥ 30%) — đạt và vượt." in before  # 166,7% rounded
    # two admissions recorded: the count target is met
    assert f"Thực hiện {doc.title}, 2/2 chỉ tiêu tính được từ dữ liệu đạt và vượt." in after
    assert "Kết nạp từ 2 đảng viên mới trở lên trong nhiệm kỳ: 2 đảng viên, đạt 100% chỉ tiêu (≥ 2 đảng viên) — đạt." in after
    assert "Thu nhập bình quân" not in after  # a reported value is not a figure of the records


def test_a_lower_organization_states_the_target_it_inherited_with_its_own_threshold(tree):
    doc = resolution(tree.province, term_to=D(2026, 1, 1))
    target = services.create_target(actor=None, document=doc, code="1", text="Mỗi đảng bộ kết nạp đảng viên mới",
                                     numerator="events.admitted", threshold=Decimal(1), cascade=True)
    services.inherit_target(actor=None, target=target, organization=tree.district_a, on=D(2024, 3, 1), threshold=Decimal(3))
    admit(tree.cell_a1a, "Một", D(2024, 3, 1))
    with translation.override("vi"):
        text = summary.sentences(tree.district_a.pk, D(2024, 6, 30))
        assert summary.sentences(tree.district_b.pk, D(2024, 6, 30)) == ""  # carries out nothing of it
    assert text.startswith(f"Thực hiện {doc.title}, 0/1 chỉ tiêu tính được từ dữ liệu đạt và vượt.")
    assert "Mỗi đảng bộ kết nạp đảng viên mới: 1, đạt 33% chỉ tiêu (≥ 3)" in text


def test_targets_outside_their_horizon_or_of_a_document_no_longer_in_force_are_left_out(tree, doc):
    with translation.override("vi"):
        assert summary.sentences(tree.district_a.pk, D(2023, 12, 31)) == ""  # before the term
        assert summary.sentences(tree.district_a.pk, D(2026, 3, 1)) == ""  # after the targets' due date
        assert doc.title in summary.sentences(tree.district_a.pk, D(2024, 6, 30))
        newer = register.register_document(actor=None, organization=tree.district_a, kind=DocumentKind.RESOLUTION,
                                           issued_on=D(2024, 5, 1), subject="Nghị quyết thay thế")
        register.add_relation(actor=None, source=newer, kind=RelationKind.REPLACES, target=doc)
        assert summary.sentences(tree.district_a.pk, D(2024, 4, 30)) != ""
        assert summary.sentences(tree.district_a.pk, D(2024, 6, 30)) == ""  # replaced on 01/05/2024


def test_an_organization_without_targets_costs_one_query(tree):
    with CaptureQueriesContext(connection) as queries:
        assert summary.sentences(tree.district_a.pk, D(2024, 6, 30)) == ""
    assert len(queries) == 1


def test_the_report_page_shows_the_targets_sentences_to_copy(client, people, tree, doc):
    client.force_login(people.staff_a)
    body = client.get("/bao-cao/thong-ke/", {"to_chuc": tree.district_a.pk, "ngay": "30/06/2024"}).content.decode()
    assert f"Thực hiện {doc.title}, 1/2 chỉ tiêu tính được từ dữ liệu đạt và vượt." in body


def test_the_sentences_follow_the_language(tree, doc):
    with translation.override("en"):
        text = summary.sentences(tree.district_a.pk, D(2024, 6, 30))
    assert "1/2 of the targets computed from the records are met or exceeded." in text

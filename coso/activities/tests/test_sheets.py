"""A province's or commune's own score sheet (issue #16 point 3): defined on a page as rows of
criteria and bands from a date; the points must add up to the sheet's total and the bands run from
the highest minimum down to 0; each problem is named on its row and nothing is written; the new
sheet replaces the one in force from its date, and meetings are then scored on it."""

import datetime as dt

import pytest
from django.urls import reverse

from coso.activities import scoring, selectors, services
from coso.activities.models import ScoreSheet
from coso.audit.models import AuditEvent

D = dt.date


def rows(criteria, bands, **head):
    data = {"name": "Phiếu của tỉnh", "source": "Hướng dẫn 05-HD/TU", "valid_from": "01/07/2024", "total": "100",
            "crit_rows": str(len(criteria) + 1), "band_rows": str(len(bands) + 1)}
    for i, (label, points) in enumerate(criteria, start=1):
        data |= {f"crit_label_{i}": label, f"crit_points_{i}": str(points)}
    for i, (label, minimum) in enumerate(bands, start=1):
        data |= {f"band_label_{i}": label, f"band_min_{i}": str(minimum)}
    return data | head


GOOD = rows([("Chuẩn bị", 30), ("Tiến hành", 40), ("Kết quả", 30)], [("Tốt", 85), ("Khá", 65), ("Đạt", 50), ("Chưa đạt", 0)])


def test_check_sheet_wants_the_total_and_the_bands_in_order():
    criteria = [{"key": "a", "label": "A", "points": 60}, {"key": "b", "label": "B", "points": 30}]
    bands = [{"label": "Tốt", "min": 80}, {"label": "Kém", "min": 0}]
    scoring.check_sheet(criteria, bands)  # no total stated: any sum
    with pytest.raises(scoring.SheetError, match="90"):
        scoring.check_sheet(criteria, bands, total=100)
    with pytest.raises(scoring.SheetError, match="cao xuống thấp"):
        scoring.check_sheet(criteria, list(reversed(bands)))


def test_a_province_defines_its_sheet_on_the_page_and_meetings_use_it(client, tree, people):
    client.force_login(people.admin)
    url = reverse("activities:define_sheet", args=[tree.province.pk]) + "?ngay=01/07/2024"
    form = client.get(url)
    assert form.status_code == 200
    # the form starts from the default sheet (no sheet yet): its eight criteria and four bands
    body = form.content.decode()
    assert "Thời gian sinh hoạt đúng quy định" in body and body.count('data-testid="criterion-row"') == 8 + 3
    saved = client.post(url, GOOD)
    assert saved.status_code == 302
    sheet = ScoreSheet.objects.get(owner=tree.province)
    assert [c["points"] for c in sheet.criteria] == [30, 40, 30] and [c["key"] for c in sheet.criteria] == ["c1", "c2", "c3"]
    assert [b["min"] for b in sheet.bands] == [85, 65, 50, 0] and sheet.valid_from == D(2024, 7, 1)
    assert AuditEvent.objects.filter(event_type="activities.score_sheet.defined", target_id=str(sheet.pk)).exists()
    assert selectors.sheet_for(tree.cell_a1a.pk, D(2024, 8, 1)).pk == sheet.pk
    assert selectors.sheet_for(tree.cell_a1a.pk, D(2024, 6, 30)) is None
    page = client.get(reverse("activities:sheets", args=[tree.cell_a1a.pk]) + "?ngay=01/08/2024").content.decode()
    assert "Phiếu của tỉnh" in page and "Chưa đạt" in page
    # a later sheet from a later date replaces it from then, keeping the keys copied from it
    later = client.get(reverse("activities:define_sheet", args=[tree.province.pk]) + "?ngay=01/01/2025").content.decode()
    assert 'value="c2"' in later and "Tiến hành" in later
    assert client.post(url.replace("01/07/2024", "01/01/2025"), GOOD | {"valid_from": "01/01/2025", "name": "Phiếu 2025"}).status_code == 302
    sheet.refresh_from_db()
    assert sheet.valid_to == D(2025, 1, 1) and selectors.sheet_for(tree.cell_a1a.pk, D(2025, 2, 1)).name == "Phiếu 2025"


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"crit_points_2": "35"}, None, "chưa bằng tổng điểm"),  # 95 of 100
    ({"band_min_2": "90"}, "band_min_2", "phải thấp hơn mức trên"),  # bands out of order
    ({"band_min_4": "10"}, None, "từ 0 điểm"),  # no band from 0
    ({"band_min_1": "120"}, "band_min_1", "cao hơn tổng điểm"),
    ({"crit_label_2": ""}, "crit_label_2", "Dòng 2"),  # points without a criterion
    ({"crit_points_3": "-4"}, "crit_points_3", ""),
    ({"band_label_3": ""}, "band_label_3", "Mức 3"),
    ({"valid_from": "31/02/2024"}, "valid_from", ""),
])
def test_a_wrong_sheet_is_refused_on_its_row_and_nothing_is_written(client, tree, people, change, field, words):
    client.force_login(people.admin)
    before = (ScoreSheet.objects.count(), AuditEvent.objects.count())
    response = client.post(reverse("activities:define_sheet", args=[tree.province.pk]), GOOD | change)
    assert response.status_code == 422
    form = response.context["form"]
    errors = form.errors.get(field or "__all__")
    assert errors, form.errors
    assert words in " ".join(errors)
    assert (ScoreSheet.objects.count(), AuditEvent.objects.count()) == before


def test_only_a_province_or_commune_committee_defines_and_only_in_scope(client, tree, people):
    client.force_login(people.staff_a)
    # huyện A's staff: not the province's sheet (outside the scope), and a district defines none
    assert client.get(reverse("activities:define_sheet", args=[tree.province.pk])).status_code == 404
    assert client.get(reverse("activities:define_sheet", args=[tree.district_a.pk])).status_code == 404
    assert client.get(reverse("activities:sheets", args=[tree.cell_a1a.pk])).status_code == 200
    client.force_login(people.secretary_a1a)
    assert client.get(reverse("activities:sheets", args=[tree.cell_a1a.pk])).status_code == 200
    services.define_score_sheet(actor=None, owner=tree.province, valid_from=D(2024, 1, 1),
                                **{k: scoring.DEFAULT_SHEET[k] for k in ("name", "criteria", "bands")})
    page = client.get(reverse("activities:sheets", args=[tree.cell_a1a.pk]) + "?ngay=01/03/2024").content.decode()
    assert scoring.DEFAULT_SHEET["name"] in page and "Ban hành phiếu mới" not in page

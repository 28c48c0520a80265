import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from coso.measures import engine
from coso.measures.tests.test_engine import member
from coso.members import services
from coso.members.models import EventType
from coso.reports import summary

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def members(tree):
    result = [
        member(tree, tree.cell_a1a, "Nguyễn Thị Hoa", "F", ethnicity="30"),
        member(tree, tree.cell_a1a, "Trần Văn Bình"),
        member(tree, tree.cell_a1b, "Lê Thị Cúc", "F"),
        member(tree, tree.cell_a2, "Hồ Văn Em"),
        member(tree, tree.cell_b1a, "Vũ Văn Hạnh"),
    ]
    services.record_event(actor=None, member=result[3], type=EventType.DECEASED, effective_date=D(2024, 4, 10))
    return result


def test_the_paragraph_states_the_structure_and_the_members_like_the_articles(tree, members):
    with translation.override("vi"):
        text = summary.write(tree.district_a, D(2024, 6, 30))
    assert text.startswith("Tính đến ngày 30/6/2024, Đảng bộ huyện A có 2 tổ chức cơ sở đảng trực thuộc, gồm 1 đảng bộ và 1 chi bộ; "
                           "2 chi bộ trực thuộc đảng ủy cơ sở với tổng số 3 đảng viên.")
    assert "đảng viên nữ 2 đồng chí (chiếm 66,7%)" in text
    assert "đảng viên người dân tộc thiểu số 1 đồng chí (chiếm 33,3%)" in text
    assert "Từ ngày 1/1/2024 đến ngày 30/6/2024, 1 đồng chí từ trần." in text
    assert "đảng viên theo tôn giáo" not in text  # a zero figure is left out, not printed as 0


def test_the_paragraph_uses_vietnamese_number_formatting(tree, members, monkeypatch):
    real = engine.table

    def scaled(names, *args, **kwargs):
        t = real(names, *args, **kwargs)
        if "members" in t.total:
            t.total["members"] = 5400
        return t

    monkeypatch.setattr(engine, "table", scaled)
    with translation.override("vi"):
        text = summary.write(tree.district_a, D(2024, 6, 30))
    assert "với tổng số 5.400 đảng viên" in text


def test_the_paragraph_of_a_grassroots_committee_counts_its_cells(tree, members):
    with translation.override("vi"):
        text = summary.write(tree.commune_a1, D(2024, 6, 30))
    assert text.startswith("Tính đến ngày 30/6/2024, Đảng bộ xã A1 có 2 chi bộ trực thuộc với tổng số 3 đảng viên.")


def test_the_command_prints_the_same_numbers_as_the_engine(tree, members):
    out = StringIO()
    call_command("report", "measure", "members", "members.female", "--org", tree.province.code, "--date", "30/06/2024",
                 "--by", "child", stdout=out)
    data = json.loads(out.getvalue())
    t = engine.table(["members", "members.female"], tree.province, by="child", on=D(2024, 6, 30))
    assert data["total"] == t.total == {"members": 4, "members.female": 2}
    assert [(r["label"], r["values"]) for r in data["rows"]] == [(label, v) for _k, label, v in t.rows]


def test_the_command_prints_csv_and_the_summary(tree, members):
    out = StringIO()
    call_command("report", "measure", "events.deceased", "--org", tree.district_a.code, "--period", "01/01/2024-31/12/2024",
                 "--format", "csv", stdout=out)
    assert out.getvalue().splitlines() == ["key,label,events.deceased", ",Tổng số,1"]
    out = StringIO()
    call_command("report", "summary", "--org", tree.district_a.code, "--date", "30/06/2024", stdout=out)
    assert "tổng số 3 đảng viên" in out.getvalue()


def test_the_command_prints_the_standard_report(tree, members):
    out = StringIO()
    call_command("report", "table", "--org", tree.province.code, "--date", "30/06/2024", "--section", "members", stdout=out)
    data = json.loads(out.getvalue())
    assert data["sections"][0]["total"]["members"] == 4


def test_the_command_refuses_bad_input_with_a_reason(tree):
    with pytest.raises(CommandError, match="Không có tổ chức mã"):
        call_command("report", "measure", "members", "--org", "KHONG-CO")
    with pytest.raises(CommandError, match="Không có chỉ tiêu"):
        call_command("report", "measure", "members.tall", "--org", tree.province.code)
    with pytest.raises(CommandError, match="không đọc được"):
        call_command("report", "measure", "members", "--date", "31/13/2024")
    with pytest.raises(CommandError, match="không tồn tại"):
        call_command("report", "measure", "members", "--org", tree.province.code, "--date", "01/01/2000")


def test_the_report_page_shows_the_summary_to_copy(client, people, tree, members):
    client.force_login(people.staff_a)
    body = client.get("/bao-cao/thong-ke/", {"to_chuc": tree.district_a.pk, "ngay": "30/06/2024"}).content.decode()
    assert "Tính đến ngày 30/6/2024, Đảng bộ huyện A có 2 tổ chức cơ sở đảng trực thuộc" in body


@pytest.mark.parametrize("org", ["district_a", "commune_a1", "cell_a1a", None])
def test_the_reports_paragraph_reuses_its_tables_and_says_the_same(tree, members, org, django_assert_max_num_queries):
    """The page and the PDF write the summary of a report whose tables already hold every figure
    it states but the year-before count: the engine is not asked for them again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coso.reports import standard

    organization = getattr(tree, org) if org else None
    on = D(2024, 6, 30)
    report = standard.build(organization, on)
    with translation.override("vi"):
        alone = summary.write(organization, on, report.period)
        with CaptureQueriesContext(connection) as queries:
            reused = summary.paragraph(report)
    assert reused == alone
    # the subtree (its root's path), the root's placement, the year-before count (path, count), the
    # targets the organization carries out (none here)
    assert len(queries) <= 6, [q["sql"][:120] for q in queries.captured_queries]

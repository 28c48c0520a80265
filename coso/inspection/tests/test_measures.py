"""The inspection figures come from the measure engine: by work type, body and subject, with the
year before, the drill-down rows as many as the figure, one query per family whatever the size of
the tree, and the rows behind a figure refused to organization staff on the reports' page too."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coso.inspection import services
from coso.inspection.choices import Body, Channel, IntakeKind, Outcome, SubjectKind, WorkType
from coso.measures import engine
from coso.measures import inspection as m

from .conftest import member

D = dt.date
YEAR = (D(2025, 1, 1), D(2025, 12, 31))
pytestmark = pytest.mark.django_db


@pytest.fixture
def work(tree, officers):
    a, b = member(tree.cell_a1a, "Nguyễn Văn Một"), member(tree.cell_a1b, "Trần Văn Hai")

    def case(org, body, work_type, on, **subject):
        return services.open_case(actor=officers.a, organization=org, body=body, work_type=work_type, decided_on=on, **subject)

    c1 = case(tree.district_a, Body.COMMISSION, WorkType.SIGNS, D(2025, 3, 1), subject_kind=SubjectKind.MEMBER, subject_member=a)
    services.conclude_case(actor=officers.a, case=c1, concluded_on=D(2025, 4, 1), violation_found=True)
    case(tree.district_a, Body.COMMITTEE, WorkType.COMPLIANCE, D(2025, 5, 1), subject_kind=SubjectKind.ORGANIZATION,
         subject_organization=tree.commune_a1)
    case(tree.commune_a1, Body.COMMISSION, WorkType.REGULAR_SUPERVISION, D(2025, 6, 1), subject_kind=SubjectKind.MEMBER, subject_member=b)
    case(tree.district_a, Body.COMMISSION, WorkType.FINANCE, D(2024, 6, 1), subject_kind=SubjectKind.ORGANIZATION,
         subject_organization=tree.cell_a2)
    intake = services.register_intake(actor=officers.a, organization=tree.district_a, body=Body.COMMISSION, kind=IntakeKind.DENUNCIATION,
                                      received_on=D(2025, 2, 1), channel=Channel.LETTER, concerned="X", sender_name="Bí Mật")
    services.close_intake(actor=officers.a, intake=intake, closed_on=D(2025, 3, 1), outcome=Outcome.FALSE)
    return c1


def test_cases_are_counted_by_work_type_body_subject_and_child(tree, work):
    t = engine.table(["inspection.cases", "inspection.cases.members", "inspection.inspections", "inspection.supervisions"],
                     tree.district_a, by=m.WORK_TYPE, period=YEAR)
    assert t.total == {"inspection.cases": 3, "inspection.cases.members": 2, "inspection.inspections": 2, "inspection.supervisions": 1}
    assert t.value("inspection.cases", WorkType.SIGNS) == 1 and t.value("inspection.cases", WorkType.FINANCE) == 0
    by_body = engine.table(["inspection.cases"], tree.district_a, by=m.BODY, period=YEAR)
    assert (by_body.value("inspection.cases", Body.COMMISSION), by_body.value("inspection.cases", Body.COMMITTEE)) == (2, 1)
    by_child = {label: v["inspection.cases"] for _k, label, v in engine.table(["inspection.cases"], tree.district_a, by="child", period=YEAR).rows}
    assert by_child["Trực tiếp tại tổ chức"] == 2 and by_child["Đảng bộ xã A1"] == 1
    assert engine.count("inspection.cases", tree.district_a, period=(D(2024, 1, 1), D(2024, 12, 31))) == 1  # the year before
    assert engine.count("inspection.cases", tree.district_b, period=YEAR) == 0
    assert engine.count("inspection.violations.members", tree.district_a, period=YEAR) == 1
    assert engine.count("inspection.handled.sai", tree.province, period=YEAR) == 1


def test_the_rows_behind_a_figure_are_as_many_as_the_figure(tree, work):
    for name in ("inspection.cases", "inspection.cases.members", "inspection.violations", "inspection.denunciations"):
        fam = engine.FAMILIES[engine.MEASURES[name].family]
        assert fam.order(engine.rows(name, tree.district_a, period=YEAR)).count() == engine.count(name, tree.district_a, period=YEAR)


def test_one_query_per_family_whatever_the_tree(tree, work):
    names = ["inspection.cases", "inspection.cases.members", "inspection.inspections"]
    with CaptureQueriesContext(connection) as small:
        engine.table(names, tree.district_a, by=m.WORK_TYPE, period=YEAR)
    with CaptureQueriesContext(connection) as large:
        engine.table(names, tree.province, by=m.WORK_TYPE, period=YEAR)
    # the root's placement, its paths over the period (span_ids), then the one grouped count
    assert len(small) == len(large) == 3, [q["sql"] for q in large]


def test_organization_staff_read_the_figures_never_the_rows_on_the_reports_page(client, tree, people, work):
    client.force_login(people.staff_a)
    response = client.get(reverse("reports:figure"), {"to_chuc": tree.district_a.pk, "chi_tieu": "inspection.cases", "tu_ngay": "01/01/2025",
                                                      "den_ngay": "31/12/2025", "ngay": "31/12/2025"})
    assert response.status_code == 403
    assert "Nguyễn Văn Một" not in response.content.decode()

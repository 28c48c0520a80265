"""The working day (issue #10, section 1): one rule for every page, export and command.

Huyện B ends on 01/07/2025 (its commune and cell close with it): staff_b's scope has ended, so
every page opens on 30/06/2025 and says so; a mistyped date is an error on every page; the
organization picker searches the tree of the date typed; an ended scope writes nothing.
"""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from coso.lib.forms import DateField
from coso.members import services as member_services
from coso.members.models import EventType
from coso.members.tests.test_views import make_members
from coso.organizations import services
from coso.organizations.models import CloseReason, Kind
from coso.organizations.workday import working_day_for

pytestmark = pytest.mark.django_db
D = dt.date
REFORM = D(2025, 7, 1)
LAST = "30/06/2025"
DATE_ERROR = str(DateField().error_messages["invalid"])


@pytest.fixture
def ended(tree, people):
    """Huyện B ends on 01/07/2025; Dũng moved from its cell to Chi bộ thôn A1a that day."""
    m = make_members(tree)
    member_services.record_event(actor=None, member=m.dung, type=EventType.TRANSFER_OUT, effective_date=REFORM,
                                 target_id=tree.cell_a1a.pk)
    member_services.record_event(actor=None, member=m.dung, type=EventType.TRANSFER_RECEIVED, effective_date=REFORM,
                                 organization_id=tree.cell_a1a.pk)
    for org in (tree.cell_b1a, tree.commune_b1, tree.district_b):
        services.close_organization(actor=None, organization=org, closed_on=REFORM, reason=CloseReason.MERGED)
    return m


@pytest.fixture
def as_staff_b(client, people, ended):
    client.force_login(people.staff_b)
    return client


PAGES = [
    ("organizations:tree", {}),
    ("members:list", {}),
    ("members:candidates", {}),
    ("members:probation", {}),
    ("members:transfers", {}),
    ("members:badges", {}),
    ("reports:statistics", {}),
    ("reports:dashboard", {}),
]


@pytest.mark.parametrize(("name", "query"), PAGES)
def test_an_ended_scope_works_on_its_last_day_on_every_page_and_says_so(as_staff_b, name, query):
    body = as_staff_b.get(reverse(name), query).content.decode()
    assert 'data-testid="workday"' in body
    assert f"đang làm việc tính đến ngày {LAST}" in body
    assert "không hoạt động trong phạm vi của bạn" not in body
    assert "Đảng bộ huyện B" in body


def test_the_member_list_of_an_ended_scope_is_full(as_staff_b, ended):
    body = as_staff_b.get(reverse("members:list")).content.decode()
    assert "Bùi Văn Dũng" in body
    assert f'value="{LAST}"' in body


def test_a_scope_that_exists_shows_today_without_the_line(client, people, ended):
    client.force_login(people.staff_a)
    body = client.get(reverse("members:list")).content.decode()
    assert 'data-testid="workday"' not in body
    assert "Trần Văn An" in body


def test_the_member_export_of_an_ended_scope_is_of_its_last_day(as_staff_b, tree):
    response = as_staff_b.get(reverse("imports:export_members"), {"dinh_dang": "csv"})
    assert response.status_code == 200
    assert "20250630" in response["Content-Disposition"]
    assert "Bùi Văn Dũng" in b"".join(response.streaming_content).decode("utf-8-sig")


def test_the_report_command_works_on_an_ended_organizations_last_day(tree, ended):
    out, err = io.StringIO(), io.StringIO()
    call_command("report", "measure", "members", "--org", tree.district_b.code, stdout=out, stderr=err)
    data = json.loads(out.getvalue())
    assert data["date"] == "2025-06-30"
    assert "30/06/2025" in err.getvalue()


def test_working_day_for_a_date_asked_is_that_date(people, ended):
    from coso.access.scope import scope_of
    assert working_day_for(scope_of(people.staff_b), D(2024, 3, 31)).on == D(2024, 3, 31)
    assert working_day_for(scope_of(people.staff_b)).on == D(2025, 6, 30)


# ---------------------------------------------------------------- mistyped dates

BAD = ["31/02/2024", "tam son"]


@pytest.mark.parametrize("typed", BAD)
@pytest.mark.parametrize(("name", "query"), PAGES)
def test_a_mistyped_date_is_the_lifecycle_forms_error_on_every_page(client, people, tree, name, query, typed):
    client.force_login(people.staff_a)
    response = client.get(reverse(name), {**query, "ngay": typed})
    assert response.status_code == 200
    body = response.content.decode()
    assert DATE_ERROR in body


@pytest.mark.parametrize("typed", BAD)
def test_a_mistyped_date_on_an_organization_page_is_an_error_too(client, people, tree, typed):
    client.force_login(people.staff_a)
    for url in (reverse("organizations:detail", args=[tree.cell_a1a.pk]), reverse("quality:organization", args=[tree.cell_a1a.pk])):
        response = client.get(url, {"ngay": typed})
        assert response.status_code == 200
        assert DATE_ERROR in response.content.decode()


def test_a_mistyped_date_in_an_export_goes_back_to_the_page_that_says_so(client, people, tree):
    client.force_login(people.staff_a)
    for name in ("reports:statistics_xlsx", "reports:statistics_pdf", "imports:export_members", "reports:figure"):
        response = client.get(reverse(name), {"ngay": "31/02/2024", "chi_tieu": "members"}, follow=True)
        assert response.status_code == 200, name
        assert DATE_ERROR in response.content.decode(), name


# ---------------------------------------------------------------- the picker


def test_the_organization_picker_searches_the_tree_of_the_chosen_date(client, people, tree, ended):
    client.force_login(people.admin)
    services.create_organization(actor=None, parent=tree.district_a, name="Chi bộ Núi Mới", kind=Kind.GRASSROOTS_CELL,
                                 valid_from=D(2025, 8, 1))
    url = reverse("organizations:options")
    assert "Chi bộ thôn B1a" in client.get(url, {"q": "thon b1a", "ngay": "31/03/2024"}).content.decode()
    assert "Chi bộ thôn B1a" not in client.get(url, {"q": "thon b1a", "ngay": "01/08/2025"}).content.decode()
    assert "Núi Mới" not in client.get(url, {"q": "nui moi", "ngay": "31/03/2024"}).content.decode()


def test_the_pickers_send_the_date_box_with_what_is_typed(client, people, tree):
    client.force_login(people.staff_a)
    for name in ("members:list", "reports:statistics", "reports:dashboard"):
        body = client.get(reverse(name)).content.decode()
        assert "hx-include=\"[name='ngay']\"" in body, name


# ---------------------------------------------------------------- the menu


def test_the_dashboard_is_in_the_top_menu(client, people, tree):
    client.force_login(people.staff_a)
    body = client.get(reverse("organizations:tree")).content.decode()
    nav = body[body.index('id="nav-areas"'):body.index("</nav>")]
    assert f'href="{reverse("reports:dashboard")}"' in nav
    assert "Tổng quan" in nav


# ---------------------------------------------------------------- one rule for writes


def test_an_ended_scope_is_read_only_everywhere(as_staff_b, people, tree):
    from coso.access.scope import scope_of
    scope = scope_of(people.staff_b)
    assert not scope.can("members.change") and not scope.can("members.import") and not scope.can("organizations.change")
    assert scope.can("members.view") and scope.can("people.sensitive")
    body = as_staff_b.get(reverse("members:list")).content.decode()
    assert reverse("imports:upload", args=[tree.district_b.pk]) not in body


def test_the_import_into_a_cell_of_an_ended_scope_is_refused(as_staff_b, tree):
    for pk in (tree.district_b.pk, tree.cell_b1a.pk):
        response = as_staff_b.get(reverse("imports:upload", args=[pk]))
        assert response.status_code == 403
        body = response.content.decode()
        assert "Đảng bộ huyện B đã kết thúc hoạt động sau ngày 30/06/2025: chỉ được xem" in body
        assert 'data-testid="read-only"' in body and "Đăng xuất" in body  # in the layout
        response = as_staff_b.post(reverse("imports:upload", args=[pk]), {})
        assert response.status_code == 403


def test_the_import_into_a_cell_that_ended_is_refused_to_a_scope_that_exists(client, people, tree, ended):
    client.force_login(people.admin)
    response = client.get(reverse("imports:upload", args=[tree.cell_b1a.pk]))
    assert response.status_code == 403
    assert "Tổ chức này đã kết thúc hoạt động từ ngày 01/07/2025: không nhập thêm dữ liệu vào đó được." in response.content.decode()
    assert client.get(reverse("imports:upload", args=[tree.cell_a1a.pk])).status_code == 200


def test_no_page_reads_its_date_box_but_through_the_working_day():
    """One rule: the date box (?ngay=) is read by organizations.workday only; no view defaults to
    today by itself."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or path.name == "workday.py" or "data" in path.relative_to(root).parts[:1]:
            continue
        text = path.read_text(encoding="utf-8")
        if 'GET.get("ngay"' in text or "as_of(request" in text or "scope_last_day" in text:
            offenders.append(str(path.relative_to(root)))
        if path.name in ("views.py", "dashboard.py") and "localdate().year" in text:
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


def test_the_import_command_follows_the_same_rule(tree, people, ended):
    from django.core.management.base import CommandError

    for user, message in ((people.admin, "đã kết thúc hoạt động từ ngày 01/07/2025"),
                          (people.staff_b, "Đảng bộ huyện B đã kết thúc hoạt động sau ngày 30/06/2025")):
        with pytest.raises(CommandError, match=message):
            call_command("import_members", "khong-can.xlsx", "--to-chuc", str(tree.cell_b1a.pk), "--user", user.username)

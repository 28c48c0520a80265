"""The post list from Excel: every row checked first, nothing written unless the whole file is
valid; each problem names its row and column; a malformed file is a message, never a 500; the
list this app exports reads back."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from coso.access.scope import scope_of
from coso.audit.models import AuditEvent
from coso.grassroots import imports, services
from coso.grassroots.models import Post
from coso.people.models import Person

from .conftest import ON, member

D = dt.date
pytestmark = pytest.mark.django_db
HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chức danh", "Cơ quan, tổ chức", "Thôn, tổ dân phố", "Đảng viên",
          "Giữ chức từ ngày", "Hình thức", "Số quyết định"]


def xlsx(rows, header=HEADER, title="DANH SÁCH CHỨC VỤ XÃ AN LẠC") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([title])
    ws.append([])
    ws.append(header)
    for n, row in enumerate(rows, start=1):
        ws.append([n, *row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run(people, place, content, name="chuc-vu.xlsx"):
    return imports.import_posts(actor=people.staff_a, scope=scope_of(people.staff_a), unit=place.commune,
                                content=content, filename=name)


@pytest.fixture
def cell(place):
    return services.create_body(actor=None, kind="cell", unit=place.commune, village=place.village1, valid_from=ON)


def test_a_valid_list_writes_every_post_a_new_person_once_and_audits(people, tree, place, cell):
    secretary = member(tree, "Nguyễn Văn Bí")
    content = xlsx([
        ["Nguyễn Văn Bí", "01/01/1975", "Nam", "Bí thư chi bộ", "Chi bộ Thôn Một", "Thôn Một", "Có", "01/04/2024", "Bầu cử", "12-QĐ/ĐU"],
        ["Nguyễn Văn Bí", "01/01/1975", "Nam", "Trưởng thôn, Tổ trưởng tổ dân phố", "", "Thôn Một", "Có", "01/04/2024", "Bầu cử", ""],
        ["Lê Thị Hai", "1980", "Nữ", "Trưởng thôn, Tổ trưởng tổ dân phố", "", "Thôn Hai", "", "01/04/2024", "Công nhận", "7/QĐ-UBND"],
        ["Lê Thị Hai", "1980", "Nữ", "Chi hội trưởng, Bí thư chi đoàn", "", "", "", "", "", ""],  # blank date: refused below
    ])
    report = run(people, place, content)
    assert [(p.row, p.column) for p in report.problems] == [(7, "I (Giữ chức từ ngày)")]
    assert Post.objects.count() == 0
    content = xlsx([
        ["Nguyễn Văn Bí", "01/01/1975", "Nam", "Bí thư chi bộ", "Chi bộ Thôn Một", "Thôn Một", "Có", "01/04/2024", "Bầu cử", "12-QĐ/ĐU"],
        ["Nguyễn Văn Bí", "01/01/1975", "Nam", "Trưởng thôn, Tổ trưởng tổ dân phố", "", "Thôn Một", "Có", "01/04/2024", "Bầu cử", ""],
        ["Lê Thị Hai", "1980", "Nữ", "Trưởng thôn, Tổ trưởng tổ dân phố", "", "Thôn Hai", "", "01/04/2024", "Công nhận", "7/QĐ-UBND"],
        ["Lê Thị Hai", "1980", "Nữ", "Trưởng Ban công tác Mặt trận", "Ban công tác Mặt trận", "Thôn Hai", "", "01/05/2024", "", ""],
        ["Trần Chủ Tịch", "", "Nam", "Chủ tịch", "Ủy ban nhân dân", "", "", "01/04/2024", "bầu cử", ""],
    ])
    report = run(people, place, content)
    assert report.problems == [] and report.written == 5 and report.persons_created == 2
    posts = {(p.body.kind, p.body.village_id, p.title): p for p in Post.objects.select_related("body", "person")}
    assert posts[("cell", place.village1.pk, "cell_secretary")].person == secretary
    assert posts[("village", place.village1.pk, "village_head")].person == secretary  # concurrent: one person, two posts
    hai = posts[("village", place.village2.pk, "village_head")].person
    assert hai.full_name == "Lê Thị Hai" and hai.gender == "F" and hai.birth_date == D(1980, 1, 1) and hai.birth_precision == "year"
    assert posts[("village_front_board", place.village2.pk, "board_head")].person == hai  # the same new person, created once
    assert posts[("village", place.village2.pk, "village_head")].obtained == "recognized"
    assert posts[("cell", place.village1.pk, "cell_secretary")].decision_number == "12-QĐ/ĐU"
    assert Person.objects.filter(full_name="Lê Thị Hai").count() == 1
    assert AuditEvent.objects.filter(event_type="grassroots.post.appointed").count() == 5
    assert AuditEvent.objects.filter(event_type="grassroots.posts.imported").count() == 1


def test_every_problem_names_its_row_and_column_and_nothing_is_written(people, tree, place, cell):
    services.appoint(actor=None, body=place.body("ubnd"), title="chair", person=member(tree, "Chủ Tịch Cũ"), valid_from=ON)
    member(tree, "Đảng Viên Có")
    content = xlsx([
        ["Người A", "01/01/1970", "Nam", "Chủ tịch", "Ủy ban nhân dân", "", "", "01/05/2024", "", ""],  # the chair is held
        ["Người B", "01/01/1970", "Nam", "Chức Gì Đó", "Ủy ban nhân dân", "", "", "01/05/2024", "", ""],  # no such title
        ["Người C", "01/01/1970", "Nam", "Chủ tịch", "Hội Cờ Tướng", "", "", "01/05/2024", "", ""],  # no such body
        ["Không Có Ai", "01/01/1970", "Nam", "Bí thư chi bộ", "", "Thôn Một", "Có", "01/05/2024", "", ""],  # no such member
        ["Người E", "", "", "Trưởng thôn, Tổ trưởng tổ dân phố", "", "Thôn Hai", "", "01/05/2024", "", ""],  # no gender
        ["Người F", "31/02/1970", "Nam", "Trưởng thôn, Tổ trưởng tổ dân phố", "", "Thôn Ba", "", "05/2024", "Mua", ""],
        ["Người G", "01/01/1970", "Nam", "Công an viên", "", "Thôn Một", "", "01/05/2024", "", ""],  # ended 01/07/2024? offered
        ["Người H", "01/01/1970", "Nam", "Trưởng thôn, Tổ trưởng tổ dân phố", "", "Thôn Một", "", "01/05/2024", "", ""],
        ["Người I", "01/01/1970", "Nam", "Trưởng thôn, Tổ trưởng tổ dân phố", "", "Thôn Một", "", "01/06/2024", "", ""],  # 2nd head
        ["Người J", "01/01/1970", "Nam", "Chủ tịch", "Hội Nông dân", "", "Đúng", "01/05/2024", "", ""],
    ])
    report = run(people, place, content)
    problems = {(p.row, p.column): p.message for p in report.problems}
    assert "Chủ Tịch Cũ" in problems[(4, "I (Giữ chức từ ngày)")]
    assert "không có chức danh “Chức Gì Đó”" in problems[(5, "E (Chức danh)")]
    assert "Hội Cờ Tướng" in problems[(6, "F (Cơ quan, tổ chức)")]
    assert "Không tìm thấy đảng viên “Không Có Ai”" in problems[(7, "B (Họ và tên)")]
    assert "giới tính" in problems[(8, "D (Giới tính)")]
    assert "ngày không có thật" in problems[(9, "C (Ngày sinh)")]
    assert "Thôn Ba" in problems[(9, "G (Thôn, tổ dân phố)")]
    assert "dd/mm/yyyy" in problems[(9, "I (Giữ chức từ ngày)")]
    assert "Mua" in problems[(9, "J (Hình thức)")]
    assert (10, "I (Giữ chức từ ngày)") not in problems  # công an viên was still offered in May 2024 (a valid row)
    assert "Người H" in problems[(12, "I (Giữ chức từ ngày)")]  # the rows above count: one village head at a time
    assert "Đúng" in problems[(13, "H (Đảng viên)")]
    assert report.written == 0
    assert Post.objects.count() == 1 and not Person.objects.filter(full_name__startswith="Người").exists()


@pytest.mark.parametrize("content,name", [
    (b"", "x.xlsx"),
    (b"PK\x03\x04 not a zip at all", "x.xlsx"),
    (b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>", "x.xlsx"),
    ("Tên,Tuổi\nA,1\n".encode(), "x.csv"),  # no header naming the columns
    (xlsx([], header=HEADER), "x.xlsx"),  # a header and no rows
], ids=["empty", "not-a-zip", "xml-entity", "csv-without-header", "header-only"])  # not the bytes: a workbook's
# zip entries carry the time it was written, and pytest-xdist refuses workers whose test ids differ
def test_a_file_that_cannot_be_read_is_a_message(people, place, content, name):
    with pytest.raises(ValidationError) as raised:
        run(people, place, content, name)
    assert raised.value.message_dict["file"]


def test_the_exported_list_reads_back(client, people, tree, place):
    """The chart's export, its holders' posts ended since, read back as the next term's list (the
    start date retyped): the same persons, titles, bodies, forms and decisions, nobody created."""
    from openpyxl import load_workbook

    chair = member(tree, "Chủ Tịch Xã")
    services.appoint(actor=None, body=place.body("ubnd"), title="chair", person=chair, valid_from=ON, decision_number="5-NQ/HĐND")
    services.appoint(actor=None, body=place.body("village", place.village1), title="village_head", valid_from=ON, obtained="recognized",
                     new_person={"full_name": "Trưởng Thôn Một", "gender": "M", "birth_date": D(1980, 5, 6)})
    client.force_login(people.staff_a)
    content = b"".join(client.get(reverse("grassroots:export", args=[place.commune.pk]), {"ngay": "01/04/2024"}).streaming_content)
    for post in Post.objects.all():
        services.end_post(actor=None, post=post, valid_to=D(2024, 5, 1))
    wb = load_workbook(io.BytesIO(content))
    for row in wb.worksheets[0].iter_rows(min_row=4):
        row[7].value = "01/06/2024"
    out = io.BytesIO()
    wb.save(out)
    report = run(people, place, out.getvalue())
    assert report.problems == [] and report.written == 2 and report.persons_created == 0

    def posts(on):
        return sorted((p.body_id, p.person_id, p.title, p.obtained, p.decision_number) for p in Post.objects.on(on))
    assert posts(D(2024, 6, 1)) == posts(D(2024, 4, 1)) and len(posts(D(2024, 6, 1))) == 2


def test_the_page_imports_and_refuses_without_a_500(client, people, tree, place):
    url = reverse("grassroots:import", args=[place.commune.pk])
    client.force_login(people.leader_a)
    assert client.get(url).status_code == 403
    client.force_login(people.staff_a)
    assert client.get(url).status_code == 200
    broken = SimpleUploadedFile("x.xlsx", b"PK\x03\x04garbage")
    response = client.post(url, {"file": broken})
    assert response.status_code == 200 and response.context["form"].errors["file"]
    bad = xlsx([["Người A", "", "Nam", "Chủ tịch", "Hội Cờ Tướng", "", "", "01/05/2024", "", ""]])
    response = client.post(url, {"file": SimpleUploadedFile("a.xlsx", bad)})
    assert response.status_code == 200 and "Hội Cờ Tướng" in response.content.decode() and Post.objects.count() == 0
    good = xlsx([["Người A", "", "Nam", "Chủ tịch", "Hội Nông dân", "", "", "01/05/2024", "", ""]])
    response = client.post(url, {"file": SimpleUploadedFile("a.xlsx", good)})
    assert response.status_code == 302 and Post.objects.get().body == place.body("farmers")


CELLS = st.one_of(st.none(), st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12), st.integers(-10, 3_000_000), st.floats(allow_nan=True),
                  st.sampled_from(["Chủ tịch", "Ủy ban nhân dân", "Thôn Một", "Có", "31/12/2024", "=1+1", "Nam"]))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=st.lists(st.lists(CELLS, min_size=10, max_size=10), min_size=1, max_size=4))
def test_any_file_is_written_whole_or_not_at_all(people, place, rows):
    """Whatever the cells, the import either writes every row or writes nothing and says why."""
    before = Post.objects.count()
    try:
        report = run(people, place, xlsx(rows))
    except ValidationError as error:
        assert error.message_dict["file"]
        assert Post.objects.count() == before
        return
    if report.problems:
        assert Post.objects.count() == before and report.written == 0
    else:
        assert Post.objects.count() == before + report.written
    Post.objects.all().delete()

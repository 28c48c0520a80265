"""The meeting pages: the cell secretary's page, recording a meeting, tapping attendance under
htmx (the row and the summary come back; queries bounded), the lists; 404 outside the scope, 403
read-only, 405 for the wrong method."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coso.activities import services
from coso.activities.models import Absence, DuesPayment, Mark, Meeting

from .factories import members

D = dt.date
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def cell(tree, people):
    return members(tree.cell_a1a, "Nguyễn", 3)


def test_it_sends_a_cell_secretary_to_their_cell_page_and_staff_to_the_list(client, tree, people, cell):
    client.force_login(people.secretary_a1a)
    response = client.get(reverse("activities:home"), {"ngay": "15/03/2024"})
    assert response.status_code == 302 and response["Location"] == reverse("activities:cell", args=[tree.cell_a1a.pk])
    page = client.get(response["Location"], {"ngay": "15/03/2024"})
    body = page.content.decode()
    assert page.status_code == 200 and "Chi bộ thôn A1a" in body and "Chưa sinh hoạt thường kỳ tháng 03/2024" in body
    assert "Không sinh hoạt thường kỳ tháng 01/2024" in body
    client.force_login(people.staff_a)
    assert client.get(reverse("activities:home"))["Location"] == reverse("activities:missed")


def test_it_records_a_meeting_from_the_form_and_refuses_a_wrong_one_naming_the_field(client, tree, people, cell):
    client.force_login(people.secretary_a1a)
    url = reverse("activities:create", args=[tree.cell_a1a.pk])
    assert client.get(url).status_code == 200
    data = {"kind": "regular", "held_on": "05/03/2024", "starts_at": "19:30", "ends_at": "21:00", "mode": "in_person", "place": "Nhà văn hóa"}
    response = client.post(url, data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("activities:meeting", args=[meeting.pk])
    assert (meeting.roster_count, meeting.present_count, meeting.duration) == (3, 3, 90)
    again = client.post(url, {**data, "held_on": "20/03/2024"})
    assert again.status_code == 422 and "đã có buổi sinh hoạt thường kỳ" in again.content.decode()
    bad = client.post(url, {**data, "held_on": "31/02/2024", "counts_for": "13/2024"})
    assert bad.status_code == 422 and Meeting.objects.count() == 1
    assert "Ngày không hợp lệ" in bad.content.decode() and "Tháng không hợp lệ" in bad.content.decode()


def test_a_tap_marks_one_member_and_returns_the_row_and_the_summary(client, tree, people, cell, django_assert_max_num_queries):
    a, b, c = cell
    meeting = services.record_meeting(actor=None, organization=tree.cell_a1a, held_on=D(2024, 3, 5))
    client.force_login(people.secretary_a1a)
    url = reverse("activities:mark", args=[meeting.pk])
    # session, user, scope (role's organization), meeting (access), lock, roster, absences, delete/upsert
    # (2), counts, audit, refresh, quality (rules: two queries for the runs) and savepoints
    with django_assert_max_num_queries(22):
        response = client.post(url, {"member": a.pk, "mark": Mark.UNEXCUSED}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and f'id="att-{a.pk}"' in body and 'hx-swap-oob="true"' in body
    assert 'data-mark="unexcused"' in body and len(body) < 12_000
    refused = client.post(url, {"member": b.pk, "mark": Mark.EXCUSED}, **HTMX)
    assert refused.status_code == 200 and "hãy ghi lý do" in refused.content.decode() and 'name="reason"' in refused.content.decode()
    client.post(url, {"member": b.pk, "mark": Mark.EXCUSED, "reason": "Ốm"}, **HTMX)
    assert dict(Absence.objects.values_list("member_id", "mark")) == {a.pk: Mark.UNEXCUSED, b.pk: Mark.EXCUSED}
    assert client.post(url, {"member": "x", "mark": "?"}, **HTMX).status_code == 422
    assert client.get(url).status_code == 405
    # without htmx: back to the meeting page
    assert client.post(url, {"member": c.pk, "mark": Mark.ON_DUTY})["Location"] == reverse("activities:meeting", args=[meeting.pk])


def test_the_meeting_page_shows_the_attendance_and_gives_tasks(client, tree, people, cell):
    meeting = services.record_meeting(actor=None, organization=tree.cell_a1a, held_on=D(2024, 3, 5))
    client.force_login(people.secretary_a1a)
    page = client.get(reverse("activities:meeting", args=[meeting.pk]))
    assert page.status_code == 200 and page.content.decode().count('data-testid="attendance-row"') == 3
    response = client.post(reverse("activities:add_task", args=[meeting.pk]),
                           {"description": "Thu đảng phí", "member": cell[0].pk, "due_on": "01/04/2024"})
    assert response.status_code == 302 and meeting.tasks.get().description == "Thu đảng phí"
    later = services.record_meeting(actor=None, organization=tree.cell_a1a, held_on=D(2024, 4, 5))
    task = meeting.tasks.get()
    assert "Thu đảng phí" in client.get(reverse("activities:meeting", args=[later.pk])).content.decode()
    client.post(reverse("activities:review_task", args=[task.pk]), {"outcome": "done", "at": later.pk})
    task.refresh_from_db()
    assert task.outcome == "done" and task.reviewed_at == later


def test_a_read_only_role_reads_but_may_not_record(client, tree, people, cell):
    meeting = services.record_meeting(actor=None, organization=tree.cell_a1a, held_on=D(2024, 3, 5))
    client.force_login(people.leader_a)
    assert client.get(reverse("activities:meeting", args=[meeting.pk])).status_code == 200
    assert client.get(reverse("activities:cell", args=[tree.cell_a1a.pk])).status_code == 200
    assert client.get(reverse("activities:create", args=[tree.cell_a1a.pk])).status_code == 403
    assert client.post(reverse("activities:mark", args=[meeting.pk]), {"member": cell[0].pk, "mark": "unexcused"}).status_code == 403
    assert not Absence.objects.exists()


def test_the_lists_show_the_cells_that_missed_and_the_removal_cases(client, tree, people, cell):
    a = cell[0]
    for month in (1, 2, 4):
        m = services.record_meeting(actor=None, organization=tree.cell_a1a, held_on=D(2024, month, 5))
        services.mark_attendance(actor=None, meeting=m, member_id=a.pk, mark=Mark.UNEXCUSED)
    client.force_login(people.staff_a)
    missed = client.get(reverse("activities:missed"), {"nam": "2024", "ngay": "01/05/2024", "to_chuc": tree.commune_a1.pk})
    assert missed.status_code == 200 and "03/2024" in missed.content.decode() and "Chi bộ thôn A1b" in missed.content.decode()
    removal = client.get(reverse("activities:removal"), {"nam": "2024", "ngay": "01/05/2024"}).content.decode()
    assert "Nguyễn Văn A" in removal and "01/2024, 02/2024, 04/2024" in removal and "Điều 8" in removal
    assert client.get(reverse("activities:removal"), {"nam": "abc"}).status_code == 200
    client.force_login(people.staff_b)
    assert client.get(reverse("activities:removal"), {"to_chuc": tree.commune_a1.pk}).status_code == 404


def test_the_minutes_file_is_served_only_inside_the_scope(client, tree, people, cell, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = services.record_meeting(actor=None, organization=tree.cell_a1a, held_on=D(2024, 3, 5))
    client.force_login(people.secretary_a1a)
    client.post(reverse("activities:edit", args=[meeting.pk]),
                {"kind": "regular", "held_on": "05/03/2024", "mode": "in_person",
                 "minutes_file": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 test", content_type="application/pdf")})
    response = client.get(reverse("activities:minutes_file", args=[meeting.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 test"
    client.force_login(people.staff_b)
    assert client.get(reverse("activities:minutes_file", args=[meeting.pk])).status_code == 404


def test_the_dues_page_taps_paid_or_unpaid_with_a_reason(client, tree, people, cell):
    a, b, c = cell
    client.force_login(people.secretary_a1a)
    profile = reverse("activities:dues_profile", args=[a.pk])
    assert client.get(profile).status_code == 200
    response = client.post(profile, {"valid_from": "01/01/2024", "income_kind": "pension", "area": "other"})
    assert response.status_code == 422 and "thu nhập" in response.content.decode()
    assert client.post(profile, {"valid_from": "01/01/2024", "income_kind": "pension", "income": "6000000", "area": "other"}).status_code == 302
    services.set_dues_profile(actor=None, member=b, valid_from=D(2024, 1, 1), income_kind="other", area="remote")
    page = client.get(reverse("activities:dues", args=[tree.cell_a1a.pk]), {"thang": "03/2024"})
    body = page.content.decode()
    assert page.status_code == 200 and "30.000 đ" in body and "4.000 đ" in body and "chưa có mức" in body
    tap = reverse("activities:dues_tap", args=[tree.cell_a1a.pk]) + "?thang=03/2024"
    response = client.post(tap, {"member": a.pk, "paid": "1"}, **HTMX)
    assert response.status_code == 200 and 'data-paid="1"' in response.content.decode() and 'hx-swap-oob="true"' in response.content.decode()
    asked = client.post(tap, {"member": b.pk, "paid": "0"}, **HTMX).content.decode()
    assert "hãy ghi lý do" in asked and 'name="reason"' in asked
    client.post(tap, {"member": b.pk, "paid": "0", "reason": "Ốm"}, **HTMX)
    assert sorted(DuesPayment.objects.values_list("member_id", "paid", "reason")) == sorted([(a.pk, 30_000, ""), (b.pk, 0, "Ốm")])
    assert client.post(tap, {"member": "x"}, **HTMX).status_code == 422
    assert client.get(tap).status_code == 405
    client.force_login(people.leader_a)
    assert client.post(tap, {"member": a.pk, "paid": "1"}, **HTMX).status_code == 403

"""What the cell secretary's page costs (issue #16: ≤ 150 ms server time): its statements are
bounded and do not grow with the cell's members, meetings, marks, dues or tasks. Measured on the
benchmark's cell of 40 members (coso/data/bench/activities.py, docs/benchmarks.md): about a
third of the server's CPU is the template (40 rows of tap buttons), the rest these statements."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coso.activities import services
from coso.activities.models import Mark

from .factories import member

D = dt.date
MOST = 24  # session, user, access (3), placement, calendar (2), meetings (2), tasks, probation,
# removal lists (5), dues of the month (3), attendance (2), quality (2): 27 before the lists read
# the placement's path and the year's meetings gave the meeting of the moment
ON = {"ngay": "20/03/2024"}


def _grow(cell, start: int, count: int):
    roll = [member(cell, f"Nguyễn Văn Thêm {start + i:03d}") for i in range(count)]
    for m in roll:
        services.set_dues_profile(actor=None, member=m, valid_from=D(2024, 1, 1), income_kind="other")
    for month in (1, 2, 3):
        held = D(2024, month, 5 + start % 7)
        meeting = services.record_meeting(actor=None, organization=cell, held_on=held, kind="thematic" if start else "regular")
        for i, m in enumerate(roll):
            if i % 3 == 0:
                services.mark_attendance(actor=None, meeting=meeting, member_id=m.pk, mark=Mark.UNEXCUSED)
            services.record_dues(actor=None, organization=cell, member_id=m.pk, month=D(2024, month, 1), paid=i % 2 == 0,
                                 reason="" if i % 2 == 0 else "Đi làm xa", meeting=meeting)
        services.assign_task(actor=None, meeting=meeting, description=f"Nhiệm vụ {start} {month}", member_id=roll[0].pk)


def _statements(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, ON)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.django_db
def test_the_secretarys_page_takes_the_same_few_statements_for_a_small_and_a_large_cell(client, tree, people):
    client.force_login(people.secretary_a1a)
    url = reverse("activities:cell", args=[tree.cell_a1a.pk])
    _grow(tree.cell_a1a, 0, 3)
    client.get(url, ON)  # what a process does once (content types, the catalog)
    few = _statements(client, url)
    _grow(tree.cell_a1a, 100, 30)  # ten times the members, twice the meetings, marks, dues and tasks
    many = _statements(client, url)
    assert few == many <= MOST, (few, many)
    body = client.get(url, ON).content.decode()
    assert body.count('data-testid="attendance-row"') == 33

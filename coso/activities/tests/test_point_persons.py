"""Point persons and meeting score sheets (issue #16 points 3 and 4), through the services on the
shared tree: assignments with history, attendance computed from the meetings' superior attendee,
the below-minimum list, the score bands and the cell's quarters; refusals write nothing; the pages
are scoped (another district sees nothing) and do not query per row."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coso.activities import scoring, selectors, services
from coso.activities.models import MeetingScore, PointPerson, PointRole, Rater, ScoreSheet
from coso.audit.models import AuditEvent
from coso.organizations.scope import Scope

from .factories import member, members

D = dt.date


def sheet(tree, valid_from=None):
    return services.define_score_sheet(actor=None, owner=tree.province, valid_from=valid_from or D(2024, 1, 1), **{
        k: scoring.DEFAULT_SHEET[k] for k in ("name", "criteria", "bands", "source")})


def full(points=None, **overrides):
    values = {c["key"]: c["points"] for c in scoring.DEFAULT_SHEET["criteria"]}
    values.update(overrides)
    return values


@pytest.fixture
def world(tree, people):
    cell = members(tree.cell_a1a, "Nguyễn", 3)
    boss = member(tree.cell_a1b, "Trần Văn Phụ Trách")
    other = member(tree.cell_a1b, "Lê Văn Theo Dõi")
    return {"cell": cell, "boss": boss, "other": other}


def test_the_bands_follow_the_minimums():
    bands = scoring.DEFAULT_SHEET["bands"]
    assert [scoring.band_of(bands, t) for t in (100, 90, 89.9, 70, 69, 50, 49, 0)] == \
        ["Tốt", "Tốt", "Khá", "Khá", "Trung bình", "Trung bình", "Kém", "Kém"]
    assert scoring.maximum(scoring.DEFAULT_SHEET["criteria"]) == 100
    scoring.check_sheet(scoring.DEFAULT_SHEET["criteria"], bands)
    with pytest.raises(scoring.SheetError):
        scoring.check_sheet(scoring.DEFAULT_SHEET["criteria"], [{"label": "Tốt", "min": 90}])  # no band from 0
    with pytest.raises(scoring.SheetError):
        scoring.check_sheet([{"key": "a", "label": "A", "points": 0}], bands)


def test_it_assigns_keeps_history_and_refuses_writing_nothing(tree, people, world):
    boss = world["boss"]
    a = services.assign_point_person(actor=people.staff_a, member=boss, organization=tree.cell_a1a, role=PointRole.IN_CHARGE,
                                     valid_from=D(2024, 1, 15), decision_number="12-QĐ/ĐU", decision_date=D(2024, 1, 10))
    assert AuditEvent.objects.filter(event_type="activities.point_person.assigned", target_id=str(a.pk)).exists()
    before = (PointPerson.objects.count(), AuditEvent.objects.count())
    for kwargs, field in [({"valid_from": D(2024, 2, 1)}, "member"),                          # already assigned there
                          ({"valid_from": D(2024, 2, 1), "role": "boss"}, "role"),
                          ({"valid_from": D(2023, 1, 1)}, "organization"),                     # before the tree
                          ({"valid_from": D(2024, 2, 1), "decision_date": D(2024, 3, 1)}, "decision_date")]:
        args = {"actor": None, "member": boss, "organization": tree.cell_a1a, "role": PointRole.ANCHOR, **kwargs}
        with pytest.raises(ValidationError) as error:
            services.assign_point_person(**args)
        assert field in error.value.error_dict
    assert (PointPerson.objects.count(), AuditEvent.objects.count()) == before
    with pytest.raises(ValidationError):
        services.end_point_person(actor=None, assignment=a, valid_to=D(2024, 1, 15))
    services.end_point_person(actor=None, assignment=a, valid_to=D(2024, 7, 1))
    again = services.assign_point_person(actor=None, member=boss, organization=tree.cell_a1a, role=PointRole.ANCHOR, valid_from=D(2024, 7, 1))
    assert list(PointPerson.objects.filter(member=boss).order_by("valid_from").values_list("valid_from", "valid_to", "role")) == [
        (D(2024, 1, 15), D(2024, 7, 1), "in_charge"), (D(2024, 7, 1), None, "anchor")]
    assert list(selectors.point_persons_of(tree.cell_a1a.pk, D(2024, 7, 1))) == [again]


def test_attendance_comes_from_the_meetings_and_the_list_shows_who_is_below(tree, people, world):
    boss, other = world["boss"], world["other"]
    services.assign_point_person(actor=None, member=boss, organization=tree.cell_a1a, role=PointRole.IN_CHARGE, valid_from=D(2024, 1, 2))
    services.assign_point_person(actor=None, member=other, organization=tree.cell_a1a, role=PointRole.FOLLOWS, valid_from=D(2024, 1, 2))
    services.record_meeting(actor=None, organization=tree.cell_a1a, held_on=D(2024, 1, 10), superior_attendee_id=boss.pk)
    services.record_meeting(actor=None, organization=tree.cell_a1a, held_on=D(2024, 2, 10), superior_attendee_name="Đồng chí huyện ủy")
    services.record_meeting(actor=None, organization=tree.cell_a1a, held_on=D(2024, 4, 10), superior_attendee_id=other.pk)
    # someone not assigned to the cell cannot be linked as its point person: the name box is for them
    with pytest.raises(ValidationError) as error:
        services.record_meeting(actor=None, organization=tree.cell_a1a, held_on=D(2024, 5, 10), superior_attendee_id=world["cell"][0].pk)
    assert "superior_attendee_id" in error.value.error_dict
    scope = Scope(people.staff_a)
    q1 = selectors.below_minimum(scope, tree.district_a.pk, 2024, 1, D(2024, 12, 31))
    assert [(r.assignment.member_id, r.attended, r.held, r.minimum) for r in q1] == [(other.pk, 0, 2, 1)]
    q2 = selectors.below_minimum(scope, tree.district_a.pk, 2024, 2, D(2024, 12, 31))
    assert [r.assignment.member_id for r in q2] == [boss.pk]
    # another district sees none of it
    assert selectors.below_minimum(Scope(people.staff_b), tree.district_b.pk, 2024, 1, D(2024, 12, 31)) == []
    year = selectors.point_person_year(scope, boss.pk, 2024, D(2024, 12, 31))
    assert [(r.attended, r.held, r.minimum) for r in year] == [(1, 3, 4)]


def test_a_meeting_is_scored_on_the_sheet_in_force_and_the_cell_has_its_quarters(tree, people, world):
    boss = world["boss"]
    with pytest.raises(ValidationError):
        services.define_score_sheet(actor=None, owner=tree.cell_a1a, name="x", criteria=scoring.DEFAULT_SHEET["criteria"],
                                    bands=scoring.DEFAULT_SHEET["bands"], valid_from=D(2024, 1, 1))
    s = sheet(tree)
    services.assign_point_person(actor=None, member=boss, organization=tree.cell_a1a, role=PointRole.ANCHOR, valid_from=D(2024, 1, 2))
    m1 = services.record_meeting(actor=None, organization=tree.cell_a1a, held_on=D(2024, 1, 10))
    m2 = services.record_meeting(actor=None, organization=tree.cell_a1a, held_on=D(2024, 2, 10), superior_attendee_id=boss.pk)
    m3 = services.record_meeting(actor=None, organization=tree.cell_a1a, held_on=D(2024, 4, 10))
    assert selectors.sheet_for(tree.cell_a1a.pk, D(2024, 1, 10)) == s
    before = (MeetingScore.objects.count(), AuditEvent.objects.count())
    for rater, points, field in [(Rater.CELL, full(conduct=31), "conduct"), (Rater.CELL, {"time": 5}, "attendance"),
                                 (Rater.POINT_PERSON, full(), "rater"), ("boss", full(), "rater")]:
        with pytest.raises(ValidationError) as error:
            services.score_meeting(actor=None, meeting=m1 if rater != "boss" else m2, rater=rater, points=points)
        assert field in error.value.error_dict
    assert (MeetingScore.objects.count(), AuditEvent.objects.count()) == before
    a = services.score_meeting(actor=people.secretary_a1a, meeting=m1, rater=Rater.CELL, points=full(results=10))
    assert (a.total, a.band) == (80, "Khá")
    services.score_meeting(actor=None, meeting=m2, rater=Rater.CELL, points=full())
    b = services.score_meeting(actor=None, meeting=m2, rater=Rater.POINT_PERSON, points=full(results=0, conduct=10))
    assert (b.total, b.band, b.point_person_id) == (50, "Trung bình", boss.pk)
    services.score_meeting(actor=None, meeting=m3, rater=Rater.CELL, points=full(conduct=0))
    (summary,) = selectors.score_summaries([tree.cell_a1a.pk], 2024)
    # Q1: 80 and the point person's 50 (it outweighs the cell's own 100 for the same meeting)
    assert summary.quarters[1] == (2, 65.0, "Trung bình") and summary.quarters[2] == (1, 70.0, "Khá")
    assert (summary.year_count, summary.year_average, summary.year_band) == (3, 200 / 3, "Trung bình")
    # a new sheet from a later date ends the old one; scores keep the sheet they were given on
    later = sheet(tree, D(2024, 6, 1))
    assert ScoreSheet.objects.get(pk=s.pk).valid_to == D(2024, 6, 1) and selectors.sheet_for(tree.cell_a1a.pk, D(2024, 6, 2)) == later


def test_the_pages_are_scoped_and_bounded(client, tree, people, world):
    boss = world["boss"]
    sheet(tree)
    assignment = services.assign_point_person(actor=None, member=boss, organization=tree.cell_a1a, role=PointRole.IN_CHARGE,
                                              valid_from=D(2024, 1, 2))
    meetings = [services.record_meeting(actor=None, organization=tree.cell_a1a, held_on=D(2024, m, 10), superior_attendee_id=boss.pk)
                for m in range(1, 7)]
    for m in meetings:
        services.score_meeting(actor=None, meeting=m, rater=Rater.POINT_PERSON, points=full())
    client.force_login(people.staff_a)
    urls = [reverse("activities:point_persons") + f"?to_chuc={tree.commune_a1.pk}&nam=2024&quy=1&ngay=31/12/2024",
            reverse("activities:point_person", args=[boss.pk]) + "?nam=2024&ngay=31/12/2024",
            reverse("activities:scores", args=[tree.cell_a1a.pk]) + "?nam=2024&ngay=31/12/2024",
            reverse("activities:score", args=[meetings[0].pk]) + "?nguoi_cham=point_person",
            reverse("activities:assign", args=[tree.cell_a1a.pk]) + "?ngay=31/12/2024",
            reverse("activities:meeting", args=[meetings[0].pk])]
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        assert len(queries) < 40, (url, len(queries))
    body = client.get(urls[2]).content.decode()
    assert "Trần Văn Phụ Trách" in body and "Tốt" in body
    # the form: a wrong score names the criterion; the right one is saved
    data = {"rater": "cell", **full(conduct=99)}
    bad = client.post(reverse("activities:score", args=[meetings[1].pk]), data)
    assert bad.status_code == 422 and MeetingScore.objects.filter(meeting=meetings[1], rater="cell").count() == 0
    ok = client.post(reverse("activities:score", args=[meetings[1].pk]), full() | {"rater": "cell"})
    assert ok.status_code == 302 and MeetingScore.objects.filter(meeting=meetings[1], rater="cell").exists()
    # another district: 404 for every page on these objects, nothing in its lists
    client.force_login(people.staff_b)
    for url in urls[1:]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("activities:end_assignment", args=[assignment.pk]), {"valid_to": "01/07/2024"}).status_code == 404
    listing = client.get(reverse("activities:point_persons") + "?nam=2024&quy=1")
    assert listing.status_code == 200 and "Trần Văn Phụ Trách" not in listing.content.decode()
    # a cell secretary scores but does not assign: 403
    client.force_login(people.secretary_a1a)
    assert client.get(urls[4]).status_code == 403
    assert client.post(reverse("activities:end_assignment", args=[assignment.pk]), {"valid_to": "01/07/2024"}).status_code == 403
    client.force_login(people.staff_a)
    client.post(reverse("activities:end_assignment", args=[assignment.pk]), {"valid_to": "01/07/2024"})
    assert PointPerson.objects.get(pk=assignment.pk).valid_to == D(2024, 7, 1)

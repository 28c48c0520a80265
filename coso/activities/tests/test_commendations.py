"""Commendations (issue #16 point 6): the authority ladder as dated configuration with worked
examples, the service that refuses (naming the field, writing nothing) what the ladder or the
tree forbids, the five-year eligibility lists (ratings through the lineage of merges, no
discipline), the figures by form through the measure engine, and the scoped pages."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coso.activities import commendations as rules
from coso.activities import selectors, services
from coso.activities.commendations import Form, PeriodKind, Recipient
from coso.activities.models import Commendation
from coso.audit.models import AuditEvent
from coso.evaluation.models import Period, Rating
from coso.inspection.models import Discipline
from coso.measures import engine
from coso.measures.catalog import family
from coso.members import services as member_services
from coso.organizations.scope import Scope
from coso.restructuring.models import Lineage, Restructuring

from .factories import member

D = dt.date


def award(tree, people, **overrides):
    fields = {"actor": people.staff_a, "organization": tree.cell_a1a, "form": Form.PRAISE, "title": "Hoàn thành xuất sắc nhiệm vụ năm 2024",
              "decision_number": "05-QĐ/CB", "decided_on": D(2025, 1, 10), "awarded_by": tree.cell_a1a}
    return services.record_commendation(**(fields | overrides))


# ---------------------------------------------------------------- the ladder, worked examples


@pytest.mark.parametrize(("kind", "form", "recipient", "on", "allowed"), [
    ("sub_cell", Form.PRAISE, Recipient.MEMBER, D(2024, 5, 1), True),  # a cell praises its members
    ("sub_cell", Form.CERTIFICATE, Recipient.MEMBER, D(2024, 5, 1), False),  # but gives no giấy khen
    ("gr_cell", Form.CERTIFICATE, Recipient.MEMBER, D(2024, 5, 1), True),
    ("gr_cell", Form.CERTIFICATE, Recipient.ORGANIZATION, D(2024, 5, 1), False),  # to its members only
    ("gr_committee", Form.CERTIFICATE, Recipient.ORGANIZATION, D(2024, 5, 1), True),
    ("gr_committee", Form.MERIT, Recipient.MEMBER, D(2024, 5, 1), False),
    ("district", Form.CERTIFICATE, Recipient.MEMBER, D(2025, 6, 30), True),  # the last day of districts
    ("district", Form.CERTIFICATE, Recipient.MEMBER, D(2025, 7, 1), False),
    ("commune", Form.CERTIFICATE, Recipient.ORGANIZATION, D(2025, 7, 1), True),  # UNCONFIRMED, presumed
    ("commune", Form.CERTIFICATE, Recipient.ORGANIZATION, D(2025, 6, 30), False),
    ("province", Form.FLAG, Recipient.ORGANIZATION, D(2024, 5, 1), True),
    ("province", Form.FLAG, Recipient.MEMBER, D(2024, 5, 1), False),  # cờ to organizations only
    ("province", Form.MERIT, Recipient.MEMBER, D(2025, 8, 1), True),
    ("province", Form.STATE, Recipient.MEMBER, D(2025, 8, 1), False),  # the state's, not a party body's
])
def test_the_ladder_in_force_on_the_date_says_who_may_award_what(kind, form, recipient, on, allowed):
    assert rules.may_award(kind, form, recipient, on) is allowed


def test_the_eligibility_window_is_the_five_years_ending_with_the_last():
    assert rules.years_window(2024, rules.EXCELLENT_ONLY) == (2020, 2024)
    assert "htt" not in rules.EXCELLENT_ONLY.member_levels and "htt" in rules.GOOD_OR_BETTER.member_levels


# ---------------------------------------------------------------- recording


def test_it_records_an_award_to_a_member_under_their_cell_audited(tree, people):
    m = member(tree.cell_a1a, "Nguyễn Văn Khen")
    a = award(tree, people, member=m, gift_value=200_000)
    assert (a.recipient, a.organization_id, a.year_from, a.year_to) == (Recipient.MEMBER, tree.cell_a1a.pk, 2025, 2025)
    assert a.awarded_by_name == "Chi bộ thôn A1a" and a.gift_value == 200_000
    event = AuditEvent.objects.get(event_type="activities.commendation.recorded", target_id=str(a.pk))
    assert event.organization_id == tree.cell_a1a.pk and event.new["decision_number"] == "05-QĐ/CB"
    five = award(tree, people, member=m, form=Form.CERTIFICATE, awarded_by=tree.commune_a1, period_kind=PeriodKind.FIVE_YEARS,
                 year_to=2024, decision_number="12-QĐ/ĐU")
    assert (five.year_from, five.year_to) == (2020, 2024)  # five years back from the last


@pytest.mark.parametrize(("overrides", "field", "words"), [
    ({"form": Form.CERTIFICATE}, "form", "Biểu dương"),  # a subordinate cell: praise only, named
    ({"awarded_by": "district_b"}, "awarded_by", "cấp trên"),  # not above the recipient
    ({"form": Form.STATE, "awarded_by": None}, "awarded_by_name", "Nhà nước"),
    ({"period_kind": PeriodKind.FIVE_YEARS, "year_from": 2022, "year_to": 2024}, "year_from", "5 năm"),
    ({"year_from": 2026}, "year_from", "không sau năm quyết định"),
    ({"decision_number": " "}, "decision_number", "số quyết định"),
    ({"gift_value": -1}, "gift_value", "không âm"),
    ({"decided_on": D(2023, 6, 1)}, "member", "không phải đảng viên"),  # recorded from 2024
])
def test_it_refuses_naming_the_field_and_writes_nothing(tree, people, overrides, field, words):
    m = member(tree.cell_a1a, "Trần Văn Chờ")
    if overrides.get("awarded_by") == "district_b":
        overrides = overrides | {"awarded_by": tree.district_b}
    before = (Commendation.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as refused:
        award(tree, people, member=m, **overrides)
    assert field in refused.value.error_dict
    assert words.lower() in " ".join(refused.value.messages).lower()
    assert (Commendation.objects.count(), AuditEvent.objects.count()) == before


def test_a_decision_is_recorded_once_per_recipient(tree, people):
    award(tree, people, organization=tree.commune_a1, awarded_by=tree.district_a, form=Form.CERTIFICATE)
    with pytest.raises(ValidationError) as refused:
        award(tree, people, organization=tree.commune_a1, awarded_by=tree.district_a, form=Form.CERTIFICATE)
    assert "decision_number" in refused.value.error_dict
    assert Commendation.objects.filter(organization=tree.commune_a1).count() == 1


# ---------------------------------------------------------------- eligibility


def rate(kind, year, levels, organization):
    """Published yearly ratings as the evaluation's publication leaves them (the lists read only these)."""
    period = Period.objects.create(organization=organization, year=year, starts_on=D(year, 1, 1), ends_on=D(year, 12, 31),
                                   reference_date=D(year, 12, 31), rule_set="qd124_2023", opened_on=D(year, 11, 1),
                                   state=Period.State.PUBLISHED)
    for subject, level in levels:
        if kind == "member":
            Rating.objects.create(period=period, subject_kind="member", member=subject, organization=organization, subject_name="x",
                                  level=level, state=Rating.State.PUBLISHED)
        else:
            Rating.objects.create(period=period, subject_kind="organization", organization=subject, subject_name="x", level=level,
                                  state=Rating.State.PUBLISHED)


def test_the_eligible_organizations_follow_merges_and_exclude_discipline(tree, people):
    # Chi bộ A1b was formed by merging an older cell (a predecessor, rated 2020–2022): its own
    # ratings from 2023 and the predecessor's before make five years of HTXSNV
    old = tree.cell_a2
    restructuring = Restructuring.objects.create(organization=tree.district_a, title="Hợp nhất", decision_number="1-QĐ",
                                                 decision_issuer="Huyện ủy", decision_date=D(2022, 12, 1), effective_date=D(2023, 1, 1))
    Lineage.objects.create(restructuring=restructuring, predecessor=old, successor=tree.cell_a1b, kind="merge", share=1,
                           effective_date=D(2023, 1, 1))
    for year in range(2020, 2025):
        rated = [(tree.cell_a1a, "htxs")]
        rated.append((old, "htxs") if year < 2023 else (tree.cell_a1b, "htxs"))
        rate("organization", year, rated, tree.district_a)
    scope = Scope(people.staff_a)
    rows = selectors.eligible_organizations(scope, tree.district_a.pk, 2024, rules.EXCELLENT_ONLY, D(2025, 3, 1))
    by_id = {r.organization_id: r for r in rows}
    assert set(by_id) == {tree.cell_a1a.pk, tree.cell_a1b.pk}  # A2 alone has three years
    assert by_id[tree.cell_a1b.pk].predecessors == ["Chi bộ cơ sở A2"]
    # one year of "tốt" breaks the run for HTXSNV but not for the "tốt trở lên" setting
    Rating.objects.filter(organization=tree.cell_a1a, period__year=2022).update(level="htt")
    assert tree.cell_a1a.pk not in {r.organization_id for r in
                                    selectors.eligible_organizations(scope, tree.district_a.pk, 2024, rules.EXCELLENT_ONLY, D(2025, 3, 1))}
    assert tree.cell_a1a.pk in {r.organization_id for r in
                                selectors.eligible_organizations(scope, tree.district_a.pk, 2024, rules.GOOD_OR_BETTER, D(2025, 3, 1))}
    # the predecessor's discipline in the window follows it into the successor
    Discipline.objects.create(organization=tree.district_a, body="cap_uy", subject_kind="organization", subject_organization=old,
                              subject_name="A2", form="khien_trach", breach_started_on=D(2021, 1, 1), votes_for=5, votes_entitled=7,
                              decided_on=D(2021, 6, 1), effective_on=D(2021, 6, 1), decision_number="9-QĐ")
    after = {r.organization_id for r in selectors.eligible_organizations(scope, tree.district_a.pk, 2024, rules.EXCELLENT_ONLY, D(2025, 3, 1))}
    assert tree.cell_a1b.pk not in after and tree.cell_a2.pk not in after
    # another district's user sees none of these
    assert selectors.eligible_organizations(Scope(people.staff_b), tree.district_b.pk, 2024, rules.EXCELLENT_ONLY, D(2025, 3, 1)) == []


def test_the_eligible_members_have_five_years_at_the_level_and_no_discipline(tree, people):
    best, once_good, disciplined, four = (member(tree.cell_a1a, n) for n in
                                          ("Lê Văn Giỏi", "Lê Văn Khá", "Lê Văn Kỷ", "Lê Văn Bốn"))
    for year in range(2020, 2025):
        rated = [(best, "htxs"), (once_good, "htt" if year == 2021 else "htxs"), (disciplined, "htxs")]
        if year > 2020:
            rated.append((four, "htxs"))
        rate("member", year, rated, tree.cell_a1a)
    member_services.record_event(actor=None, member=disciplined, type="disciplined", effective_date=D(2024, 3, 1),
                                 discipline_form="khien_trach", decision_number="3-QĐ")
    scope = Scope(people.staff_a)
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.eligible_members(scope, tree.district_a.pk, 2024, rules.EXCELLENT_ONLY, D(2025, 3, 1))
    # the subtree's path; the grouped ratings with the members in it (one query); the cells' names
    assert len(queries) <= 4, [q["sql"] for q in queries]
    assert [r.member_id for r in rows] == [best.pk]
    assert rows[0].cell_name == "Chi bộ thôn A1a"
    good = selectors.eligible_members(scope, tree.district_a.pk, 2024, rules.GOOD_OR_BETTER, D(2025, 3, 1))
    assert {r.member_id for r in good} == {best.pk, once_good.pk}


# ---------------------------------------------------------------- figures and pages


def test_the_engine_counts_awards_by_form_and_recipient_with_their_records(tree, people, django_assert_max_num_queries):
    m = member(tree.cell_a1a, "Phạm Văn Ghi")
    award(tree, people, member=m, gift_value=100_000)
    award(tree, people, organization=tree.cell_a1a, awarded_by=tree.commune_a1, form=Form.CERTIFICATE, decision_number="7-QĐ/ĐU",
          gift_value=500_000)
    award(tree, people, organization=tree.cell_a1b, awarded_by=tree.province, form=Form.FLAG, decision_number="1-QĐ/TU")
    award(tree, people, actor=people.staff_b, organization=tree.cell_b1a, awarded_by=tree.commune_b1, form=Form.CERTIFICATE,
          decision_number="2-QĐ/ĐU")  # the other district
    award(tree, people, member=m, decided_on=D(2025, 12, 1), decision_number="9-QĐ/CB", year_from=2025)  # another... same year
    names = ["commendations", "commendations.members", "commendations.organizations", "commendations.praise",
             "commendations.certificate", "commendations.flag", "commendations.gift_value"]
    period = (D(2025, 1, 1), D(2025, 6, 30))
    with django_assert_max_num_queries(10):
        table = engine.table(names, tree.commune_a1, by="child", period=period)
    assert [table.total[n] for n in names] == [3, 1, 2, 1, 1, 1, 600_000]
    assert table.value("commendations", tree.cell_a1a.pk) == 2 and table.value("commendations.flag", tree.cell_a1b.pk) == 1
    for name in names[:-1]:
        rows = engine.rows(name, tree.commune_a1, period=period)
        assert rows.count() == table.total[name], name
        assert len(family(name).order(rows)) == table.total[name]


def test_the_pages_record_list_and_are_scoped(client, tree, people):
    m = member(tree.cell_a1a, "Võ Văn Được Khen")
    client.force_login(people.staff_a)
    url = reverse("activities:commend", args=[tree.cell_a1a.pk]) + "?ngay=10/01/2025"
    page = client.get(url)
    assert page.status_code == 200 and "Võ Văn Được Khen" in page.content.decode()
    data = {"member": str(m.pk), "form": Form.CERTIFICATE, "title": "Xuất sắc 2024", "period_kind": PeriodKind.YEAR, "year_to": "2024",
            "awarded_by": str(tree.cell_a1a.pk), "decision_number": "01-QĐ/CB", "decided_on": "10/01/2025", "gift_value": "0"}
    refused = client.post(url, data)
    assert refused.status_code == 422 and "Biểu dương" in refused.content.decode()  # the cell may only praise
    assert not Commendation.objects.exists()
    saved = client.post(url, data | {"awarded_by": str(tree.commune_a1.pk)})
    assert saved.status_code == 302
    assert Commendation.objects.get().awarded_by_id == tree.commune_a1.pk
    listing = reverse("activities:commendations") + f"?to_chuc={tree.district_a.pk}&nam=2025&ngay=31/12/2025"
    with CaptureQueriesContext(connection) as queries:
        body = client.get(listing).content.decode()
    assert "Võ Văn Được Khen" in body and "01-QĐ/CB" in body
    assert len(queries) <= 40, len(queries)
    client.force_login(people.staff_b)
    assert client.get(url).status_code == 404
    assert "Võ Văn Được Khen" not in client.get(reverse("activities:commendations") + "?nam=2025&ngay=31/12/2025").content.decode()
    client.force_login(people.leader_a)  # reads, does not record
    assert client.get(url).status_code == 403
    assert client.get(listing).status_code == 200

"""The evaluation pages: periods, a period, the fast entry, a rating, decide and publish.

Personas (evaluation/tests/conftest.py): staff_a (organization staff of huyện A: assesses and
decides), leader_a (reads huyện A), staff_b (huyện B: outsider), secretary_a1a (cell secretary of
chi bộ A1a: assesses, does not decide).
"""

import datetime as dt

import pytest
from django.urls import reverse

from coso.audit.models import AuditEvent
from coso.evaluation import services
from coso.evaluation.choices import SubjectKind
from coso.evaluation.models import Period, Rating
from coso.evaluation.rules.base import EXCELLENT, FAILED, GOOD, SATISFACTORY

from .conftest import members

pytestmark = pytest.mark.django_db
D = dt.date
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def roll(tree):
    return {
        "a1a": members(tree.cell_a1a, "Nguyễn", 3),
        "a1b": members(tree.cell_a1b, "Trần", 2),
        "a2": members(tree.cell_a2, "Lê", 7),
        "b1a": members(tree.cell_b1a, "Võ", 1),
    }


@pytest.fixture
def period(tree, people, scopes, roll):
    return services.open_period(actor=people.staff_a, organization=tree.district_a, year=2024)


def by_member(period, m) -> Rating:
    return Rating.objects.get(period=period, subject_kind=SubjectKind.MEMBER, member=m)


def by_org(period, org) -> Rating:
    return Rating.objects.get(period=period, subject_kind=SubjectKind.ORGANIZATION, organization=org)


def over_the_cap(period, tree, people, scopes, roll):
    """Chi bộ cơ sở A2: 5 good, 2 excellent: 2 × 100 > 5 × 20, the cap of 20% is broken."""
    levels = {m.pk: GOOD for m in roll["a2"][:5]} | {m.pk: EXCELLENT for m in roll["a2"][5:]}
    services.propose(actor=people.staff_a, period=period, cell=tree.cell_a2, levels=levels)


def body(response) -> str:
    return response.content.decode()


# ---------------------------------------------------------------- the periods


def test_it_lists_the_periods_of_the_scope(client, people, period, tree, django_assert_max_num_queries):
    services.open_period(actor=people.staff_b, organization=tree.district_b, year=2024)
    client.force_login(people.staff_a)
    # session, user, the scope's paths; the page of periods (count, rows), their organizations'
    # names, the progress (grouped); the header's scope name; the session saved (3)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("evaluation:periods"))
    assert response.status_code == 200
    text = body(response)
    assert "Năm 2024" in text and "Đảng bộ huyện A" in text and "Đảng bộ huyện B" not in text
    assert reverse("evaluation:open") in text
    client.force_login(people.leader_a)
    assert reverse("evaluation:open") not in body(client.get(reverse("evaluation:periods")))


def Scope_b(people):
    from coso.organizations.scope import Scope

    return Scope(people.staff_b)


def test_it_opens_a_period_from_the_form(client, people, tree, roll):
    client.force_login(people.staff_a)
    assert client.get(reverse("evaluation:open")).status_code == 200
    response = client.post(reverse("evaluation:open"), {"organization": tree.district_a.pk, "kind": "year", "year": "2024"})
    period = Period.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("evaluation:period", args=[period.pk])
    assert (period.rule_set, period.ratings.count()) == ("qd124_2023", 12 + 4)
    # the service's refusal lands on the form: the same span again
    response = client.post(reverse("evaluation:open"), {"organization": tree.district_a.pk, "kind": "year", "year": "2024"})
    assert response.status_code == 200 and "Đã có kỳ đánh giá" in body(response)


def test_opening_is_refused_outside_the_scope_and_without_the_permission(client, people, tree, roll):
    client.force_login(people.staff_a)
    response = client.post(reverse("evaluation:open"), {"organization": tree.district_b.pk, "kind": "year", "year": "2024"})
    assert response.status_code == 200 and "organization" in response.context["form"].errors
    assert client.get(reverse("evaluation:open"), {"to_chuc": tree.district_b.pk}).status_code == 404
    client.force_login(people.leader_a)
    assert client.get(reverse("evaluation:open")).status_code == 403
    client.force_login(people.secretary_a1a)
    assert client.post(reverse("evaluation:open"), {"organization": tree.cell_a1a.pk, "kind": "year", "year": "2024"}).status_code == 403
    assert not Period.objects.exists()


# ---------------------------------------------------------------- one period


def test_the_period_page_shows_groups_rules_and_violations_before_the_decision(client, people, tree, scopes, roll, period,
                                                                                 django_assert_max_num_queries):
    over_the_cap(period, tree, people, scopes, roll)
    client.force_login(people.staff_a)
    url = reverse("evaluation:period", args=[period.pk])
    # session, user, scope paths, the period; scope checks (3) and placements (2); the groups
    # (subtree path, grouped counts, names); the panel's counts (path, grouped counts) and
    # violations (placements 3, ratings, remedied breaches, discipline, names, comparable groups);
    # the comparable groups beside the check (subtree path, groups); the header's scope name; the
    # session saved (3). None per subject or per group.
    with django_assert_max_num_queries(27):
        response = client.get(url)
    assert response.status_code == 200
    text = body(response)
    assert "Quy định 124-QĐ/TW ngày 04/10/2023" in text  # the rule set in force, with its source
    assert "Đảng bộ xã A1" in text and "Chi bộ cơ sở A2" in text  # the groups
    assert "vượt quá 20% số đảng viên" in text and "Hướng dẫn 25-HD/BTCTW" in text  # the violation, with its reason and source
    assert "Quyết định xếp loại" in text and "Công bố kết quả" in text
    # one group's subjects, by cell, each with its step and level
    response = client.get(url, {"nhom": tree.cell_a2.pk})
    text = body(response)
    assert text.count(reverse("evaluation:rating", args=[by_member(period, roll["a2"][0]).pk])) == 1
    assert "Hoàn thành xuất sắc nhiệm vụ" in text and "Đã đề xuất mức xếp loại" in text
    assert reverse("evaluation:entry", args=[period.pk, tree.cell_a2.pk]) in text


def test_the_period_page_is_scoped(client, people, tree, period):
    client.force_login(people.staff_b)
    assert client.get(reverse("evaluation:period", args=[period.pk])).status_code == 404
    assert client.get(reverse("evaluation:violations", args=[period.pk])).status_code == 404
    # a cell secretary sees the district's period, for their cell only, without the decision
    client.force_login(people.secretary_a1a)
    response = client.get(reverse("evaluation:period", args=[period.pk]))
    assert response.status_code == 200
    text = body(response)
    assert "Chi bộ thôn A1a" in text and "Chi bộ cơ sở A2" not in text and "Quyết định xếp loại" not in text
    assert "Nguyễn Văn A" in text and "Trần Văn A" not in text


def test_deciding_is_refused_with_the_reasons_while_a_violation_stands(client, people, tree, scopes, roll, period):
    over_the_cap(period, tree, people, scopes, roll)
    client.force_login(people.staff_a)
    url = reverse("evaluation:decide", args=[period.pk])
    response = client.post(url, {"organization": tree.cell_a2.pk, "decision_number": "12-QĐ/ĐU"}, follow=True)
    assert response.status_code == 200
    text = body(response)
    assert "Chưa quyết định được xếp loại: Chi bộ cơ sở A2: 2 đảng viên" in text and "vượt quá 20% số đảng viên" in text
    assert not Rating.objects.filter(period=period, state=Rating.State.DECIDED).exists()
    # mended: one of the two excellent proposals lowered; then decided and published
    services.propose_rating(actor=people.staff_a, rating=by_member(period, roll["a2"][6]), level=GOOD)
    response = client.post(url, {"organization": tree.cell_a2.pk, "decision_number": "12-QĐ/ĐU"}, follow=True)
    assert "Đã quyết định xếp loại 7 đối tượng." in body(response)
    assert by_member(period, roll["a2"][5]).level == EXCELLENT and by_member(period, roll["a2"][5]).decision_number == "12-QĐ/ĐU"
    response = client.post(reverse("evaluation:publish", args=[period.pk]), {"organization": tree.cell_a2.pk}, follow=True)
    assert "Đã công bố kết quả xếp loại của 7 đối tượng." in body(response)
    assert by_member(period, roll["a2"][0]).state == Rating.State.PUBLISHED


def test_deciding_needs_the_permission_and_a_post(client, people, tree, period):
    client.force_login(people.secretary_a1a)
    assert client.post(reverse("evaluation:decide", args=[period.pk]), {"organization": tree.cell_a1a.pk}).status_code == 403
    assert client.post(reverse("evaluation:publish", args=[period.pk]), {"organization": tree.cell_a1a.pk}).status_code == 403
    client.force_login(people.staff_a)
    assert client.get(reverse("evaluation:decide", args=[period.pk])).status_code == 302  # back to the period page
    client.force_login(people.staff_b)
    assert client.post(reverse("evaluation:decide", args=[period.pk]), {"organization": tree.district_a.pk}).status_code == 404


def test_a_waiting_subject_refuses_the_decision(client, people, tree, period):
    client.force_login(people.staff_a)
    response = client.post(reverse("evaluation:decide", args=[period.pk]), {"organization": tree.district_a.pk}, follow=True)
    assert "chưa có đề xuất mức xếp loại" in body(response)


# ---------------------------------------------------------------- the fast entry


def test_the_fast_entry_page_has_one_row_per_member_with_a_level_select(client, people, tree, period, roll):
    client.force_login(people.secretary_a1a)
    response = client.get(reverse("evaluation:entry", args=[period.pk, tree.cell_a1a.pk]))
    assert response.status_code == 200
    text = body(response)
    for m in roll["a1a"]:
        rating = by_member(period, m)
        assert f'id="lv-{rating.pk}"' in text and reverse("evaluation:propose", args=[rating.pk]) in text
    assert 'id="violations"' in text and 'hx-trigger="evaluation-saved from:body delay:250ms"' in text
    assert "coso/evaluation.js" in text and "<script>" not in text  # no inline script (CSP)
    assert 'name="score"' not in text  # 124-QĐ/TW scores nothing


def test_a_row_saves_itself_and_asks_the_panel_to_reload(client, people, tree, period, roll):
    client.force_login(people.secretary_a1a)
    rating = by_member(period, roll["a1a"][0])
    response = client.post(reverse("evaluation:propose", args=[rating.pk]), {"level": GOOD, "n": "1"}, **HTMX)
    assert response.status_code == 200
    text = body(response)
    assert text.lstrip().startswith('<td class="num ">1<input type="hidden" name="n"') and "Đã lưu" in text  # the row's cells and f'<option value="{GOOD}" selected>' in text
    assert response["HX-Trigger"] == '{"evaluation-saved": {}}'
    rating.refresh_from_db()
    assert (rating.state, rating.proposed_level, rating.proposed_by) == (Rating.State.PROPOSED, GOOD, people.secretary_a1a)
    assert AuditEvent.objects.filter(event_type="evaluation.rating.proposed", target_id=str(rating.pk)).exists()


def test_a_bad_row_comes_back_with_its_error_and_saves_nothing(client, people, tree, period, roll):
    client.force_login(people.secretary_a1a)
    rating = by_member(period, roll["a1a"][0])
    response = client.post(reverse("evaluation:propose", args=[rating.pk]), {"level": "xyz", "n": "1"}, **HTMX)
    assert response.status_code == 200 and "HX-Trigger" not in response
    assert "table-danger" in body(response) and "Hãy chọn một lựa chọn hợp lệ" in body(response)
    rating.refresh_from_db()
    assert rating.state == Rating.State.PENDING


def test_the_violations_panel_follows_the_proposals(client, people, tree, scopes, period, roll):
    over_the_cap(period, tree, people, scopes, roll)
    client.force_login(people.staff_a)
    url = reverse("evaluation:violations", args=[period.pk])
    text = body(client.get(url, {"to_chuc": tree.cell_a2.pk}))
    assert "vượt quá 20%" in text and 'data-level="htxs"' in text
    assert "vượt quá 20%" not in body(client.get(url, {"to_chuc": tree.cell_a1a.pk}))
    client.post(reverse("evaluation:propose", args=[by_member(period, roll["a2"][6]).pk]), {"level": GOOD, "n": "7"}, **HTMX)
    assert "Không có vi phạm" in body(client.get(url, {"to_chuc": tree.cell_a2.pk}))


def test_a_cell_sees_the_cap_of_its_grassroots_organization(client, people, tree, scopes, period, roll):
    """The cap is counted over the commune: the cell's secretary sees why the cell's proposals break it."""
    services.propose(actor=people.staff_a, period=period, cell=tree.cell_a1a,
                     levels={roll["a1a"][0].pk: EXCELLENT, roll["a1a"][1].pk: GOOD})
    client.force_login(people.secretary_a1a)
    text = body(client.get(reverse("evaluation:violations", args=[period.pk]), {"to_chuc": tree.cell_a1a.pk}))
    assert "Đảng bộ xã A1: 1 đảng viên được xếp loại" in text


def test_the_fast_entry_is_scoped(client, people, tree, period, roll):
    rating = by_member(period, roll["a1a"][0])
    client.force_login(people.staff_b)
    assert client.get(reverse("evaluation:entry", args=[period.pk, tree.cell_a1a.pk])).status_code == 404
    assert client.post(reverse("evaluation:propose", args=[rating.pk]), {"level": GOOD}, **HTMX).status_code == 404
    client.force_login(people.leader_a)
    response = client.get(reverse("evaluation:entry", args=[period.pk, tree.cell_a1a.pk]))
    assert response.status_code == 200 and f'id="lv-{rating.pk}"' not in body(response)  # read only
    assert client.post(reverse("evaluation:propose", args=[rating.pk]), {"level": GOOD}, **HTMX).status_code == 403
    client.force_login(people.secretary_a1a)
    assert client.get(reverse("evaluation:entry", args=[period.pk, tree.cell_a1b.pk])).status_code == 404
    assert client.get(reverse("evaluation:propose", args=[rating.pk])).status_code == 302
    rating.refresh_from_db()
    assert rating.state == Rating.State.PENDING


def test_the_fast_entry_page_of_30_members_takes_a_fixed_number_of_queries(client, people, tree, scopes, period,
                                                                            django_assert_max_num_queries):
    members(tree.cell_a1b, "Phạm", 30)
    services.enroll(actor=people.staff_a, period=period)
    client.force_login(people.staff_a)
    # session, user, period; scope checks and placements; the ratings; the violations panel (its
    # placements, the period's ratings, remedied breaches, discipline, names, comparable groups) and
    # the counts by level
    with django_assert_max_num_queries(24):
        response = client.get(reverse("evaluation:entry", args=[period.pk, tree.cell_a1b.pk]))
    assert body(response).count("data-rating-row") == 33


# ---------------------------------------------------------------- a rating: self-assessment, comments, correction


def test_self_assessment_and_comments_on_the_rating_page(client, people, tree, period, roll):
    rating = by_member(period, roll["a1a"][0])
    client.force_login(people.secretary_a1a)
    url = reverse("evaluation:rating", args=[rating.pk])
    assert "1. Tự đánh giá, xếp loại" in body(client.get(url))
    response = client.post(reverse("evaluation:self_assess", args=[rating.pk]), {"level": GOOD, "note": "Hoàn thành các nhiệm vụ được giao."})
    assert response.status_code == 302 and response["Location"] == url
    response = client.post(reverse("evaluation:comment", args=[rating.pk]), {"text": ""})
    assert response.status_code == 200 and "is-invalid" in body(response)
    client.post(reverse("evaluation:comment", args=[rating.pk]), {"text": "Chi bộ thống nhất mức tự xếp loại."})
    rating.refresh_from_db()
    assert (rating.state, rating.self_level, rating.comments) == (Rating.State.COMMENTED, GOOD, "Chi bộ thống nhất mức tự xếp loại.")
    text = body(client.get(url))
    assert "Chi bộ thống nhất mức tự xếp loại." in text and "secretary_a1a" in text
    assert "1. Tự đánh giá, xếp loại" not in text and "3. Đề xuất mức xếp loại" in text
    # the proposal form of the page (without htmx): back to the page
    response = client.post(reverse("evaluation:propose", args=[rating.pk]), {"level": GOOD})
    assert response.status_code == 302 and response["Location"] == url


def test_the_rating_pages_are_scoped(client, people, tree, period, roll):
    rating = by_member(period, roll["a1a"][0])
    client.force_login(people.staff_b)
    assert client.get(reverse("evaluation:rating", args=[rating.pk])).status_code == 404
    for name in ("self_assess", "comment", "propose", "correct"):
        assert client.post(reverse(f"evaluation:{name}", args=[rating.pk]), {"level": GOOD, "text": "x"}).status_code == 404
    client.force_login(people.leader_a)
    assert client.get(reverse("evaluation:rating", args=[rating.pk])).status_code == 200
    assert client.post(reverse("evaluation:self_assess", args=[rating.pk]), {"level": GOOD}).status_code == 403
    rating.refresh_from_db()
    assert rating.state == Rating.State.PENDING


def _publish_a2(period, tree, people, scopes, roll):
    services.propose(actor=people.staff_a, period=period, cell=tree.cell_a2,
                     levels={m.pk: GOOD for m in roll["a2"][:6]} | {roll["a2"][6].pk: SATISFACTORY})
    services.decide(actor=people.staff_a, period=period, organization=tree.cell_a2)
    services.publish(actor=people.staff_a, period=period, organization=tree.cell_a2)


def test_a_published_result_is_corrected_with_a_reason(client, people, tree, scopes, period, roll):
    _publish_a2(period, tree, people, scopes, roll)
    rating = by_member(period, roll["a2"][0])
    client.force_login(people.staff_a)
    url = reverse("evaluation:rating", args=[rating.pk])
    assert "Điều chỉnh kết quả đã công bố" in body(client.get(url))
    response = client.post(reverse("evaluation:correct", args=[rating.pk]), {"level": FAILED, "reason": ""})
    assert response.status_code == 200 and "is-invalid" in body(response)
    response = client.post(reverse("evaluation:correct", args=[rating.pk]), {"level": FAILED, "reason": "Bị kỷ luật về vi phạm trong năm.",
                                                                             "decision_number": "05-QĐ/UBKT"}, follow=True)
    assert "Đã điều chỉnh kết quả xếp loại" in body(response)
    text = body(response)
    assert "Bị kỷ luật về vi phạm trong năm." in text and "Hoàn thành tốt nhiệm vụ → Không hoàn thành nhiệm vụ" in text
    rating.refresh_from_db()
    assert rating.level == FAILED
    client.force_login(people.leader_a)
    assert client.post(reverse("evaluation:correct", args=[rating.pk]), {"level": GOOD, "reason": "x"}).status_code == 403


def test_a_period_opened_above_shows_the_user_only_their_part(client, people, tree, roll):

    province = services.open_period(actor=people.admin, organization=tree.province, year=2024)
    client.force_login(people.staff_a)
    assert "Năm 2024" in body(client.get(reverse("evaluation:periods")))
    text = body(client.get(reverse("evaluation:period", args=[province.pk]), {"nhom": tree.commune_a1.pk}))
    assert "Đảng bộ huyện A" in text and "Nguyễn Văn A" in text
    # names, not bare "B1": a CSRF token on the page may hold those two characters by chance
    assert "huyện B" not in text and "Võ Văn A" not in text and "xã B1" not in text and "thôn B1a" not in text
    # the decision acts under the user's own organization, never above it
    client.post(reverse("evaluation:decide", args=[province.pk]), {"organization": tree.province.pk})
    assert not Rating.objects.filter(period=province, state=Rating.State.DECIDED).exists()


def test_a_row_save_takes_a_fixed_number_of_queries(client, people, tree, period, roll, django_assert_max_num_queries):
    client.force_login(people.secretary_a1a)
    rating = by_member(period, roll["a1a"][0])
    # session, user, the rating, scope paths, the scope check; the service (savepoint, the locked
    # rating with its period, scope check, update, audit event, release); the session saved (3)
    with django_assert_max_num_queries(14):
        response = client.post(reverse("evaluation:propose", args=[rating.pk]), {"level": GOOD, "n": "1"}, **HTMX)
    assert "Đã lưu" in body(response)


def test_read_only_pages_refuse_other_methods(client, people, tree, period):
    client.force_login(people.staff_a)
    for url in (reverse("evaluation:periods"), reverse("evaluation:period", args=[period.pk]),
                reverse("evaluation:violations", args=[period.pk]), reverse("evaluation:entry", args=[period.pk, tree.cell_a2.pk]),
                reverse("evaluation:export", args=[period.pk])):
        assert client.post(url).status_code == 405, url
    assert client.put(reverse("evaluation:open")).status_code == 405


def test_a_violation_at_a_cell_counts_in_its_grassroots_organization(client, people, tree, scopes, roll):
    """Under 366-QĐ/TW a proposal above its score is a violation of the member's cell."""
    period = services.open_period(actor=people.staff_a, organization=tree.district_a, year=2025)
    services.propose(actor=people.staff_a, period=period, cell=tree.cell_a1a, levels={roll["a1a"][0].pk: (GOOD, 60)})
    client.force_login(people.staff_a)
    response = client.get(reverse("evaluation:period", args=[period.pk]))
    groups = {g.id: g.violations for g in response.context["groups"]}
    assert groups == {tree.commune_a1.pk: 1, tree.cell_a2.pk: 0}
    assert "Nguyễn Văn A đạt 60 điểm nên chỉ được xếp loại “Hoàn thành nhiệm vụ”" in body(response)


def test_the_period_page_lists_its_organizations_by_name(client, people, tree, period):
    client.force_login(people.staff_a)
    text = body(client.get(reverse("evaluation:period", args=[period.pk])))
    table = text[text.index("Tổ chức cơ sở đảng"):]
    # by name in the Vietnamese order (C before Đ), not in the order they were created
    assert table.index("Chi bộ cơ sở A2") < table.index("Đảng bộ xã A1")

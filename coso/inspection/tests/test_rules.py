"""Worked examples of the rules of discipline (rules.py): forms, the vote, and each limitation rule.

Members (69-QĐ/TW Điều 4): 5 years for khiển trách, 10 for cảnh cáo and cách chức, none for
khai trừ and the excluded categories; from the breach's end; restarted by a new breach within
the period. Organizations (07-QĐi/TW, as configured): 5 / 10 years, none for giải tán.
"""

import datetime as dt

import pytest

from coso.inspection import rules
from coso.inspection.choices import Form, SubjectKind

D = dt.date
MEMBER, ORG = SubjectKind.MEMBER, SubjectKind.ORGANIZATION


BREACH = rules.Breach(D(2015, 3, 10))


def status(form, kind=MEMBER, *, breach=BREACH, on, **kw):
    return rules.limitation(breach, form, kind, on, **kw)


def test_it_gives_a_reprimand_five_years_from_the_breach():
    assert not status(Form.REPRIMAND, on=D(2020, 3, 9)).expired  # the last day of the five years
    expired = status(Form.REPRIMAND, on=D(2020, 3, 10))
    assert expired.expired and expired.years == 5
    assert expired.text == ("Đã hết thời hiệu xử lý kỷ luật: 5 năm kể từ ngày 10/03/2015, hết vào ngày 09/03/2020; "
                            "không thi hành kỷ luật.")


@pytest.mark.parametrize("form", [Form.WARNING, Form.DISMISSAL])
def test_it_gives_a_warning_and_a_dismissal_ten_years(form):
    assert not status(form, on=D(2025, 3, 9)).expired
    assert status(form, on=D(2025, 3, 10)).expired


def test_it_sets_no_limit_for_expulsion():
    found = status(Form.EXPULSION, on=D(2045, 1, 1))
    assert found.years is None and not found.expired and "Không áp dụng thời hiệu" in found.text


def test_it_sets_no_limit_for_the_excluded_categories_whatever_the_form():
    assert not status(Form.REPRIMAND, on=D(2045, 1, 1), no_limit=True).expired


def test_it_counts_a_long_running_breach_from_its_end():
    breach = rules.Breach(D(2012, 1, 1), D(2016, 6, 30))
    assert not rules.limitation(breach, Form.REPRIMAND, MEMBER, D(2021, 6, 29)).expired
    assert rules.limitation(breach, Form.REPRIMAND, MEMBER, D(2021, 6, 30)).expired


def test_a_new_breach_within_the_period_restarts_the_clock():
    breach = rules.Breach(D(2015, 3, 10))
    later = [rules.Breach(D(2019, 1, 1), D(2019, 2, 1))]
    found = rules.limitation(breach, Form.REPRIMAND, MEMBER, D(2022, 1, 1), later_breaches=later)
    assert not found.expired and found.runs_from == D(2019, 2, 1) and found.restarted_by == D(2019, 1, 1)
    assert found.expires_on == D(2024, 2, 1)
    assert "tính lại từ vi phạm mới ngày 01/01/2019" in found.text
    assert rules.limitation(breach, Form.REPRIMAND, MEMBER, D(2024, 2, 1), later_breaches=later).expired


def test_a_new_breach_after_the_period_ran_out_restarts_nothing():
    breach = rules.Breach(D(2015, 3, 10))
    found = rules.limitation(breach, Form.REPRIMAND, MEMBER, D(2022, 1, 1), later_breaches=[rules.Breach(D(2020, 6, 1))])
    assert found.expired and found.restarted_by is None


def test_a_chain_of_breaches_keeps_restarting():
    breach = rules.Breach(D(2010, 1, 1))
    chain = [rules.Breach(D(2014, 1, 1)), rules.Breach(D(2018, 1, 1))]
    found = rules.limitation(breach, Form.REPRIMAND, MEMBER, D(2022, 12, 31), later_breaches=chain)
    assert found.runs_from == D(2018, 1, 1) and not found.expired


def test_a_breach_not_yet_committed_on_the_day_restarts_nothing():
    breach = rules.Breach(D(2015, 3, 10))
    found = rules.limitation(breach, Form.REPRIMAND, MEMBER, D(2019, 1, 1), later_breaches=[rules.Breach(D(2019, 6, 1))])
    assert found.runs_from == D(2015, 3, 10)


def test_organizations_have_five_and_ten_years_and_no_limit_for_dissolution():
    assert status(Form.REPRIMAND, ORG, on=D(2020, 3, 10)).expired
    assert not status(Form.WARNING, ORG, on=D(2020, 3, 10)).expired
    assert status(Form.WARNING, ORG, on=D(2025, 3, 10)).expired
    assert not status(Form.DISSOLUTION, ORG, on=D(2045, 3, 10)).expired


def test_it_allows_the_forms_of_the_statute():
    assert rules.allowed_forms(MEMBER, "official") == (Form.REPRIMAND, Form.WARNING, Form.DISMISSAL, Form.EXPULSION)
    assert rules.allowed_forms(MEMBER, "probationary") == (Form.REPRIMAND, Form.WARNING)
    assert rules.allowed_forms(ORG) == (Form.REPRIMAND, Form.WARNING, Form.DISSOLUTION)
    assert "dự bị" in rules.form_problem(Form.EXPULSION, MEMBER, "probationary")
    assert rules.form_problem(Form.DISMISSAL, ORG) is not None


def test_the_vote_must_be_more_than_the_share():
    assert rules.vote_problem(Form.WARNING, 4, 8) is not None  # half is not more than half
    assert rules.vote_problem(Form.WARNING, 5, 8) is None
    assert rules.vote_problem(Form.EXPULSION, 6, 9) is not None  # two thirds is not more than two thirds
    assert rules.vote_problem(Form.EXPULSION, 7, 9) is None
    assert rules.vote_problem(Form.WARNING, 9, 8) is not None
    assert rules.vote_problem(Form.WARNING, 0, 0) is not None


# -- the competent body per form (Điều lệ Điều 36 as configured, UNCONFIRMED)

ON = D(2025, 6, 1)


@pytest.mark.parametrize(("kind", "level", "body", "forms"), [
    (MEMBER, rules.CELL_LEVEL, "chi_bo", {Form.REPRIMAND, Form.WARNING}),
    (MEMBER, rules.GRASSROOTS_LEVEL, "cap_uy", {Form.REPRIMAND, Form.WARNING, Form.DISMISSAL}),
    (MEMBER, rules.GRASSROOTS_LEVEL, "ubkt", {Form.REPRIMAND, Form.WARNING}),
    (MEMBER, rules.ABOVE_LEVEL, "ubkt", {Form.REPRIMAND, Form.WARNING, Form.DISMISSAL, Form.EXPULSION}),
    (ORG, rules.CELL_LEVEL, "chi_bo", set()),
    (ORG, rules.GRASSROOTS_LEVEL, "cap_uy", {Form.REPRIMAND, Form.WARNING}),
    (ORG, rules.ABOVE_LEVEL, "ubkt", {Form.REPRIMAND, Form.WARNING}),
    (ORG, rules.ABOVE_LEVEL, "cap_uy", {Form.REPRIMAND, Form.WARNING, Form.DISSOLUTION}),
])
def test_it_tells_which_body_may_decide_which_form(kind, level, body, forms):
    assert set(rules.competent_forms(kind, level, body, ON)) == forms
    for form in Form.values:
        assert (rules.competence_problem(form, kind, level, body, ON) is None) == (form in forms)


def test_it_names_the_forms_a_body_may_decide_when_it_refuses():
    assert rules.competence_problem(Form.DISSOLUTION, ORG, rules.ABOVE_LEVEL, "ubkt", ON) == (
        "Ủy ban kiểm tra cấp trên cơ sở không có thẩm quyền quyết định hình thức giải tán đối với tổ chức đảng; chỉ quyết định: "
        "khiển trách, cảnh cáo (Điều lệ Đảng, Điều 36; cấu hình, chưa đối chiếu văn bản).")

"""Invariants of discipline, whatever is typed: a refused decision (or correction) writes nothing;
an expulsion leaves the member counted nowhere after its date and everywhere before; annulled
later, the member is counted again from the restoration only (the history kept).

Each example runs in a savepoint rolled back at its end, on one tree and a few members.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from coso.audit.models import AuditEvent
from coso.inspection import services
from coso.inspection.choices import Body, CorrectionKind, Form, SubjectKind
from coso.inspection.models import Discipline, DisciplineCorrection
from coso.measures import engine
from coso.members.models import MemberEvent, MemberPeriod

from .conftest import member

pytestmark = pytest.mark.django_db
D = dt.date
DAYS = st.dates(min_value=D(2023, 6, 1), max_value=D(2026, 6, 1))


def snapshot():
    return (Discipline.objects.count(), MemberEvent.objects.count(), AuditEvent.objects.count(),
            list(MemberPeriod.objects.order_by("id").values_list("id", "valid_to")))


@pytest.fixture
def roll(tree):
    return {"official": member(tree.cell_a1a, "Nguyễn Văn Chính"),
            "probationary": member(tree.cell_a1b, "Trần Văn Dự", admitted=D(2023, 10, 1), official=False),
            "outside": member(tree.cell_b1a, "Võ Văn Ngoài")}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(who=st.sampled_from(["official", "probationary", "outside"]), form=st.sampled_from(Form.values),
       votes=st.integers(-1, 9), entitled=st.integers(0, 9), breach=DAYS, ended=st.one_of(st.none(), DAYS),
       decided=DAYS, effective=DAYS)
def test_a_refused_decision_writes_nothing(tree, people, roll, who, form, votes, entitled, breach, ended, decided, effective):
    officer = people.admin
    with transaction.atomic():
        before = snapshot()
        try:
            services.decide_discipline(actor=officer, organization=tree.district_a, body=Body.COMMISSION, subject_kind=SubjectKind.MEMBER,
                                       subject_member=roll[who], form=form, breach_started_on=breach, breach_ended_on=ended,
                                       votes_for=votes, votes_entitled=entitled, decided_on=decided, effective_on=effective,
                                       decision_number="01-QĐ/UBKT")
        except ValidationError as error:
            assert snapshot() == before
            assert hasattr(error, "error_dict")  # always names a field
            event("refused")
        else:
            assert Discipline.objects.count() == before[0] + 1
            event("decided")
        transaction.set_rollback(True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(effective=st.dates(min_value=D(2024, 2, 1), max_value=D(2026, 6, 1)), probe=st.dates(min_value=D(2024, 1, 5), max_value=D(2026, 12, 1)))
def test_an_expulsion_counts_the_member_nowhere_after_its_date_and_everywhere_before(tree, people, roll, effective, probe):
    expelled = roll["official"]
    roots = [None, tree.province, tree.district_a, tree.commune_a1, tree.cell_a1a]
    with transaction.atomic():
        before = {root: engine.count("members", root, on=probe) for root in roots}
        services.decide_discipline(actor=people.admin, organization=tree.district_a, body=Body.COMMISSION, subject_kind=SubjectKind.MEMBER,
                                   subject_member=expelled, form=Form.EXPULSION, breach_started_on=D(2024, 1, 20), votes_for=7,
                                   votes_entitled=9, decided_on=effective, effective_on=effective, decision_number="02-QĐ/UBKT")
        after = {root: engine.count("members", root, on=probe) for root in roots}
        counted = MemberPeriod.objects.filter(member=expelled).on(probe).exists()
        if probe < effective:
            assert after == before and counted
        else:
            assert after == {root: n - 1 for root, n in before.items()} and not counted
        transaction.set_rollback(True)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(expelled_on=st.dates(min_value=D(2024, 2, 1), max_value=D(2025, 6, 1)), gap=st.integers(0, 400),
       probe=st.dates(min_value=D(2024, 1, 5), max_value=D(2026, 12, 1)))
def test_an_expulsion_annulled_counts_the_member_before_it_and_from_the_restoration_only(tree, people, roll, expelled_on, gap, probe):
    member_ = roll["official"]
    restored_on = expelled_on + dt.timedelta(days=gap)
    roots = [None, tree.district_a, tree.cell_a1a]
    with transaction.atomic():
        before = {root: engine.count("members", root, on=probe) for root in roots}
        expulsion = services.decide_discipline(
            actor=people.admin, organization=tree.district_a, body=Body.COMMISSION, subject_kind=SubjectKind.MEMBER, subject_member=member_,
            form=Form.EXPULSION, breach_started_on=D(2024, 1, 20), votes_for=7, votes_entitled=9, decided_on=expelled_on,
            effective_on=expelled_on, decision_number="02-QĐ/UBKT")
        services.correct_discipline(actor=people.admin, discipline=expulsion, organization=tree.province, body=Body.COMMISSION,
                                    kind=CorrectionKind.ANNULLED, wrongful=True, reason="Kỷ luật oan.", decided_on=restored_on,
                                    effective_on=restored_on, decision_number="05-QĐ/UBKTTU")
        after = {root: engine.count("members", root, on=probe) for root in roots}
        if expelled_on <= probe < restored_on:
            assert after == {root: n - 1 for root, n in before.items()}
        else:
            assert after == before
        transaction.set_rollback(True)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(kind=st.sampled_from(CorrectionKind.values), new_form=st.sampled_from(["", *Form.values]),
       body=st.sampled_from(Body.values), where=st.sampled_from(["province", "district_a", "commune_a1", "cell_a1a", "district_b"]),
       decided=DAYS, effective=DAYS, reason=st.sampled_from(["", "Lý do."]))
def test_a_refused_correction_writes_nothing(tree, people, roll, kind, new_form, body, where, decided, effective, reason):
    with transaction.atomic():
        warned = services.decide_discipline(
            actor=people.admin, organization=tree.district_a, body=Body.COMMISSION, subject_kind=SubjectKind.MEMBER,
            subject_member=roll["official"], form=Form.WARNING, breach_started_on=D(2024, 3, 1), votes_for=5, votes_entitled=7,
            decided_on=D(2024, 6, 1), effective_on=D(2024, 6, 1), decision_number="03-QĐ/UBKT")
        before = snapshot() + (DisciplineCorrection.objects.count(),)
        try:
            services.correct_discipline(actor=people.admin, discipline=warned, organization=getattr(tree, where), body=body, kind=kind,
                                        new_form=new_form, reason=reason, decided_on=decided, effective_on=effective,
                                        decision_number="09-QĐ")
        except ValidationError as error:
            assert snapshot() + (DisciplineCorrection.objects.count(),) == before
            assert hasattr(error, "error_dict")
            event("refused")
        else:
            assert DisciplineCorrection.objects.count() == before[-1] + 1
            event("recorded")
        transaction.set_rollback(True)

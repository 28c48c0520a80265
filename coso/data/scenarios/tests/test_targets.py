"""The articles' documents and targets, loaded by the scenario loader and evaluated from the records
on the article's date: Núi Thành's 02-NQ/HU (2021), Nông Sơn's 13-NQ/TU (the province's, carried
out by the district), Thạnh Trị's Nghị quyết 02. Targets whose figures the catalog does not have
(the district's own cadres and department heads) say "chưa tính được" and name the missing figure."""

import datetime as dt

import pytest

from coso.data.scenarios import kinds
from coso.resolutions.models import Document
from coso.targets import progress
from coso.targets.models import Target

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
SCENARIOS = kinds.read()
# the targets waiting for another capability, by scenario and code
WAITING = {"thanh-tri": {"5", "6", "7", "8", "9"}}  # the district's own cadres: not records of the system
# the articles' dates (Thạnh Trị: the end of the training figure's period)
ARTICLE = {"nong-son": dt.date(2023, 4, 16), "thanh-tri": dt.date(2021, 6, 6)}


def test_the_articles_documents_are_registered_with_their_numbers(scenarios):
    symbols = {(d.symbol, d.issued_on.year) for d in Document.objects.filter(kind="nq", number__in=[2, 13])}
    assert {("02-NQ/HU", 2021), ("13-NQ/TU", 2013), ("02-NQ/HU", 2020)} <= symbols


@pytest.mark.parametrize("key", ["nong-son", "thanh-tri"])
def test_the_targets_are_evaluated_from_records_or_say_what_they_wait_for(scenarios, key):
    committee = scenarios[key]
    on = ARTICLE[key]
    mine = list(Target.objects.filter(organization=committee).order_by("order", "id"))
    assert len(mine) == sum(1 for f in SCENARIOS[key].figures if f.section == "targets")
    for p in progress.evaluate_all(mine, committee.pk, on):
        if p.target.code in WAITING.get(key, ()):
            assert p.status == progress.Status.PENDING and "chưa tính được" in p.pending, p.target.text
        else:
            assert p.status != progress.Status.PENDING, (p.target.text, p.pending)
    for admitted in (t for t in mine if t.numerator == "events.admitted"):  # Thạnh Trị's "kết nạp 400 đảng viên"
        # computed from the records (the scenario builds no admission after the term's start: 0, not pending)
        assert progress.evaluate(admitted, on, progress.Trees(committee.pk)).value is not None

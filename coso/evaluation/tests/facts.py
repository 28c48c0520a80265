"""Small builders for rule tests: ratings as plain facts, no database."""

import datetime as dt
from decimal import Decimal
from itertools import count

from coso.evaluation.choices import SubjectKind
from coso.evaluation.rules.base import Context, Discipline, RatingFact

_keys = count(1)


def fact(level, kind=SubjectKind.MEMBER, *, name=None, member_id=None, organization_id=10, grassroots_id=1, parent_id=None,
         score=None, cap_group=None, **conditions) -> RatingFact:
    key = next(_keys)
    if member_id is None and kind in (SubjectKind.MEMBER, SubjectKind.LEADER):
        member_id = 1000 + key
    return RatingFact(key=key, kind=kind, name=name or f"Đối tượng {key}", level=level, member_id=member_id,
                      organization_id=organization_id, grassroots_id=grassroots_id, parent_id=parent_id,
                      score=None if score is None else Decimal(str(score)), conditions=conditions,
                      cap_group=cap_group)


def many(n, level, **kw) -> list[RatingFact]:
    return [fact(level, **kw) for _ in range(n)]


def context(year=2024, cap=20, discipline=None, names=None, **kw) -> Context:
    """discipline: {member id: [(decided on, form[, breach on, category, remedied])]}; kw: other Context fields."""
    return Context(starts_on=dt.date(year, 1, 1), ends_on=dt.date(year, 12, 31), cap_percent=None if cap is None else Decimal(cap),
                   discipline={k: [Discipline(*d) for d in v] for k, v in (discipline or {}).items()},
                   names=names or {1: "Đảng bộ xã A1", 2: "Chi bộ cơ sở A2"}, **kw)


def rules_of(violations) -> list[str]:
    return [v.rule for v in violations]

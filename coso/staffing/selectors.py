"""The read side of staffing: headcount against quota on a date, before/after figures for two
dates, exits over a period, and the posts held (for training's lists). One grouped query per
question, never one per commune."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum

from coso.training.holders import Holder

from .models import Employment, Quota
from .reference import CATEGORY_SPANS, STREAMLINING_ENDINGS, Category

PAGE_SIZE = 50


def headcount(employments, on: dt.date) -> dict[tuple[int, str], int]:
    """{(commune id, category): people employed on the date} (a person counted once per commune
    and category however many positions they hold there)."""
    rows = employments.on(on).values("commune_id", "category").annotate(n=Count("person_id", distinct=True)).order_by()
    return {(r["commune_id"], r["category"]): r["n"] for r in rows}


def quotas(quota_qs, on: dt.date) -> dict[tuple[int, str], int]:
    rows = quota_qs.on(on).values("commune_id", "category").annotate(n=Sum("number")).order_by()
    return {(r["commune_id"], r["category"]): r["n"] for r in rows}


def exits(employments, start: dt.date, end: dt.date, *, streamlining: bool = False):
    """Records that ended within [start, end] (their last day worked lies in it: valid_to − 1)."""
    qs = employments.filter(valid_to__gt=start, valid_to__lte=end + dt.timedelta(days=1))
    if streamlining:
        qs = qs.filter(ending__in=STREAMLINING_ENDINGS)
    return qs


@dataclass
class CategoryRow:
    category: str
    label: str
    headcount: int = 0
    quota: int | None = None
    before: int = 0
    after: int = 0
    exits: int = 0
    streamlined: int = 0

    @property
    def against_quota(self) -> int | None:
        return None if self.quota is None else self.headcount - self.quota

    @property
    def change(self) -> int:
        return self.after - self.before


@dataclass
class Table:
    on: dt.date
    rows: list = field(default_factory=list)

    @property
    def headcount(self) -> int:
        return sum(r.headcount for r in self.rows)

    @property
    def quota(self) -> int:
        return sum(r.quota or 0 for r in self.rows)


def against_quota(employments, quota_qs, on: dt.date) -> Table:
    """Headcount and quota by category on the date (categories with either, or in force then)."""
    counts, allotted = defaultdict(int), defaultdict(lambda: None)
    for (_commune, category), n in headcount(employments, on).items():
        counts[category] += n
    for (_commune, category), n in quotas(quota_qs, on).items():
        allotted[category] = (allotted[category] or 0) + n
    table = Table(on)
    for category in Category.values:
        if counts[category] or allotted[category] is not None or CATEGORY_SPANS[category].in_force_on(on):
            table.rows.append(CategoryRow(category, str(Category(category).label), counts[category], allotted[category]))
    return table


def before_after(employments, first: dt.date, second: dt.date) -> list[CategoryRow]:
    """Headcount by category on two dates and the exits between them: one query for each count."""
    before, after = defaultdict(int), defaultdict(int)
    for (_c, category), n in headcount(employments, first).items():
        before[category] += n
    for (_c, category), n in headcount(employments, second).items():
        after[category] += n
    gone, streamlined = defaultdict(int), defaultdict(int)
    for r in (exits(employments, first, second - dt.timedelta(days=1)).values("category", "ending").annotate(n=Count("id")).order_by()):
        gone[r["category"]] += r["n"]
        if r["ending"] in STREAMLINING_ENDINGS:
            streamlined[r["category"]] += r["n"]
    rows = []
    for category in Category.values:
        if before[category] or after[category] or gone[category]:
            rows.append(CategoryRow(category, str(Category(category).label), before=before[category], after=after[category],
                                    exits=gone[category], streamlined=streamlined[category]))
    return rows


def title_holders(scope, on: dt.date):
    """Training's holders registry: the positions with a title code held on the date (scoped)."""
    qs = Employment.objects.on(on).exclude(title="")
    if scope is not None:
        qs = qs.visible_to(scope)
    for person_id, title, position, body_name, commune, since in qs.values_list(
            "person_id", "title", "position", "body_name", "commune__name", "valid_from"):
        yield Holder(person_id, title, f"{body_name or position}, {commune}", since)


def commune_employments(employments, commune, on: dt.date):
    return employments.filter(commune=commune).on(on).select_related("person").order_by("category", "person__name_order", "id")


def quota_history(quota_qs, commune):
    return quota_qs.filter(commune=commune).order_by("category", "-valid_from")


__all__ = ["Quota", "Employment"]

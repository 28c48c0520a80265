"""The documents family: Party documents issued over a period, counted by kind (coso/resolutions).

A document is counted under the organization that issued it, when that organization lay in the
subtree on the day it was issued (the tree as it stood then, decision 0001): Nghèn's 41
resolutions, 16 conclusions and 12 action programs of 2010–17/02/2017 are three measures of this
family over that period. One grouped query with a conditional count per kind, whatever the
number of organizations.
"""

from django.db.models import Exists, Q
from django.utils.translation import gettext_lazy as _

from coso.resolutions.models import Document
from coso.resolutions.symbols import DocumentKind

from .catalog import MEASURES, Measure, register_family
from .families import Family, conditional_counts, grouped, roll_up, roll_up_over_period
from .tree import Subtree

DOCUMENTS = "documents"


def _d(name, label, *kinds):
    return Measure(name, label, DOCUMENTS, q=Q(kind__in=kinds) if kinds else None)


MEASURES.update({m.name: m for m in [
    _d("documents", _("Văn bản của Đảng đã ban hành")),
    _d("documents.resolutions", _("Nghị quyết đã ban hành"), DocumentKind.RESOLUTION),
    _d("documents.conclusions", _("Kết luận đã ban hành"), DocumentKind.CONCLUSION),
    _d("documents.directives", _("Chỉ thị đã ban hành"), DocumentKind.DIRECTIVE),
    _d("documents.action_programs", _("Chương trình hành động đã ban hành"), DocumentKind.ACTION_PROGRAM),
    _d("documents.plans", _("Kế hoạch đã ban hành"), DocumentKind.PLAN),
]})


@register_family
class Documents(Family):
    """Documents whose issue date falls in the period (both ends inclusive), under their issuer."""

    name = DOCUMENTS
    over_period = True

    def base(self, tree: Subtree, period=None):
        start, end = period
        qs = Document.objects.filter(issued_on__gte=start, issued_on__lte=end)
        if tree.limited:
            qs = qs.filter(organization_id__in=tree.span_ids(start, end))
            qs = qs.filter(Exists(tree.placements_on_ref("issued_on", "organization_id")))
        return qs

    def count(self, tree, measures, by, period=None):
        group = ["organization_id"] if by == "child" else []
        per = {}
        for row in grouped(self.base(tree, period), group, conditional_counts(measures)):
            per[(row.get("organization_id"), None)] = {m.name: row[f"m{i}"] for i, m in enumerate(measures)}
        if by == "child":
            return roll_up_over_period(tree, per, period)
        return roll_up(tree, per, by)

    def rows(self, tree, measure, by, key, period=None):
        qs = self.base(tree, period)
        if measure.q is not None:
            qs = qs.filter(measure.q)
        if by == "child" and key is not None:
            part = self.part(tree, by, key)
            qs = qs.filter(organization_id=tree.root_id) if part is None else qs.filter(Exists(part.placements_on_ref("issued_on", "organization_id")))
        return qs

    def order(self, qs):
        return qs.order_by("issued_on", "number", "id")

"""The targets' sentences of the reports' written summary (coso/reports/summary.py).

For the organization reported on, each document in force on the date whose targets it carries out
(its own, or inherited from a superior with its own threshold) and whose horizon holds the date:
"Thực hiện Nghị quyết 02-NQ/HU, 3/5 chỉ tiêu tính được từ dữ liệu đạt và vượt.", then the review's
sentence of each of those targets ("Kết nạp từ 400 đảng viên mới trở lên trong nhiệm kỳ: 412, đạt
103% chỉ tiêu (≥ 400) — đạt và vượt."). Every value comes from the measure engine (progress: the
targets of all the documents share the engine's calls and the subtree of the date). Targets whose
values are reported rather than computed, and those the records cannot compute yet, are left to
the dashboard and the reviews: the summary states figures computed from records only.
"""

import datetime as dt

from django.utils.translation import gettext as _

from coso.resolutions.models import Document, Status
from coso.resolutions.selectors import with_status

from . import progress
from .models import Target


def sentences(organization_id: int | None, on: dt.date, scope=None) -> str:
    """The sentences for the organization's subtree on the date ("" when it carries out no
    computed target then). One query for the targets (none more when there are none), one for the
    documents' relations, then the engine's calls shared by every target."""
    if organization_id is None:
        return ""
    qs = (Target.objects.filter(organization_id=organization_id, starts_on__lte=on, due_on__gte=on).exclude(numerator="")
          .select_related("document").order_by("document__issued_on", "document_id", "order", "id"))
    if scope is not None:
        qs = qs.filter(document__in=Document.objects.visible_to(scope))
    targets = list(qs)
    if not targets:
        return ""
    in_force = {d.pk for d in with_status({t.document_id: t.document for t in targets}.values(), on) if d.status == Status.IN_FORCE}
    targets = [t for t in targets if t.document_id in in_force]
    if not targets:
        return ""
    trees = progress.Trees(organization_id, scope)
    trees.reported = {}
    progress.share_calls(targets, on, trees)
    found = [progress.evaluate(t, on, trees) for t in targets]
    out = []
    for document_id in dict.fromkeys(t.document_id for t in targets):
        known = [p for p in found if p.target.document_id == document_id and p.value is not None]
        if not known:
            continue
        out.append(_("Thực hiện %(document)s, %(reached)s/%(total)s chỉ tiêu tính được từ dữ liệu đạt và vượt.") % {
            "document": known[0].target.document.title, "reached": sum(p.reached for p in known), "total": len(known)})
        out.extend(p.sentence() for p in known)
    return " ".join(out)

"""The commune political system in the standard report and the written summary: staffing against
quota, theory levels, streamlining and training (coso/measures/political.py computes them).

The summary mentions them only when they are not zero, in the articles' style ("biên chế cán bộ,
công chức cấp xã 216/246", "đã cử 434 lượt cán bộ đi đào tạo").
"""

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from coso.lib.numbers import num
from coso.measures import engine


def number(n) -> str:
    return num(n)


def percent(value: Decimal | None) -> str:
    return formats.number_format(value, decimal_pos=1, use_l10n=True) + "%" if value is not None else ""

ON = ["staffing.cadres", "quotas.cadres", "staffing.part_time", "staffing.cadres.members", "staffing.cadres.master_or_above",
      "staffing.cadres.theory_intermediate", "staffing.cadres.theory_advanced"]
PERIOD = ["staff_exits.streamlined", "training.enrolments", "training.completions"]


def sentence(v: dict, c: dict, period) -> str:
    """The sentence of the summary about the political system ("" when every figure is zero)."""
    parts = []
    cadres = v["staffing.cadres"]
    if cadres:
        text = _("%(n)s cán bộ, công chức cấp xã") % {"n": number(cadres)}
        if v["quotas.cadres"]:
            text += _(" (biên chế được giao %(quota)s)") % {"quota": number(v["quotas.cadres"])}
        parts.append(text)
        if v["staffing.cadres.members"]:
            parts.append(_("%(n)s/%(total)s cán bộ, công chức là đảng viên, chiếm %(pct)s") % {
                "n": number(v["staffing.cadres.members"]), "total": number(cadres),
                "pct": percent(engine.ratio(v["staffing.cadres.members"], cadres))})
        trained = v["staffing.cadres.theory_intermediate"] + v["staffing.cadres.theory_advanced"]
        if trained:
            parts.append(_("%(n)s có trình độ trung cấp lý luận chính trị trở lên (%(pct)s)") % {
                "n": number(trained), "pct": percent(engine.ratio(trained, cadres))})
        if v["staffing.cadres.master_or_above"]:
            parts.append(_("%(n)s có trình độ thạc sĩ trở lên") % {"n": number(v["staffing.cadres.master_or_above"])})
    if v["staffing.part_time"]:
        parts.append(_("%(n)s người hoạt động không chuyên trách cấp xã") % {"n": number(v["staffing.part_time"])})
    changes = []
    if c["staff_exits.streamlined"]:
        changes.append(_("tinh giản biên chế %(n)s người") % {"n": number(c["staff_exits.streamlined"])})
    if c["training.enrolments"]:
        changes.append(_("cử %(n)s lượt cán bộ, đảng viên đi đào tạo, bồi dưỡng lý luận chính trị") % {"n": number(c["training.enrolments"])})
    if c["training.completions"]:
        changes.append(_("%(n)s lượt hoàn thành khóa học") % {"n": number(c["training.completions"])})
    out = []
    if parts:
        out.append(_("Hệ thống chính trị cấp xã có %(parts)s.") % {"parts": "; ".join(parts)})
    if changes:
        out.append(_("Trong kỳ, %(parts)s.") % {"parts": "; ".join(changes)})
    return " ".join(out)

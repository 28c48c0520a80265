"""The handover record (biên bản bàn giao) of a committed restructuring: the member list each
receiving organization takes over, as Excel and as a PDF for both sides to sign
(political-system.md I.2: HD 09-HD/BTCTW 2017 — the outgoing and receiving committees sign the
record and the first page of the list, which goes with the member files). One source of rows for
both formats."""

import datetime as dt
from collections import defaultdict

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from coso.lib.dates import fmt
from coso.lib.excel import OutColumn, write_xlsx
from coso.members.models import MemberEvent, MemberPeriod, Status
from coso.organizations.models import Placement

from .models import Restructuring


def rows(r: Restructuring) -> list[dict]:
    """One row per member handed over, by receiving organization then name (three queries)."""
    events = list(MemberEvent.objects.filter(pk__in=r.written.get("events", []))
                  .select_related("member__person").order_by("organization_id", "member__person__name_order"))
    on, day_before = r.effective_date, r.effective_date - dt.timedelta(days=1)
    # where each was the day before (the dated manager: a period ending that day or running on)
    before = dict(MemberPeriod.objects.on(day_before).filter(member_id__in=[e.member_id for e in events])
                  .values_list("member_id", "organization_id"))
    receivers = dict(Placement.objects.on(on).filter(organization_id__in={e.organization_id for e in events})
                     .values_list("organization_id", "name"))
    senders = dict(Placement.objects.on(day_before).filter(organization_id__in={before.get(e.member_id, e.organization_id) for e in events})
                   .values_list("organization_id", "name"))
    out = []
    for e in events:
        m = e.member
        out.append({
            "receiver": receivers.get(e.organization_id, ""), "name": m.person.full_name, "birth_date": m.person.birth_date,
            "admitted_on": m.admitted_on, "recognized_on": m.recognized_on, "status": str(Status(m.status).label),
            "source": senders.get(before.get(e.member_id, e.organization_id), ""),
        })
    return out


def columns() -> list[OutColumn]:
    return [
        OutColumn(_("STT"), 6), OutColumn(_("Họ và tên"), 28), OutColumn(_("Ngày sinh"), 12), OutColumn(_("Ngày kết nạp"), 12),
        OutColumn(_("Ngày chính thức"), 12), OutColumn(_("Trạng thái"), 12), OutColumn(_("Nơi bàn giao"), 30), OutColumn(_("Nơi tiếp nhận"), 30),
    ]


def _title(r: Restructuring) -> list[str]:
    return [_("BIÊN BẢN BÀN GIAO DANH SÁCH ĐẢNG VIÊN"),
            _("Theo quyết định số %(number)s ngày %(date)s của %(issuer)s, hiệu lực từ %(on)s") % {
                "number": r.decision_number, "date": fmt(r.decision_date), "issuer": r.decision_issuer,
                "on": fmt(r.effective_date)}]


def workbook(r: Restructuring) -> tuple[bytes, int]:
    data = rows(r)
    return write_xlsx(sheet=_("Bàn giao"), columns=columns(), title=_title(r), rows=(
        [i, x["name"], x["birth_date"], x["admitted_on"], x["recognized_on"], x["status"], x["source"], x["receiver"]]
        for i, x in enumerate(data, start=1)))


def _refuse(url, *args, **kwargs):
    raise ValueError(f"the handover PDF loads no resource: {url}")


def pdf(r: Restructuring) -> tuple[bytes, int]:
    from weasyprint import HTML  # loaded when a PDF is asked for (a second on a cold process)

    data = rows(r)
    groups = defaultdict(list)
    for x in data:
        groups[x["receiver"]].append(x)
    html = render_to_string("restructuring/handover_pdf.html", {"r": r, "title": _title(r), "groups": sorted(groups.items())})
    return HTML(string=html, url_fetcher=_refuse).write_pdf(), len(data)

"""`coso report`: any measure, breakdown or report, or the written summary, for scripts.

    coso report list
    coso report measure members --org TC000002 --date 31/03/2024 [--by gender] [--format csv]
    coso report measure events.admitted --org TC000002 --period 01/01/2024-31/12/2024 --by child
    coso report table --org TC000002 --date 31/03/2024 [--section members] [--period ...] [--format csv]
    coso report summary --org TC000002 --date 31/03/2024

The numbers are those of the pages: the same engine answers both. Without --org the whole tree.
"""

import csv
import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from coso.lib.dates import parse
from coso.measures import engine
from coso.measures.catalog import INDICATORS, MEASURES, UnknownMeasure
from coso.measures.dimensions import DIMENSIONS
from coso.organizations.models import Organization, Placement
from coso.organizations.workday import working_day_for
from coso.reports import standard, summary


def _date(text: str, option: str) -> dt.date:
    value = parse(text)
    if value is None:
        raise CommandError(_("%(option)s: ngày “%(text)s” không đọc được (dd/mm/yyyy).") % {"option": option, "text": text})
    return value


def _period(text: str) -> tuple[dt.date, dt.date]:
    if ".." in text:
        start, end = text.split("..", 1)
    elif text.count("-") == 1:
        start, end = text.split("-")
    else:
        raise CommandError(_("--period: viết dạng 01/01/2024-31/12/2024."))
    return _date(start.strip(), "--period"), _date(end.strip(), "--period")


def _json_key(key):
    return key if isinstance(key, (int, str)) or key is None else str(key)


class Command(BaseCommand):
    help = _("In một chỉ tiêu, một bảng phân tổ, báo cáo thống kê hoặc đoạn tóm tắt dưới dạng JSON hoặc CSV.")

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["list", "measure", "table", "summary"])
        parser.add_argument("names", nargs="*", help=_("tên chỉ tiêu (với measure)"))
        parser.add_argument("--org", default="", help=_("mã tổ chức; bỏ trống: toàn bộ cây"))
        parser.add_argument("--date", default="", help=_("ngày thống kê dd/mm/yyyy (mặc định hôm nay, hoặc ngày cuối cùng của tổ chức đã kết thúc)"))
        parser.add_argument("--period", default="", help=_("kỳ thống kê dd/mm/yyyy-dd/mm/yyyy"))
        parser.add_argument("--by", default=None, help=_("phân tổ theo: ") + ", ".join(DIMENSIONS))
        parser.add_argument("--section", action="append", default=[], help=_("mục của báo cáo (có thể lặp lại)"))
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--language", default="vi")

    def handle(self, *args, what, names, org, date, period, by, section, format, language, **options):
        translation.activate(language)
        span = _period(period) if period else None
        organization = None
        if org:
            organization = Organization.objects.filter(code=org).first()
            if organization is None:
                raise CommandError(_("Không có tổ chức mã “%(code)s”.") % {"code": org})
        # the working day: --date, else today, or the organization's last day when it has ended
        day = working_day_for(None, _date(date, "--date") if date else None,
                              organization_id=organization.pk if organization else None)
        if day.note:
            self.stderr.write(day.note)
        on = day.on
        try:
            if what == "list":
                return self._list()
            if what == "summary":
                self.stdout.write(summary.write(organization, on, span))
                return
            if what == "measure":
                if not names:
                    raise CommandError(_("Cho biết tên chỉ tiêu (coso report list liệt kê các chỉ tiêu)."))
                self._measure(names, organization, on, span, by, format)
                return
            self._table(organization, on, span, section, format)
        except KeyError as error:
            raise CommandError(str(error)) from None
        except engine.MeasureError as error:
            raise CommandError(" ".join(error.messages)) from None

    def _list(self):
        for name, m in MEASURES.items():
            self.stdout.write(f"{name}\t{m.family}\t{m.label}")
        for name, i in INDICATORS.items():
            self.stdout.write(f"{name}\tindicator\t{i.label}")
        for name, d in DIMENSIONS.items():
            self.stdout.write(f"--by {name}\t{', '.join(d.families)}\t{d.label}")

    def _header(self, organization, on, span) -> dict:
        name = ""
        if organization is not None:
            placement = Placement.objects.on(on).filter(organization=organization).first()
            name = placement.name if placement else ""
        return {"organization": organization.code if organization else None, "name": name, "date": on.isoformat(),
                "period": [span[0].isoformat(), span[1].isoformat()] if span else None}

    def _measure(self, names, organization, on, span, by, format):
        for name in names:
            if name not in MEASURES:
                raise UnknownMeasure(name)
        events = [n for n in names if MEASURES[n].family == "events"]
        if events and span is None:
            span = (dt.date(on.year, 1, 1), on)
        tables = []
        as_of = [n for n in names if n not in events]
        if as_of:
            tables.append(engine.table(as_of, organization, by=by, on=on))
        if events:
            tables.append(engine.table(events, organization, by=by, period=span))
        self._emit(self._header(organization, on, span if events else None), names, by, tables, format)

    def _table(self, organization, on, span, sections, format):
        for code in sections:
            if code not in standard.SECTION_BY_CODE:
                raise CommandError(_("Không có mục “%(code)s”; các mục: %(all)s.") % {"code": code, "all": ", ".join(standard.SECTION_BY_CODE)})
        report = standard.build(organization, on, span, sections=sections or None)
        head = self._header(organization, on, report.period)
        if format == "json":
            out = {**head, "sections": []}
            for sec, t in report.tables:
                out["sections"].append({"code": sec.code, "title": str(sec.title), "by": sec.by, **_table_json(t)})
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=1))
            return
        writer = csv.writer(self.stdout)
        for sec, t in report.tables:
            writer.writerow([sec.code, str(sec.title)])
            _csv_rows(writer, t)
            writer.writerow([])

    def _emit(self, head, names, by, tables, format):
        merged = engine.Table(measures=names, by=by)
        for t in tables:
            merged.total.update(t.total)
        if by is not None:
            rows = {}
            for t in tables:
                for key, label, values in t.rows:
                    rows.setdefault(key, (label, {}))[1].update(values)
            merged.rows = [(k, label, {n: values.get(n, 0) for n in names}) for k, (label, values) in rows.items()]
        if format == "json":
            self.stdout.write(json.dumps({**head, "by": by, **_table_json(merged)}, ensure_ascii=False, indent=1))
        else:
            _csv_rows(csv.writer(self.stdout), merged)


def _table_json(t: engine.Table) -> dict:
    return {
        "measures": t.measures,
        "total": t.total,
        "rows": [{"key": _json_key(k), "label": label, "values": values} for k, label, values in t.rows],
    }


def _csv_rows(writer, t: engine.Table):
    writer.writerow(["key", "label", *t.measures])
    for k, label, values in t.rows:
        writer.writerow([_json_key(k), label, *(values[n] for n in t.measures)])
    writer.writerow(["", _("Tổng số"), *(t.total[n] for n in t.measures)])

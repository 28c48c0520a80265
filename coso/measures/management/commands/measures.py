"""`coso measures rebuild|check|extend`: the ledger of member counts (coso/measures/ledger.py).

- rebuild: rewrite the organization each member event belongs to where it differs from the
  member's periods (MemberEvent.owner, coso/members/owners.py), then recount the live ledger from
  the periods (after a restoration or an upgrade that changes its rules); the ledger is then
  marked built and the figures read it.
- check: count the events whose stored owner differs from the computed one, recount the ledger
  into a scratch table and compare with the live one; prints the differences and exits non-zero
  if any (operators run it after an upgrade; the benchmark runs it).
- extend [--to dd/mm/yyyy]: move the horizon of age and party-age band changes (default: the end
  of the year after next) and recount; run yearly (a question after the horizon reads the periods).
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from coso.lib.dates import fmt, parse
from coso.measures import ledger
from coso.members import owners


class Command(BaseCommand):
    @property
    def help(self):
        return _("Sổ cộng dồn số đảng viên và tổ chức của các sự kiện đảng viên: 'rebuild' tính lại, 'check' tính lại vào bảng "
                 "tạm và so sánh, 'extend' dời mốc tính nhóm tuổi, tuổi đảng.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "check", "extend"])
        parser.add_argument("--to", help=_("Mốc mới (dd/mm/yyyy) cho 'extend'."))

    def handle(self, *args, action, to=None, **options):
        started = time.perf_counter()
        if action == "check":
            if stale := owners.stale().count():
                self.stderr.write(_("%(n)s sự kiện đảng viên ghi sai tổ chức của sự kiện: chạy 'coso measures rebuild'.")
                                  % {"n": number_format(stale, force_grouping=True)})
            else:
                self.stdout.write(_("Tổ chức của các sự kiện đảng viên khớp với giai đoạn sinh hoạt."))
            current = ledger.state()
            if current is None or not current.built:
                raise CommandError(_("Sổ cộng dồn chưa được lập: chạy 'coso measures rebuild'."))
            differences = ledger.compare_with_rebuild()
            for side, *row in differences:
                label = _("chỉ có trong sổ đang dùng") if side == "live" else _("chỉ có khi tính lại")
                self.stdout.write(f"{label}: {row}")
            if differences:
                self.stderr.write(_("Sổ cộng dồn lệch với số liệu gốc (%(n)s dòng, tối đa 50 dòng đầu được in).")
                                  % {"n": len(differences)})
                sys.exit(1)
            self.stdout.write(_("Sổ cộng dồn khớp với số liệu gốc (%(s).1f giây).") % {"s": time.perf_counter() - started})
            if stale:
                sys.exit(1)
            return
        horizon = None
        if action == "extend":
            horizon = parse(to) if to else ledger.default_horizon()
            if horizon is None:
                raise CommandError(_("Ngày không hợp lệ: %(value)s (dạng dd/mm/yyyy).") % {"value": to})
        if action == "rebuild":
            with transaction.atomic():
                written = owners.refresh()
            self.stdout.write(_("Đã ghi lại tổ chức của %(n)s sự kiện đảng viên.") % {"n": number_format(written, force_grouping=True)})
        rows = ledger.rebuild(horizon=horizon)
        self.stdout.write(_("Đã lập sổ cộng dồn: %(rows)s dòng, mốc %(horizon)s (%(s).1f giây).") % {
            "rows": number_format(rows, force_grouping=True), "horizon": fmt(ledger.state().horizon), "s": time.perf_counter() - started})

"""`manage.py restructuring reform2025 --to-chuc ID [--xuat-bang-ghep F.xlsx | --bang-ghep F.xlsx]
[--chap-nhan] [--thuc-hien]`: the 2025
reorganization of a legacy province committee's subtree, drafted (reform2025.draft), previewed
and, when asked, carried out in one transaction; members conserved, checked by a query at the end."""

import datetime as dt
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from coso.members.models import MemberPeriod
from coso.organizations.models import Organization, Placement
from coso.restructuring import plan as planning
from coso.restructuring import reform2025, services


def members_under(path: str, day: dt.date) -> set[int]:
    """The members under the path on the day (one query)."""
    return set(MemberPeriod.objects.under(path, day).values_list("member_id", flat=True))


class Command(BaseCommand):
    # argparse needs a plain string: command help is for operators and stays untranslated
    help = ("Sắp xếp tổ chức: 'reform2025' lập phương án sắp xếp năm 2025 (bỏ cấp huyện, đảng bộ xã mới theo đơn vị hành chính "
            "hai cấp) cho một đảng bộ tỉnh, xem trước, và thực hiện khi có --thuc-hien.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["reform2025"])
        parser.add_argument("--to-chuc", type=int, required=True, help="id của đảng bộ tỉnh (trước 01/07/2025)")
        parser.add_argument("--chap-nhan", action="store_true", help="chấp nhận các vướng mắc được phép chấp nhận")
        parser.add_argument("--thuc-hien", action="store_true", help="thực hiện phương án (một giao dịch)")
        parser.add_argument("--xuat-bang-ghep", metavar="TEP", help="ghi bảng ghép mặc định (tổ chức của huyện → xã mới) ra tệp .xlsx rồi dừng")
        parser.add_argument("--bang-ghep", metavar="TEP", help="bảng ghép đã sửa (.xlsx) dùng thay cho mặc định")

    def handle(self, *args, action, **options):
        province = Organization.objects.filter(pk=options["to_chuc"]).first()
        if province is None:
            raise CommandError(_("Không có tổ chức %(id)s.") % {"id": options["to_chuc"]})
        started = time.monotonic()
        try:
            if options["xuat_bang_ghep"]:
                data, rows = reform2025.mapping_workbook(province)
                Path(options["xuat_bang_ghep"]).write_bytes(data)
                self.stdout.write(_("Đã ghi bảng ghép %(rows)s tổ chức vào %(path)s.") % {"rows": rows, "path": options["xuat_bang_ghep"]})
                return
            mapping = None
            if options["bang_ghep"]:
                path = Path(options["bang_ghep"])
                mapping = reform2025.read_mapping(path.read_bytes(), path.name, province)
            group, _new = reform2025.province_group(province)
            r = reform2025.draft(actor=None, province=province, mapping=mapping)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        plan = planning.build(r)
        self.stdout.write(_("Phương án #%(id)s: %(ended)s tổ chức kết thúc, %(started)s tổ chức thành lập, %(members)s đảng viên chuyển giao.") % {
            "id": r.pk, "ended": len(plan.ended), "started": len(plan.started), "members": len(plan.handoffs)})
        for error in plan.errors:
            self.stdout.write(self.style.ERROR(error))
        for conflict in plan.conflicts:
            self.stdout.write((self.style.WARNING if conflict.acceptable else self.style.ERROR)(conflict.message))
        if options["chap_nhan"]:
            services.accept_conflicts(actor=None, restructuring=r, keys=[c.key for c in plan.conflicts if c.acceptable])
        if not options["thuc_hien"]:
            self.stdout.write(_("Chưa thực hiện (thêm --thuc-hien để thực hiện)."))
            return
        try:
            with transaction.atomic():  # the commit and its check: a failed check writes nothing
                # conservation, by a query: the same persons on the day under the legacy province committees
                # without the change (the tree before the commit) and under the committees that followed them
                # with it (the day before would miss a member admitted on 01/07/2025 itself)
                before = set().union(*(members_under(p.path, reform2025.REFORM) for p in group))
                services.commit(actor=None, restructuring=r)
                r.refresh_from_db()
                after = set().union(*(members_under(path, reform2025.REFORM) for path in Placement.objects.on(reform2025.REFORM)
                                      .filter(organization_id__in=reform2025.roots_after(r)).values_list("path", flat=True)))
                if before != after:
                    raise CommandError(_("Số đảng viên không bảo toàn: %(before)s trước, %(after)s sau.") % {
                        "before": len(before), "after": len(after)})
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(_("Đã thực hiện: %(n)s đảng viên ngày 01/07/2025 trước và sau khi sắp xếp là cùng những người; %(s)s giây.") % {
            "n": len(after), "s": round(time.monotonic() - started, 1)}))

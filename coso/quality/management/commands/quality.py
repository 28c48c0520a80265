"""`coso quality check --org CODE [--date DD/MM/YYYY]`: each check's count over an organization's
subtree on a date, and its completeness. A thin wrapper over coso.quality.selectors."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from coso.lib.dates import fmt, parse
from coso.organizations.models import Organization
from coso.organizations.selectors import placement_on
from coso.organizations.workday import working_day_for
from coso.quality import selectors


class Command(BaseCommand):
    @property
    def help(self):  # argparse needs a str, not a lazy translation
        return _("Chất lượng dữ liệu: 'check' đếm số đảng viên có từng vấn đề trong một tổ chức và các tổ chức trực thuộc.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check"])
        parser.add_argument("--org", required=True, help=_("Mã tổ chức đảng."))
        parser.add_argument("--date", help=_("Tính đến ngày (dd/mm/yyyy); mặc định hôm nay, hoặc ngày cuối cùng của tổ chức đã kết thúc."))

    def handle(self, *args, action, org, date=None, **options):
        requested = parse(date) if date else None
        if date and requested is None:
            raise CommandError(_("Ngày không hợp lệ: %(value)s (dạng dd/mm/yyyy).") % {"value": date})
        organization = Organization.objects.filter(code=org).first()
        if organization is None:
            raise CommandError(_("Không có tổ chức mã %(code)s.") % {"code": org})
        # the working day: --date, else today, or the organization's last day when it has ended
        day = working_day_for(None, requested, organization_id=organization.pk)
        if day.note:
            self.stderr.write(day.note)
        on = day.on
        placement = placement_on(organization.pk, on)
        if placement is None:
            raise CommandError(_("Tổ chức %(code)s không hoạt động vào ngày %(date)s.") % {"code": org, "date": fmt(on)})
        overview = selectors.overview(selectors.run_for(placement, on, scope=None))
        self.stdout.write(_("%(name)s, tính đến ngày %(date)s: %(total)s đảng viên, %(affected)s người có vấn đề.") % {
            "name": placement.name, "date": fmt(on), "total": number_format(overview.total, force_grouping=True),
            "affected": number_format(overview.affected, force_grouping=True)})
        for c in overview.counts:
            self.stdout.write(f"{c.check.code:<26}{number_format(c.count, force_grouping=True):>10}  {c.check.title}")
        for s in overview.shares:
            percent = "—" if s.percent is None else f"{number_format(s.percent, decimal_pos=1)} %"
            self.stdout.write(f"{s.field.key:<26}{percent:>10}  {s.field.label} ({s.filled}/{s.of})")

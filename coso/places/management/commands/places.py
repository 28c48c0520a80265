"""`manage.py places load`: load or update the administrative units and their lineage."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from coso.places.models import Generation, Level
from coso.places.services import load_units


class Command(BaseCommand):
    # argparse needs a plain string: command help is for operators and stays untranslated
    help = (
        "Đơn vị hành chính: 'load' nạp hoặc cập nhật các đơn vị hành chính và quan hệ kế thừa "
        "từ dữ liệu chính thức (vietnam-provinces, vietnamadminunits)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load"])

    def handle(self, *args, action, **options):
        result = load_units(stdout=self.stdout if options["verbosity"] > 1 else None)
        for generation, levels in result["units"].items():
            for level, c in levels.items():
                self.stdout.write(_(
                    "%(generation)s, %(level)s: tạo mới %(created)s, cập nhật %(updated)s, "
                    "không đổi %(unchanged)s."
                ) % {"generation": Generation(generation).label, "level": Level(level).label, **c})
        lineage = result["lineage"]
        self.stdout.write(_(
            "Kế thừa: tạo mới %(created)s, cập nhật %(updated)s, không đổi %(unchanged)s "
            "(%(partial)s một phần)."
        ) % {**lineage, "partial": result["partial_lineage"]})
        if result["not_in_source"]:
            self.stdout.write(self.style.WARNING(_(
                "%(count)s đơn vị trong cơ sở dữ liệu không còn trong dữ liệu nguồn (giữ nguyên)."
            ) % {"count": result["not_in_source"]}))
        if result["unresolved_lineage"]:
            self.stdout.write(self.style.WARNING(_(
                "%(count)s quan hệ kế thừa không xác định được đơn vị: %(examples)s"
            ) % {"count": len(result["unresolved_lineage"]),
                 "examples": ", ".join(result["unresolved_lineage"][:5])}))
        versions = ", ".join(f"{name} {version}" for name, version in result["versions"].items())
        self.stdout.write(self.style.SUCCESS(_("Xong trong %(seconds)s giây (%(versions)s).") % {
            "seconds": result["seconds"], "versions": versions,
        }))

"""`coso scenario load NAME` or `coso scenario load --file PATH`: a seed scenario as records.

The last line of output is the code of the committee built (or found, when already loaded), so
scripts can read it: `code=$(coso scenario load nui-thanh | tail -1)`.
"""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from coso.data.scenarios import builder, kinds
from coso.places.models import AdminUnit, Generation


class Command(BaseCommand):
    help = "Dựng dữ liệu của một kịch bản số liệu (shared/scenarios/seed_figures.yaml hoặc một tệp cùng định dạng)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Dựng một kịch bản: tên kịch bản, hoặc --file với mọi kịch bản trong tệp.")
        load.add_argument("name", nargs="?", help="Tên kịch bản (nui-thanh, nong-son, thanh-tri, nghen, dak-mil).")
        load.add_argument("--file", help="Tệp kịch bản cùng định dạng với seed_figures.yaml.")
        load.add_argument("--seed", type=int, default=builder.SEED, help="Hạt giống ngẫu nhiên (mặc định %(default)s).")
        sub.add_parser("list", help="Các kịch bản và các số liệu đang chờ chức năng.")

    def handle(self, *args, **options):
        try:
            if options["action"] == "list":
                return self.list()
            return self.load(options["name"], options["file"], options["seed"])
        except kinds.FigureError as error:
            raise CommandError(str(error)) from None

    def list(self):
        scenarios = kinds.read()
        for scenario in scenarios.values():
            self.stdout.write(f"{scenario.key}: {scenario.committee}" + (" " + _("(chưa kiểm chứng nguồn)") if scenario.unsourced else ""))
        self.stdout.write(_("Số liệu chờ chức năng:"))
        for key, kind, value, reason in kinds.pending(scenarios):
            self.stdout.write(f"  {key}: {kind} = {value} — {reason}")
        unknown = kinds.unknown(scenarios)
        if unknown:
            self.stdout.write(_("Số liệu không hiểu được:"))
            for key, kind, value, reason in unknown:
                self.stdout.write(f"  {key}: {kind} = {value} — {reason}")

    def load(self, name, path, seed):
        scenarios = kinds.read(path)
        if name:
            if name not in scenarios:
                raise CommandError(_("Không có kịch bản “%(name)s”; có: %(names)s.") % {"name": name, "names": ", ".join(scenarios)})
            scenarios = {name: scenarios[name]}
        elif not path:
            raise CommandError(_("Cần tên kịch bản hoặc --file."))
        if not AdminUnit.objects.filter(generation=Generation.LEGACY).exists():
            call_command("places", "load", verbosity=0)
        codes = []
        for scenario in scenarios.values():
            committee = builder.already_built(scenario.key)
            if committee is not None:
                self.stdout.write(_("Kịch bản %(name)s đã được dựng; không dựng lại.") % {"name": scenario.key})
            else:
                started = time.perf_counter()
                committee = builder.build(scenario, seed=seed, say=self.stdout.write)
                self.stdout.write(_("Dựng kịch bản %(name)s trong %(seconds).1f giây.") % {
                    "name": scenario.key, "seconds": time.perf_counter() - started})
                for figure in scenario.figures:
                    if figure.unknown:
                        self.stdout.write(_("Bỏ qua số liệu thứ %(n)s “%(kind)s” = %(value)s: %(why)s.") % {
                            "n": figure.index, "kind": figure.kind, "value": figure.shown_value(), "why": figure.unknown})
                    if figure.inconsistency:
                        self.stdout.write(_("Lưu ý: %(kind)s = %(value)s: %(why)s") % {
                            "kind": figure.kind, "value": figure.data.get("value"), "why": figure.inconsistency})
            codes.append(committee.code)
        for code in codes:
            self.stdout.write(code)

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from coso.data.synth import activities as synth_activities
from coso.data.synth import inspection as synth_inspection
from coso.data.synth import world
from coso.lib import pagecache


class Command(BaseCommand):
    help = _("Dựng bộ dữ liệu quy mô toàn quốc (34 tỉnh, 3.321 xã, 5,6 triệu đảng viên, mười năm sự kiện) từ một hạt giống; "
             "--scale 0.01 dựng 1%. Chỉ dùng cho cơ sở dữ liệu thử: nên dựng vào một tệp hoặc cơ sở dữ liệu mới.")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--scale", type=float, default=1.0, help=_("tỉ lệ so với quy mô toàn quốc (mặc định 1)"))
        parser.add_argument("--provinces", default="",
                            help=_("chỉ dựng các tỉnh này (mã tỉnh năm 2025, cách nhau bằng dấu phẩy), với số đảng viên mỗi xã như toàn quốc"))
        parser.add_argument("--workers", type=int, default=1,
                            help=_("số tiến trình sinh dữ liệu song song với tiến trình ghi (0: sinh và ghi trong một tiến trình)"))
        parser.add_argument("--sinh-hoat", dest="meetings_year", type=int, default=None,
                            help=_("thêm một năm sinh hoạt chi bộ (buổi họp, vắng mặt) cho mọi chi bộ của bộ dữ liệu, ví dụ 2025"))
        parser.add_argument("--kiem-tra", dest="inspection_years", default="",
                            help=_("thêm công tác kiểm tra, giám sát, kỷ luật, đơn thư của các năm này (cách nhau bằng dấu phẩy), ví dụ 2024,2025"))

    def handle(self, *args, **options):
        try:
            self._handle(*args, **options)
        finally:
            pagecache.changed()  # the bulk writes go around Django's cursor (raw executemany, COPY)

    def _handle(self, *args, seed, scale, workers, provinces="", meetings_year=None, inspection_years="", **options):
        if not 0 < scale <= 1:
            raise CommandError(_("--scale phải lớn hơn 0 và không quá 1."))
        self.stdout.write(_("Dựng dữ liệu toàn quốc (hạt giống %(seed)s, tỉ lệ %(scale)s) vào %(db)s…")
                          % {"seed": seed, "scale": scale, "db": connection.settings_dict["NAME"]})
        try:
            result = world.build(seed=seed, scale=scale, workers=workers, say=self.stdout.write,
                                 provinces=tuple(code.strip() for code in provinces.split(",") if code.strip()))
        except world.AlreadyBuilt:
            self.stdout.write(_("Dữ liệu toàn quốc đã có trong cơ sở dữ liệu này; không dựng lại."))
            self._meetings(meetings_year, seed)
            self._inspection(inspection_years, seed)
            return
        c, t = result["counts"], result["timings"]
        self.stdout.write(_(
            "Xong trong %(total).0f s (cây %(plan).0f s, ghi %(rows).0f s, chỉ mục %(indexes).0f s): %(communes)s xã, "
            "%(grassroots)s tổ chức cơ sở đảng, %(cells)s chi bộ, %(members)s đảng viên ngày 31/12/2025 (thêm %(exited)s đã ra khỏi Đảng hoặc chuyển đi), "
            "%(events)s sự kiện, %(periods)s giai đoạn sinh hoạt."
        ) % {**{k: f"{v:,}".replace(",", ".") for k, v in c.items()}, **t})
        self._meetings(meetings_year, seed)
        self._inspection(inspection_years, seed)

    def _inspection(self, years: str, seed):
        for year in [int(y) for y in years.split(",") if y.strip().isdigit()]:
            done = synth_inspection.build_year(year, seed=seed, say=self.stdout.write)
            if done["already"]:
                self.stdout.write(_("Năm %(year)s đã có công tác kiểm tra; không dựng lại.") % {"year": year})
                continue
            self.stdout.write(_("Kiểm tra, giám sát năm %(year)s: %(cases)s cuộc, %(disciplines)s quyết định kỷ luật, %(intakes)s đơn "
                                "(%(seconds).0f s).") % {"year": year, "seconds": done["seconds"],
                                                        **{k: f"{done[k]:,}".replace(",", ".") for k in ("cases", "disciplines", "intakes")}})

    def _meetings(self, year, seed):
        if year is None:
            return
        done = synth_activities.build_year(year, seed=seed, say=self.stdout.write)
        if done["already"]:
            self.stdout.write(_("Năm %(year)s đã có buổi sinh hoạt; không dựng lại.") % {"year": year})
            return
        self.stdout.write(_("Sinh hoạt chi bộ năm %(year)s: %(meetings)s buổi, %(marks)s lượt điểm danh, %(absences)s lượt vắng ghi thành dòng "
                            "(%(seconds).0f s).") % {"year": year, "seconds": done["seconds"],
                                                    **{k: f"{done[k]:,}".replace(",", ".") for k in ("meetings", "marks", "absences")}})

"""Where a scenario's committee is: its legacy (pre-2025) administrative units.

The committee is named as the articles name it: "Đảng bộ huyện Núi Thành (Quảng Nam)" for a
district committee, "Đảng bộ thị trấn Nghèn (huyện Can Lộc, Hà Tĩnh)" for a commune's.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from coso.lib.text import clean, fold
from coso.places.models import AdminUnit, Generation, Level, Lineage

from .kinds import FigureError

DISTRICT_WORDS = ("huyện", "quận", "thị xã", "thành phố")
COMMUNE_WORDS = ("xã", "phường", "thị trấn")
_COMMITTEE = re.compile(
    r"Đảng bộ (?P<word>thị trấn|thị xã|thành phố|huyện|quận|phường|xã) (?P<name>[^(,]+?)\s*"
    r"\((?:(?P<dword>huyện|quận|thị xã|thành phố) (?P<district>[^,)]+),\s*)?(?P<province>[^)]+)\)",
    re.IGNORECASE,
)

# Districts the articles name that the reference data (the legacy units as they stood on
# 30/06/2025) no longer holds, because they were merged into another district before 2025.
# Each maps to the legacy communes that cover its former territory. vietnamadminunits keeps such
# a district only as an alias of its successor's communes.
# - Nông Sơn (Quảng Nam) was merged into Quế Sơn in the 2023-2025 arrangement of district units
#   (in force from 2025); its seven communes had become five: thị trấn Trung Phước (Quế Trung),
#   Ninh Phước (Quế Ninh + Quế Phước), Phước Ninh, Quế Lộc (+ Sơn Viên) and Quế Lâm, the units
#   whose 2025 successors are the communes Nông Sơn and Quế Phước.
HISTORICAL_DISTRICTS = {
    ("quang nam", "nong son"): ["Trung Phước", "Ninh Phước", "Phước Ninh", "Quế Lộc", "Quế Lâm"],
}


@dataclass
class Area:
    province: AdminUnit
    district: AdminUnit | None  # None for a district the reference data no longer holds
    district_name: str
    communes: list[AdminUnit] = field(default_factory=list)  # the legacy communes of the district
    commune: AdminUnit | None = None  # a commune-level committee's commune
    new_province_code: str | None = None  # the 2025 province that took the legacy one over

    @property
    def commune_level(self) -> bool:
        return self.commune is not None


def _by_name(level: str, name: str, parent=None):
    qs = AdminUnit.objects.filter(generation=Generation.LEGACY, level=level, name_folded__endswith=fold(name))
    if parent is not None:
        qs = qs.filter(parent=parent)
    return [u for u in qs if fold(u.name) == fold(name)]


def resolve(committee: str, scenario: str) -> Area:
    # "Ð" (U+00D0, Icelandic eth) stands for "Đ" in some Vietnamese fonts and texts
    match = _COMMITTEE.search(clean(committee).replace("Ð", "Đ").replace("ð", "đ"))
    if not match:
        raise FigureError(_(
            "Kịch bản %(scenario)s: không hiểu tên đảng bộ “%(committee)s”; cần dạng “Đảng bộ huyện X (Tỉnh)” "
            "hoặc “Đảng bộ xã X (huyện Y, Tỉnh)”."
        ) % {"scenario": scenario, "committee": committee})
    word, name, province_name = match.group("word").lower(), clean(match.group("name")), clean(match.group("province"))
    provinces = _by_name(Level.PROVINCE, province_name)
    if len(provinces) != 1:
        raise FigureError(_("Kịch bản %(scenario)s: không tìm thấy tỉnh %(name)s trong đơn vị hành chính trước 2025 (đã chạy “coso places load” chưa?).") % {
            "scenario": scenario, "name": province_name})
    province = provinces[0]
    link = Lineage.objects.filter(old=province).select_related("new").first()
    area_kwargs = {"province": province, "new_province_code": link.new.code if link else None}
    if word in COMMUNE_WORDS:
        if not match.group("district"):
            raise FigureError(_("Kịch bản %(scenario)s: đảng bộ cấp xã cần tên huyện: “Đảng bộ %(word)s %(name)s (huyện Y, Tỉnh)”.") % {
                "scenario": scenario, "word": word, "name": name})
        district_name = clean(match.group("district"))
        districts = _by_name(Level.DISTRICT, district_name, province)
        if len(districts) != 1:
            raise FigureError(_("Kịch bản %(scenario)s: không tìm thấy huyện %(name)s của %(province)s.") % {
                "scenario": scenario, "name": district_name, "province": province.full_name})
        communes = [c for c in _by_name(Level.COMMUNE, name, districts[0]) if fold(c.full_name.split(" ")[0]) == fold(word.split(" ")[0])]
        if len(communes) != 1:
            raise FigureError(_("Kịch bản %(scenario)s: không tìm thấy %(word)s %(name)s của %(district)s.") % {
                "scenario": scenario, "word": word, "name": name, "district": districts[0].full_name})
        return Area(district=districts[0], district_name=districts[0].name, communes=communes, commune=communes[0], **area_kwargs)
    districts = _by_name(Level.DISTRICT, name, province)
    if len(districts) == 1:
        communes = list(AdminUnit.objects.filter(parent=districts[0], level=Level.COMMUNE).order_by("code"))
        return Area(district=districts[0], district_name=districts[0].name, communes=communes, **area_kwargs)
    names = HISTORICAL_DISTRICTS.get((fold(province.name), fold(name)))
    if names is None:
        raise FigureError(_("Kịch bản %(scenario)s: không tìm thấy huyện %(name)s của %(province)s.") % {
            "scenario": scenario, "name": name, "province": province.full_name})
    communes = []
    for commune_name in names:
        found = [c for c in _by_name(Level.COMMUNE, commune_name) if c.parent.parent_id == province.pk]
        if len(found) != 1:
            raise FigureError(_("Kịch bản %(scenario)s: không tìm thấy xã %(name)s của %(province)s.") % {
                "scenario": scenario, "name": commune_name, "province": province.full_name})
        communes.append(found[0])
    return Area(district=None, district_name=name, communes=sorted(communes, key=lambda c: c.code), **area_kwargs)

"""Where a scenario's committee is: its administrative units, of the generation of its figures.

The committee is named as the articles name it, at any level (meaning.committee_level):
- a province committee: "Đảng bộ tỉnh Bắc Kạn", "Đảng bộ thành phố Đà Nẵng" (before 01/07/2025
  the legacy province, its districts and communes; from that day the 2025 province and its
  communes, wards and special zones);
- a legacy district committee: "Đảng bộ huyện Núi Thành (Quảng Nam)", "thị xã", "thành phố", "quận";
- a legacy commune's grassroots committee: "Đảng bộ thị trấn Nghèn (huyện Can Lộc, Hà Tĩnh)";
- a commune, ward or special-zone committee after 01/07/2025 (the 2025 units, no district):
  "Đảng bộ xã Dân Chủ (Phú Thọ)", "Đảng bộ phường Mông Dương (tỉnh Quảng Ninh)".
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from coso.lib.text import clean, fold
from coso.places.models import AdminUnit, Generation, Level, Lineage

from . import meaning
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
    level: str = meaning.DISTRICT  # meaning.PROVINCE, DISTRICT, GRASSROOTS (a legacy commune) or COMMUNE (2025)
    districts: list[AdminUnit] = field(default_factory=list)  # a province: its legacy districts

    @property
    def commune_level(self) -> bool:
        return self.commune is not None


def _by_name(level: str, name: str, parent=None, generation=Generation.LEGACY):
    """The units of that name (written exactly, else the same without diacritics: "Đông Thạnh" is
    not "Đông Thành" when the exact one exists)."""
    qs = AdminUnit.objects.filter(generation=generation, level=level, name_folded__endswith=fold(name))
    if parent is not None:
        qs = qs.filter(parent=parent)
    folded = [u for u in qs if fold(u.name) == fold(name)]
    exact = [u for u in folded if clean(u.name).lower() == clean(name).lower()]
    return exact or folded


def _one_province(name: str, scenario: str, generation=Generation.LEGACY) -> AdminUnit:
    """The one province of that name in that generation of units, else a message saying so."""
    provinces = _by_name(Level.PROVINCE, name, generation=generation)
    if len(provinces) != 1:
        message = (_("Kịch bản %(scenario)s: không tìm thấy tỉnh %(name)s trong đơn vị hành chính từ ngày 01/07/2025.")
                   if generation == Generation.CURRENT else
                   _("Kịch bản %(scenario)s: không tìm thấy tỉnh %(name)s trong đơn vị hành chính trước 2025 (đã chạy “coso places load” chưa?)."))
        raise FigureError(message % {"scenario": scenario, "name": name})
    return provinces[0]


_ANY = re.compile(
    r"Đảng bộ (?P<word>thị trấn|thị xã|thành phố|tỉnh|huyện|quận|phường|xã|đặc khu) (?P<name>[^(,]+?)\s*(?:\((?P<context>[^)]*)\)|,|$)",
    re.IGNORECASE,
)
PROVINCE_WORDS = ("tỉnh ", "thành phố ", "tp. ", "tp ")


def _strip(text: str, words) -> str:
    for word in words:
        if text.lower().startswith(word):
            return clean(text[len(word):])
    return clean(text)


def resolve(committee: str, scenario: str, level: str = "", current: bool = False) -> Area:
    """The units of the scenario's committee; level: meaning.committee_level of the scenario
    (from its name and the date of its figures), "" to take it from the name alone; current: the
    figures are of 01/07/2025 or later (a province: its 2025 units)."""
    text = clean(committee).replace("Ð", "Đ").replace("ð", "đ")  # "Ð" (U+00D0) stands for "Đ" in some texts
    level = level or meaning.committee_level(text, None)
    if level == meaning.PROVINCE:
        return _province(text, scenario, current)
    if level == meaning.COMMUNE:
        return _commune_2025(text, scenario)
    return _legacy(text, scenario)


def _province(text: str, scenario: str, current: bool = False) -> Area:
    match = _ANY.search(text)
    name = clean(match.group("name")) if match else ""
    if current:
        province = _one_province(name, scenario, Generation.CURRENT)
        communes = list(AdminUnit.objects.filter(parent=province, level=Level.COMMUNE).order_by("code"))
        return Area(province=province, district=None, district_name="", communes=communes, level=meaning.PROVINCE,
                    new_province_code=province.code)
    province = _one_province(name, scenario)
    link = Lineage.objects.filter(old=province).select_related("new").first()
    districts = list(AdminUnit.objects.filter(parent=province, level=Level.DISTRICT).order_by("code"))
    communes = list(AdminUnit.objects.filter(parent__in=districts, level=Level.COMMUNE).select_related("parent").order_by("code"))
    return Area(province=province, district=None, district_name="", communes=communes, level=meaning.PROVINCE,
                districts=districts, new_province_code=link.new.code if link else None)


def _commune_2025(text: str, scenario: str) -> Area:
    """A commune, ward or special zone of the 2025 units, under its 2025 province."""
    match = _ANY.search(text)
    if not match or not match.group("context"):
        raise FigureError(_("Kịch bản %(scenario)s: đảng bộ xã, phường sau ngày 01/07/2025 cần tên tỉnh: “Đảng bộ xã X (Tỉnh)”.") % {
            "scenario": scenario})
    word, name = match.group("word").lower(), clean(match.group("name"))
    province_name = _strip(match.group("context").split(",")[-1], PROVINCE_WORDS)
    province = _one_province(province_name, scenario, Generation.CURRENT)
    kinds = {"xã": "xa", "phường": "phuong", "đặc khu": "dac_khu"}
    communes = [c for c in _by_name(Level.COMMUNE, name, province, Generation.CURRENT) if c.kind == kinds.get(word, c.kind)]
    if len(communes) != 1:
        raise FigureError(_("Kịch bản %(scenario)s: không tìm thấy %(word)s %(name)s của %(province)s (đơn vị hành chính từ ngày 01/07/2025).") % {
            "scenario": scenario, "word": word, "name": name, "province": province.full_name})
    return Area(province=province, district=None, district_name="", communes=communes, commune=communes[0],
                level=meaning.COMMUNE, new_province_code=province.code)


def _legacy(committee: str, scenario: str) -> Area:
    match = _COMMITTEE.search(committee)
    if not match:
        raise FigureError(_(
            "Kịch bản %(scenario)s: không hiểu tên đảng bộ “%(committee)s”; cần dạng “Đảng bộ huyện X (Tỉnh)” "
            "hoặc “Đảng bộ xã X (huyện Y, Tỉnh)”."
        ) % {"scenario": scenario, "committee": committee})
    word, name, province_name = match.group("word").lower(), clean(match.group("name")), clean(match.group("province"))
    province = _one_province(province_name, scenario)
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
        return Area(district=districts[0], district_name=districts[0].name, communes=communes, commune=communes[0],
                    level=meaning.GRASSROOTS, **area_kwargs)
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

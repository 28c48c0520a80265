"""Administrative units: provinces, legacy districts, communes and the villages under them.

Two generations coexist: the legacy units (63 provinces, districts, communes) valid until
30/06/2025 and the two-tier units valid from 01/07/2025 (34 provinces, 3,321 communes). Official
codes are unique only inside one generation and level (Hà Nội is "01" in both), hence the key.
valid_to is exclusive: a unit is in force on D when valid_from <= D < valid_to.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coso.lib.dated import Dated, DatedQuerySet
from coso.lib.text import fold


class Generation(models.TextChoices):
    LEGACY = "legacy", _("Trước 01/07/2025")
    CURRENT = "2025", _("Từ 01/07/2025")


class Level(models.TextChoices):
    PROVINCE = "province", _("Tỉnh, thành phố")
    DISTRICT = "district", _("Huyện, quận, thị xã, thành phố thuộc tỉnh")
    COMMUNE = "commune", _("Xã, phường, thị trấn, đặc khu")
    VILLAGE = "village", _("Thôn, tổ dân phố")


class UnitKind(models.TextChoices):
    PROVINCE = "tinh", _("Tỉnh")
    CITY = "thanh_pho_tw", _("Thành phố trực thuộc trung ương")
    URBAN_DISTRICT = "quan", _("Quận")
    DISTRICT = "huyen", _("Huyện")
    TOWN = "thi_xa", _("Thị xã")
    PROVINCIAL_CITY = "thanh_pho", _("Thành phố thuộc tỉnh")
    COMMUNE = "xa", _("Xã")
    WARD = "phuong", _("Phường")
    TOWNSHIP = "thi_tran", _("Thị trấn")
    SPECIAL_ZONE = "dac_khu", _("Đặc khu")
    VILLAGE = "thon", _("Thôn")
    RESIDENTIAL_GROUP = "to_dan_pho", _("Tổ dân phố")
    BON = "bon", _("Bon")
    BAN = "ban", _("Bản")
    AP = "ap", _("Ấp")
    KHOI_PHO = "khoi_pho", _("Khối phố")
    KHU_PHO = "khu_pho", _("Khu phố")
    BUON = "buon", _("Buôn")
    LANG = "lang", _("Làng")
    XOM = "xom", _("Xóm")
    PLEI = "plei", _("Plei")
    SOC = "soc", _("Sóc")
    OTHER = "khac", _("Khác")


VILLAGE_KINDS = [
    UnitKind.VILLAGE, UnitKind.RESIDENTIAL_GROUP, UnitKind.BON, UnitKind.BAN, UnitKind.AP,
    UnitKind.KHOI_PHO, UnitKind.KHU_PHO, UnitKind.BUON, UnitKind.LANG, UnitKind.XOM,
    UnitKind.PLEI, UnitKind.SOC, UnitKind.OTHER,
]


class AdminUnitQuerySet(DatedQuerySet):
    # units loaded from the official lists without a start date are in force from always
    from_always = True


class AdminUnit(Dated, models.Model):
    generation = models.CharField(_("thế hệ"), max_length=8, choices=Generation.choices)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("loại"), max_length=16, choices=UnitKind.choices)
    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("tên"), max_length=200)  # short name: "Tam Sơn"
    full_name = models.CharField(_("tên đầy đủ"), max_length=250)  # "Xã Tam Sơn"
    name_folded = models.CharField(max_length=250, editable=False)
    parent = models.ForeignKey(
        "self", verbose_name=_("trực thuộc"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=100, blank=True)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = pgettext_lazy("plural", "đơn vị hành chính")
        constraints = [
            # Official codes repeat across generations and levels; never inside one of them.
            models.UniqueConstraint(fields=["generation", "level", "code"], name="places_unit_code_uniq"),
        ]
        indexes = [
            # children of a unit (place pickers, the village list of a commune)
            models.Index(fields=["parent", "level"], name="places_unit_parent_idx"),
            # the unit picker's search without diacritics
            models.Index(fields=["level", "name_folded"], name="places_unit_folded_idx"),
        ]
        ordering = ["generation", "level", "code"]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.full_name)
        super().save(*args, **kwargs)


class Lineage(models.Model):
    """A legacy unit that became (all or part of) a two-tier unit on 01/07/2025."""

    old = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="successors")
    new = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="predecessors")
    effective = models.DateField(_("ngày hiệu lực"))
    partial = models.BooleanField(_("một phần"), default=False)

    class Meta:
        verbose_name = _("kế thừa đơn vị hành chính")
        verbose_name_plural = pgettext_lazy("plural", "kế thừa đơn vị hành chính")
        constraints = [models.UniqueConstraint(fields=["old", "new"], name="places_lineage_uniq")]

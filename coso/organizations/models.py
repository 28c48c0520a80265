"""Party organizations: a stable identity plus effective-dated placements in the tree.

An Organization is only an identity (id, code). Everything that changes over time (parent,
name, kind, sector, covered area, villages) lives in a Placement valid on [valid_from, valid_to).
At most one placement of an organization is open (valid_to null), and placements of one
organization never overlap: the services keep that, the constraint below guards the first part.

path is the materialized path of organization ids from the root as the tree stood during the
placement: "/1/57/203/". When an organization moves, it and every descendant get a new placement
with the new path from that date, so "subtree of X on D" is one prefix query over the placements
valid on D, and the old tree stays queryable for any earlier date.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coso.lib.dated import Dated, one_open_constraint, period_order_constraint
from coso.lib.text import fold, sort_key
from coso.places.models import AdminUnit

from .dated import PlacementQuerySet


class Kind(models.TextChoices):
    PROVINCE_COMMITTEE = "province", _("Đảng bộ tỉnh, thành phố")
    DISTRICT_COMMITTEE = "district", _("Đảng bộ huyện, quận, thị xã, thành phố thuộc tỉnh")
    COMMUNE_COMMITTEE = "commune", _("Đảng bộ xã, phường, đặc khu (cấp trên cơ sở)")
    GRASSROOTS_COMMITTEE = "gr_committee", _("Đảng bộ cơ sở")
    GRASSROOTS_CELL = "gr_cell", _("Chi bộ cơ sở")
    PARTIAL_COMMITTEE = "partial", _("Đảng bộ bộ phận")
    SUBORDINATE_CELL = "sub_cell", _("Chi bộ trực thuộc")
    PARTY_GROUP = "group", _("Tổ đảng")


GRASSROOTS_KINDS = (Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL)


class Sector(models.TextChoices):
    COMMUNE = "commune", _("Xã, phường, thị trấn, đặc khu")
    AGENCY = "agency", _("Cơ quan")
    PUBLIC_SERVICE = "public_service", _("Đơn vị sự nghiệp")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    SCHOOL = "school", _("Trường học")
    ARMED_FORCES = "armed_forces", _("Lực lượng vũ trang")
    OTHER = "other", _("Khác")


class Change(models.TextChoices):
    FOUNDED = "founded", _("Thành lập")
    EDITED = "edited", _("Sửa thông tin")
    RENAMED = "renamed", _("Đổi tên")
    MOVED = "moved", _("Chuyển trực thuộc")
    ANCESTOR_MOVED = "ancestor_moved", _("Theo tổ chức cấp trên chuyển trực thuộc")


class CloseReason(models.TextChoices):
    DISSOLVED = "dissolved", _("Giải thể")
    MERGED = "merged", _("Hợp nhất, sáp nhập")
    OTHER = "other", _("Khác")


class Organization(models.Model):
    code = models.CharField(_("mã"), max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    close_reason = models.CharField(_("lý do kết thúc"), max_length=16, choices=CloseReason.choices, blank=True)
    close_decision = models.CharField(_("số quyết định kết thúc"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("tổ chức đảng")
        verbose_name_plural = pgettext_lazy("plural", "tổ chức đảng")

    def __str__(self) -> str:
        return self.code


class Placement(Dated, models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="placements")
    parent = models.ForeignKey(
        Organization, verbose_name=_("trực thuộc"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="child_placements",
    )
    name = models.CharField(_("tên"), max_length=255)
    name_folded = models.CharField(max_length=255, editable=False)
    # the Vietnamese order of the name (coso.lib.text.sort_key): lists order by it, not by name
    name_order = models.CharField(max_length=800, editable=False, default="")
    kind = models.CharField(_("loại tổ chức"), max_length=16, choices=Kind.choices)
    sector = models.CharField(_("lĩnh vực"), max_length=16, choices=Sector.choices, default=Sector.OTHER)
    area = models.ForeignKey(
        AdminUnit, verbose_name=_("địa bàn"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    villages = models.ManyToManyField(AdminUnit, verbose_name=_("thôn, tổ dân phố"), blank=True, related_name="cell_placements")
    path = models.CharField(max_length=255)
    depth = models.PositiveSmallIntegerField()
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)
    change = models.CharField(_("thay đổi"), max_length=16, choices=Change.choices)
    decision_number = models.CharField(_("số quyết định"), max_length=100, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("vị trí tổ chức")
        verbose_name_plural = pgettext_lazy("plural", "vị trí tổ chức")
        constraints = [
            one_open_constraint("organization", "org_one_open_placement"),
            period_order_constraint("org_placement_period_order"),
        ]
        indexes = [
            # "subtree of X on D": path prefix, then the date window. varchar_pattern_ops lets
            # PostgreSQL serve LIKE 'prefix%' from the index under any collation; SQLite uses
            # the plain index (paths hold only digits and slashes, so case never matters).
            models.Index(fields=["path", "valid_from"], name="org_placement_path_idx", opclasses=["varchar_pattern_ops", "date_ops"]),
            # children of a node on D (the tree browser's lazy expand, child counts)
            models.Index(fields=["parent", "valid_from"], name="org_placement_parent_idx"),
            # an organization's history and its placement on D
            models.Index(fields=["organization", "valid_from"], name="org_placement_org_idx"),
            # the areas held on D (measures.tree.Subtree.areas), read from the index alone: every
            # organization of synth's country has its commune as its area, so the whole tree's areas
            # read all 630,000 placements (240 -> 75 ms on SQLite at national scale)
            models.Index(fields=["area", "valid_from", "valid_to", "organization"], name="org_placement_area_idx"),
            # lists of organizations in the Vietnamese order (Đ after D)
            models.Index(fields=["name_order", "organization"], name="org_placement_order_idx"),
        ]
        ordering = ["organization_id", "valid_from"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        self.name_order = sort_key(self.name)
        super().save(*args, **kwargs)

    @property
    def is_grassroots(self) -> bool:
        return self.kind in GRASSROOTS_KINDS


def path_ids(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p]

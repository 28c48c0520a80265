"""Which kind of party organization may sit under which, and when.

Sources (../shared/domain/reference.md §1.1, §1.2, §8.1):
- Điều lệ Đảng Điều 21, 24: grassroots organizations (đảng bộ cơ sở, chi bộ cơ sở) sit under the
  directly superior committee; a đảng bộ cơ sở holds chi bộ trực thuộc and may set up đảng bộ
  bộ phận (29-QĐ/TW mục 19.3c), whose chi bộ it then manages; a chi bộ may be split into tổ đảng.
- Before 01/07/2025: TW → tỉnh → huyện → cơ sở → (bộ phận) → chi bộ → tổ đảng.
- 294-QĐ/TW, from 01/07/2025: the district level no longer exists; commune, ward and special-zone
  committees sit under the province (pilot) and act as the superior level of the grassroots
  organizations inside them.
- Grassroots organizations directly under a province committee (agencies, enterprises, armed
  forces of the province) exist in both periods.
"""

import datetime as dt

from django.utils.translation import gettext as _

from .models import Kind

TWO_TIER_FROM = dt.date(2025, 7, 1)

# kind -> kinds its parent may have; None means it may be a root of the tree.
ALLOWED_PARENTS: dict[str, tuple[str | None, ...]] = {
    Kind.PROVINCE_COMMITTEE: (None,),
    Kind.DISTRICT_COMMITTEE: (Kind.PROVINCE_COMMITTEE,),
    Kind.COMMUNE_COMMITTEE: (Kind.PROVINCE_COMMITTEE,),
    Kind.GRASSROOTS_COMMITTEE: (Kind.PROVINCE_COMMITTEE, Kind.DISTRICT_COMMITTEE, Kind.COMMUNE_COMMITTEE),
    Kind.GRASSROOTS_CELL: (Kind.PROVINCE_COMMITTEE, Kind.DISTRICT_COMMITTEE, Kind.COMMUNE_COMMITTEE),
    Kind.PARTIAL_COMMITTEE: (Kind.GRASSROOTS_COMMITTEE,),
    Kind.SUBORDINATE_CELL: (Kind.GRASSROOTS_COMMITTEE, Kind.PARTIAL_COMMITTEE),
    Kind.PARTY_GROUP: (Kind.GRASSROOTS_CELL, Kind.SUBORDINATE_CELL),
}


def placement_error(kind: str, parent_kind: str | None, on: dt.date) -> str | None:
    """Why a placement of kind under parent_kind on date is refused, or None if allowed."""
    kind_label = Kind(kind).label
    if kind == Kind.DISTRICT_COMMITTEE and on >= TWO_TIER_FROM:
        return _(
            "Từ ngày 01/07/2025 không còn cấp huyện (Quy định 294-QĐ/TW): không thể đặt %(kind)s có hiệu lực từ ngày này."
        ) % {"kind": kind_label}
    if kind == Kind.COMMUNE_COMMITTEE and on < TWO_TIER_FROM:
        return _(
            "Đảng bộ xã, phường, đặc khu là cấp trên cơ sở chỉ từ ngày 01/07/2025 (Quy định 294-QĐ/TW); trước ngày này hãy dùng loại Đảng bộ cơ sở hoặc Chi bộ cơ sở."
        )
    allowed = ALLOWED_PARENTS[kind]
    if parent_kind not in allowed:
        if parent_kind is None:
            return _("%(kind)s phải trực thuộc một tổ chức đảng cấp trên.") % {"kind": kind_label}
        if None in allowed:
            return _("%(kind)s là cấp cao nhất của cây tổ chức, không trực thuộc tổ chức nào.") % {"kind": kind_label}
        names = ", ".join(str(Kind(k).label) for k in allowed if k)
        return _("%(kind)s không thể trực thuộc %(parent)s; chỉ được trực thuộc: %(allowed)s.") % {
            "kind": kind_label,
            "parent": Kind(parent_kind).label,
            "allowed": names,
        }
    return None


def allowed_child_kinds(parent_kind: str | None, on: dt.date) -> list[str]:
    return [k for k in Kind.values if placement_error(k, parent_kind, on) is None]

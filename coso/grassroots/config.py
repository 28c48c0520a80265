"""The commune's political system as dated configuration: kinds of bodies, titles, limits, models.

Sources: ../shared/domain/political-system.md §A (with the documents cited there). What the
sources leave UNCONFIRMED is written here as configuration with its status, never as a hard rule
beyond what the source says; sizes of committees are warnings (§A "What the software must
encode" 2), not refusals.

- A *body kind* is in force on [valid_from, valid_to) and sits at one level (district before
  01/07/2025, commune, village). The old model (until 30/06/2025) and the model of 01/07/2025
  (Luật 72/2025/QH15, Quy định 298-QĐ/TW, Nghị định 150/2025/NĐ-CP) are the lists of kinds
  `standard_kinds(level, on)` creates for a unit on a date.
- A *title* belongs to one body kind and is offered on [valid_from, valid_to): an old title
  (công an viên, ended 01/07/2024) stays readable on old posts and is not offered after it ended.
- A *limit* says how many people may hold a title at once, from a date (one chair; two deputy
  secretaries under Chỉ thị 45-CT/TW of 14/04/2025). A title without a limit in force is open.
- *Concurrent-post models* (mô hình kiêm nhiệm, §A.2) are two sides of (body kind, title) pairs
  held by one person at once in the same unit (the same village for village posts).
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from coso.lib.dated import in_force

D = dt.date
TWO_TIER = D(2025, 7, 1)  # Luật 72/2025/QH15; district level ends (reference §7.2)
SECURITY_LAW = D(2024, 7, 1)  # Luật Lực lượng tham gia bảo vệ ANTT ở cơ sở, in force 01/07/2024
CT45 = D(2025, 4, 14)  # Chỉ thị 45-CT/TW (Politburo), congresses of 2025–2030

DISTRICT, COMMUNE, VILLAGE = "district", "commune", "village"


@dataclass(frozen=True)
class BodyKind:
    code: str
    label: object
    level: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    party: bool = False  # the body of a party organization (its committee, standing committee)
    group: str = "party"  # the column of the chart: party, state, front, village
    parent: str = ""  # the kind of the body it belongs to (HĐND's standing body, UBND's departments)
    head: str = ""  # the title whose empty seat is a vacancy
    source: str = ""

    def in_force_on(self, on) -> bool:
        return in_force(self.valid_from, self.valid_to, on)


@dataclass(frozen=True)
class Title:
    code: str
    label: object
    kind: str  # body kind
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    source: str = ""

    def in_force_on(self, on) -> bool:
        return in_force(self.valid_from, self.valid_to, on)


@dataclass(frozen=True)
class Limit:
    """At most `holders` people hold the title at once, on [valid_from, valid_to)."""

    kind: str
    title: str
    holders: int
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    source: str = ""
    status: str = "SOURCED"  # or UNCONFIRMED


@dataclass(frozen=True)
class Size:
    """A warning when a body's distinct holders (or a title's) fall outside [low, high]."""

    kind: str
    low: int | None
    high: int | None
    label: object
    titles: tuple = ()  # () : every holder of the body
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    source: str = ""


@dataclass(frozen=True)
class ConcurrentModel:
    code: str
    label: object
    first: tuple  # ((body kind, title), ...)
    second: tuple
    source: str = ""
    same_village: bool = False


BODY_KINDS: dict[str, BodyKind] = {k.code: k for k in [
    # -- district level, until 30/06/2025 (the articles' Núi Thành and Đắk Mil figures)
    BodyKind("d_party_committee", _("Ban Chấp hành Đảng bộ huyện"), DISTRICT, None, TWO_TIER, party=True, head="secretary"),
    BodyKind("d_standing_committee", _("Ban Thường vụ Huyện ủy"), DISTRICT, None, TWO_TIER, party=True, parent="d_party_committee"),
    BodyKind("d_mass_mobilization", _("Ban Dân vận Huyện ủy"), DISTRICT, None, TWO_TIER, head="board_head"),
    BodyKind("d_propaganda", _("Ban Tuyên giáo Huyện ủy"), DISTRICT, None, TWO_TIER, head="board_head"),
    BodyKind("d_political_centre", _("Trung tâm Chính trị huyện"), DISTRICT, None, TWO_TIER, head="director"),
    BodyKind("d_hdnd", _("Hội đồng nhân dân huyện"), DISTRICT, None, TWO_TIER, group="state", head="chair"),
    BodyKind("d_ubnd", _("Ủy ban nhân dân huyện"), DISTRICT, None, TWO_TIER, group="state", head="chair"),
    BodyKind("d_fatherland_front", _("Ủy ban Mặt trận Tổ quốc huyện"), DISTRICT, None, TWO_TIER, group="front", head="chair"),
    # -- commune level
    BodyKind("party_committee", _("Ban Chấp hành Đảng bộ xã"), COMMUNE, party=True, head="secretary",
             source="Quy định 298-QĐ/TW (09/06/2025); Chỉ thị 45-CT/TW (14/04/2025)"),
    BodyKind("standing_committee", _("Ban Thường vụ Đảng ủy"), COMMUNE, party=True, parent="party_committee",
             source="Chỉ thị 45-CT/TW (14/04/2025)"),
    BodyKind("inspection_commission", _("Ủy ban Kiểm tra Đảng ủy"), COMMUNE, party=True, parent="party_committee", head="chair"),
    BodyKind("party_building_board", _("Ban Xây dựng Đảng"), COMMUNE, TWO_TIER, parent="party_committee", head="board_head",
             source="Quy định 298-QĐ/TW Điều 4"),
    BodyKind("party_office", _("Văn phòng Đảng ủy"), COMMUNE, TWO_TIER, parent="party_committee", head="office_head",
             source="Quy định 298-QĐ/TW Điều 4"),
    BodyKind("political_centre", _("Trung tâm Chính trị xã"), COMMUNE, TWO_TIER, parent="party_committee", head="director",
             source="Quy định 360-QĐ/TW (2025; only where the former district centre was)"),
    BodyKind("hdnd", _("Hội đồng nhân dân"), COMMUNE, group="state", head="chair", source="Luật 72/2025/QH15 Điều 29"),
    BodyKind("hdnd_standing", _("Thường trực Hội đồng nhân dân"), COMMUNE, group="state", parent="hdnd",
             source="Luật 72/2025/QH15 Điều 29"),
    BodyKind("hdnd_board", _("Ban của Hội đồng nhân dân"), COMMUNE, group="state", parent="hdnd", head="board_head"),
    BodyKind("ubnd", _("Ủy ban nhân dân"), COMMUNE, group="state", head="chair"),
    BodyKind("ubnd_department", _("Phòng chuyên môn thuộc UBND"), COMMUNE, TWO_TIER, group="state", parent="ubnd",
             head="department_head", source="Nghị định 150/2025/NĐ-CP (12/06/2025)"),
    BodyKind("fatherland_front", _("Ủy ban Mặt trận Tổ quốc"), COMMUNE, group="front", head="chair"),
    BodyKind("farmers", _("Hội Nông dân"), COMMUNE, group="front", head="chair"),
    BodyKind("women", _("Hội Liên hiệp Phụ nữ"), COMMUNE, group="front", head="chair"),
    BodyKind("youth", _("Đoàn Thanh niên Cộng sản Hồ Chí Minh"), COMMUNE, group="front", head="youth_secretary"),
    BodyKind("veterans", _("Hội Cựu chiến binh"), COMMUNE, group="front", head="chair"),
    BodyKind("trade_union", _("Công đoàn cơ sở"), COMMUNE, group="front", head="chair",
             source="UNCONFIRMED whether a commune trade union exists after 01/07/2025"),
    # -- village level (thôn, tổ dân phố: not a level of government, TT 04/2012/TT-BNV)
    BodyKind("village", _("Thôn, tổ dân phố"), VILLAGE, group="village", head="village_head",
             source="Thông tư 04/2012/TT-BNV, VBHN 08/VBHN-BNV (2022)"),
    BodyKind("cell", _("Chi bộ thôn, tổ dân phố"), VILLAGE, party=True, group="village", head="cell_secretary"),
    BodyKind("village_front_board", _("Ban công tác Mặt trận"), VILLAGE, group="village", head="board_head"),
    BodyKind("village_security", _("Tổ bảo vệ an ninh, trật tự"), VILLAGE, SECURITY_LAW, group="village", head="team_leader",
             source="Luật Lực lượng tham gia bảo vệ ANTT ở cơ sở (2023) Điều 16, in force 01/07/2024"),
    BodyKind("village_branch", _("Chi hội, chi đoàn"), VILLAGE, group="village", head="branch_head"),
]}

T = Title
TITLES: list[Title] = [
    T("secretary", _("Bí thư"), "d_party_committee"),
    T("deputy_secretary", _("Phó Bí thư"), "d_party_committee"),
    T("committee_member", _("Huyện ủy viên"), "d_party_committee"),
    T("standing_member", _("Ủy viên Ban Thường vụ"), "d_standing_committee"),
    T("board_head", _("Trưởng ban"), "d_mass_mobilization"),
    T("board_deputy", _("Phó Trưởng ban"), "d_mass_mobilization"),
    T("board_head", _("Trưởng ban"), "d_propaganda"),
    T("board_deputy", _("Phó Trưởng ban"), "d_propaganda"),
    T("director", _("Giám đốc"), "d_political_centre"),
    T("deputy_director", _("Phó Giám đốc"), "d_political_centre"),
    T("chair", _("Chủ tịch"), "d_hdnd"),
    T("vice_chair", _("Phó Chủ tịch"), "d_hdnd"),
    T("chair", _("Chủ tịch"), "d_ubnd"),
    T("vice_chair", _("Phó Chủ tịch"), "d_ubnd"),
    T("chair", _("Chủ tịch"), "d_fatherland_front"),
    T("vice_chair", _("Phó Chủ tịch"), "d_fatherland_front"),

    T("secretary", _("Bí thư"), "party_committee"),
    T("standing_deputy_secretary", _("Phó Bí thư Thường trực"), "party_committee"),
    T("deputy_secretary", _("Phó Bí thư"), "party_committee"),
    T("committee_member", _("Đảng ủy viên"), "party_committee"),
    T("standing_member", _("Ủy viên Ban Thường vụ"), "standing_committee"),
    T("chair", _("Chủ nhiệm"), "inspection_commission"),
    T("vice_chair", _("Phó Chủ nhiệm"), "inspection_commission"),
    T("member", _("Ủy viên"), "inspection_commission"),
    T("board_head", _("Trưởng ban"), "party_building_board"),
    T("board_deputy", _("Phó Trưởng ban"), "party_building_board"),
    T("office_head", _("Chánh Văn phòng"), "party_office"),
    T("office_deputy", _("Phó Chánh Văn phòng"), "party_office"),
    T("director", _("Giám đốc"), "political_centre"),
    T("deputy_director", _("Phó Giám đốc"), "political_centre"),
    T("chair", _("Chủ tịch"), "hdnd"),
    T("vice_chair", _("Phó Chủ tịch"), "hdnd"),
    T("delegate", _("Đại biểu"), "hdnd"),
    T("standing_member", _("Ủy viên Thường trực"), "hdnd_standing"),
    T("board_head", _("Trưởng ban"), "hdnd_board"),
    T("board_deputy", _("Phó Trưởng ban"), "hdnd_board"),
    T("chair", _("Chủ tịch"), "ubnd"),
    T("vice_chair", _("Phó Chủ tịch"), "ubnd"),
    T("member", _("Ủy viên"), "ubnd"),
    T("member_police", _("Ủy viên phụ trách công an"), "ubnd"),
    T("member_military", _("Ủy viên phụ trách quân sự"), "ubnd"),
    T("department_head", _("Trưởng phòng"), "ubnd_department"),
    T("department_deputy", _("Phó Trưởng phòng"), "ubnd_department"),
    T("chair", _("Chủ tịch"), "fatherland_front"),
    T("vice_chair", _("Phó Chủ tịch"), "fatherland_front"),
    T("member", _("Ủy viên"), "fatherland_front"),
    *(t for kind in ("farmers", "women", "veterans", "trade_union")
      for t in (T("chair", _("Chủ tịch"), kind), T("vice_chair", _("Phó Chủ tịch"), kind))),
    T("youth_secretary", _("Bí thư Đoàn"), "youth"),
    T("youth_deputy", _("Phó Bí thư Đoàn"), "youth"),

    T("village_head", _("Trưởng thôn, Tổ trưởng tổ dân phố"), "village"),
    T("village_deputy", _("Phó Trưởng thôn, Phó Tổ trưởng tổ dân phố"), "village"),
    T("militia_leader", _("Thôn đội trưởng"), "village", source="Luật Dân quân tự vệ 48/2019/QH14"),
    # replaced by the security team on 01/07/2024: kept for history, not offered after it
    T("police_assistant", _("Công an viên"), "village", None, SECURITY_LAW,
      source="replaced by Luật Lực lượng tham gia bảo vệ ANTT ở cơ sở from 01/07/2024"),
    T("residential_guard", _("Bảo vệ dân phố"), "village", None, SECURITY_LAW,
      source="replaced by Luật Lực lượng tham gia bảo vệ ANTT ở cơ sở from 01/07/2024"),
    T("cell_secretary", _("Bí thư chi bộ"), "cell"),
    T("cell_deputy", _("Phó Bí thư chi bộ"), "cell"),
    T("cell_committee_member", _("Chi ủy viên"), "cell"),
    T("board_head", _("Trưởng Ban công tác Mặt trận"), "village_front_board"),
    T("board_deputy", _("Phó Trưởng Ban công tác Mặt trận"), "village_front_board"),
    T("board_member", _("Ủy viên Ban công tác Mặt trận"), "village_front_board"),
    T("team_leader", _("Tổ trưởng"), "village_security", SECURITY_LAW),
    T("team_deputy", _("Tổ phó"), "village_security", SECURITY_LAW),
    T("team_member", _("Tổ viên"), "village_security", SECURITY_LAW),
    T("branch_head", _("Chi hội trưởng, Bí thư chi đoàn"), "village_branch"),
    T("branch_deputy", _("Chi hội phó, Phó Bí thư chi đoàn"), "village_branch"),
]
TITLE_INDEX: dict[tuple[str, str], Title] = {(t.kind, t.code): t for t in TITLES}

# one holder at a time: every head of a body (chair, secretary, director, head) unless said otherwise
_SINGLE = [(k.code, k.head) for k in BODY_KINDS.values() if k.head] + [
    ("party_committee", "standing_deputy_secretary"),
    ("village", "militia_leader"),
]
LIMITS: list[Limit] = [
    *(Limit(kind, title, 1, source="one head of a body at a time") for kind, title in _SINGLE),
    Limit("party_committee", "deputy_secretary", 2, CT45,
          source="Chỉ thị 45-CT/TW (14/04/2025): 2 deputy secretaries, one the standing deputy"),
    Limit("village", "village_deputy", 1, D(2019, 1, 20),
          source="TT 04/2012/TT-BNV Điều 4 as amended by TT 14/2018/TT-BNV (in force 20/01/2019): at most 1 deputy"),
    Limit("cell", "cell_deputy", 1, status="UNCONFIRMED", source="one deputy secretary of a cell (practice)"),
]

SIZES: list[Size] = [
    Size("party_committee", 27, 33, _("Ban Chấp hành đảng bộ xã nhiệm kỳ 2025–2030 có từ 27 đến 33 ủy viên"),
         valid_from=TWO_TIER, source="Chỉ thị 45-CT/TW"),
    Size("standing_committee", 9, 11, _("Ban Thường vụ đảng ủy xã có từ 9 đến 11 ủy viên"), valid_from=TWO_TIER,
         source="Chỉ thị 45-CT/TW"),
    Size("party_committee", 2, 2, _("Đảng ủy xã có 2 phó bí thư (một là phó bí thư thường trực)"),
         titles=("standing_deputy_secretary", "deputy_secretary"), valid_from=TWO_TIER, source="Chỉ thị 45-CT/TW"),
    Size("hdnd", None, 1, _("HĐND xã có 1 phó chủ tịch"), titles=("vice_chair",), valid_from=TWO_TIER,
         source="Nghị quyết 108/2025 (UNCONFIRMED symbol)"),
    Size("ubnd_department", None, 2, _("Mỗi phòng chuyên môn có bình quân 2 phó trưởng phòng"),
         titles=("department_deputy",), valid_from=TWO_TIER, source="Nghị quyết 332/NQ-CP (15/10/2025)"),
]

CONCURRENT_MODELS: dict[str, ConcurrentModel] = {m.code: m for m in [
    ConcurrentModel("secretary_ubnd_chair", _("Bí thư đồng thời là Chủ tịch UBND"),
                    (("party_committee", "secretary"), ("d_party_committee", "secretary")),
                    (("ubnd", "chair"), ("d_ubnd", "chair")),
                    source="Nghị quyết 18-NQ/TW (2017); Kết luận 34-KL/TW (2018)"),
    ConcurrentModel("secretary_hdnd_chair", _("Bí thư đồng thời là Chủ tịch HĐND"),
                    (("party_committee", "secretary"), ("d_party_committee", "secretary")),
                    (("hdnd", "chair"), ("d_hdnd", "chair")), source="Nghị quyết 18-NQ/TW (2017); Chỉ thị 45-CT/TW"),
    ConcurrentModel("mass_mobilization_front_chair", _("Trưởng ban Dân vận đồng thời là Chủ tịch Ủy ban MTTQ"),
                    (("d_mass_mobilization", "board_head"),),
                    (("d_fatherland_front", "chair"), ("fatherland_front", "chair")), source="Nghị quyết 18-NQ/TW (2017)"),
    ConcurrentModel("propaganda_centre_director", _("Trưởng ban Tuyên giáo đồng thời là Giám đốc Trung tâm Chính trị"),
                    (("d_propaganda", "board_head"),),
                    (("d_political_centre", "director"), ("political_centre", "director"))),
    ConcurrentModel("cell_secretary_village_head", _("Bí thư chi bộ đồng thời là Trưởng thôn, Tổ trưởng tổ dân phố"),
                    (("cell", "cell_secretary"),), (("village", "village_head"),),
                    source="Nghị định 33/2023/NĐ-CP Điều 33.6", same_village=True),
]}

# The kinds created for a unit by the model in force on the date (the bodies every unit has;
# a political centre, departments' names and branches are added by hand).
_OLD_COMMUNE = ("party_committee", "standing_committee", "inspection_commission", "hdnd", "hdnd_standing", "ubnd",
                "fatherland_front", "farmers", "women", "youth", "veterans")
_NEW_COMMUNE = ("party_committee", "standing_committee", "inspection_commission", "party_building_board", "party_office",
                "hdnd", "hdnd_standing", "ubnd", "fatherland_front", "farmers", "women", "youth", "veterans")
_DISTRICT = ("d_party_committee", "d_standing_committee", "d_mass_mobilization", "d_propaganda", "d_political_centre",
             "d_hdnd", "d_ubnd", "d_fatherland_front")
_VILLAGE = ("village", "village_front_board", "village_security")

# named children a model creates under a kind: HĐND boards and UBND departments by their names
NAMED_CHILDREN: dict[tuple[str, bool], tuple] = {
    # (kind, from 01/07/2025)
    ("hdnd_board", False): (_("Ban Kinh tế - Xã hội"), _("Ban Pháp chế")),
    ("hdnd_board", True): (_("Ban Kinh tế - Ngân sách"), _("Ban Văn hóa - Xã hội")),  # Luật 72/2025/QH15
    ("ubnd_department", True): (_("Văn phòng HĐND và UBND"), _("Phòng Kinh tế"), _("Phòng Văn hóa - Xã hội"),
                                _("Trung tâm Phục vụ hành chính công")),  # Nghị định 150/2025/NĐ-CP
}


def standard_kinds(level: str, on: dt.date) -> tuple[str, ...]:
    """The kinds every unit of the level has under the model in force on the date."""
    if level == DISTRICT:
        kinds = _DISTRICT
    elif level == VILLAGE:
        kinds = _VILLAGE
    else:
        kinds = _NEW_COMMUNE if on >= TWO_TIER else _OLD_COMMUNE
    return tuple(k for k in kinds if BODY_KINDS[k].in_force_on(on))


def titles_of(kind: str, on: dt.date | None = None) -> list[Title]:
    """The titles of a body kind; with a date, those offered on it."""
    return [t for t in TITLES if t.kind == kind and (on is None or t.in_force_on(on))]


def title(kind: str, code: str) -> Title | None:
    return TITLE_INDEX.get((kind, code))


def title_label(kind: str, code: str) -> str:
    found = TITLE_INDEX.get((kind, code))
    return str(found.label) if found else code


def limit_on(kind: str, code: str, on: dt.date) -> Limit | None:
    """The limit on the number of holders in force on the date (None: no limit)."""
    found = [lim for lim in LIMITS if lim.kind == kind and lim.title == code and in_force(lim.valid_from, lim.valid_to, on)]
    return min(found, key=lambda lim: lim.holders) if found else None


def limit_changes(kind: str, code: str) -> list[dt.date]:
    """The days a limit of the title begins or ends (the overlap check tests each piece between)."""
    days = set()
    for lim in LIMITS:
        if lim.kind == kind and lim.title == code:
            days |= {d for d in (lim.valid_from, lim.valid_to) if d is not None}
    return sorted(days)


def sizes_on(kind: str, on: dt.date) -> list[Size]:
    return [s for s in SIZES if s.kind == kind and in_force(s.valid_from, s.valid_to, on)]


def kind_choices(level: str | None = None) -> list[tuple[str, object]]:
    return [(k.code, k.label) for k in BODY_KINDS.values() if level is None or k.level == level]


def model_label(on: dt.date) -> str:
    return str(_("Mô hình chính quyền địa phương hai cấp (từ 01/07/2025)") if on >= TWO_TIER
               else _("Mô hình ba cấp (trước 01/07/2025)"))


def title_options() -> list[tuple[str, str]]:
    """"kind:title" → "Title — Kind of body", every title of the catalog (the pickers of a pair of
    concurrent posts: the concurrent-posts page and the report's extra column)."""
    return [(f"{t.kind}:{t.code}", f"{t.label} — {BODY_KINDS[t.kind].label}") for t in TITLES]


def pair_name(first: str, second: str) -> str | None:
    """The measure name of a pair picked as "kind:title" twice ("concurrent.pair.<kind>.<title>.
    <kind>.<title>"), None unless both are titles of the catalog and differ."""
    a, b = tuple(first.split(":")), tuple(second.split(":"))
    if len(a) != 2 or len(b) != 2 or a == b or title(*a) is None or title(*b) is None:
        return None
    return f"concurrent.pair.{a[0]}.{a[1]}.{b[0]}.{b[1]}"

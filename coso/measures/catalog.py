"""The measure catalog: every figure coso can report, by name, and the dimensions to break it down.

A measure belongs to a family, which says what is counted and how time applies:

- members: member periods in force on the as-of date (probationary and official members, the
  exempted included, those in transit counted by the sender, temporary members at home);
- organizations: placements in force on the date under the organization (itself excluded);
- villages: villages in force on the date in the areas of the subtree's organizations;
- candidates: persons being prepared for admission on the date;
- events: member events whose effective date falls in a period (both ends inclusive);
- ratings: published annual ratings whose evaluation year ends within a period.

Within a family a measure is a condition on the counted rows, so any set of measures of one
family is answered by one grouped query (conditional counts), whatever the breakdown.

Each family is a class (coso/measures/families.py) registered here with `register_family`: it
says how its rows are read, counted, listed and broken down. A dimension applies to the families
that list it among their breakdowns.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coso.evaluation.choices import SubjectKind
from coso.members.models import EventType, Status, TransferKind
from coso.organizations.models import Kind
from coso.people.choices import KINH, NO_RELIGION, Gender

MEMBERS = "members"
ORGANIZATIONS = "organizations"
VILLAGES = "villages"
CANDIDATES = "candidates"
EVENTS = "events"
RATINGS = "ratings"

GRASSROOTS = (Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL)


@dataclass(frozen=True)
class Measure:
    name: str
    label: str
    family: str
    # members: a Q on MemberPeriod; organizations: kinds counted; events: event types counted
    q: Q | None = None
    kinds: tuple = ()
    event_types: tuple = ()
    special: str = ""  # villages: "with_cell", "without_resident_member"


def _m(name, label, q=None):
    return Measure(name, label, MEMBERS, q=q)


def _o(name, label, kinds):
    return Measure(name, label, ORGANIZATIONS, kinds=tuple(kinds))


def _levels(*ranks) -> list[str]:
    """The level codes of every rule set (any subject kind) with these ranks (4 best … 1 worst)."""
    from coso.evaluation import rules

    codes = set()
    for module in rules.RULE_SETS:
        for kind in SubjectKind.values:
            codes |= {level.code for level in module.levels_for(kind) if level.rank in ranks}
    return sorted(codes)


def _r(name, label, kind, *ranks):
    q = Q(subject_kind=kind)
    if ranks:
        q &= Q(level__in=_levels(*ranks))
    return Measure(name, label, RATINGS, q=q)


def _e(name, label, *types, q=None):
    return Measure(name, label, EVENTS, event_types=tuple(types), q=q)


PERSON = "member__person__"

class Catalog(dict):
    """The measures by name. A name no entry has may still be a measure some family builds from
    the name itself (a concurrent-post measure for any two titles a user picks,
    "concurrent.pair.<kind>.<title>.<kind>.<title>"): the resolvers registered by the families'
    modules answer it, without storing it (the listings show the catalog's own measures only)."""

    resolvers: list = []

    def _resolve(self, name):
        for resolve in self.resolvers:
            if (measure := resolve(name)) is not None:
                return measure
        return None

    def __missing__(self, name):
        measure = self._resolve(name) if isinstance(name, str) else None
        if measure is None:
            raise KeyError(name)
        return measure

    def __contains__(self, name) -> bool:
        return dict.__contains__(self, name) or (isinstance(name, str) and self._resolve(name) is not None)

    def get(self, name, default=None):
        try:
            return self[name]
        except KeyError:
            return default


MEASURES: dict[str, Measure] = Catalog({
    m.name: m
    for m in [
        _m("members", _("Đảng viên")),
        _m("members.female", _("Đảng viên nữ"), Q(**{f"{PERSON}gender": Gender.FEMALE})),
        _m("members.minority", _("Đảng viên người dân tộc thiểu số"), ~Q(**{f"{PERSON}ethnicity": KINH}) & ~Q(**{f"{PERSON}ethnicity": ""})),
        _m("members.religious", _("Đảng viên theo tôn giáo"), ~Q(**{f"{PERSON}religion": NO_RELIGION}) & ~Q(**{f"{PERSON}religion": ""})),
        _m("members.official", _("Đảng viên chính thức"), Q(status=Status.OFFICIAL)),
        _m("members.probationary", _("Đảng viên dự bị"), Q(status=Status.PROBATIONARY)),
        _m("members.exempted", _("Đảng viên được miễn sinh hoạt"), Q(exempted=True)),
        _m("members.in_transit", _("Đảng viên đang chuyển sinh hoạt"), Q(in_transit=True)),
        _m("members.hosted_elsewhere", _("Đảng viên sinh hoạt tạm thời nơi khác"), Q(host__isnull=False)),
        _o("orgs.grassroots", _("Tổ chức cơ sở đảng"), GRASSROOTS),
        _o("orgs.grassroots_committees", _("Đảng bộ cơ sở"), [Kind.GRASSROOTS_COMMITTEE]),
        _o("orgs.grassroots_cells", _("Chi bộ cơ sở"), [Kind.GRASSROOTS_CELL]),
        _o("orgs.partial_committees", _("Đảng bộ bộ phận"), [Kind.PARTIAL_COMMITTEE]),
        _o("orgs.subordinate_cells", _("Chi bộ trực thuộc"), [Kind.SUBORDINATE_CELL]),
        _o("orgs.party_groups", _("Tổ đảng"), [Kind.PARTY_GROUP]),
        _o("orgs.commune_committees", _("Đảng bộ xã, phường, đặc khu"), [Kind.COMMUNE_COMMITTEE]),
        _o("orgs.district_committees", _("Đảng bộ huyện và tương đương"), [Kind.DISTRICT_COMMITTEE]),
        _o("orgs.cells", _("Chi bộ (cơ sở và trực thuộc)"), [Kind.GRASSROOTS_CELL, Kind.SUBORDINATE_CELL]),
        Measure("villages", _("Thôn, tổ dân phố"), VILLAGES),
        Measure("villages.with_cell", _("Thôn, tổ dân phố có chi bộ"), VILLAGES, special="with_cell"),
        Measure("villages.without_cell", _("Thôn, tổ dân phố chưa có chi bộ"), VILLAGES, special="without_cell"),
        Measure("villages.without_resident_member", _("Thôn, tổ dân phố không có đảng viên cư trú"), VILLAGES,
                special="without_resident_member"),
        Measure("candidates", _("Quần chúng ưu tú đang bồi dưỡng"), CANDIDATES),
        _e("events.admitted", _("Kết nạp"), EventType.ADMITTED),
        _e("events.readmitted", _("Kết nạp lại"), EventType.READMITTED),
        _e("events.recognized", _("Công nhận chính thức"), EventType.RECOGNIZED),
        _e("events.transferred_in", _("Chuyển đến"), EventType.TRANSFER_RECEIVED, EventType.JOINED_BY_TRANSFER),
        _e("events.transferred_out", _("Chuyển đi"), EventType.TRANSFER_OUT, q=~Q(transfer_kind=TransferKind.TEMPORARY)),
        _e("events.exempted", _("Miễn sinh hoạt"), EventType.EXEMPTED),
        _e("events.disciplined", _("Bị kỷ luật"), EventType.DISCIPLINED),
        _e("events.removed", _("Xóa tên"), EventType.REMOVED),
        _e("events.expelled", _("Khai trừ"), EventType.EXPELLED),
        _e("events.restored", _("Phục hồi đảng tịch"), EventType.RESTORED),
        _e("events.left", _("Ra khỏi Đảng"), EventType.LEFT),
        _e("events.deceased", _("Từ trần"), EventType.DECEASED),
        _e("events.badges", _("Tặng Huy hiệu Đảng"), EventType.BADGE_AWARDED),
        # published annual ratings whose evaluation year ends within the period
        _r("ratings.members", _("Đảng viên được xếp loại"), SubjectKind.MEMBER),
        _r("ratings.members.good_or_better", _("Đảng viên hoàn thành tốt nhiệm vụ trở lên"), SubjectKind.MEMBER, 3, 4),
        _r("ratings.members.excellent", _("Đảng viên hoàn thành xuất sắc nhiệm vụ"), SubjectKind.MEMBER, 4),
        _r("ratings.members.failed", _("Đảng viên không hoàn thành nhiệm vụ"), SubjectKind.MEMBER, 1),
        _r("ratings.organizations", _("Tổ chức đảng được xếp loại"), SubjectKind.ORGANIZATION),
        _r("ratings.organizations.good_or_better", _("Tổ chức đảng hoàn thành tốt nhiệm vụ trở lên"), SubjectKind.ORGANIZATION, 3, 4),
        _r("ratings.organizations.failed", _("Tổ chức đảng không hoàn thành nhiệm vụ (yếu kém)"), SubjectKind.ORGANIZATION, 1),
        _r("ratings.mass_organizations", _("Mặt trận, đoàn thể được xếp loại"), SubjectKind.MASS_ORGANIZATION),
        _r("ratings.mass_organizations.good_or_better", _("Mặt trận, đoàn thể hoàn thành tốt nhiệm vụ trở lên"),
           SubjectKind.MASS_ORGANIZATION, 3, 4),
    ]
})


@dataclass(frozen=True)
class Indicator:
    """A ratio (in percent, or per unit) or a difference of two measures."""

    name: str
    label: str
    numerator: str
    denominator: str
    percent: bool = True
    unit: str = ""


INDICATORS: dict[str, Indicator] = {
    i.name: i
    for i in [
        Indicator("pct.female", _("Tỉ lệ đảng viên nữ"), "members.female", "members"),
        Indicator("pct.minority", _("Tỉ lệ đảng viên người dân tộc thiểu số"), "members.minority", "members"),
        Indicator("pct.religious", _("Tỉ lệ đảng viên theo tôn giáo"), "members.religious", "members"),
        Indicator("pct.probationary", _("Tỉ lệ đảng viên dự bị"), "members.probationary", "members"),
        Indicator("pct.villages_with_cell", _("Tỉ lệ thôn, tổ dân phố có chi bộ"), "villages.with_cell", "villages"),
        Indicator("members_per_cell", _("Bình quân đảng viên mỗi chi bộ"), "members", "orgs.cells", percent=False),
        Indicator("pct.members_good", _("Tỉ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên"),
                  "ratings.members.good_or_better", "ratings.members"),
        Indicator("pct.organizations_good", _("Tỉ lệ tổ chức đảng hoàn thành tốt nhiệm vụ trở lên"),
                  "ratings.organizations.good_or_better", "ratings.organizations"),
    ]
}


# family name → the family (an instance of a families.Family subclass), in registration order
FAMILIES: dict = {}


def register_family(cls):
    """Class decorator: make the family's measures countable by the engine."""
    FAMILIES[cls.name] = cls()
    return cls


def family(name: str):
    """The family of a measure."""
    try:
        return FAMILIES[MEASURES[name].family]
    except KeyError:
        raise UnknownMeasure(name) from None


@dataclass(frozen=True)
class Dimension:
    name: str
    label: str
    keys: list = field(default_factory=list, compare=False)  # [(key, label)] in report order

    @property
    def families(self) -> tuple[str, ...]:
        """The families that can be broken down by this dimension (each family lists its own)."""
        return tuple(name for name, f in FAMILIES.items() if self.name in f.breakdowns)


def family_of(name: str) -> str:
    try:
        return MEASURES[name].family
    except KeyError:
        raise UnknownMeasure(name) from None


class UnknownMeasure(KeyError):
    def __str__(self):
        return _("Không có chỉ tiêu thống kê tên “%(name)s”.") % {"name": self.args[0]}

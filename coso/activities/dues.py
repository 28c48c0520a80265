"""Party dues (đảng phí) as dated configuration: what a member owes for a month, in whole đồng.

Sources (../shared/domain/reference.md §2.13): Quy định 342-QĐ/TW (28/12/2010, in force
01/04/2011) and Hướng dẫn 03-HD/VPTW (06/07/2016):

- members paid from the state budget (administration, political and socio-political
  organizations), officers and professional soldiers: 1% of the monthly salary and allowances
  subject to social insurance (and wages), after personal income tax;
- non-commissioned officers and soldiers: 1% of their allowance;
- employees of enterprises and public-service units: 1% of the income from the unit's wage fund;
- pensioners: 0.5% of the pension;
- the other members of working age: a monthly amount by area — 10,000 đ in the inner districts of
  centrally-run cities, 8,000 đ in the inner areas of class I–III urban areas, 4,000 đ in
  mountain, remote, border and island areas, 6,000 đ elsewhere; past working age, half of it;
- students without salary or allowance: an amount the sources found do not give (UNCONFIRMED;
  3,000 đ by default, a value of the set);
- a member may pay more than the rate (voluntary payment): the amount owed is then the higher one.

What the sources leave open is a value of the set, marked UNCONFIRMED: how a percentage is
rounded to whole đồng (half up by default; some offices round to the thousand), and the share of
the collected dues a cell keeps before remitting to the superior (the levels' shares of 342 mục 3
were not retrieved). A later set is added with its date; the set of a month is the one in force
on its first day.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

UNCONFIRMED = "UNCONFIRMED"


class IncomeKind(models.TextChoices):
    STATE_SALARY = "state_salary", _("Hưởng lương từ ngân sách (cơ quan hành chính, tổ chức chính trị - xã hội)")
    ARMED_SALARY = "armed_salary", _("Sĩ quan, quân nhân chuyên nghiệp hưởng lương theo cấp hàm")
    ARMED_ALLOWANCE = "armed_allowance", _("Hạ sĩ quan, chiến sĩ hưởng phụ cấp")
    ENTERPRISE = "enterprise", _("Người lao động trong doanh nghiệp, đơn vị sự nghiệp")
    PENSION = "pension", _("Hưởng lương hưu")
    OTHER = "other", _("Đảng viên khác (nông nghiệp, lao động tự do...)")
    STUDENT = "student", _("Học sinh, sinh viên không hưởng lương, phụ cấp")


class Area(models.TextChoices):
    CITY_INNER = "city_inner", _("Nội thành thành phố trực thuộc Trung ương")
    URBAN_INNER = "urban_inner", _("Nội thành, nội thị đô thị loại I, II, III")
    REMOTE = "remote", _("Miền núi, vùng sâu, vùng xa, biên giới, hải đảo")
    OTHER = "other", _("Các địa bàn khác")


PERCENT_KINDS = {IncomeKind.STATE_SALARY, IncomeKind.ARMED_SALARY, IncomeKind.ARMED_ALLOWANCE, IncomeKind.ENTERPRISE,
                 IncomeKind.PENSION}


@dataclass(frozen=True)
class DuesRules:
    valid_from: dt.date
    source: str
    # per ten thousand of the monthly income (1% = 100, 0.5% = 50): exact integer arithmetic
    rate_per_10000: dict = field(default_factory=dict)
    area_amounts: dict = field(default_factory=dict)
    past_working_age_percent: int = 50
    student_amount: int = 3000  # UNCONFIRMED
    rounding: str = "half_up"  # "half_up" to the đồng, or "thousand" (half up to 1,000 đ): UNCONFIRMED
    share_kept_percent: int = 30  # the cell's share of what it collects: UNCONFIRMED
    # months of a calendar year unpaid without good reason that put a member on the removal list
    # (Điều lệ Điều 8; 29-QĐ/TW mục 8: "không đóng đảng phí ba tháng trong năm mà không có lý do
    # chính đáng"; issue #16's text says six: the Statute's three is the default, a value of the set,
    # read from the set in force on 1 January of the year; a set that changes it says so in removal_rule)
    removal_months: int = 3
    removal_rule: str = ""  # the rule cited beside the list (set below: the Statute's text)
    unconfirmed: tuple = ("student_amount", "rounding", "share_kept_percent")


RULE_SETS = [
    DuesRules(
        valid_from=dt.date(2016, 7, 6),
        source="Quy định 342-QĐ/TW (28/12/2010); Hướng dẫn 03-HD/VPTW (06/07/2016)",
        rate_per_10000={IncomeKind.STATE_SALARY: 100, IncomeKind.ARMED_SALARY: 100, IncomeKind.ARMED_ALLOWANCE: 100,
                        IncomeKind.ENTERPRISE: 100, IncomeKind.PENSION: 50},
        area_amounts={Area.CITY_INNER: 10000, Area.URBAN_INNER: 8000, Area.REMOTE: 4000, Area.OTHER: 6000},
        removal_rule=_("Điều lệ Đảng Điều 8; Quy định 29-QĐ/TW mục 8: đảng viên không đóng đảng phí ba tháng trong năm "
                       "mà không có lý do chính đáng thì chi bộ xem xét, đề nghị xóa tên."),
    ),
]


def rules_for_month(month: dt.date) -> DuesRules:
    found = RULE_SETS[0]
    for rules in RULE_SETS:
        if rules.valid_from <= month.replace(day=1):
            found = rules
    return found


def _round(numerator: int, denominator: int, how: str) -> int:
    """numerator / denominator rounded half up, to the đồng or to the thousand (integers only)."""
    unit = denominator * (1000 if how == "thousand" else 1)
    whole = (2 * numerator + unit) // (2 * unit)
    return whole * (1000 if how == "thousand" else 1)


class DuesError(ValueError):
    """A profile the rules cannot price; the message names the field, in Vietnamese."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def monthly_amount(rules: DuesRules, *, income_kind: str, income: int | None = None, area: str = Area.OTHER,
                   past_working_age: bool = False, voluntary: int = 0) -> int:
    """The dues of one month in whole đồng under the rules (the higher of the rate and a
    voluntary amount)."""
    if income_kind in PERCENT_KINDS:
        if income is None or income < 0:
            raise DuesError("income", str(_("Chưa nhập thu nhập hằng tháng (đồng) để tính đảng phí theo tỉ lệ.")))
        amount = _round(income * rules.rate_per_10000[income_kind], 10000, rules.rounding)
    elif income_kind == IncomeKind.STUDENT:
        amount = rules.student_amount
    elif income_kind == IncomeKind.OTHER:
        if area not in rules.area_amounts:
            raise DuesError("area", str(_("Chưa chọn địa bàn để tính mức đảng phí.")))
        amount = rules.area_amounts[area]
        if past_working_age:
            amount = _round(amount * rules.past_working_age_percent, 100, "half_up")
    else:
        raise DuesError("income_kind", str(_("Đối tượng đóng đảng phí không hợp lệ.")))
    return max(amount, int(voluntary or 0))


def remittance(rules: DuesRules, collected: int) -> tuple[int, int]:
    """(kept by the cell, remitted to the superior) of what it collected in a month, in whole đồng:
    the share kept rounded down, so that what is remitted is never short."""
    kept = collected * rules.share_kept_percent // 100
    return kept, collected - kept

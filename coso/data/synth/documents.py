"""Documents and targets on a synthetic dataset (`coso synth`), for the targets' benchmarks.

Registered through coso.resolutions.services and coso.targets.services (validated, numbered,
audited), as a committee would: they are few (a resolution with its 25 targets), unlike the
millions of member rows synth writes directly.

- `district_resolution`: a legacy district committee's congress resolution of the 2020–2025 term
  (issued 01/12/2020, HU) with 25 targets over the measures synth fills (members and their shares,
  admissions and the other events over the term and each year, organizations), the shape of a real
  congress resolution's "chỉ tiêu chủ yếu" (Núi Thành's 02-NQ/HU, Thạnh Trị's Nghị quyết 02);
- `province_resolution`: a 2025 province committee's resolution (issued 01/10/2025, TU) with two
  targets given to every commune committee under it (cascade): admissions over the term and the
  share of women among members.
"""

import datetime as dt
from decimal import Decimal

from coso.resolutions import services as register
from coso.resolutions.models import Term
from coso.resolutions.symbols import DocumentKind
from coso.targets import services

# (numerator, denominator, comparator, threshold, horizon, text): cycled up to the count asked
DISTRICT_TARGETS = [
    ("events.admitted", "", "ge", 400, "term", "Kết nạp từ 400 đảng viên mới trở lên trong nhiệm kỳ"),
    ("events.admitted", "", "ge", 80, "each_year", "Mỗi năm kết nạp từ 80 đảng viên mới trở lên"),
    ("members.female", "members", "ge", 35, "by_date", "Đảng viên nữ chiếm từ 35% trở lên"),
    ("members.minority", "members", "ge", 10, "by_date", "Đảng viên người dân tộc thiểu số chiếm từ 10% trở lên"),
    ("members.probationary", "members", "le", 8, "by_date", "Đảng viên dự bị không quá 8%"),
    ("members", "", "ge", 9000, "by_date", "Tổng số đảng viên đến cuối nhiệm kỳ từ 9.000 trở lên"),
    ("events.recognized", "", "ge", 300, "term", "Công nhận đảng viên chính thức từ 300 đồng chí trở lên"),
    ("events.transferred_in", "", "ge", 100, "term", "Tiếp nhận từ 100 đảng viên chuyển đến"),
    ("events.removed", "", "le", 20, "term", "Xóa tên không quá 20 đảng viên trong nhiệm kỳ"),
    ("events.expelled", "", "le", 5, "term", "Khai trừ không quá 5 đảng viên trong nhiệm kỳ"),
    ("events.deceased", "", "le", 400, "term", "Đảng viên từ trần (theo dõi)"),
    ("events.left", "", "le", 10, "term", "Đảng viên xin ra khỏi Đảng không quá 10"),
    ("orgs.grassroots", "", "ge", 60, "by_date", "Duy trì từ 60 tổ chức cơ sở đảng"),
    ("orgs.cells", "", "ge", 400, "by_date", "Duy trì từ 400 chi bộ"),
    ("members.official", "members", "ge", 90, "by_date", "Đảng viên chính thức chiếm từ 90% trở lên"),
    ("members.religious", "members", "le", 5, "by_date", "Đảng viên có đạo (theo dõi)"),
    ("events.transferred_out", "", "le", 200, "term", "Đảng viên chuyển đi (theo dõi)"),
    ("events.recognized", "", "ge", 60, "each_year", "Mỗi năm công nhận từ 60 đảng viên chính thức"),
    ("events.admitted", "", "ge", 200, "by_date", "Đến giữa nhiệm kỳ kết nạp từ 200 đảng viên"),
    ("members.exempted", "members", "le", 10, "by_date", "Đảng viên miễn sinh hoạt không quá 10%"),
]
PROVINCE_TARGETS = [
    ("events.admitted", "", "ge", 20, "term", "Mỗi đảng bộ xã, phường kết nạp từ 20 đảng viên mới trở lên trong nhiệm kỳ"),
    ("members.female", "members", "ge", 35, "by_date", "Đảng viên nữ chiếm từ 35% trở lên ở mỗi đảng bộ xã, phường"),
]
DISTRICT_TERM, DISTRICT_ISSUED = dt.date(2020, 10, 1), dt.date(2020, 12, 1)
PROVINCE_TERM, PROVINCE_ISSUED = dt.date(2025, 9, 1), dt.date(2025, 10, 1)


def _term(organization, starts_on: dt.date, actor) -> None:
    if not Term.objects.filter(organization=organization, valid_from=starts_on).exists():
        register.open_term(actor=actor, organization=organization, name=f"{starts_on.year}–{starts_on.year + 5}", starts_on=starts_on)


def _targets(document, rows, count: int, *, cascade: bool, due_on: dt.date, actor) -> list:
    made = []
    for i in range(count):
        numerator, denominator, comparator, threshold, horizon, text = rows[i % len(rows)]
        if i >= len(rows):
            text = f"{text} ({i // len(rows) + 1})"
        made.append(services.create_target(actor=actor, document=document, code=str(i + 1), text=text, numerator=numerator,
                                           denominator=denominator, comparator=comparator, threshold=Decimal(threshold),
                                           horizon=horizon, due_on=due_on if horizon == "by_date" else None, cascade=cascade))
    return made


def district_resolution(district, *, targets: int = 25, actor=None):
    """The district committee's congress resolution with `targets` targets (see the module docstring)."""
    _term(district, DISTRICT_TERM, actor)
    document = register.register_document(actor=actor, organization=district, organ="congress", kind=DocumentKind.RESOLUTION,
                                           issued_on=DISTRICT_ISSUED, subject="Nghị quyết Đại hội đại biểu Đảng bộ huyện nhiệm kỳ 2020–2025")
    _targets(document, DISTRICT_TARGETS, targets, cascade=False, due_on=dt.date(2025, 6, 30), actor=actor)
    return document


def province_resolution(province, *, actor=None):
    """The province committee's resolution whose targets every commune committee under it carries out."""
    _term(province, PROVINCE_TERM, actor)
    document = register.register_document(actor=actor, organization=province, kind=DocumentKind.RESOLUTION, issued_on=PROVINCE_ISSUED,
                                           subject="Nghị quyết về nâng cao chất lượng tổ chức cơ sở đảng và đảng viên")
    _targets(document, PROVINCE_TARGETS, len(PROVINCE_TARGETS), cascade=True, due_on=dt.date(2030, 8, 31), actor=actor)
    return document

"""The demo's documents: Núi Thành district's congress resolution of the 2020–2025 term with its
targets (computed from the demo's records, one reported, one waiting for the training capability),
the standing committee's 02-NQ/HU of 2021 on the grassroots political system (the article's), and
the action program implementing the congress resolution. Written through the services."""

import datetime as dt
from decimal import Decimal

from coso.resolutions import services as register
from coso.resolutions.models import RelationKind
from coso.resolutions.symbols import DocumentKind, Organ
from coso.targets import services as targets

D = dt.date
TERM_START = D(2020, 10, 16)  # the day after the 2020 congress closed
DUE = D(2025, 6, 30)  # the district level ends on 01/07/2025


def build(demo, actor=None, say=print) -> None:
    district = demo.district
    # HD 36: the congress numbers its documents from its preparatory session to its close, before
    # the new committee's term begins the day after
    register.open_term(actor=actor, organization=district, name="2015–2020", starts_on=D(2015, 10, 20))
    register.open_term(actor=actor, organization=district, name="2020–2025", starts_on=TERM_START)
    congress = register.register_document(
        actor=actor, organization=district, organ=Organ.CONGRESS, kind=DocumentKind.RESOLUTION, issued_on=D(2020, 10, 15),
        subject="Nghị quyết Đại hội đại biểu Đảng bộ huyện Núi Thành lần thứ XXII, nhiệm kỳ 2020–2025", place="Núi Thành",
        signer="Đoàn Chủ tịch Đại hội", effective_from=TERM_START)
    for code, text, numerator, denominator, comparator, threshold, horizon, unit in [
        ("1", "Kết nạp 400 đảng viên mới trong nhiệm kỳ", "events.admitted", "", "ge", 400, "term", "đảng viên"),
        ("2", "Hằng năm trên 80% đảng viên hoàn thành tốt nhiệm vụ trở lên", "ratings.members.good_or_better", "ratings.members", "gt", 80,
         "each_year", ""),
        ("3", "Hằng năm trên 80% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên", "ratings.organizations.good_or_better",
         "ratings.organizations", "gt", 80, "each_year", ""),
        ("4", "100% thôn, tổ dân phố có chi bộ", "villages.with_cell", "villages", "ge", 100, "by_date", ""),
        ("5", "95% cán bộ, công chức có trình độ trung cấp lý luận chính trị trở lên", "staff.theory_intermediate_or_higher", "staff",
         "ge", 95, "by_date", ""),
        ("6", "Thu nhập bình quân đầu người đạt 60 triệu đồng", "", "", "ge", 60, "by_date", "triệu đồng"),
    ]:
        targets.create_target(actor=actor, document=congress, code=code, text=text, numerator=numerator, denominator=denominator,
                              comparator=comparator, threshold=Decimal(threshold), horizon=horizon, unit=unit, due_on=DUE,
                              starts_on=TERM_START, cascade=code in ("1", "4"))
    income = congress.targets.get(code="6")
    targets.report_value(actor=actor, target=income, on=D(2023, 12, 31), value=Decimal("52.4"),
                         source="Báo cáo kinh tế - xã hội năm 2023 của UBND huyện")
    program = register.register_document(
        actor=actor, organization=district, kind=DocumentKind.ACTION_PROGRAM, issued_on=D(2020, 12, 10),
        subject="Chương trình hành động thực hiện Nghị quyết Đại hội đại biểu Đảng bộ huyện lần thứ XXII", signer="Bí thư Huyện ủy")
    register.add_relation(actor=actor, source=program, kind=RelationKind.IMPLEMENTS, target=congress)
    article = register.register_document(
        actor=actor, organization=district, organ=Organ.STANDING, kind=DocumentKind.RESOLUTION, issued_on=D(2021, 3, 15),
        subject="Về xây dựng hệ thống chính trị cơ sở vững mạnh toàn diện, giai đoạn 2021–2025", signer="Bí thư Huyện ủy")
    register.add_relation(actor=actor, source=article, kind=RelationKind.IMPLEMENTS, target=congress)
    say(f"Văn bản: {congress.symbol}, {program.symbol}, {article.symbol}; {congress.targets.count()} chỉ tiêu nghị quyết đại hội.")

"""Numbers and symbols of Party documents (số và ký hiệu), as dated reference data.

Hướng dẫn 36-HD/VPTW (Central Party Office, 03/04/2018), mục II.1.3 (domain
political-system.md §F.2):

- the number runs from 01 for each document type, separately for each committee or body, within
  one committee term (from the day after the congress closes, or from the new committee's first
  meeting, to the close of the next congress); classified documents share the series of the
  unclassified ones of the same type; joint documents take the lead issuer's next number;
- the documents of the congress itself (presidium, secretariat, credentials and vote-counting
  boards) share one series from 01, whatever their type;
- the symbol is "<number>-<type>/<issuer>", e.g. 02-NQ/HU, 35-KH/ĐU; documents of the standing
  committee carry the committee's symbol.

The authoritative abbreviation annex of HD 36 was not retrieved (UNCONFIRMED): the tables below
are the abbreviations observed in real document numbers (the sources are in the domain file).
The issuer abbreviations carry validity dates: the district level ends with the two-tier reform,
so HU, QU, TXU and ThU are used up to 30/06/2025; a commune committee uses ĐU. The congress's own
series is written "ĐH" (observed practice, e.g. 01-NQ/ĐH; UNCONFIRMED in HD 36's annex).
"""

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from coso.lib.dated import Dated
from coso.organizations.models import Kind

DISTRICT_LEVEL_ENDS = dt.date(2025, 7, 1)  # the first day without district committees (valid_to)


class DocumentKind(models.TextChoices):
    RESOLUTION = "nq", _("Nghị quyết")
    CONCLUSION = "kl", _("Kết luận")
    DIRECTIVE = "ct", _("Chỉ thị")
    REGULATION = "qdi", _("Quy định")
    RULES = "qc", _("Quy chế")
    DECISION = "qd", _("Quyết định")
    ACTION_PROGRAM = "cthd", _("Chương trình hành động")
    PROGRAM = "ctr", _("Chương trình")
    PLAN = "kh", _("Kế hoạch")
    NOTICE = "tb", _("Thông báo")
    REPORT = "bc", _("Báo cáo")
    GUIDANCE = "hd", _("Hướng dẫn")
    SCHEME = "da", _("Đề án")
    SUBMISSION = "ttr", _("Tờ trình")
    LETTER = "cv", _("Công văn")


# the type's abbreviation in the symbol (domain §F.2, observed numbers)
KIND_SYMBOL = {
    DocumentKind.RESOLUTION: "NQ",
    DocumentKind.CONCLUSION: "KL",
    DocumentKind.DIRECTIVE: "CT",
    DocumentKind.REGULATION: "QĐi",  # 2018 central usage (07-QĐi/TW); older documents wrote QĐ
    DocumentKind.RULES: "QC",
    DocumentKind.DECISION: "QĐ",
    DocumentKind.ACTION_PROGRAM: "CTHĐ",  # also written CTr (147-CTHĐ/TU)
    DocumentKind.PROGRAM: "CTr",
    DocumentKind.PLAN: "KH",
    DocumentKind.NOTICE: "TB",
    DocumentKind.REPORT: "BC",
    DocumentKind.GUIDANCE: "HD",
    DocumentKind.SCHEME: "ĐA",
    DocumentKind.SUBMISSION: "TTr",
    DocumentKind.LETTER: "CV",
}


class Organ(models.TextChoices):
    """Which body of the organization issues the document."""

    CONGRESS = "congress", _("Đại hội")
    COMMITTEE = "committee", _("Ban Chấp hành")
    STANDING = "standing", _("Ban Thường vụ")
    CELL = "cell", _("Chi bộ")


@dataclass(frozen=True)
class IssuerSymbol(Dated):
    """An issuer abbreviation, in force on [valid_from, valid_to) (`Dated.in_force_on`)."""

    code: str
    label: str
    kinds: tuple[str, ...]
    valid_from: dt.date | None = None  # None: since always
    valid_to: dt.date | None = None  # the first day it is no longer used


ISSUER_SYMBOLS = [
    IssuerSymbol("TU", _("Tỉnh ủy, Thành ủy trực thuộc Trung ương"), (Kind.PROVINCE_COMMITTEE,)),
    IssuerSymbol("HU", _("Huyện ủy"), (Kind.DISTRICT_COMMITTEE,), valid_to=DISTRICT_LEVEL_ENDS),
    IssuerSymbol("QU", _("Quận ủy"), (Kind.DISTRICT_COMMITTEE,), valid_to=DISTRICT_LEVEL_ENDS),
    IssuerSymbol("TXU", _("Thị xã ủy"), (Kind.DISTRICT_COMMITTEE,), valid_to=DISTRICT_LEVEL_ENDS),
    IssuerSymbol("ThU", _("Thành ủy thuộc tỉnh"), (Kind.DISTRICT_COMMITTEE,), valid_to=DISTRICT_LEVEL_ENDS),
    IssuerSymbol("ĐU", _("Đảng ủy"), (Kind.COMMUNE_COMMITTEE, Kind.GRASSROOTS_COMMITTEE, Kind.PARTIAL_COMMITTEE)),
    IssuerSymbol("CB", _("Chi bộ"), (Kind.GRASSROOTS_CELL, Kind.SUBORDINATE_CELL, Kind.PARTY_GROUP)),
]
CONGRESS_SYMBOL = "ĐH"
CONGRESS_SERIES = "congress"  # the congress's documents share one series whatever their type


def issuer_symbols(kind: str, on: dt.date) -> list[str]:
    """The issuer abbreviations an organization of the kind may use on the date (first: the default)."""
    return [s.code for s in ISSUER_SYMBOLS if kind in s.kinds and s.in_force_on(on)]


def issuer_symbol_ended(kind: str, on: dt.date) -> IssuerSymbol | None:
    """The abbreviation that kind used before the date, when none is in force then (for the message)."""
    ended = [s for s in ISSUER_SYMBOLS if kind in s.kinds and s.valid_to is not None and s.valid_to <= on]
    return ended[0] if ended else None


def series(organ: str, kind: str) -> str:
    """The numbering series a document belongs to within its issuer and term."""
    return CONGRESS_SERIES if organ == Organ.CONGRESS else kind


def symbol(number: int, kind: str, issuer: str, organ: str = Organ.COMMITTEE) -> str:
    """"02-NQ/HU": the number on two digits at least, the type, the issuer (ĐH for the congress)."""
    return f"{number:02d}-{KIND_SYMBOL[kind]}/{CONGRESS_SYMBOL if organ == Organ.CONGRESS else issuer}"

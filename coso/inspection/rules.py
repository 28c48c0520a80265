"""The rules of discipline as pure functions: which forms apply, the vote, the limitation period.

No database here: services.decide_discipline() reads the records, asks these functions, and
writes only when they accept.

Sources (../shared/domain/reference.md §4, political-system.md G.2):

- forms, Điều lệ Điều 35: an organization khiển trách / cảnh cáo / giải tán; an official member
  khiển trách / cảnh cáo / cách chức / khai trừ; a probationary member only the first two;
- the vote, counted against all members entitled to vote: more than 1/2 for khiển trách and
  cảnh cáo, more than 2/3 for cách chức, khai trừ (and giải tán): UNCONFIRMED, so SETTINGS;
- the limitation period (thời hiệu), 69-QĐ/TW Điều 4 for members: 5 years for breaches
  warranting khiển trách, 10 for cảnh cáo or cách chức, none for khai trừ and the excluded
  categories (NoLimitCategory); for organizations (07-QĐi/TW, believed kept by 69: UNCONFIRMED)
  5 / 10 years, none for giải tán. It runs from the breach, from its end for a long-running one
  (Hướng dẫn 06-HD/UBKTTW), and a new breach within the period restarts it (102-QĐ/TW; 07-QĐi/TW).
  A superior confirming or changing the penalty does not restart it.
- 06-HD/UBKTTW: the breach is examined and the penalty voted first; the limitation period then
  decides whether it is enforced. An expired period blocks enforcement, not the vote.
- the competent body per form (COMPETENCE): which body of which level may decide which form for
  whom. The domain notes name the deciding bodies (reference §4.3: committees, chi bộ, inspection
  commissions from the đảng ủy cơ sở up) but not the table, which is Điều lệ Điều 36 as we read
  it: UNCONFIRMED, so dated configuration, checked before the vote is recorded.
"""

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.lib.dates import fmt
from coso.members.lifecycle import add_months

from .choices import (
    CONFIRMED,
    OFFICIAL_FORMS,
    ORGANIZATION_FORMS,
    PROBATIONARY_FORMS,
    UNCONFIRMED,
    Body,
    Form,
    SubjectKind,
)

# What the sources leave open, with its status: dated configuration (a later rule set adds a
# dict with a later `from`).
SETTINGS = {
    "from": dt.date(2022, 7, 6),  # 69-QĐ/TW
    "member_years": {Form.REPRIMAND: 5, Form.WARNING: 10, Form.DISMISSAL: 10, Form.EXPULSION: None},
    "member_years_status": CONFIRMED,
    "organization_years": {Form.REPRIMAND: 5, Form.WARNING: 10, Form.DISSOLUTION: None},
    "organization_years_status": UNCONFIRMED,
    # share of the members entitled to vote that must vote for the form: strictly more than it
    "vote_share": {Form.REPRIMAND: Fraction(1, 2), Form.WARNING: Fraction(1, 2), Form.DISMISSAL: Fraction(2, 3),
                   Form.EXPULSION: Fraction(2, 3), Form.DISSOLUTION: Fraction(2, 3)},
    "vote_share_status": UNCONFIRMED,
}


# Levels of the deciding organization (competence_level): a chi bộ acting as a chi bộ; a
# grassroots organization (đảng ủy cơ sở, a chi bộ cơ sở acting as its committee) and its
# inspection commission; the committees above grassroots (commune committees from 01/07/2025,
# district, province) and their commissions.
CELL_LEVEL, GRASSROOTS_LEVEL, ABOVE_LEVEL = "cell", "grassroots", "above"
LEVEL_LABELS = {CELL_LEVEL: "", GRASSROOTS_LEVEL: gettext_lazy("cấp cơ sở"), ABOVE_LEVEL: gettext_lazy("cấp trên cơ sở")}
_MEMBER_ALL = (Form.REPRIMAND, Form.WARNING, Form.DISMISSAL, Form.EXPULSION)

# Who may decide which form (Điều lệ Điều 36 as read, not checked against the text: UNCONFIRMED).
# A chi bộ reprimands or warns its own members; a đảng ủy cơ sở also removes from post (khai trừ
# only when authorised to admit members: not in the records, so not allowed by default); its
# commission reprimands or warns; the committees above grassroots, their standing committees and
# commissions decide every form. An organization is disciplined by a committee above it (the
# commissions reprimand or warn); dissolution by a committee above grassroots.
COMPETENCE = [{
    "from": dt.date(2011, 1, 19),  # Điều lệ Đảng (Đại hội XI)
    "status": UNCONFIRMED,
    "member": {
        (CELL_LEVEL, Body.CELL): (Form.REPRIMAND, Form.WARNING),
        (GRASSROOTS_LEVEL, Body.COMMITTEE): (Form.REPRIMAND, Form.WARNING, Form.DISMISSAL),
        (GRASSROOTS_LEVEL, Body.STANDING): (Form.REPRIMAND, Form.WARNING, Form.DISMISSAL),
        (GRASSROOTS_LEVEL, Body.COMMISSION): (Form.REPRIMAND, Form.WARNING),
        (ABOVE_LEVEL, Body.COMMITTEE): _MEMBER_ALL,
        (ABOVE_LEVEL, Body.STANDING): _MEMBER_ALL,
        (ABOVE_LEVEL, Body.COMMISSION): _MEMBER_ALL,
    },
    "organization": {
        (GRASSROOTS_LEVEL, Body.COMMITTEE): (Form.REPRIMAND, Form.WARNING),
        (GRASSROOTS_LEVEL, Body.STANDING): (Form.REPRIMAND, Form.WARNING),
        (ABOVE_LEVEL, Body.COMMITTEE): (Form.REPRIMAND, Form.WARNING, Form.DISSOLUTION),
        (ABOVE_LEVEL, Body.STANDING): (Form.REPRIMAND, Form.WARNING, Form.DISSOLUTION),
        (ABOVE_LEVEL, Body.COMMISSION): (Form.REPRIMAND, Form.WARNING),
    },
}]


def competence_on(on: dt.date) -> dict:
    """The competence table in force on the day (the latest whose `from` is not after it)."""
    found = [c for c in COMPETENCE if c["from"] <= on]
    return max(found, key=lambda c: c["from"]) if found else COMPETENCE[0]


def competent_forms(subject_kind: str, level: str, body: str, on: dt.date) -> tuple:
    table = competence_on(on)["organization" if subject_kind == SubjectKind.ORGANIZATION else "member"]
    return table.get((level, body), ())


def competence_problem(form: str, subject_kind: str, level: str, body: str, on: dt.date) -> str | None:
    """None when the body of that level may decide the form for the subject; else why not, with
    the forms it may decide."""
    allowed = competent_forms(subject_kind, level, body, on)
    if form in allowed:
        return None
    values = {"body": f"{Body(body).label} {LEVEL_LABELS[level]}".strip(), "form": Form(form).label.lower(),
              "subject": SubjectKind(subject_kind).label.lower()}
    if not allowed:
        return _("%(body)s không có thẩm quyền thi hành kỷ luật %(subject)s (Điều lệ Đảng, Điều 36; cấu hình, chưa đối chiếu "
                 "văn bản).") % values
    return _("%(body)s không có thẩm quyền quyết định hình thức %(form)s đối với %(subject)s; chỉ quyết định: %(allowed)s "
             "(Điều lệ Đảng, Điều 36; cấu hình, chưa đối chiếu văn bản).") % {
        **values, "allowed": ", ".join(str(Form(f).label).lower() for f in allowed)}


def allowed_forms(subject_kind: str, member_status: str | None = None) -> tuple:
    """The forms the Statute allows for the subject (Điều lệ Điều 35)."""
    if subject_kind == SubjectKind.ORGANIZATION:
        return ORGANIZATION_FORMS
    if member_status == "probationary":
        return PROBATIONARY_FORMS
    return OFFICIAL_FORMS


def form_problem(form: str, subject_kind: str, member_status: str | None = None) -> str | None:
    if form in allowed_forms(subject_kind, member_status):
        return None
    if subject_kind == SubjectKind.ORGANIZATION:
        return _("Tổ chức đảng chỉ bị kỷ luật khiển trách, cảnh cáo hoặc giải tán (Điều lệ Đảng, Điều 35).")
    if member_status == "probationary":
        return _("Đảng viên dự bị chỉ bị kỷ luật khiển trách hoặc cảnh cáo (Điều lệ Đảng, Điều 35).")
    return _("Đảng viên chỉ bị kỷ luật khiển trách, cảnh cáo, cách chức hoặc khai trừ (Điều lệ Đảng, Điều 35).")


def vote_problem(form: str, votes_for: int, entitled: int) -> str | None:
    """None when the vote carries: strictly more than the form's share of those entitled."""
    if entitled <= 0:
        return _("Số thành viên có quyền biểu quyết phải lớn hơn 0.")
    if votes_for < 0 or votes_for > entitled:
        return _("Số phiếu tán thành phải từ 0 đến số thành viên có quyền biểu quyết (%(n)s).") % {"n": entitled}
    share = SETTINGS["vote_share"][form]
    if Fraction(votes_for, entitled) > share:
        return None
    return _("Chưa đủ số phiếu: hình thức %(form)s cần trên %(share)s số thành viên có quyền biểu quyết (%(votes)s/%(n)s tán thành).") % {
        "form": Form(form).label.lower(), "share": f"{share.numerator}/{share.denominator}", "votes": votes_for, "n": entitled}


@dataclass(frozen=True)
class Breach:
    started_on: dt.date
    ended_on: dt.date | None = None  # a long-running breach: its last day

    @property
    def last_day(self) -> dt.date:
        return self.ended_on or self.started_on


@dataclass(frozen=True)
class Limitation:
    """The limitation status of a breach on a day."""

    years: int | None  # None: no limitation period
    runs_from: dt.date
    expires_on: dt.date | None  # the first day the breach can no longer be disciplined
    restarted_by: dt.date | None  # the new breach that restarted the clock, if any
    on: dt.date

    @property
    def expired(self) -> bool:
        return self.expires_on is not None and self.on >= self.expires_on

    @property
    def text(self) -> str:
        if self.years is None:
            return _("Không áp dụng thời hiệu: vi phạm thuộc trường hợp không tính thời hiệu xử lý kỷ luật.")
        restart = ""
        if self.restarted_by:
            restart = " " + _("Thời hiệu được tính lại từ vi phạm mới ngày %(date)s.") % {"date": fmt(self.restarted_by)}
        if self.expired:
            return _("Đã hết thời hiệu xử lý kỷ luật: %(years)s năm kể từ ngày %(start)s, hết vào ngày %(end)s; không thi hành kỷ luật.") % {
                "years": self.years, "start": fmt(self.runs_from), "end": fmt(self.expires_on - dt.timedelta(days=1))} + restart
        return _("Còn thời hiệu xử lý kỷ luật: %(years)s năm kể từ ngày %(start)s, đến hết ngày %(end)s.") % {
            "years": self.years, "start": fmt(self.runs_from), "end": fmt(self.expires_on - dt.timedelta(days=1))} + restart


def limitation_years(form: str, subject_kind: str, *, no_limit: bool = False) -> int | None:
    if no_limit:
        return None
    table = SETTINGS["organization_years"] if subject_kind == SubjectKind.ORGANIZATION else SETTINGS["member_years"]
    return table.get(form)


def limitation(breach: Breach, form: str, subject_kind: str, on: dt.date, *, no_limit: bool = False,
               later_breaches=()) -> Limitation:
    """The limitation status on `on` of a breach warranting `form`.

    The clock runs from the breach's last day. A later breach of the same subject that begins
    while the clock runs (before it expires) restarts it from that breach's last day; the later
    breaches are read in order, so a chain of breaches keeps restarting it."""
    years = limitation_years(form, subject_kind, no_limit=no_limit)
    runs_from = breach.last_day
    if years is None:
        return Limitation(None, runs_from, None, None, on)
    expires = add_months(runs_from, 12 * years)
    restarted = None
    for later in sorted(later_breaches, key=lambda b: b.started_on):
        if later.started_on <= runs_from:
            continue  # not a new breach after this one
        if later.started_on >= expires or later.started_on > on:
            break  # after the period ran out, or not yet committed on the day asked
        runs_from = later.last_day if later.last_day <= on else later.started_on
        restarted = later.started_on
        expires = add_months(runs_from, 12 * years)
    return Limitation(years, runs_from, expires, restarted, on)

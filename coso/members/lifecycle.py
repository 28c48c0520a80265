"""The member lifecycle as a pure state machine: events in, state and periods out.

No database here. services.py loads a member's events, replays them with the new one and, if
apply() accepts it, writes the event and the periods replay() returns, all in one transaction.
Bulk paths (imports, the national dataset) call the same replay(), so there is one definition
of what an event does.

Rules and their sources (../shared/domain/reference.md):
- probation is 12 months from the admission ceremony; official status takes effect at the end
  of the 12 months whatever the date of the decision (§2.5);
- party age counts from the admission decision, minus the time out of the Party; a readmitted
  member counts from the first admission (§2.6);
- a transfer is a hand-off: the sending side issues the letter, the member is in transit, still
  counted by the sending organization, until the receiving side records receipt; temporary
  members stay in their home organization's headcount (§2.8);
- readmission at least 36 months after leaving, once only, with a new probation (§2.11);
- badges at 30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90 years of party age, up to 12 months
  early (24 from 70 years) for serious illness or posthumously (§2.12);
- the party card goes to official members only (§2.7);
- a restructuring's hand-off (ORG_HANDOVER) changes the member's organization and nothing else
  (political-system.md I.2: the decision moves the organization, not the member);
- an expulsion annulled as wrongful (RESTORED, 117-QĐ/TW; political-system.md G.2) gives the
  member back the status they had, in the cell the decision names, from its date: the days
  between are kept as they were recorded (not counted), and party age runs on through them
  (RESTORED_KEEPS_PARTY_AGE: "phục hồi đảng tịch" read as the expulsion undone; UNCONFIRMED).
"""

import calendar
import datetime as dt
from dataclasses import dataclass, field, fields

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from coso.lib.dates import fmt as _d

from .models import ACTIVE, EventType, Status, TransferKind

PROBATION_MONTHS = 12
READMISSION_WAIT_MONTHS = 36
BADGE_MILESTONES = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)
RESTORED_KEEPS_PARTY_AGE = True  # UNCONFIRMED: 117-QĐ/TW restores đảng tịch; whether the gap counts is not in the notes


class LifecycleError(Exception):
    """An event the rules refuse; the message is for the user, in their language."""


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months



@dataclass(frozen=True)
class Period:
    organization_id: int
    status: str
    exempted: bool
    in_transit: bool
    host_id: int | None
    valid_from: dt.date
    valid_to: dt.date | None


@dataclass
class State:
    status: str | None = None
    organization_id: int | None = None
    exempted: bool = False
    transit_to: int | None = None
    transit_kind: str = ""
    transit_since: dt.date | None = None
    host_id: int | None = None
    away_temporarily: bool = False
    admitted_on: dt.date | None = None
    first_decision_date: dt.date | None = None
    recognized_on: dt.date | None = None
    card_issued_on: dt.date | None = None
    card_number: str = ""
    exit_on: dt.date | None = None
    exited_from: str | None = None  # the status held before the exit (a restoration gives it back)
    gaps: tuple = ()
    readmitted: bool = False
    badges: frozenset = frozenset()
    last_date: dt.date | None = None

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def probation_ends(self) -> dt.date | None:
        if self.status != Status.PROBATIONARY or not self.admitted_on:
            return None
        return add_months(self.admitted_on, PROBATION_MONTHS)

    def party_months(self, on: dt.date) -> int:
        """Party age in whole months on the date: from the first admission decision, minus gaps."""
        start = self.first_decision_date or self.admitted_on
        if not start or on < start:
            return 0
        total = months_between(start, on)
        for gap_start, gap_end in self.gaps:
            total -= months_between(gap_start, min(gap_end, on)) if gap_start < on else 0
        if self.status in (Status.REMOVED, Status.EXPELLED, Status.LEFT) and self.exit_on and self.exit_on < on:
            total -= months_between(self.exit_on, on)
        return max(total, 0)

    def key(self):
        if not self.active:
            return None
        return (self.organization_id, self.status, self.exempted, self.transit_to is not None, self.host_id)


_STATE_FIELDS = frozenset(f.name for f in fields(State))


def replace(state: "State", **changes) -> "State":
    """dataclasses.replace for State without its per-call machinery (a replay makes one per event)."""
    if not changes.keys() <= _STATE_FIELDS:
        raise TypeError(f"State has no field {sorted(changes.keys() - _STATE_FIELDS)}")
    new = object.__new__(State)
    new.__dict__.update(state.__dict__)
    new.__dict__.update(changes)
    return new


def _require(condition: bool, message: str, **params) -> None:
    """LifecycleError with the message (a msgid marked by gettext_noop), translated only when
    the condition fails: a replay applies every event of a member, and translating each check's
    message up front was most of a replay's time (a restructuring replays thousands of members)."""
    if not condition:
        raise LifecycleError(_(message) % params if params else _(message))


def apply(state: State, ev) -> State:
    """The state after the event, or LifecycleError with the reason. `ev` is a MemberEvent
    (saved or not) or any object with the same attributes."""
    t, day = ev.type, ev.effective_date
    if state.last_date and day < state.last_date:
        raise LifecycleError(
            _("Ngày hiệu lực %(date)s trước sự kiện gần nhất của đảng viên (%(last)s).") % {"date": _d(day), "last": _d(state.last_date)}
        )
    s = replace(state, last_date=day)

    if t in (EventType.RECORDED, EventType.JOINED_BY_TRANSFER):
        _require(state.status is None, gettext_noop("Đảng viên đã có hồ sơ trong hệ thống."))
        _require(ev.organization_id is not None, gettext_noop("Chưa chọn chi bộ sinh hoạt."))
        _require(ev.admitted_on is not None, gettext_noop("Chưa có ngày kết nạp."))
        _require(ev.admitted_on <= day, gettext_noop("Ngày kết nạp phải trước hoặc bằng ngày ghi nhận."))
        if ev.recognized_on:
            _require(ev.recognized_on >= add_months(ev.admitted_on, PROBATION_MONTHS),
                     gettext_noop("Ngày công nhận chính thức sớm hơn ngày kết nạp cộng 12 tháng dự bị."))
        status = Status.OFFICIAL if ev.recognized_on and ev.recognized_on <= day else Status.PROBATIONARY
        return replace(s, status=status, organization_id=ev.organization_id, admitted_on=ev.admitted_on,
                       first_decision_date=ev.decision_date or ev.admitted_on, recognized_on=ev.recognized_on if status == Status.OFFICIAL else None)

    if t == EventType.ADMITTED:
        _require(state.status is None, gettext_noop("Người này đã là đảng viên; dùng kết nạp lại nếu đã ra khỏi Đảng."))
        _require(ev.organization_id is not None, gettext_noop("Chưa chọn chi bộ kết nạp."))
        if ev.decision_date:
            _require(ev.decision_date <= day, gettext_noop("Ngày quyết định kết nạp phải trước hoặc bằng ngày lễ kết nạp."))
        return replace(s, status=Status.PROBATIONARY, organization_id=ev.organization_id, admitted_on=day,
                       first_decision_date=ev.decision_date or day)

    if t == EventType.READMITTED:
        _require(state.status in (Status.REMOVED, Status.LEFT, Status.EXPELLED),
                 gettext_noop("Chỉ kết nạp lại người đã bị xóa tên, khai trừ hoặc đã ra khỏi Đảng."))
        _require(not state.readmitted, gettext_noop("Mỗi người chỉ được kết nạp lại một lần (Quy định 294-QĐ/TW, 3.5)."))
        earliest = add_months(state.exit_on, READMISSION_WAIT_MONTHS)
        _require(day >= earliest, gettext_noop("Chưa đủ 36 tháng kể từ ngày ra khỏi Đảng (%(exit)s): sớm nhất là %(date)s."), exit=_d(state.exit_on), date=_d(earliest))
        _require(ev.organization_id is not None, gettext_noop("Chưa chọn chi bộ kết nạp."))
        return replace(s, status=Status.PROBATIONARY, organization_id=ev.organization_id, admitted_on=day, recognized_on=None,
                       gaps=state.gaps + ((state.exit_on, day),), exit_on=None, readmitted=True)

    if t == EventType.RECOGNIZED:
        _require(state.status == Status.PROBATIONARY, gettext_noop("Chỉ công nhận chính thức đảng viên dự bị."))
        end = add_months(state.admitted_on, PROBATION_MONTHS)
        _require(day == end, gettext_noop("Ngày công nhận chính thức là ngày đủ 12 tháng dự bị: %(date)s."), date=_d(end))
        return replace(s, status=Status.OFFICIAL, recognized_on=day)

    if t == EventType.RESTORED:
        _require(state.status == Status.EXPELLED, gettext_noop("Chỉ phục hồi đảng tịch cho người đã bị khai trừ (Quy định 117-QĐ/TW)."))
        _require(ev.organization_id is not None, gettext_noop("Chưa chọn chi bộ sinh hoạt sau khi phục hồi đảng tịch."))
        gaps = state.gaps if RESTORED_KEEPS_PARTY_AGE else state.gaps + ((state.exit_on, day),)
        return replace(s, status=state.exited_from or Status.OFFICIAL, organization_id=ev.organization_id, exit_on=None, exited_from=None,
                       gaps=gaps)

    if not (state.active or (t == EventType.BADGE_AWARDED and state.status == Status.DECEASED)):
        raise LifecycleError(_("Đảng viên không còn sinh hoạt đảng (trạng thái: %(status)s).") % {
            "status": Status(state.status).label if state.status else _("chưa có hồ sơ")})

    if t == EventType.ORG_HANDOVER:
        # a restructuring hands the member's organization over (HD 09-HD/BTCTW 2017: the cell's
        # member list goes with the cell); only where they belong changes, nothing else
        _require(ev.organization_id is not None, gettext_noop("Chưa chọn tổ chức tiếp nhận."))
        _require(state.transit_to is None, gettext_noop("Đảng viên đang trong thời gian chuyển sinh hoạt; hãy tiếp nhận hoặc hủy giới thiệu trước."))
        return replace(s, organization_id=ev.organization_id)

    if t == EventType.TRANSFER_OUT:
        _require(state.transit_to is None, gettext_noop("Đảng viên đang trong thời gian chuyển sinh hoạt; hãy tiếp nhận hoặc hủy giới thiệu trước."))
        kind = ev.transfer_kind or TransferKind.OFFICIAL
        if kind == TransferKind.TEMPORARY:
            _require(state.host_id is None and not state.away_temporarily, gettext_noop("Đảng viên đang sinh hoạt tạm thời nơi khác."))
            if ev.target_id is None:
                _require(bool(ev.destination), gettext_noop("Ghi rõ nơi chuyển đến."))
                return replace(s, away_temporarily=True)
            _require(ev.target_id != state.organization_id, gettext_noop("Nơi chuyển đến trùng với chi bộ đang sinh hoạt."))
            return replace(s, transit_to=ev.target_id, transit_kind=kind, transit_since=day)
        if ev.target_id is None:
            _require(bool(ev.destination), gettext_noop("Ghi rõ nơi chuyển đến."))
            return replace(s, status=Status.TRANSFERRED_AWAY, exit_on=day, exempted=False, host_id=None, away_temporarily=False)
        _require(ev.target_id != state.organization_id, gettext_noop("Nơi chuyển đến trùng với chi bộ đang sinh hoạt."))
        return replace(s, transit_to=ev.target_id, transit_kind=kind, transit_since=day)

    if t == EventType.TRANSFER_RECEIVED:
        _require(state.transit_to is not None, gettext_noop("Đảng viên không có giấy giới thiệu chuyển sinh hoạt đang chờ tiếp nhận."))
        _require(ev.organization_id in (None, state.transit_to), gettext_noop("Giấy giới thiệu chuyển sinh hoạt gửi đến tổ chức khác."))
        if state.transit_kind == TransferKind.TEMPORARY:
            return replace(s, host_id=state.transit_to, transit_to=None, transit_kind="", transit_since=None)
        return replace(s, organization_id=state.transit_to, transit_to=None, transit_kind="", transit_since=None)

    if t == EventType.TRANSFER_CANCELLED:
        _require(state.transit_to is not None, gettext_noop("Không có giấy giới thiệu chuyển sinh hoạt nào để hủy."))
        return replace(s, transit_to=None, transit_kind="", transit_since=None)

    if t == EventType.TEMPORARY_RETURNED:
        _require(state.host_id is not None or state.away_temporarily, gettext_noop("Đảng viên không sinh hoạt tạm thời nơi khác."))
        return replace(s, host_id=None, away_temporarily=False)

    if t == EventType.EXEMPTED:
        _require(not state.exempted, gettext_noop("Đảng viên đã được miễn công tác và sinh hoạt đảng."))
        return replace(s, exempted=True)

    if t == EventType.EXEMPTION_ENDED:
        _require(state.exempted, gettext_noop("Đảng viên hiện không được miễn công tác và sinh hoạt đảng."))
        return replace(s, exempted=False)

    if t == EventType.DISCIPLINED:
        _require(bool(ev.discipline_form), gettext_noop("Chưa chọn hình thức kỷ luật."))
        _require(getattr(ev, "breach_on", None) is None or ev.breach_on <= day, gettext_noop("Ngày vi phạm sau ngày quyết định kỷ luật."))
        return s

    if t in (EventType.REMOVED, EventType.EXPELLED, EventType.LEFT, EventType.DECEASED):
        status = {EventType.REMOVED: Status.REMOVED, EventType.EXPELLED: Status.EXPELLED,
                  EventType.LEFT: Status.LEFT, EventType.DECEASED: Status.DECEASED}[t]
        return replace(s, status=status, exit_on=day, exited_from=state.status, exempted=False, transit_to=None, transit_kind="",
                       transit_since=None, host_id=None, away_temporarily=False)

    if t == EventType.BADGE_AWARDED:
        years = ev.badge_years
        _require(years in BADGE_MILESTONES, gettext_noop("Huy hiệu Đảng chỉ có các mốc 30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90 năm."))
        _require(years not in state.badges, gettext_noop("Đảng viên đã được tặng Huy hiệu %(years)s năm tuổi Đảng."), years=years)
        early = 24 if years >= 70 and state.status != Status.DECEASED else 12
        have = state.party_months(day)
        if have < years * 12:
            _require(have >= years * 12 - early and bool(ev.note),
                     gettext_noop("Chưa đủ %(years)s năm tuổi Đảng (mới %(have)s tháng); chỉ xét sớm tối đa %(early)s tháng khi bệnh nặng hoặc truy tặng, có ghi chú lý do."),
                     years=years, have=have, early=early)
        return replace(s, badges=state.badges | {years})

    if t == EventType.CARD_ISSUED:
        _require(state.status == Status.OFFICIAL, gettext_noop("Chỉ phát thẻ cho đảng viên chính thức."))
        _require(bool(ev.card_number), gettext_noop("Chưa nhập số thẻ đảng viên."))
        return replace(s, card_issued_on=day, card_number=ev.card_number)

    raise LifecycleError(_("Loại sự kiện không hợp lệ."))


@dataclass
class Replay:
    state: State = field(default_factory=State)
    periods: list = field(default_factory=list)


def replay(events) -> Replay:
    """Apply the events in order; the periods are the spans of unchanged placement and status."""
    state = State()
    periods: list[Period] = []
    current = None  # (key, since)
    for ev in events:
        state = apply(state, ev)
        key = state.key()
        if current and current[0] != key:
            (org, status, exempted, transit, host), since = current
            if ev.effective_date > since:
                periods.append(Period(org, status, exempted, transit, host, since, ev.effective_date))
            current = None
        if key is not None and current is None:
            current = (key, ev.effective_date)
    if current:
        (org, status, exempted, transit, host), since = current
        periods.append(Period(org, status, exempted, transit, host, since, None))
    return Replay(state=state, periods=periods)

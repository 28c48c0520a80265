"""The measure families of cell work (coso/activities): meetings, absences and party dues over a
period, each row counted under its organization as the tree stood on the row's date.

- meetings: meetings held within the period (both ends inclusive), by kind; and the attendance they
  recorded, as sums of the counts each meeting keeps (decision 0012): present, and expected (the
  members of the cell less the exempted and those on special duty). A sum's records are the
  meetings it adds up;
- absences: the marks that are not "present" at meetings held within the period, by mark (one
  record each: a figure is as many as its records);
- dues: the party dues recorded for the months that begin within the period, in đồng (what was
  due, what was paid, what is owed); a sum's records are the months of members it adds up;
- meetings attended by a superior: by an assigned point person of the cell (the meeting form links
  the attendee only to a point person assigned on the meeting's date, activities.services), or by
  any superior committee member (a point person or a name typed);
- commendations: the awards decided within the period, by form and by recipient (member or
  organization), counted under the awarded organization or the member's organization on the
  decision's date; the gift values as a sum in đồng.

One grouped query per family, with a conditional count (or sum) per measure, never one per
organization; a breakdown by child groups by organization and rolls up along the paths of the
date (families.roll_up_over_period).
"""

from django.db.models import Count, Exists, F, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from coso.activities.commendations import Form as AwardForm
from coso.activities.commendations import Recipient
from coso.activities.models import Absence, Commendation, DuesPayment, Mark, Meeting, MeetingKind

from .catalog import INDICATORS, MEASURES, Indicator, Measure, register_family
from .families import Family, child_map, grouped, roll_up_over_period
from .tree import Subtree

MEETINGS = "meetings"
ABSENCES = "absences"
DUES = "dues"
COMMENDATIONS = "commendations"

EXPECTED = F("roster_count") - F("exempted_count") - F("on_duty_count")


def _m(name, label, family, q=None, special=""):
    return Measure(name, label, family, q=q, special=special)


MEASURES.update({m.name: m for m in [
    _m("meetings.held", _("Buổi sinh hoạt đã họp"), MEETINGS),
    _m("meetings.regular", _("Buổi sinh hoạt thường kỳ"), MEETINGS, Q(kind=MeetingKind.REGULAR)),
    _m("meetings.thematic", _("Buổi sinh hoạt chuyên đề"), MEETINGS, Q(kind=MeetingKind.THEMATIC)),
    _m("meetings.extraordinary", _("Buổi họp bất thường"), MEETINGS, Q(kind=MeetingKind.EXTRAORDINARY)),
    _m("meetings.congress", _("Đại hội"), MEETINGS, Q(kind=MeetingKind.CONGRESS)),
    _m("meetings.point_person", _("Buổi sinh hoạt có cấp ủy viên phụ trách dự"), MEETINGS, Q(superior_attendee__isnull=False)),
    _m("meetings.superior", _("Buổi sinh hoạt có cấp ủy cấp trên dự"), MEETINGS, Q(superior_attendee__isnull=False) | ~Q(superior_attendee_name="")),
    _m("attendance.present", _("Lượt đảng viên dự họp"), MEETINGS, special="present_count"),
    _m("attendance.expected", _("Lượt đảng viên phải dự họp (không tính miễn sinh hoạt, làm nhiệm vụ)"), MEETINGS, special="expected"),
    _m("absences.unexcused", _("Lượt vắng không lý do"), ABSENCES, Q(mark=Mark.UNEXCUSED)),
    _m("absences.excused", _("Lượt vắng có lý do"), ABSENCES, Q(mark=Mark.EXCUSED)),
    _m("absences.on_duty", _("Lượt làm nhiệm vụ đặc biệt"), ABSENCES, Q(mark=Mark.ON_DUTY)),
    _m("dues.due", _("Đảng phí phải thu đã ghi sổ (đồng)"), DUES, special="due"),
    _m("dues.paid", _("Đảng phí đã thu (đồng)"), DUES, special="paid"),
    _m("dues.owed", _("Đảng phí còn nợ (đồng)"), DUES, special="owed"),
]})

MEASURES.update({m.name: m for m in [
    _m("commendations", _("Lượt khen thưởng"), COMMENDATIONS),
    _m("commendations.members", _("Lượt khen thưởng đảng viên"), COMMENDATIONS, Q(recipient=Recipient.MEMBER)),
    _m("commendations.organizations", _("Lượt khen thưởng tổ chức đảng"), COMMENDATIONS, Q(recipient=Recipient.ORGANIZATION)),
    _m("commendations.praise", _("Biểu dương"), COMMENDATIONS, Q(form=AwardForm.PRAISE)),
    _m("commendations.certificate", _("Giấy khen"), COMMENDATIONS, Q(form=AwardForm.CERTIFICATE)),
    _m("commendations.merit", _("Bằng khen"), COMMENDATIONS, Q(form=AwardForm.MERIT)),
    _m("commendations.flag", _("Cờ thi đua"), COMMENDATIONS, Q(form=AwardForm.FLAG)),
    _m("commendations.state", _("Khen thưởng của Nhà nước"), COMMENDATIONS, Q(form=AwardForm.STATE)),
    _m("commendations.gift_value", _("Giá trị tặng phẩm, tiền thưởng (đồng)"), COMMENDATIONS, special="gift_value"),
]})

INDICATORS["pct.point_person"] = Indicator("pct.point_person", _("Tỉ lệ buổi sinh hoạt có cấp ủy viên phụ trách dự"),
                                           "meetings.point_person", "meetings.held")
INDICATORS["pct.attendance"] = Indicator("pct.attendance", _("Tỉ lệ đảng viên dự sinh hoạt"), "attendance.present", "attendance.expected")


class _OverPeriod(Family):
    """Rows dated by `date_field` within the period, under the organization in `org_field`."""

    breakdowns = ("child",)
    over_period = True
    model = None  # the rows' model; date_field may follow a relation (meeting__held_on)
    date_field = ""
    org_field = "organization_id"

    def rows_in(self, period):
        return self.model.objects.filter(**{f"{self.date_field}__gte": period[0], f"{self.date_field}__lte": period[1]})

    def aggregate(self, measure: Measure):
        return Count("id", filter=measure.q) if measure.q is not None else Count("id")

    def base(self, tree: Subtree, period=None):
        start, end = period
        qs = self.rows_in(period)
        if tree.limited:
            qs = qs.filter(**{f"{self.org_field}__in": tree.span_ids(start, end)})
            qs = qs.filter(Exists(tree.placements_on_ref(self.date_field, self.org_field)))
        return qs

    def count(self, tree, measures, by, period=None):
        qs = self.base(tree, period)
        group = [self.org_field] if by == "child" else []
        aggregates = {f"m{i}": Coalesce(self.aggregate(m), Value(0), output_field=IntegerField()) for i, m in enumerate(measures)}
        per = {}
        for row in grouped(qs, group, aggregates):
            per[(row.get(self.org_field), None)] = {m.name: row[f"m{i}"] for i, m in enumerate(measures)}
        return roll_up_over_period(tree, per, period)

    def rows(self, tree, measure, by, key, period=None):
        qs = self.base(tree, period)
        if measure.q is not None:
            qs = qs.filter(measure.q)
        if by == "child" and key is not None:
            qs = qs.filter(**{f"{self.org_field}__in": [o for o, c in child_map(tree, period).items() if c == key]})
        return qs


@register_family
class Meetings(_OverPeriod):
    name = MEETINGS
    model = Meeting
    date_field = "held_on"

    def aggregate(self, measure):
        if measure.special == "expected":
            return Sum(EXPECTED, filter=measure.q)
        if measure.special:
            return Sum(measure.special, filter=measure.q)
        return super().aggregate(measure)

    def order(self, qs):
        return qs.order_by("held_on", "id")


@register_family
class Absences(_OverPeriod):
    name = ABSENCES
    organization_attr = None  # the meeting's, shown through the meeting's date link
    model = Absence
    date_field = "meeting__held_on"
    org_field = "meeting__organization_id"

    def base(self, tree, period=None):
        start, end = period
        qs = self.rows_in(period)
        if tree.limited:
            span = tree.span_ids(start, end)
            qs = qs.filter(meeting__organization_id__in=span)
            # the subtree's meetings only (its organizations first, through the (organization,
            # held_on) index): without it the subquery read every meeting of the period in the country
            meetings = Meeting.objects.filter(held_on__gte=start, held_on__lte=end, organization_id__in=span).filter(
                Exists(tree.placements_on_ref("held_on", "organization_id")))
            qs = qs.filter(meeting__in=meetings)
        return qs

    def order(self, qs):
        return qs.select_related("member__person", "meeting").order_by("meeting__held_on", "id")


@register_family
class Dues(_OverPeriod):
    """A payment row per member and month: a province's year is about 1.8 million rows (issue #16).
    They are summed per organization in the database from the (organization, month, due, paid)
    index alone; the test of each row's month against the subtree (placements_on_ref) is left to the
    organizations that did not lie in the subtree for the whole period (moved in or out, ended,
    begun): their sums are taken again per month, and the months they lay outside taken off."""

    name = DUES
    model = DuesPayment
    date_field = "month"
    CHUNK = 500  # organizations per statement when their months are summed

    def count(self, tree, measures, by, period=None):
        if not tree.limited:
            return super().count(tree, measures, by, period)
        start, end = period
        qs = self.rows_in(period).filter(organization_id__in=tree.span_ids(start, end))
        aggregates = {f"m{i}": Coalesce(self.aggregate(m), Value(0), output_field=IntegerField()) for i, m in enumerate(measures)}
        names = [m.name for m in measures]
        per_org = {row["organization_id"]: [row[f"m{i}"] for i in range(len(names))]
                   for row in grouped(qs, ["organization_id"], aggregates)}
        throughout = tree.placed_throughout(start, end)
        partial = sorted(o for o in per_org if o not in throughout)
        placed = set()
        for k in range(0, len(partial), self.CHUNK):
            for row in grouped(qs.filter(organization_id__in=partial[k:k + self.CHUNK]), ["organization_id", "month"], aggregates):
                if tree.placed_on(row["organization_id"], row["month"], start, end):
                    placed.add(row["organization_id"])
                    continue
                sums = per_org[row["organization_id"]]
                for i in range(len(names)):
                    sums[i] -= row[f"m{i}"]
        for org_id in set(partial) - placed:  # none of its rows lay in the subtree: as if it had none
            del per_org[org_id]
        per: dict = {}
        for org_id, sums in per_org.items():
            target = per.setdefault((org_id if by == "child" else None, None), dict.fromkeys(names, 0))
            for name, v in zip(names, sums, strict=True):
                target[name] += v
        return roll_up_over_period(tree, per, period)

    def aggregate(self, measure):
        if measure.special == "owed":
            return Sum(F("due") - F("paid"), filter=measure.q)
        return Sum(measure.special, filter=measure.q)

    def order(self, qs):
        return qs.select_related("member__person").order_by("month", "id")


@register_family
class Commendations(_OverPeriod):
    name = COMMENDATIONS
    model = Commendation
    date_field = "decided_on"

    def aggregate(self, measure):
        if measure.special:
            return Sum(measure.special, filter=measure.q)
        return super().aggregate(measure)

    def order(self, qs):
        return qs.select_related("member__person").order_by("decided_on", "id")

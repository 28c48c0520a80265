"""The write side of targets: create, inherit (cascade), report a value, prepare, comment and
adopt a review, accept an aggregate report. One transaction and one audit event per action; a
refusal is a ValidationError naming the field, in Vietnamese, and writes nothing."""

import datetime as dt
import unicodedata
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.audit.services import record
from coso.lib.dates import fmt
from coso.lib.numbers import num
from coso.lib.text import clean
from coso.organizations.models import Placement

from . import aggregates, progress
from .models import (
    AggregateReport,
    Comparator,
    Horizon,
    ReportedValue,
    Review,
    ReviewKind,
    ReviewLine,
    Target,
)

TERM_YEARS = 5  # a committee term (Điều lệ Đảng, Điều 11): the default horizon of a term still open


def _user(actor):
    return actor if actor is not None and actor.pk else None


def default_window(document) -> tuple[dt.date, dt.date]:
    """The term of the document: from its start to its last day (five years when still open)."""
    start = document.term.valid_from
    if document.term.valid_to is not None:
        return start, document.term.valid_to - dt.timedelta(days=1)
    try:
        return start, start.replace(year=start.year + TERM_YEARS) - dt.timedelta(days=1)
    except ValueError:
        return start, start.replace(year=start.year + TERM_YEARS, day=28)


def create_target(*, actor, document, code: str, text: str, threshold: Decimal, comparator: str = Comparator.GE,
                  horizon: str = Horizon.TERM, numerator: str = "", denominator: str = "", percent: bool = False, unit: str = "",
                  starts_on: dt.date | None = None, due_on: dt.date | None = None, cascade: bool = False,
                  exceed_from: Decimal | None = None, near_from: Decimal | None = None, organization=None) -> Target:
    """A target of the document for its issuer (or the organization given). A formula names
    measures of the catalog; a name it does not know yet is kept and shown "chưa tính được"."""
    code, text, unit = clean(code), clean(text), clean(unit)
    numerator, denominator = (numerator or "").strip(), (denominator or "").strip()
    window = default_window(document)
    starts_on = starts_on or window[0]
    due_on = due_on or window[1]
    errors = {}
    if not code:
        errors["code"] = _("Hãy nhập mã chỉ tiêu (ví dụ 1, 2a).")
    if not text:
        errors["text"] = _("Hãy nhập nội dung chỉ tiêu như trong văn bản.")
    if denominator and not numerator:
        errors["numerator"] = _("Tỷ lệ cần cả tử số và mẫu số.")
    if comparator not in Comparator.values:
        errors["comparator"] = _("Hãy chọn cách so sánh.")
    if horizon not in Horizon.values:
        errors["horizon"] = _("Hãy chọn thời hạn của chỉ tiêu.")
    if due_on <= starts_on:
        errors["due_on"] = _("Mốc thời hạn phải sau ngày bắt đầu tính (%(date)s).") % {"date": fmt(starts_on)}
    percent = bool(denominator) if numerator else percent
    if threshold is None or threshold < 0:
        errors["threshold"] = _("Mức chỉ tiêu phải là một số không âm.")
    elif percent and threshold > 100:
        errors["threshold"] = _("Chỉ tiêu tỷ lệ không vượt quá 100%.")
    organization = organization or document.organization
    if "code" not in errors and Target.objects.filter(document=document, organization=organization, code=code).exists():
        errors["code"] = _("Văn bản đã có chỉ tiêu mã “%(code)s”.") % {"code": code}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        order = (Target.objects.filter(document=document, organization=organization).aggregate(n=Max("order"))["n"] or 0) + 1
        target = Target(document=document, organization=organization, code=code, text=text, order=order, numerator=numerator,
                        denominator=denominator, percent=percent, unit=unit, comparator=comparator, threshold=threshold, horizon=horizon,
                        starts_on=starts_on, due_on=due_on, cascade=cascade, created_by=_user(actor))
        if exceed_from is not None:
            target.exceed_from = exceed_from
        if near_from is not None:
            target.near_from = near_from
        target.baseline = progress.baseline(target)
        target.save()
        record(actor=actor, event_type="targets.target.created", target=target, organization_id=organization.pk,
               new={"document": document.symbol, "code": code, "text": text, "formula": [numerator, denominator],
                    "comparator": comparator, "threshold": threshold, "horizon": horizon, "baseline": target.baseline})
    return target


def looser(comparator: str, threshold: Decimal, inherited: Decimal) -> bool:
    """Whether a lower organization's threshold would be looser than the one it inherits."""
    if comparator in (Comparator.GT, Comparator.GE):
        return threshold < inherited
    if comparator in (Comparator.LT, Comparator.LE):
        return threshold > inherited
    return threshold != inherited


def inherit_target(*, actor, target: Target, organization, on: dt.date, threshold: Decimal | None = None) -> Target:
    """The lower organization takes the superior's target, as it is or stricter (never looser)."""
    if target.parent_id is not None:
        raise ValidationError({"target": _("Chỉ tiêu này đã là chỉ tiêu nhận từ cấp trên; hãy nhận từ chỉ tiêu gốc.")})
    under = Placement.objects.under(target.organization_id, on=on).filter(organization=organization).exclude(
        organization_id=target.organization_id).exists()
    if not under:
        raise ValidationError({"organization": _("Chỉ tổ chức cấp dưới của tổ chức giao chỉ tiêu mới nhận được chỉ tiêu này.")})
    threshold = target.threshold if threshold is None else threshold
    if looser(target.comparator, threshold, target.threshold):
        raise ValidationError({"threshold": _("Cấp dưới không đặt chỉ tiêu thấp hơn chỉ tiêu cấp trên giao (%(sign)s %(value)s%(unit)s).")
                               % {"sign": target.sign, "value": num(target.threshold), "unit": target.unit_text}})
    if target.percent and threshold > 100:
        raise ValidationError({"threshold": _("Chỉ tiêu tỷ lệ không vượt quá 100%.")})
    if Target.objects.filter(document=target.document_id, organization=organization, code=target.code).exists():
        raise ValidationError({"organization": _("Tổ chức này đã nhận chỉ tiêu “%(code)s”.") % {"code": target.code}})
    with transaction.atomic():
        child = Target(document_id=target.document_id, organization=organization, parent=target, code=target.code, text=target.text,
                       order=target.order, numerator=target.numerator, denominator=target.denominator, percent=target.percent,
                       unit=target.unit, comparator=target.comparator, threshold=threshold, horizon=target.horizon,
                       starts_on=target.starts_on, due_on=target.due_on, exceed_from=target.exceed_from, near_from=target.near_from,
                       created_by=_user(actor))
        child.baseline = progress.baseline(child)
        child.save()
        record(actor=actor, event_type="targets.target.inherited", target=child, organization_id=organization.pk,
               new={"from": target.pk, "threshold": threshold, "inherited": target.threshold})
    return child


def report_value(*, actor, target: Target, on: dt.date, value: Decimal, source: str) -> ReportedValue:
    """A value the records cannot compute, with its source; who and when are recorded."""
    source = clean(source)
    errors = {}
    if target.computed:
        errors["value"] = _("Chỉ tiêu này được tính từ dữ liệu của hệ thống, không nhập số liệu báo cáo.")
    if value is None or value < 0:
        errors["value"] = _("Giá trị phải là một số không âm.")
    elif target.percent and value > 100:
        errors["value"] = _("Tỷ lệ không vượt quá 100%.")
    if not source:
        errors["source"] = _("Hãy ghi nguồn số liệu (báo cáo, văn bản, cơ quan cung cấp).")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        reported = ReportedValue.objects.create(target=target, on=on, value=value, source=source, reported_by=_user(actor))
        record(actor=actor, event_type="targets.value.reported", target=target, organization_id=target.organization_id,
               new={"on": on, "value": value, "source": source})
    return reported


def _line_fields(p: progress.Progress) -> dict:
    note = p.pending or p.source
    return {"value": p.value, "expected": p.expected, "achievement": p.achievement, "status": p.status, "computed": p.computed,
            "note": note[:255], "sentence": p.sentence()}


def prepare_review(*, actor, document, organization, kind: str, on: dt.date) -> Review:
    """A draft review of the organization's targets of the document on the date, prefilled."""
    if kind not in ReviewKind.values:
        raise ValidationError({"kind": _("Hãy chọn loại sơ kết, tổng kết.")})
    targets = list(Target.objects.filter(document=document, organization=organization).order_by("order", "id"))
    if not targets:
        raise ValidationError({"kind": _("Văn bản chưa có chỉ tiêu nào để sơ kết, tổng kết.")})
    if on < document.issued_on:
        raise ValidationError({"on": _("Ngày sơ kết, tổng kết không trước ngày ban hành văn bản (%(date)s).") % {"date": fmt(document.issued_on)}})
    found = progress.evaluate_all(targets, organization.pk, on)
    with transaction.atomic():
        review = Review.objects.create(document=document, organization=organization, kind=kind, on=on, created_by=_user(actor),
                                       met=sum(p.reached for p in found), total=len(found))
        ReviewLine.objects.bulk_create([ReviewLine(review=review, target=p.target, order=i, **_line_fields(p)) for i, p in enumerate(found, 1)])
        record(actor=actor, event_type="targets.review.prepared", target=review, organization_id=organization.pk,
               new={"document": document.symbol, "kind": kind, "on": on, "met": review.met, "total": review.total})
    return review


ADOPTED = _("Bảng sơ kết, tổng kết đã được thông qua: không sửa được nữa.")
# control characters a comment box may carry but no text column keeps (PostgreSQL refuses NUL)
_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\n\t")


def _comment(text) -> str:
    """A comment as typed: NFC, without control characters (line breaks kept), trimmed."""
    return unicodedata.normalize("NFC", str(text or "")).translate(_CONTROL).strip()


def comment_review(*, actor, review: Review, comment: str, comments: dict[int, str]) -> None:
    """The general comment and each line's comment, while the review is a draft."""
    with transaction.atomic():
        locked = Review.objects.select_for_update().get(pk=review.pk)
        if locked.state != Review.State.DRAFT:
            raise ValidationError({"comment": ADOPTED})
        locked.comment = _comment(comment)
        locked.save(update_fields=["comment"])
        lines = {line.pk: line for line in locked.lines.all()}
        changed = []
        for pk, text in comments.items():
            if pk in lines and lines[pk].comment != _comment(text):
                lines[pk].comment = _comment(text)
                changed.append(lines[pk])
        ReviewLine.objects.bulk_update(changed, ["comment"])
        record(actor=actor, event_type="targets.review.commented", target=locked, organization_id=locked.organization_id,
               new={"comment": locked.comment, "lines": {line.target_id: line.comment for line in changed}})


def adopt_review(*, actor, review: Review) -> Review:
    """Adopt the review: each computed line is read again on the review's date, then every line is
    frozen (a conditional update: 0 rows means it was adopted meanwhile)."""
    lines = list(review.lines.select_related("target").order_by("order"))
    found = {p.target.pk: p for p in progress.evaluate_all([line.target for line in lines], review.organization_id, review.on)}
    with transaction.atomic():
        for line in lines:
            for name, value in _line_fields(found[line.target_id]).items():
                setattr(line, name, value)
        met = sum(found[line.target_id].reached for line in lines)
        adopted = Review.objects.filter(pk=review.pk, state=Review.State.DRAFT).update(
            state=Review.State.ADOPTED, adopted_by=_user(actor), adopted_at=timezone.now(), met=met, total=len(lines))
        if not adopted:
            raise ValidationError({"state": ADOPTED})
        ReviewLine.objects.bulk_update(lines, ["value", "expected", "achievement", "status", "computed", "note", "sentence"])
        review.refresh_from_db()
        record(actor=actor, event_type="targets.review.adopted", target=review, organization_id=review.organization_id,
               new={"met": met, "total": len(lines), "lines": {line.target_id: [line.value, line.status] for line in lines}})
    return review


def _number(value):
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def accept_aggregate(*, actor, organization, form_code: str, on: dt.date, reporter: str, values: dict) -> AggregateReport:
    """Figures sent as numbers, accepted only when every rule of the form holds; refused whole
    (nothing written) with each rule's message on the fields it names."""
    form = aggregates.FORMS.get(form_code)
    if form is None:
        raise ValidationError({"form": _("Không có mẫu báo cáo này.")})
    reporter = clean(reporter)
    errors = aggregates.check(form, values)
    if not reporter:
        errors.setdefault("reporter", []).append(_("Hãy ghi đơn vị, người báo cáo."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report = AggregateReport.objects.create(organization=organization, form=form.code, on=on, reporter=reporter,
                                                values={k: _number(values[k]) for k in form.field_names()}, entered_by=_user(actor))
        record(actor=actor, event_type="targets.aggregate.accepted", target=report, organization_id=organization.pk,
               new={"form": form.code, "on": on, "reporter": reporter, "values": report.values})
    return report

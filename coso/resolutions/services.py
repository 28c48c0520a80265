"""The write side of the register: terms, documents (numbered), relations, attachments.

Each function is one action: it checks the domain's rules, writes in one transaction with its
audit event, and refuses with a ValidationError naming the field, in Vietnamese, writing nothing.
Access (scope and permission) is decided by the view, before calling (docs/architecture.md).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from coso.audit.services import record
from coso.lib.dates import fmt
from coso.lib.text import clean, fold
from coso.organizations.selectors import organization_label, placement_on

from . import attachments, numbering
from .models import Attachment, Capacity, Document, Relation, RelationKind, Security, Term
from .symbols import (
    KIND_SYMBOL,
    DocumentKind,
    Organ,
    issuer_symbol_ended,
    issuer_symbols,
    series,
    symbol,
)

ALLOCATION_ATTEMPTS = 3  # a proposed number taken meanwhile by another user: take the next one


def open_term(*, actor, organization, name: str, starts_on: dt.date) -> Term:
    """A new committee term from starts_on; the open term before it ends on that day. The numbers
    of every series start again from 01 in the new term."""
    name = clean(name)
    if not name:
        raise ValidationError({"name": _("Hãy nhập tên nhiệm kỳ, ví dụ “2020–2025”.")})
    with transaction.atomic():
        terms = list(Term.objects.select_for_update().filter(organization=organization).order_by("valid_from"))
        if any(t.valid_from >= starts_on for t in terms):
            raise ValidationError({"starts_on": _("Nhiệm kỳ mới phải bắt đầu sau ngày bắt đầu của nhiệm kỳ gần nhất (%(date)s).")
                                   % {"date": fmt(max(t.valid_from for t in terms))}})
        previous = next((t for t in terms if t.valid_to is None or t.valid_to > starts_on), None)
        if previous is not None and previous.documents.filter(issued_on__gte=starts_on).exists():
            raise ValidationError({"starts_on": _("Nhiệm kỳ %(name)s đã có văn bản ban hành từ ngày %(date)s trở đi: nhiệm kỳ mới "
                                                  "không bắt đầu sớm hơn được.") % {"name": previous.name, "date": fmt(starts_on)}})
        if previous is not None:
            previous.valid_to = starts_on
            previous.save(update_fields=["valid_to"])
        term = Term.objects.create(organization=organization, name=name, valid_from=starts_on)
        record(actor=actor, event_type="resolutions.term.opened", target=term, organization_id=organization.pk,
               new={"name": name, "valid_from": starts_on})
    return term


def _issuer_symbol(organization, on: dt.date, organ: str, wanted: str) -> str:
    if organ == Organ.CONGRESS:
        return ""
    placement = placement_on(organization.pk, on)
    if placement is None:
        raise ValidationError({"issued_on": _("Tổ chức chưa hoặc không còn hoạt động vào ngày %(date)s.") % {"date": fmt(on)}})
    allowed = issuer_symbols(placement.kind, on)
    if not allowed:
        ended = issuer_symbol_ended(placement.kind, on)
        if ended is not None:
            raise ValidationError({"issued_on": _("Ký hiệu “%(code)s” (%(label)s) chỉ dùng đến ngày %(date)s: tổ chức này không ban "
                                                  "hành văn bản mới vào ngày %(on)s.")
                                   % {"code": ended.code, "label": ended.label, "date": fmt(ended.valid_to - dt.timedelta(days=1)),
                                      "on": fmt(on)}})
        raise ValidationError({"organization": _("Chưa có ký hiệu cơ quan ban hành cho loại tổ chức này.")})
    if wanted and wanted not in allowed:
        raise ValidationError({"issuer_symbol": _("Ký hiệu “%(code)s” không dùng được cho tổ chức này vào ngày %(date)s; dùng: %(allowed)s.")
                               % {"code": wanted, "date": fmt(on), "allowed": ", ".join(allowed)}})
    return wanted or allowed[0]


def register_document(*, actor, organization, kind: str, issued_on: dt.date, subject: str, organ: str = Organ.COMMITTEE,
                      number: int | None = None, issuer_symbol: str = "", place: str = "", signer: str = "",
                      signer_title: str = "", signer_capacity: str = Capacity.NONE, recipients: str = "",
                      security: str = Security.NORMAL, effective_from: dt.date | None = None,
                      expires_on: dt.date | None = None) -> Document:
    """Register a document of the organization, numbered in its series of the term in force on
    issued_on: the next number when none is given; a number already taken is refused."""
    subject = clean(subject)
    errors = {}
    if kind not in KIND_SYMBOL:
        errors["kind"] = _("Hãy chọn loại văn bản.")
    if organ not in Organ.values:
        errors["organ"] = _("Hãy chọn cơ quan ban hành.")
    if not subject:
        errors["subject"] = _("Hãy nhập trích yếu nội dung văn bản.")
    if number is not None and number < 1:
        errors["number"] = _("Số văn bản bắt đầu từ 01.")
    if effective_from is not None and effective_from < issued_on:
        errors["effective_from"] = _("Ngày có hiệu lực không trước ngày ban hành được.")
    if expires_on is not None and expires_on <= issued_on:
        errors["expires_on"] = _("Ngày hết hiệu lực phải sau ngày ban hành.")
    if errors:
        raise ValidationError(errors)
    issuer = _issuer_symbol(organization, issued_on, organ, issuer_symbol)
    term = numbering.term_on(organization.pk, issued_on)
    if term is None:
        raise ValidationError({"issued_on": str(numbering.NoTerm(organization_name(organization, issued_on), issued_on))})
    the_series = series(organ, kind)
    fields = {
        "organization": organization, "organ": organ, "kind": kind, "term": term, "series": the_series,
        "issuer_symbol": issuer, "issued_on": issued_on, "place": clean(place), "subject": subject,
        "subject_folded": fold(subject), "signer": clean(signer), "signer_title": clean(signer_title),
        "signer_capacity": signer_capacity or Capacity.NONE, "recipients": recipients.strip(),
        "security": security or Security.NORMAL, "effective_from": effective_from, "expires_on": expires_on,
        "created_by": actor if actor is not None and actor.pk else None,
    }
    proposed = number is None
    for _attempt in range(ALLOCATION_ATTEMPTS if proposed else 1):
        n = numbering.next_number(organization.pk, term.pk, the_series) if proposed else number
        if not proposed and numbering.is_taken(organization.pk, term.pk, the_series, n):
            raise ValidationError({"number": _taken(n, kind, issuer, organ, term)})
        try:
            with transaction.atomic():
                document = Document.objects.create(number=n, symbol=symbol(n, kind, issuer, organ), **fields)
                record(actor=actor, event_type="resolutions.document.registered", target=document, organization_id=organization.pk,
                       new={"symbol": document.symbol, "kind": kind, "organ": organ, "issued_on": issued_on, "subject": subject,
                            "term": term.name, "security": document.security})
            return document
        except IntegrityError:
            if not proposed:
                raise ValidationError({"number": _taken(n, kind, issuer, organ, term)}) from None
    raise ValidationError({"number": _taken(n, kind, issuer, organ, term)})


def organization_name(organization, on: dt.date) -> str:
    """Its name on the date, else its current (or last) name."""
    placement = placement_on(organization.pk, on)
    return placement.name if placement else organization_label(organization)


def _taken(n: int, kind: str, issuer: str, organ: str, term: Term) -> str:
    return _("Số %(symbol)s đã được dùng trong nhiệm kỳ %(term)s; số tiếp theo còn trống là %(next)02d.") % {
        "symbol": symbol(n, kind, issuer, organ), "term": term.name,
        "next": numbering.next_number(term.organization_id, term.pk, series(organ, kind))}


def add_relation(*, actor, source: Document, kind: str, target: Document) -> Relation:
    """source implements / amends / replaces / repeals target."""
    if kind not in RelationKind.values:
        raise ValidationError({"kind": _("Hãy chọn quan hệ giữa hai văn bản.")})
    if target.pk == source.pk:
        raise ValidationError({"target": _("Một văn bản không liên quan với chính nó.")})
    if target.issued_on > source.issued_on:
        raise ValidationError({"target": _("Văn bản %(target)s ban hành sau văn bản %(source)s: không thể là văn bản được thực hiện, "
                                           "sửa đổi, thay thế hay bãi bỏ.") % {"target": target.symbol, "source": source.symbol}})
    with transaction.atomic():
        relation, created = Relation.objects.get_or_create(source=source, kind=kind, target=target)
        if not created:
            raise ValidationError({"target": _("Quan hệ này đã được ghi.")})
        record(actor=actor, event_type="resolutions.relation.added", target=source, organization_id=source.organization_id,
               new={"kind": kind, "target": target.symbol})
    return relation


def add_attachment(*, actor, document: Document, content: bytes, file_name: str) -> Attachment:
    """Store the file (PDF or DOCX) under the app's folder and attach it to the document."""
    content_type = attachments.check(content, file_name)
    relative, sha256 = attachments.save(content, document.organization_id, file_name)
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(document=document, file_name=clean(file_name)[:255], path=relative, sha256=sha256,
                                                   size=len(content), content_type=content_type,
                                                   uploaded_by=actor if actor is not None and actor.pk else None)
            record(actor=actor, event_type="resolutions.attachment.added", target=document, organization_id=document.organization_id,
                   new={"file_name": attachment.file_name, "sha256": sha256, "size": len(content)})
    except BaseException:
        attachments.remove(relative)
        raise
    return attachment


__all__ = ["DocumentKind", "Organ", "add_attachment", "add_relation", "open_term", "register_document"]

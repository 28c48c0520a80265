"""The register: numbering per HD 36-HD/VPTW, symbols as dated data, statuses on a date, search."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from coso.audit.models import AuditEvent
from coso.organizations.models import Kind
from coso.organizations.scope import Scope
from coso.resolutions import numbering, selectors, services
from coso.resolutions.models import Document, RelationKind, Status
from coso.resolutions.symbols import DocumentKind, Organ, issuer_symbols, symbol

D = dt.date
JAN_1, MAR_1 = dt.date(2024, 1, 1), dt.date(2024, 3, 1)
pytestmark = pytest.mark.django_db


def term(org, starts=JAN_1, name="2024–2029"):
    return services.open_term(actor=None, organization=org, name=name, starts_on=starts)


def nq(org, on=MAR_1, subject="Về xây dựng hệ thống chính trị cơ sở vững mạnh toàn diện", **kw):
    return services.register_document(actor=None, organization=org, kind=kw.pop("kind", DocumentKind.RESOLUTION), issued_on=on,
                                      subject=subject, **kw)


def test_it_builds_symbols_the_way_the_party_numbers_them():
    assert symbol(2, DocumentKind.RESOLUTION, "HU") == "02-NQ/HU"
    assert symbol(15, DocumentKind.CONCLUSION, "ĐU") == "15-KL/ĐU"
    assert symbol(147, DocumentKind.ACTION_PROGRAM, "TU") == "147-CTHĐ/TU"
    assert symbol(1, DocumentKind.RESOLUTION, "HU", Organ.CONGRESS) == "01-NQ/ĐH"


def test_it_stops_district_symbols_on_30_june_2025():
    assert issuer_symbols(Kind.DISTRICT_COMMITTEE, D(2025, 6, 30))[0] == "HU"
    assert issuer_symbols(Kind.DISTRICT_COMMITTEE, D(2025, 7, 1)) == []
    assert issuer_symbols(Kind.COMMUNE_COMMITTEE, D(2025, 7, 1)) == ["ĐU"]


def test_it_proposes_the_next_number_of_the_series_and_records_it(tree):
    t = term(tree.district_a)
    first = nq(tree.district_a)
    second = nq(tree.district_a, subject="Về công tác kết nạp đảng viên")
    conclusion = nq(tree.district_a, kind=DocumentKind.CONCLUSION)
    assert (first.symbol, second.symbol, conclusion.symbol) == ("01-NQ/HU", "02-NQ/HU", "01-KL/HU")
    assert numbering.next_number(tree.district_a.pk, t.pk, DocumentKind.RESOLUTION) == 3
    assert AuditEvent.objects.filter(event_type="resolutions.document.registered", target_id=str(second.pk)).exists()


def test_it_refuses_a_taken_number_naming_the_field_and_writes_nothing(tree):
    term(tree.district_a)
    nq(tree.district_a, number=5)
    before = (Document.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as error:
        nq(tree.district_a, number=5)
    assert "number" in error.value.message_dict
    assert "05-NQ/HU" in error.value.message_dict["number"][0] and "06" in error.value.message_dict["number"][0]
    assert (Document.objects.count(), AuditEvent.objects.count()) == before


def test_the_database_refuses_a_duplicate_number_too(tree):
    term(tree.district_a)
    doc = nq(tree.district_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(**{f.attname: getattr(doc, f.attname) for f in Document._meta.concrete_fields if f.attname != "id"})


def test_a_new_term_starts_the_numbers_again_from_01(tree):
    term(tree.district_a)
    nq(tree.district_a)
    nq(tree.district_a)
    term(tree.district_a, starts=D(2025, 1, 10), name="2025–2030")
    assert nq(tree.district_a, on=D(2025, 2, 1)).symbol == "01-NQ/HU"
    # a document dated in the old term still takes the old term's next number
    assert nq(tree.district_a, on=D(2024, 12, 1)).symbol == "03-NQ/HU"


def test_congress_documents_share_one_series(tree):
    term(tree.district_a)
    a = nq(tree.district_a, organ=Organ.CONGRESS)
    b = nq(tree.district_a, organ=Organ.CONGRESS, kind=DocumentKind.REPORT)
    assert (a.symbol, b.symbol) == ("01-NQ/ĐH", "02-BC/ĐH")
    assert nq(tree.district_a).symbol == "01-NQ/HU"


def test_it_refuses_a_document_without_a_term_or_after_the_district_symbols_end(tree):
    with pytest.raises(ValidationError) as error:
        nq(tree.district_a)
    assert "issued_on" in error.value.message_dict and "nhiệm kỳ" in error.value.message_dict["issued_on"][0]
    term(tree.district_a)
    with pytest.raises(ValidationError) as error:
        nq(tree.district_a, on=D(2025, 7, 2))
    assert "HU" in error.value.message_dict["issued_on"][0] and "30/06/2025" in error.value.message_dict["issued_on"][0]


def test_a_cell_numbers_with_cb(tree):
    term(tree.cell_a1a)
    assert nq(tree.cell_a1a).symbol == "01-NQ/CB"


def test_status_follows_the_date_and_the_documents_that_replace_it(tree):
    term(tree.district_a)
    old = nq(tree.district_a, on=D(2024, 2, 1), expires_on=D(2026, 1, 1))
    new = nq(tree.district_a, on=D(2024, 6, 1), effective_from=D(2024, 7, 1))
    services.add_relation(actor=None, source=new, kind=RelationKind.REPLACES, target=old)

    def status(on):
        return selectors.with_status([Document.objects.get(pk=old.pk)], on)[0].status

    assert status(D(2024, 1, 15)) == Status.NOT_YET
    assert status(D(2024, 6, 30)) == Status.IN_FORCE
    assert status(D(2024, 7, 1)) == Status.REPLACED
    with pytest.raises(ValidationError) as error:
        services.add_relation(actor=None, source=old, kind=RelationKind.IMPLEMENTS, target=new)
    assert "target" in error.value.message_dict


def test_search_by_number_symbol_subject_without_diacritics_kind_and_year(tree, people):
    term(tree.district_a)
    a = nq(tree.district_a, subject="Về công tác phát triển đảng viên")
    b = nq(tree.district_a, subject="Về xây dựng tổ chức cơ sở đảng", on=D(2025, 2, 1))
    c = nq(tree.district_a, kind=DocumentKind.CONCLUSION, subject="Kết luận về phát triển đảng viên")
    scope = Scope(people.staff_a)
    assert list(selectors.search(scope, query="2")) == [b]
    assert list(selectors.search(scope, query="02-NQ/HU")) == [b]
    assert set(selectors.search(scope, query="phat trien dang vien")) == {a, c}
    assert list(selectors.search(scope, query="phat trien", kind=DocumentKind.CONCLUSION)) == [c]
    assert set(selectors.search(scope, year=2024)) == {a, c}
    assert list(selectors.search(Scope(people.staff_b))) == []


def test_an_upload_is_read_only_up_to_the_size_limit(monkeypatch):
    """A file announced larger than the limit is refused before a byte is read; one whose size is
    not announced is read up to one byte past the limit, never whole."""
    from django.core.exceptions import ValidationError

    from coso.resolutions import attachments

    monkeypatch.setattr(attachments, "MAX_BYTES", 10)

    class Upload:
        def __init__(self, content, size):
            self.content, self.size, self.asked = content, size, []

        def seek(self, position):
            pass

        def read(self, n=-1):
            self.asked.append(n)
            return self.content[:n] if n >= 0 else self.content

    announced = Upload(b"%PDF-" + b"x" * 100, size=105)
    with pytest.raises(ValidationError) as error:
        attachments.read_upload(announced)
    assert announced.asked == [] and "Tệp quá lớn" in str(error.value)
    unannounced = Upload(b"%PDF-" + b"x" * 100, size=None)
    with pytest.raises(ValidationError):
        attachments.read_upload(unannounced)
    assert unannounced.asked == [11]
    assert attachments.read_upload(Upload(b"%PDF-1.4", size=8)) == b"%PDF-1.4"


def test_the_register_reads_its_subtree_and_the_committees_above_and_nothing_beside(tree, people):
    """Document.objects.visible_to holds the rule (targets ask it through reads_documents_of)."""
    from coso.access.scope import scope_of
    from coso.resolutions.models import Document, reads_documents_of

    made = {}
    for org in (tree.province, tree.district_a, tree.district_b, tree.commune_a1):
        services.open_term(actor=None, organization=org, name="2024–2029", starts_on=D(2024, 1, 1))
        made[org.pk] = services.register_document(actor=None, organization=org, kind=DocumentKind.RESOLUTION, issued_on=D(2024, 3, 1),
                                                  subject=f"Nghị quyết {org.pk}")
    scope = scope_of(people.staff_a)
    seen = set(Document.objects.visible_to(scope).values_list("organization_id", flat=True))
    assert seen == {tree.province.pk, tree.district_a.pk, tree.commune_a1.pk}
    assert all(reads_documents_of(scope, pk) == (pk in seen) for pk in made)
    assert set(Document.objects.visible_to(scope_of(people.admin)).values_list("organization_id", flat=True)) == set(made)

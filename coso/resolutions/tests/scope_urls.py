"""Scope-leak registry of the register (see coso/access/tests/scope_urls.py).

Huyện B gets a term, a resolution whose subject no page of huyện A may show, a file attached to
it and a relation; huyện A's staff sees the province's documents (above it), never huyện B's.
"""

import datetime as dt

from coso.resolutions import services
from coso.resolutions.models import Attachment
from coso.resolutions.symbols import DocumentKind

SIBLING_NAMES = ["Nghị quyết Bí Mật Huyện B", "kin-dao-b.pdf"]
D = dt.date


def extend_world(world, people):
    tree = world["tree"]
    services.open_term(actor=people.staff_b, organization=tree.district_b, name="2024–2029 B", starts_on=D(2024, 1, 1))
    first = services.register_document(actor=people.staff_b, organization=tree.district_b, kind=DocumentKind.PLAN, issued_on=D(2024, 2, 1),
                                       subject="Kế hoạch của huyện B")
    doc = services.register_document(actor=people.staff_b, organization=tree.district_b, kind=DocumentKind.RESOLUTION,
                                     issued_on=D(2024, 3, 1), subject="Nghị quyết Bí Mật Huyện B")
    services.add_relation(actor=people.staff_b, source=doc, kind="implements", target=first)
    # the row only: the access check answers before any file is read
    attachment = Attachment.objects.create(document=doc, file_name="kin-dao-b.pdf", path="resolutions/0/none.pdf", sha256="0" * 64,
                                           size=10, content_type="application/pdf")
    world.update({"doc_b": doc, "attachment_b": attachment})


def _doc(w):
    return [{"pk": w["doc_b"].pk}]


OBJECT_URLS = {
    "resolutions:detail": _doc,
    "resolutions:relate": _doc,
    "resolutions:attach": _doc,
    "resolutions:attachment": lambda w: [{"pk": w["attachment_b"].pk}],
}

LIST_URLS = {
    "resolutions:documents": lambda w: [{}, {"q": "bi mat"}, {"to_chuc": w["tree"].district_b.pk}, {"q": "01-NQ/HU"}],
    "resolutions:create": lambda w: [{}, {"to_chuc": w["tree"].district_b.pk}],
    "resolutions:proposal": lambda w: [{"organization": w["tree"].district_b.pk, "kind": "nq", "issued_on": "01/03/2024"}],
    "resolutions:terms": lambda w: [{"to_chuc": w["tree"].district_b.pk}],
}

EXEMPT: set[str] = set()

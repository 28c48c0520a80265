"""Every malformed or hostile file of the corpus, uploaded through the member import's page: never
a server error, always a message naming what is wrong, nothing written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coso.audit.models import AuditEvent
from coso.imports.models import ImportJob
from coso.lib.tests.corpus import GOOD_ROWS, corpus, inline_row, package, sheet
from coso.members.models import Member, MemberEvent
from coso.people.models import Person

pytestmark = pytest.mark.django_db


def written() -> tuple[int, ...]:
    # the mapping confirmed for the dry run is remembered (and audited); nothing else may be
    audits = AuditEvent.objects.exclude(event_type="imports.mapping.changed")
    return Member.objects.count(), Person.objects.count(), MemberEvent.objects.count(), audits.count()


@pytest.mark.parametrize("case", corpus(), ids=lambda c: c.id)
def test_it_refuses_every_file_of_the_corpus_with_a_message_and_writes_nothing(client, tree, people, case):
    client.force_login(people.staff_a)
    before = written()
    response = client.post(reverse("imports:upload", args=[tree.district_a.pk]),
                           {"file": SimpleUploadedFile(case.filename, case.content)})
    if case.expect:
        assert response.status_code == 200
        assert case.expect in response.content.decode()
        assert not ImportJob.objects.exists()
    else:  # a legal file: read, and waiting for its columns to be confirmed
        assert response.status_code == 302
        assert ImportJob.objects.get().status == ImportJob.Status.MAPPING
    assert written() == before


def test_a_file_broken_after_the_first_rows_fails_its_dry_run_with_the_cell_named(client, tree, people):
    """The upload reads the first 200 rows; a cell broken further down is found by the dry run."""
    rows = "".join(inline_row(n, ["Nguyễn Văn An", "Nam", "12/05/1980", "Chi bộ thôn A1a", "10/10/2010"]) for n in range(3, 300))
    content = package({"xl/worksheets/sheet1.xml": sheet(GOOD_ROWS + rows + '<row r="300"><c r="A300" t="s"><v>99</v></c></row>')})
    client.force_login(people.staff_a)
    response = client.post(reverse("imports:upload", args=[tree.district_a.pk]), {"file": SimpleUploadedFile("a.xlsx", content)})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    data = {"on": "01/06/2024", "sheets": [0], "default_cell": ""}
    keys = list(dict.fromkeys(c["key"] for s in job.layout["sheets"] for c in s["columns"]))
    data.update({f"col_{i}": job.mapping.get(key, "") for i, key in enumerate(keys)})
    before = written()
    response = client.post(reverse("imports:mapping", args=[job.pk]), data, follow=True)
    job.refresh_from_db()
    assert response.status_code == 200 and job.status == ImportJob.Status.FAILED
    assert "Trang tính «Danh sách», ô A300: chỉ tới chuỗi dùng chung số 99" in response.content.decode()
    assert written() == before

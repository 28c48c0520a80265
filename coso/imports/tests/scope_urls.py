"""Scope-leak registry of the import and export pages (see access/tests/scope_urls.py).

Sibling data: an import job of huyện B (its file name and report name a member of B) and a
member of B, who must never appear in staff_a's pages or exports.
"""

import datetime as dt

from coso.imports.models import ImportJob
from coso.members.bulk import Row, record_members

SIBLING_NAMES = ["danh-sach-bi-mat.xlsx", "Đinh Thị Bí Mật"]


def extend_world(world, people):
    tree = world["tree"]
    record_members([Row(person={"full_name": "Đinh Thị Bí Mật", "gender": "F", "birth_date": dt.date(1980, 1, 1)},
                        organization_id=tree.cell_b1a.pk, on=dt.date(2024, 2, 1), admitted_on=dt.date(2005, 1, 1),
                        recognized_on=dt.date(2006, 1, 1))], actor=people.staff_b)
    job = ImportJob.objects.create(
        organization=tree.district_b, created_by=people.staff_b, file_name="danh-sach-bi-mat.xlsx", status=ImportJob.Status.READY,
        on=dt.date(2024, 3, 1), layout={"kind": "xlsx", "notices": [], "sheets": []},
        report={"on": "2024-03-01", "total": 1, "valid": 1, "invalid": 0, "preview": [{"row": 2, "name": "Đinh Thị Bí Mật"}], "problems": []},
    )
    world["import_job_b"] = job


def _job(world):
    return [{"pk": world["import_job_b"].pk}]


OBJECT_URLS = {
    "imports:upload": lambda w: [{"pk": w["tree"].district_b.pk}, {"pk": w["tree"].cell_b1a.pk}],
    "imports:template": lambda w: [{"pk": w["tree"].commune_b1.pk}],
    "imports:job": _job,
    "imports:mapping": _job,
    "imports:progress": _job,
    "imports:commit": _job,
    "imports:cancel": _job,
}

LIST_URLS = {
    "imports:index": lambda w: [{}],
    "imports:export_members": lambda w: [
        {"to_chuc": w["tree"].district_b.pk, "ngay": "01/03/2024"},
        {"to_chuc": w["tree"].district_a.pk, "ngay": "01/03/2024", "dinh_dang": "csv"},  # plain text: a leak would show
        {"to_chuc": w["tree"].province.pk, "ngay": "01/03/2024", "dinh_dang": "csv"},
        {"ngay": "01/03/2024", "dinh_dang": "csv"},
    ],
}

EXEMPT: set[str] = set()

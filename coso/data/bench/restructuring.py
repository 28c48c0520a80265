"""Child process of `make bench` (BENCH_ONLY=restructuring): a district-sized merge (issue #17).

A district committee with 20 commune committees of 6 village cells each and about 6,000
members (members.bulk, the ledger rebuilt so that the commit keeps it, as in production); a
restructuring merging the 20 communes into 4 new ones (each new commune committee takes five,
their cells re-parented, every member handed over). Times the preview (plan.build, what the
page computes) and the commit (one transaction), then the undo. Prints one JSON line.

    DATABASE_URL=... python -m coso.data.bench.restructuring
"""

import datetime as dt
import json
import time

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from coso.measures import ledger  # noqa: E402
from coso.members.bulk import Row, record_members  # noqa: E402
from coso.organizations import services as organizations  # noqa: E402
from coso.organizations.models import Kind, Sector  # noqa: E402
from coso.restructuring import plan as planning  # noqa: E402
from coso.restructuring import services  # noqa: E402
from coso.restructuring.models import OperationKind  # noqa: E402

START = dt.date(2015, 1, 1)
ON = dt.date(2024, 7, 1)
COMMUNES, CELLS, PER_CELL, INTO = 20, 6, 50, 4


def build() -> dict:
    def make(parent, name, kind):
        return organizations.create_organization(actor=None, parent=parent, name=name, kind=kind, sector=Sector.COMMUNE, valid_from=START)

    province = make(None, "Đảng bộ tỉnh Đo lường", Kind.PROVINCE_COMMITTEE)
    district = make(province, "Đảng bộ huyện Đo lường", Kind.DISTRICT_COMMITTEE)
    communes, rows = [], []
    for c in range(COMMUNES):
        commune = make(district, f"Đảng bộ xã Số {c + 1}", Kind.GRASSROOTS_COMMITTEE)
        communes.append(commune)
        for k in range(CELLS):
            cell = make(commune, f"Chi bộ thôn {c + 1}-{k + 1}", Kind.SUBORDINATE_CELL)
            for _i in range(PER_CELL):
                n = len(rows)
                rows.append(Row(person={"full_name": f"Nguyễn Văn Đo {n}", "gender": "M" if n % 2 else "F",
                                        "birth_date": dt.date(1960 + n % 40, 1 + n % 12, 1 + n % 28)},
                                organization_id=cell.pk, on=START, admitted_on=dt.date(2000 + n % 14, 3, 1),
                                recognized_on=dt.date(2001 + n % 14, 3, 1)))
    record_members(rows)
    ledger.rebuild()
    return {"province": province, "district": district, "communes": communes, "members": len(rows)}


def main() -> None:
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    world = build()
    built = time.perf_counter() - t0
    r = services.create_restructuring(actor=None, organization=world["district"], title="Hợp nhất 20 xã thành 4",
                                      decision_number="1-QĐ/HU", decision_issuer="Huyện ủy Đo lường", decision_date=ON - dt.timedelta(days=20),
                                      effective_date=ON)
    per = COMMUNES // INTO
    for i in range(INTO):
        services.add_operation(actor=None, restructuring=r, kind=OperationKind.MERGE, parent=world["district"], name=f"Đảng bộ xã Mới {i + 1}",
                               org_kind=Kind.GRASSROOTS_COMMITTEE, sector=Sector.COMMUNE, sources=world["communes"][i * per:(i + 1) * per])
    t0 = time.perf_counter()
    plan = planning.build(r)
    preview = time.perf_counter() - t0
    assert not plan.errors and not plan.blocking(), (plan.errors, plan.conflicts[:3])
    t0 = time.perf_counter()
    services.commit(actor=None, restructuring=r)
    commit = time.perf_counter() - t0
    r.refresh_from_db()
    t0 = time.perf_counter()
    services.undo(actor=None, restructuring=r)
    undo = time.perf_counter() - t0
    print(json.dumps({"members": world["members"], "handed_over": len(plan.handoffs), "build_seconds": built, "preview_seconds": preview,
                      "commit_seconds": commit, "undo_seconds": undo}))


if __name__ == "__main__":
    main()

"""The ledger of member counts on a dataset `coso synth` built (issue #12): before and after.

Run inside a process whose DATABASE_URL holds the dataset:

    DATABASE_URL=... python -m coso.data.bench.ledger

Times the national standard report part by part (coso/data/bench/national.py) with the ledger
off (COSO_LEDGER=False: the periods) and on, for the whole tree on five dates (today, five and
ten years back, a mid-month day, 29 February 2024) and for one province today; checks that both
give the same tables; a commune's dashboard (median of 9) with the summary reads off and on; the
same member and organization counts by DuckDB over Parquet (coso/data/bench/national.py), checked
against the report; times lifecycle events through members.services.record_event with the
ledger's watcher registered and not (each pair inside a transaction rolled back), and
`coso measures check` (BENCH_LEDGER_CHECK=0 leaves it out). Prints a JSON line after the reports
and the whole result last. BENCH_TMP: where the Parquet files go.
"""

import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coso.settings")
django.setup()

from django.db import transaction  # noqa: E402
from django.test import override_settings  # noqa: E402

from coso.data.bench.national import (  # noqa: E402
    compare,
    dashboard_timing,
    duckdb_report,
    export,
    report_timings,
)
from coso.measures import ledger  # noqa: E402
from coso.members import services  # noqa: E402
from coso.members.models import EventType, Member, Status  # noqa: E402
from coso.members.watchers import events_changing, periods_changing  # noqa: E402
from coso.organizations.models import Placement  # noqa: E402
from coso.people.selectors import years_before  # noqa: E402


def report(organization, on: dt.date, on_ledger: bool) -> tuple[float, dict, dict]:
    with override_settings(COSO_LEDGER=on_ledger):
        r = report_timings(organization, on)
    return r["seconds"], r["sections"], r["tables"]


def same(a: dict, b: dict) -> list[str]:
    return [code for code in a if (a[code].rows, a[code].total) != (b[code].rows, b[code].total)]


def events(n: int, with_ledger: bool, seed: int = 1) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of each of n exemption events on random official members, inside a
    transaction rolled back (the CPU time of this process: less shaken by a loaded machine)."""
    saved = list(periods_changing._factories), list(events_changing._factories)
    if not with_ledger:  # every summary's upkeep: the ledger of counts, the villages' residents, the ledger of events
        periods_changing._factories.clear()
        events_changing._factories.clear()
    try:
        rng = random.Random(seed)
        ids = list(Member.objects.filter(status=Status.OFFICIAL, exempted=False).values_list("pk", flat=True)[:5000])
        samples = []
        with transaction.atomic():
            for member_id in rng.sample(ids, n):
                member = Member.objects.get(pk=member_id)
                t, c = time.perf_counter(), time.process_time()
                services.record_event(actor=None, member=member, type=EventType.EXEMPTED, effective_date=dt.date.today())
                samples.append((time.perf_counter() - t, time.process_time() - c))
            transaction.set_rollback(True)
        return samples
    finally:
        periods_changing._factories[:], events_changing._factories[:] = saved


def event_costs(rounds: int = 6, n: int = 10) -> dict:
    """Events without and with the ledger, alternating rounds (the same members in both)."""
    without, with_ = [], []
    events(5, True)  # warm
    for r in range(rounds):
        without += events(n, False, seed=r)
        with_ += events(n, True, seed=r)
    ms = {}
    for label, samples in (("without_ledger", without), ("with_ledger", with_)):
        ms[f"{label}_wall_median"] = statistics.median(s[0] for s in samples) * 1000
        ms[f"{label}_cpu_median"] = statistics.median(s[1] for s in samples) * 1000
        ms[f"{label}_cpu_mean"] = statistics.mean(s[1] for s in samples) * 1000
    return ms


def main() -> None:
    today = dt.date.today()
    dates = {"today": today, "five_years_back": years_before(today, 5), "ten_years_back": years_before(today, 10),
             "mid_month": dt.date(today.year - 2, 6, 15), "29_february": dt.date(2024, 2, 29)}
    result = {"vendor": django.db.connection.vendor, "members": Member.objects.count(), "national": {}}
    report(None, today, False)  # warm
    report(None, today, True)
    for label, on in dates.items():
        before, before_sections, before_tables = report(None, on, False)
        after, after_sections, after_tables = report(None, on, True)
        result["national"][label] = {"date": on.isoformat(), "periods_seconds": before, "ledger_seconds": after,
                                     "periods_sections": before_sections, "ledger_sections": after_sections,
                                     "different_tables": same(before_tables, after_tables)}
    province = Placement.objects.on(today).filter(depth=0).order_by("organization_id").values_list("organization_id", flat=True).first()
    p_before = sorted(report(province, today, False)[0] for _ in range(3))[1]
    p_after = sorted(report(province, today, True)[0] for _ in range(3))[1]
    result["province"] = {"periods_seconds": p_before, "ledger_seconds": p_after}
    commune = (Placement.objects.on(today).filter(depth=1).order_by("organization_id").values_list("organization_id", flat=True)[100:101]
               or Placement.objects.on(today).filter(depth=1).order_by("organization_id").values_list("organization_id", flat=True)[:1])
    if commune:
        result["dashboard"] = {"commune": commune[0]}
        for label, on_ledger in (("periods", False), ("ledger", True)):
            with override_settings(COSO_LEDGER=on_ledger):
                result["dashboard"][label] = dashboard_timing(commune[0], today)
    _seconds, _sections, today_tables = report(None, today, True)
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        result["export_seconds"] = export(Path(tmp))
        duckdb_report(Path(tmp), today)  # warm
        reference, seconds = duckdb_report(Path(tmp), today)
    result["duckdb"] = {"seconds": seconds, "disagreements": compare(today_tables, reference),
                        "ratio_to_ledger_report": seconds / result["national"]["today"]["ledger_seconds"]}
    print(json.dumps(result, default=str), flush=True)  # what is measured so far (a long check may be stopped)
    result["event_ms"] = event_costs()
    if os.environ.get("BENCH_LEDGER_CHECK", "1") == "1":
        t = time.perf_counter()
        differences = ledger.compare_with_rebuild()
        result["check"] = {"seconds": time.perf_counter() - t, "differences": len(differences)}
    result["ledger_rows"] = ledger.LedgerEntry.objects.count()
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    sys.exit(main())

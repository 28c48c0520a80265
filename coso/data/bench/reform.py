"""Child process of `make bench` (BENCH_ONLY=restructuring): the whole country's 2025 change
(issue #17: ≤ 15 minutes, progress shown), at the scale given by COSO_BENCH_REFORM_SCALE
(default 0.01: the synthetic country's communes and members at 1 %).

`coso synth` builds its country with the 2025 reform already in it; this module first takes the
reform out (the 2025 committees and placements deleted, the legacy tree reopened, the ledger of
counts rebuilt: a pre-2025 dataset), then applies the change the way an operator would: for
every legacy province committee, reform2025.draft (its merged neighbours in the same Central
Committee decision), the preview (plan.build), and the commit as the worker runs it (a Job,
tasks.run_commit, progress written as it goes), then the conservation query of the command
(the same persons under the legacy committees the day before and under their successors on the
day). Prints one JSON line.

    DATABASE_URL=... COSO_BENCH_REFORM_SCALE=0.01 python -m coso.data.bench.reform
"""

import datetime as dt
import json
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coso.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from coso.data.synth import world  # noqa: E402
from coso.measures import ledger  # noqa: E402
from coso.members.models import MemberPeriod  # noqa: E402
from coso.organizations.models import Kind, Organization, Placement  # noqa: E402
from coso.restructuring import plan as planning  # noqa: E402
from coso.restructuring import reform2025, services, tasks  # noqa: E402
from coso.restructuring.models import Job, Restructuring, State  # noqa: E402

REFORM = reform2025.REFORM
DAY_BEFORE = REFORM - dt.timedelta(days=1)


def before_the_reform() -> dict:
    """The synthetic country as it stood before 01/07/2025: the placements opened on that day
    deleted, those closed on it reopened, the organizations it created deleted."""
    with transaction.atomic():
        new = Placement.objects.filter(valid_from__gte=REFORM)
        created = set(new.values_list("organization_id", flat=True)) - set(
            Placement.objects.filter(valid_from__lt=REFORM).values_list("organization_id", flat=True))
        placements = list(new.values_list("pk", flat=True))
        through = Placement.villages.through
        for i in range(0, len(placements), 5000):
            through.objects.filter(placement_id__in=placements[i:i + 5000]).delete()
            Placement.objects.filter(pk__in=placements[i:i + 5000]).delete()
        Placement.objects.filter(valid_to=REFORM).update(valid_to=None)
        ids = sorted(created)
        for i in range(0, len(ids), 5000):
            Organization.objects.filter(pk__in=ids[i:i + 5000]).delete()
        Organization.objects.filter(closed_on=REFORM).update(closed_on=None, close_reason="", close_decision="")
    ledger.rebuild()
    return {"placements_removed": len(placements), "organizations_removed": len(ids)}


def members_under(paths, day) -> set:
    out = set()
    for path in paths:
        out |= set(MemberPeriod.objects.under(path, day).values_list("member_id", flat=True))
    return out


def main() -> None:
    scale = float(os.environ.get("COSO_BENCH_REFORM_SCALE", "0.01"))
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    try:
        built = world.build(seed=1, scale=scale, workers=0, political=False, say=lambda *a: None)
    except world.AlreadyBuilt:  # a kept database (BENCH_TMP): the drafts of a run that stopped are dropped
        built = {"counts": {}}
        Restructuring.objects.filter(state=State.DRAFT).delete()
    print(f"synth {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    undone = before_the_reform()
    build_seconds = time.perf_counter() - t0
    legacy = list(Placement.objects.on(DAY_BEFORE).filter(parent__isnull=True, kind=Kind.PROVINCE_COMMITTEE).order_by("organization_id"))
    done: set = set()
    timings = {"draft": 0.0, "preview": 0.0, "commit": 0.0, "check": 0.0}
    cpu0 = time.process_time()
    slowest, groups, handed, communes, accepted = 0.0, 0, 0, 0, 0
    members_before = members_under([p.path for p in legacy], REFORM)
    t_all = time.perf_counter()
    for root in legacy:
        if root.organization_id in done:
            continue
        group, _new = reform2025.province_group(root.organization)
        done |= {p.organization_id for p in group}
        started = time.perf_counter()
        r = reform2025.draft(actor=None, province=root.organization)
        timings["draft"] += time.perf_counter() - started
        t = time.perf_counter()
        plan = planning.build(r)
        timings["preview"] += time.perf_counter() - t
        assert not plan.errors, plan.errors[:3]
        # what the operator accepts: members in transit in cells that only move, small cells, open evaluation periods
        r = services.accept_conflicts(actor=None, restructuring=r, keys=[c.key for c in plan.conflicts if c.acceptable])
        blocking = plan.blocking(r.accepted)
        assert not blocking, [c.message for c in blocking[:3]]
        accepted += len(r.accepted)
        # conservation: the same persons under the legacy committees on the day without the change
        # (the tree as it stands before the commit) and under their successors with it
        t = time.perf_counter()
        before = members_under([p.path for p in group], REFORM)
        timings["check"] += time.perf_counter() - t
        t = time.perf_counter()
        job = services.queue_commit(actor=None, restructuring=r)
        tasks.run_commit.call(job.pk)  # what the worker runs: the commit, its progress written as it goes
        timings["commit"] += time.perf_counter() - t
        job.refresh_from_db()
        r.refresh_from_db()
        assert job.status == Job.Status.DONE and r.state == State.COMMITTED, job.message
        t = time.perf_counter()
        after = members_under(Placement.objects.on(REFORM).filter(organization_id__in=reform2025.roots_after(r)).values_list("path", flat=True),
                              REFORM)
        assert before == after, (len(before), len(after))
        timings["check"] += time.perf_counter() - t
        groups += 1
        handed += len(r.written["members"])
        communes += Placement.objects.on(REFORM).filter(organization_id__in=r.written["organizations_created"], kind=Kind.COMMUNE_COMMITTEE).count()
        slowest = max(slowest, time.perf_counter() - started)
        print(f"{groups} {r.title[:80]}: {time.perf_counter() - started:.1f} s, {len(r.written['members'])} members", file=sys.stderr, flush=True)
    total = time.perf_counter() - t_all
    cpu = time.process_time() - cpu0  # this process's CPU: on a shared machine the wall clock counts the others' load too
    members_after = members_under(Placement.objects.on(REFORM).filter(parent__isnull=True).values_list("path", flat=True), REFORM)
    assert members_before == members_after
    print(json.dumps({
        "database": connection.vendor, "scale": scale, "members": len(members_before), "handed_over": handed,
        "legacy_provinces": len(legacy), "decisions": groups, "new_communes": communes, "accepted_conflicts": accepted,
        "legacy_placements_removed": undone["placements_removed"], "build_seconds": round(build_seconds, 1),
        "total_seconds": round(total, 1), "cpu_seconds": round(cpu, 1), "load": os.getloadavg(), "slowest_decision_seconds": round(slowest, 1), **{f"{k}_seconds": round(v, 1) for k, v in timings.items()},
        "synth_counts": {k: built["counts"][k] for k in ("communes", "cells", "members") if k in built["counts"]},
    }))


TITLE = "### Restructuring: the whole country's 2025 change"


def write(results: dict, reading: str = "") -> None:
    """Replace this benchmark's section of docs/benchmarks.md."""
    from coso.data.bench.doc import DOC, HEADER, machine, replace_section

    some = next(iter(results.values()))
    lines = [
        TITLE, "",
        f"Measured {dt.date.today().strftime('%d/%m/%Y')} on {machine()}. `coso synth` at scale {some['scale']} with the reform taken "
        "out (a pre-2025 country), then every legacy province committee's 2025 change as an operator runs it: reform2025.draft (merged "
        "provinces in one Central Committee decision), the preview, the commit as the worker's job (progress written as it goes), the "
        "conservation query (coso/data/bench/reform.py). Target: the whole country ≤ 15 min.", "",
        "| database | scale | members | legacy provinces | decisions | new communes | draft | preview | commit (job) | check | total (wall) | CPU | slowest decision | load |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for db, r in results.items():
        lines.append(f"| {db} | {r['scale']} | {r['members']:,} | {r['legacy_provinces']} | {r['decisions']} | {r['new_communes']:,} | "
                     f"{r['draft_seconds']} s | {r['preview_seconds']} s | {r['commit_seconds']} s | {r['check_seconds']} s | "
                     f"{r['total_seconds']} s | {r['cpu_seconds']} s | {r['slowest_decision_seconds']} s |".replace(",", ".")
                     + f" {r['load'][0]:.1f} |")
    replace_section(DOC, HEADER, TITLE, "\n".join(lines) + "\n" + (f"\n{reading}\n" if reading else ""))


if __name__ == "__main__":
    import sys

    from coso.data.bench.doc import main_or_write

    main_or_write(main, write, sys.argv)

"""`coso synth`'s whole run: the plan and rows of the national dataset (builder.py), the commune's
political system on them (political.py) and the ledger of member counts, written in one go.

Kept apart from builder.py, whose plan, tables and loader political.py reads: the two layers
import this one's parts, never each other.
"""

import contextlib
import time

from . import political as political_system
from .builder import CODE_PREFIX, Loader, Plan, Rows, _vn, generate, plan


class AlreadyBuilt(Exception):
    pass


def _next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1


_WORK: dict = {}


def _generate_one(index: int) -> Rows:
    p, now = _WORK["plan"], _WORK["now"]
    return generate(p.communes[index], p.seed, p.cell_ids, now)


def build(*, seed: int = 1, scale: float = 1.0, workers: int = 0, say=print, provinces: tuple = (), political: bool = True) -> dict:
    """Build the dataset into the default database. Returns counts and timings."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from coso.audit.models import AuditEvent
    from coso.measures import ledger, politicalledger, residence
    from coso.members.models import Member
    from coso.organizations.models import Organization
    from coso.people.models import Person
    from coso.places.models import AdminUnit

    if Organization.objects.filter(code__startswith=CODE_PREFIX).exists():
        raise AlreadyBuilt(f"{CODE_PREFIX}")
    if not AdminUnit.objects.exists():
        call_command("places", "load", verbosity=0)
    t0 = time.perf_counter()
    stamp = timezone.now()
    now = connection.ops.adapt_datetimefield_value(stamp) if connection.vendor == "sqlite" else stamp
    p = plan(seed, scale, first_org_id=_next_id(Organization), first_person_id=_next_id(Person), first_member_id=_next_id(Member), now=now,
             provinces=tuple(provinces))
    say(f"  cây tổ chức: {_vn(p.counts['organizations'])} tổ chức, {_vn(p.counts['placements'])} vị trí ({time.perf_counter() - t0:.1f} s)")
    loader = Loader(connection, say)
    timings = {"plan": time.perf_counter() - t0}
    # PostgreSQL: one transaction (DDL included), so a failed load leaves the database as it was
    outer = transaction.atomic() if connection.vendor != "sqlite" else contextlib.nullcontext()
    with outer:
        _load(loader, p, seed, now, workers, timings, t0, say)
        # the ledger of member counts, from the periods just written (the write paths' pure function)
        started = time.perf_counter()
        ledger.rebuild()
        timings["ledger"] = time.perf_counter() - started
        say(f"  sổ cộng dồn số đảng viên ({timings['ledger']:.1f} s)")
        if political:
            political_counts = political_system.build(p, seed, now, connection, say)
            timings["political"] = political_counts.pop("seconds")
            # the villages where members live: the political system gives the persons their residence villages
            started = time.perf_counter()
            residence.rebuild()
            # and the political system's figures, from the posts, staff and quotas just written
            politicalledger.rebuild()
            timings["political"] += time.perf_counter() - started
    loader.vacuum()
    timings["total"] = time.perf_counter() - t0
    timings["indexes"] = timings["total"] - timings["plan"] - timings["rows"] - timings["ledger"] - timings.get("political", 0)
    counts = {**p.counts, **{f"{k}_rows" if k == "members" else k: v for k, v in loader.totals.items()}}
    if political:
        counts.update(political_counts)
    with transaction.atomic():
        AuditEvent.objects.create(actor_name="system", event_type="members.synth.built", target_type="members.synth", target_id=str(seed),
                                  target_repr=f"coso synth --seed {seed} --scale {scale}", new={"counts": counts, "seconds": round(timings["total"], 1)})
    return {"counts": counts, "timings": timings}


def _load(loader: Loader, p: Plan, seed: int, now, workers: int, timings: dict, t0: float, say) -> None:
    import multiprocessing

    loader.start()
    try:
        loader.insert("organizations_organization", p.organizations)
        loader.insert("organizations_placement", p.placements)
        p.organizations, p.placements = [], []
        totals = loader.totals = {"persons": 0, "members": 0, "events": 0, "periods": 0, "candidates": 0}
        buffer = Rows()

        def flush():
            for name, table in (("persons", "people_person"), ("members", "members_member"), ("events", "members_memberevent"),
                                ("periods", "members_memberperiod"), ("candidates", "members_candidate")):
                rows = getattr(buffer, name)
                totals[name] += len(rows)
                loader.insert(table, rows)
                rows.clear()

        indices = range(len(p.communes))
        if workers > 0:
            _WORK.update(plan=p, now=now)
            pool = multiprocessing.get_context("fork").Pool(workers)
            results = pool.imap(_generate_one, indices, chunksize=4)
        else:
            pool, results = None, (generate(p.communes[i], seed, p.cell_ids, now) for i in indices)
        try:
            last_report = time.perf_counter()
            for i, rows in enumerate(results):
                buffer.extend(rows)
                if len(buffer) > 400_000:
                    flush()
                if time.perf_counter() - last_report > 30:
                    last_report = time.perf_counter()
                    say(f"  {_vn(i + 1)}/{_vn(len(p.communes))} xã, {_vn(totals['members'])} đảng viên ({time.perf_counter() - t0:.0f} s)")
            flush()
        finally:
            if pool is not None:
                pool.close()
                pool.join()
            _WORK.clear()
        timings["rows"] = time.perf_counter() - t0 - timings["plan"]
        loader.finish()
    except BaseException:
        loader.abort()
        raise

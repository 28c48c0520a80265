"""Child process of `make bench`: the commune's political system on the national dataset (#13).

Run after coso.data.bench.members on the same database (its `coso synth` build includes the
political system: coso/data/synth/political.py), or alone: without a dataset it migrates and
builds one at BENCH_SYNTH_SCALE (default 1).

Times, on a warm database, with a user of the whole country (the administrator's scope):
- a commune's political-system page (the chart) and a body's posts list, for 20 communes
  spread over the country (server time inside Django, test client: issue #13 ≤ 100 ms);
- the concurrent-posts page of a province;
- the new measure families (posts, concurrent posts, village coverage, staffing against quota,
  streamlining, training) for one province by child and for the whole country (≤ 300 ms);
- the standard report's four political-system sections for a province and for the country.
Each after one untimed pass; median and 95th percentile in ms. Prints one JSON line.
"""

import datetime as dt
import json
import os
import random
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coso.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from coso.data.synth import builder as synth  # noqa: E402
from coso.data.synth import world  # noqa: E402
from coso.grassroots.models import Body, Post  # noqa: E402
from coso.measures import engine  # noqa: E402
from coso.organizations.models import Kind, Placement  # noqa: E402
from coso.places.models import AdminUnit  # noqa: E402
from coso.reports import standard  # noqa: E402

ON = synth.END
DAY = ON.strftime("%d/%m/%Y")
REPEATS = 20
MEASURES = ["posts.holders", "posts.holders.members", "posts.village_heads", "posts.village_heads.members",
            "concurrent.secretary_ubnd_chair", "concurrent.secretary_hdnd_chair", "concurrent.cell_secretary_village_head",
            "bodies.head_vacant", "villages", "villages.with_head", "villages.head_member", "villages.cell_secretary_head",
            "staffing.cadres", "quotas.cadres"]
PERIOD_MEASURES = ["staff_exits.streamlined", "training.completions"]
SECTIONS = ["political_system", "political_staffing", "political_theory", "political_changes"]


def summary(samples: list[float]) -> dict:
    s = sorted(samples)
    return {"median": statistics.median(s) * 1000, "p95": s[min(len(s) - 1, int(round(0.95 * len(s))) - 1)] * 1000, "n": len(s)}


def timed_all(calls) -> dict:
    for call in calls:  # warm-up pass
        call()
    samples = []
    for call in calls:
        t = time.perf_counter()
        call()
        samples.append(time.perf_counter() - t)
    return summary(samples)


def ensure_dataset() -> dict:
    call_command("migrate", verbosity=0)
    if not AdminUnit.objects.exists():
        call_command("places", "load", verbosity=0)
    if Post.objects.exists():
        return {}
    scale = float(os.environ.get("BENCH_SYNTH_SCALE", "1"))
    # BENCH_GRASSROOTS_PROVINCE=1: the province with the most communes alone, at the density of the
    # scale (a province's figures at national density without the whole country)
    from coso.data.bench.targets import (
        largest_province,  # the province the targets benchmark builds
    )

    provinces = (largest_province(),) if os.environ.get("BENCH_GRASSROOTS_PROVINCE") else ()
    t = time.perf_counter()
    result = world.build(seed=1, scale=scale, workers=int(os.environ.get("BENCH_SYNTH_WORKERS", "1")), say=lambda *a: None,
                         provinces=provinces)
    return {"built_seconds": time.perf_counter() - t, "scale": scale, "provinces": provinces, "counts": result["counts"]}


def main() -> None:
    from coso.access.models import User

    built = ensure_dataset()
    settings.ALLOWED_HOSTS = ["*"]
    user = User.objects.filter(username="bench.grassroots").first() or User.objects.create_superuser(
        username="bench.grassroots", password="x", role="admin", full_name="bench")
    client = Client()
    client.force_login(user)
    rng = random.Random(5)
    units = list(Body.objects.on(ON).filter(kind="party_committee").values_list("unit_id", "id"))
    sample = rng.sample(units, min(REPEATS, len(units)))
    bodies = {u: b for u, b in Body.objects.on(ON).filter(unit_id__in=[u for u, _ in sample], kind="village").values_list("unit_id", "id")}

    def get(url, params):
        def call():
            response = client.get(url, params)
            assert response.status_code == 200, (url, response.status_code)
        return call

    results = {"timings": {}, "sizes": {
        "villages": Body.objects.filter(kind="village").count(), "bodies": Body.objects.count(), "posts": Post.objects.count(),
        "communes": len(units)}}
    t = results["timings"]
    t["commune chart page"] = timed_all([get(reverse("grassroots:unit", args=[u]), {"ngay": DAY}) for u, _ in sample])
    t["party committee posts page"] = timed_all([get(reverse("grassroots:body", args=[b]), {"ngay": DAY}) for _, b in sample])
    t["village posts page"] = timed_all([get(reverse("grassroots:body", args=[b]), {"ngay": DAY}) for b in bodies.values()])
    provinces = list(Placement.objects.on(ON).filter(kind=Kind.PROVINCE_COMMITTEE).values_list("organization_id", flat=True))
    with_posts = set(Placement.objects.on(ON).filter(kind=Kind.COMMUNE_COMMITTEE, area_id__in=[u for u, _ in units])
                     .values_list("parent_id", flat=True))
    province_sample = [p for p in provinces if p in with_posts][:5] or provinces[:5]
    t["concurrent posts page, a province"] = timed_all([get(reverse("grassroots:concurrent"), {"to_chuc": p, "ngay": DAY})
                                                        for p in province_sample])
    period = (dt.date(ON.year, 1, 1), ON)
    t["measures, a province by commune"] = timed_all(
        [lambda p=p: (engine.table(MEASURES, p, by="child", on=ON), engine.table(PERIOD_MEASURES, p, by="child", period=period))
         for p in province_sample])
    t["measures, the country by province"] = timed_all(
        [lambda: (engine.table(MEASURES, None, by="child", on=ON), engine.table(PERIOD_MEASURES, None, by="child", period=period))] * 3)
    t["report sections, a province"] = timed_all([lambda p=p: standard.build(p, ON, sections=SECTIONS) for p in province_sample])
    t["report sections, the country"] = timed_all([lambda: standard.build(None, ON, sections=SECTIONS)] * 3)
    results["database"] = connection.vendor
    results.update(built)
    print(json.dumps(results, default=str))


if __name__ == "__main__":
    main()


TITLE = "### The commune's political system (issue #13)"

READING = """Reading: the commune's pages are per commune (a fixed number of queries whatever the size of
the country: session, user, unit, bodies, posts with persons and membership, the warnings' bodies
and posts), so their time depends on the commune (about 140 bodies and 420 posts in synth), not on
the national size; the chart's cards are written in Python (an included template per card took
most of the page: 105 → 64 ms for one commune on SQLite). The measures group posts in the database;
the concurrent-post measures look for the second post from the first side's posts only (CASE around
EXISTS) and need the tables' statistics (synth runs ANALYZE): without them SQLite searched a cell
secretary's village-head post through the title index and the country's figures took 8 times as
long. A holder's membership is a join on the membership period of the date: as an EXISTS in the
aggregate's FILTER, PostgreSQL hashed every membership period of the country for any subtree (a
province's post figures 851 → 55 ms). For a summarized root (the whole country, a province,
the level under it) the measures read on a date answer from the political system's ledger
(decision 0015): a few milliseconds per family whatever the number of posts; the staff exits and
training of a period are counted on their rows. National figures: the sections that follow."""


def write(results: dict, doc, machine: str, header: str, note: str = "") -> None:
    from coso.data.bench.doc import replace_section

    first = next(iter(results.values()))
    sizes = first["sizes"]
    def vn(n):
        return f"{n:,}".replace(",", ".")

    lines = [TITLE, "", f"Measured {dt.date.today():%d/%m/%Y} on {machine}{note}. Dataset: `coso synth` at scale "
             f"{first.get('scale', '?')} ({vn(sizes['communes'])} communes, {vn(sizes['villages'])} villages, {vn(sizes['bodies'])} "
             f"bodies, {vn(sizes['posts'])} posts). Server time inside Django (test client) or the engine's call; median and 95th "
             "percentile in ms after one untimed pass. Targets (issue #13): a commune's page and its posts list ≤ 100 ms at "
             "national scale; any new measure for a province ≤ 300 ms.", "",
             "| | " + " | ".join(f"{db} median | {db} p95" for db in results) + " |", "|---|" + "---|---|" * len(results)]
    for label in first["timings"]:
        cells = []
        for db in results:
            t = results[db]["timings"][label]
            cells += [f"{t['median']:.0f}", f"{t['p95']:.0f}"]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", READING, ""]
    replace_section(doc, header, TITLE, "\n".join(lines))

"""The members section of docs/benchmarks.md, from the JSON lines coso/data/bench/members.py prints."""

import json

from coso.data.bench import report


def result(timings):
    stats = {"n": 2, "median": 1.25, "p95": 3.5, "max": 4.0}
    counts = {"communes": 3321, "grassroots": 59542, "cells": 296405, "members": 5600000, "exited": 392013, "persons": 6010368,
              "events": 12938390, "periods": 9408737}
    return {"scale": 1.0, "synth_seconds": 425.0, "load": [1.25, 2.0], "synth": {"counts": counts, "timings": timings}, "database_bytes": 10.1e9,
            "search": {**stats, "empty": 0}, "by_scope": {"province": stats}, "by_kind": {"given name": stats},
            "slowest": [{"text": "an", "scope": "province", "kind": "given name", "plan": "root", "ms": 4.0, "found": 50, "queries": 2}]}


def test_it_writes_the_section_from_saved_results_built_now_or_earlier(tmp_path):
    sqlite, pg = tmp_path / "sqlite.json", tmp_path / "pg.json"
    sqlite.write_text("noise\n" + json.dumps(result({"plan": 6, "rows": 240, "indexes": 179})))
    pg.write_text(json.dumps(result(None)))
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\n### Members: the national dataset and search\n\nold\n\n### Excel import\n\nkept\n")
    results = {name: json.loads(path.read_text().splitlines()[-1]) for name, path in (("SQLite", sqlite), ("PostgreSQL", pg))}
    report.write_members(results, doc, "a machine", "# Benchmarks\n")
    text = doc.read_text()
    assert "old" not in text and text.endswith("### Excel import\n\nkept\n")
    assert "| `coso synth` (target ≤ 15 min at full scale) | 7 min 05 s (tree 6 s, rows 4 min 00 s, indexes, search copy and statistics " \
           "2 min 59 s) | 7 min 05 s (built earlier) |" in text
    assert "| scope: province | 2 | 1.2 | 3.5 | 4.0 | 1.2 | 3.5 | 4.0 |" in text and "5.600.000 members" in text
    assert 'Slowest on PostgreSQL: "an" (province, root, 4.0 ms).' in text
    assert "before and after the search timing: SQLite 1.2–2.0, PostgreSQL 1.2–2.0 (2 cores)." in text

"""`make bench-load`: 200 users on the production server over loopback, on SQLite and on
PostgreSQL; the figures go to docs/benchmarks.md ("Load: 200 users on the production server").

For each database: a throwaway database with the demo (`coso migrate`, `places load`, `demo`,
`collectstatic`), gunicorn as `make serve` runs it (coso/gunicorn_conf.py) on a free local port
(plus the import worker when the project has one: `coso worker`), then locust headless with
the users of coso/data/bench/locustfile.py: BENCH_LOAD_USERS (200) browsers started at
BENCH_LOAD_RATE (4) a second, think time BENCH_LOAD_THINK (5–15 s), and one officer importing
lists beside them. Figures are taken from the moment every user has started until the end,
BENCH_LOAD_SECONDS (120) later: p50/p95/p99 of the pages, requests a second, errors, and the CPU
the server spent per request (what limits it on a 2-core machine shared with locust itself).

BENCH_LOAD_DB=sqlite|postgresql runs one; BENCH_PG_URL names the PostgreSQL database to create
and drop (default postgres://postgres@127.0.0.1:5432/coso_bench); BENCH_LOAD_WORKERS and
BENCH_LOAD_THREADS override the server's processes and threads; BENCH_LOAD_NO_DOC=1 prints the
figures without writing the document.
"""

import datetime as dt
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from coso.data.bench.doc import DOC, HEADER, ROOT, machine, replace_section

BIN = Path(sys.executable).parent
LOGS = Path(tempfile.gettempdir())  # the server's and locust's output of the last run, to read when it fails
USERS = int(os.environ.get("BENCH_LOAD_USERS", "200"))
RATE = float(os.environ.get("BENCH_LOAD_RATE", "4"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "120"))
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/coso_bench")
TITLE = "### Load: 200 users on the production server"
PAGES = ["dashboard", "member list", "member search", "report", "organization tree", "candidates", "member export (.xlsx)"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _coso(env: dict, *args: str) -> None:
    subprocess.run([str(BIN / "coso"), *args], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def _pg(action: str) -> None:
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(PG_URL)
    with psycopg.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"], password=cfg["PASSWORD"] or None,
                         dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{cfg["NAME"]}" WITH (FORCE)')
        if action == "create":
            conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')


def _cpu_seconds(pid: int) -> float:
    """CPU time of a process and its children (the gunicorn workers), user and system; a worker
    that ended (replaced after COSO_MAX_REQUESTS, or after a timeout) counts in its parent's
    children's times once the parent has reaped it."""
    import psutil

    total = 0.0
    try:
        root = psutil.Process(pid)
        for p in [root, *root.children(recursive=True)]:
            t = p.cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
    except psutil.NoSuchProcess:
        pass
    return total


def _wait_up(url: str, seconds: int = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer at {url}")


def _worker_command(env: dict) -> str | None:
    """The background worker's command (imports of large files), when the project has one."""
    out = subprocess.run([str(BIN / "coso"), "help", "--commands"], env=env, cwd=ROOT, capture_output=True, text=True)
    return next((c for c in ("worker", "db_worker") if c in out.stdout.split()), None)


def run(database: str) -> dict:
    with tempfile.TemporaryDirectory() as data:
        # COSO_DEMO as `make run` sets it: the users sign in with the demo's password, which outside
        # the demo must be replaced first (every page would be the password form, in a few ms)
        env = {**os.environ, "COSO_DATA_DIR": data, "COSO_ACCESS_LOG": "0", "DJANGO_SETTINGS_MODULE": "coso.settings",
               "COSO_DEMO": "1"}
        env.pop("DATABASE_URL", None)
        if database == "PostgreSQL":
            _pg("create")
            env["DATABASE_URL"] = PG_URL
        if "BENCH_LOAD_WORKERS" in os.environ:
            env["COSO_WORKERS"] = os.environ["BENCH_LOAD_WORKERS"]
        if "BENCH_LOAD_THREADS" in os.environ:
            env["COSO_THREADS"] = os.environ["BENCH_LOAD_THREADS"]
        try:
            started = time.time()
            for step in (["migrate", "--noinput"], ["places", "load"], ["demo"], ["collectstatic", "--noinput"]):
                _coso(env, *step)
            print(f"{database}: demo ready in {time.time() - started:.0f} s", file=sys.stderr)
            port = _free_port()
            env["COSO_BIND"] = f"127.0.0.1:{port}"
            server = subprocess.Popen([str(BIN / "gunicorn"), "-c", "coso/gunicorn_conf.py", "coso.wsgi"], env=env, cwd=ROOT,
                                      stdout=subprocess.DEVNULL, stderr=open(LOGS / f"coso-bench-load-{database}-server.log", "w"))
            command = _worker_command(env)
            worker = subprocess.Popen([str(BIN / "coso"), command], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL) if command else None
            try:
                host = f"http://127.0.0.1:{port}"
                _wait_up(host + "/tai-khoan/dang-nhap/")
                time.sleep(3)  # the workers' PDF warm-up
                return _locust(env, host, server.pid, data, database) | {"worker": worker is not None}
            finally:
                for process in (server, worker):
                    if process is not None:
                        process.send_signal(signal.SIGTERM)
                        process.wait(timeout=60)
        finally:
            if database == "PostgreSQL":
                _pg("drop")


def _locust(env: dict, host: str, server_pid: int, data: str, database: str) -> dict:
    out = Path(data) / "samples.json"
    log = LOGS / f"coso-bench-load-{database}-locust.log"
    ramp = USERS / RATE
    load_before = os.getloadavg()
    locust = subprocess.Popen(
        [str(BIN / "locust"), "-f", "coso/data/bench/locustfile.py", "--headless", "-u", str(USERS), "-r", str(RATE),
         "-t", f"{int(3 * ramp + SECONDS + 120)}s", "--host", host, "--only-summary", "--stop-timeout", "10"],
        env={**env, "BENCH_LOAD_OUT": str(out)}, cwd=ROOT, stdout=open(log, "w"), stderr=subprocess.STDOUT)
    # the steady state starts when every user has signed in: the locustfile says when (a file)
    started = Path(data) / "samples.started"
    while locust.poll() is None and not started.exists():
        time.sleep(1)
    cpu0, wall0 = _cpu_seconds(server_pid), time.time()
    loads = []
    while locust.poll() is None:
        loads.append(os.getloadavg()[0])
        time.sleep(5)
    cpu1, wall1 = _cpu_seconds(server_pid), time.time()
    if not out.exists():
        raise SystemExit(f"locust wrote no figures: see {log}")
    samples = json.loads(out.read_text())
    return _figures(samples, cpu1 - cpu0, wall1 - wall0) | {
        "load_before": round(load_before[0], 2), "load_during": round(max(loads), 2) if loads else None,
        "load_median": round(statistics.median(loads), 2) if loads else None,
    }


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))] if ordered else 0.0


def _figures(samples: dict, cpu: float, wall: float) -> dict:
    if samples["start"] is None:
        raise SystemExit("the users never all started: see the locust log")
    window = samples["end"] - samples["start"]
    times = samples["times"]
    ramp = samples.get("ramp", {})
    pages = [t for name in PAGES for t in times.get(name, [])]
    imports = {name: values for name, values in times.items() if name.startswith("import")}
    total = sum(len(v) for v in times.values())
    return {
        "seconds": round(window),
        "requests": total,
        "per_second": round(total / window, 1),
        "pages": {"n": len(pages), "p50": _percentile(pages, 50), "p95": _percentile(pages, 95), "p99": _percentile(pages, 99),
                  "max": max(pages, default=0)},
        "by_page": {name: {"n": len(times.get(name, [])), "p50": _percentile(times.get(name, []), 50),
                           "p95": _percentile(times.get(name, []), 95)} for name in PAGES},
        "imports": {name: {"n": len(v), "p50": _percentile(v, 50), "max": max(v)} for name, v in sorted(imports.items())},
        "sign_in": {"n": len(ramp.get("sign in", [])), "p50": _percentile(ramp.get("sign in", []), 50),
                    "p95": _percentile(ramp.get("sign in", []), 95)},
        "ramp_errors": sum(samples.get("ramp_errors", {}).values()),
        "errors": sum(samples["errors"].values()),
        "error_kinds": dict(sorted(samples["errors"].items(), key=lambda kv: -kv[1])[:5]),
        "server_cpu_seconds": round(cpu, 1),
        "server_cpu_share": round(cpu / wall / (os.cpu_count() or 1), 2),
        "cpu_ms_per_request": round(1000 * cpu / total, 1) if total else None,
    }


def write_doc(results: dict) -> None:
    today = dt.date.today().strftime("%d/%m/%Y")
    workers = os.environ.get("BENCH_LOAD_WORKERS", f"{2 * (os.cpu_count() or 1)}")
    threads = os.environ.get("BENCH_LOAD_THREADS", "4")
    dbs = list(results)
    lines = [
        TITLE, "",
        f"Measured {today} on {machine()}, by `make bench-load` (coso/data/bench/load.py): gunicorn as `make serve` runs it "
        f"({workers} processes × {threads} threads), the demo database, locust on the same machine over loopback. "
        f"{USERS} browser users started at {RATE:g} a second, each signing in as a demo account, then pages with a think "
        f"time of {os.environ.get('BENCH_LOAD_THINK', '5,15').replace(',', '–')} s; one officer importing a list of "
        f"{os.environ.get('BENCH_LOAD_IMPORT_ROWS', '200')} members at a time beside them. Figures from the moment every "
        f"user had started and signed in, for {SECONDS} s. Target (DESIGN): 200 concurrent users, p95 ≤ 300 ms, no errors.",
        "",
        "| | " + " | ".join(dbs) + " |",
        "|---|" + "---|" * len(dbs),
    ]

    def row(label, fn):
        lines.append(f"| {label} | " + " | ".join(fn(results[db]) for db in dbs) + " |")

    row("pages: p50 / p95 / p99 (ms)", lambda r: f"{r['pages']['p50']:.0f} / **{r['pages']['p95']:.0f}** / {r['pages']['p99']:.0f}")
    row("pages: slowest (ms)", lambda r: f"{r['pages']['max']:.0f}")
    row("requests a second (all)", lambda r: f"{r['per_second']:.1f}")
    row("errors", lambda r: f"{r['errors']}" + (f" ({'; '.join(r['error_kinds'])})" if r["errors"] else ""))
    row("while the users started: sign-ins, p50 / p95 (ms); errors",
        lambda r: f"{r['sign_in']['n']}, {r['sign_in']['p50']:.0f} / {r['sign_in']['p95']:.0f}; {r['ramp_errors']}")
    row("server CPU per request (ms)", lambda r: f"{r['cpu_ms_per_request']}")
    row("server's share of the machine's CPU", lambda r: f"{100 * r['server_cpu_share']:.0f} %")
    row("load average before / median / highest during", lambda r: f"{r['load_before']} / {r['load_median']} / {r['load_during']}")
    for name in PAGES:
        row(f"{name}: n, p50 / p95 (ms)", lambda r, name=name: f"{r['by_page'][name]['n']}, {r['by_page'][name]['p50']:.0f} / {r['by_page'][name]['p95']:.0f}")
    for name in sorted({n for r in results.values() for n in r["imports"]}):
        row(f"{name}: n, p50 / slowest (ms)",
            lambda r, name=name: f"{r['imports'][name]['n']}, {r['imports'][name]['p50']:.0f} / {r['imports'][name]['max']:.0f}" if name in r["imports"] else "—")
    met = all(r["pages"]["p95"] <= 300 and r["errors"] == 0 for r in results.values())
    lines += ["", f"Target {'met' if met else '**not met**'} on this run: " + "; ".join(
        f"{db} p95 {r['pages']['p95']:.0f} ms, {r['errors']} errors" for db, r in results.items()) + "."]
    if READING.exists():
        lines += ["", READING.read_text().strip()]
    replace_section(DOC, HEADER, TITLE, "\n".join(lines) + "\n")


# the reading of the figures, written by hand after a run (what limits them), kept between runs
READING = Path(__file__).with_name("load_reading.md")


def main() -> None:
    only = os.environ.get("BENCH_LOAD_DB", "").lower()
    results = {}
    if only in ("", "sqlite"):
        results["SQLite"] = run("SQLite")
        print(json.dumps({"SQLite": results["SQLite"]}), flush=True)
    if only in ("", "postgresql"):
        try:
            results["PostgreSQL"] = run("PostgreSQL")
            print(json.dumps({"PostgreSQL": results["PostgreSQL"]}), flush=True)
        except Exception as exc:  # noqa: BLE001 - report and keep the SQLite figures
            print(f"PostgreSQL run failed: {exc}", file=sys.stderr)
    if results and not os.environ.get("BENCH_LOAD_NO_DOC"):
        write_doc(results)


if __name__ == "__main__":
    main()

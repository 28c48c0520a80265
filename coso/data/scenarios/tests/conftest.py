"""The five seed scenarios, loaded once per database for the package's tests; in every run the
terminal summary lists their load times, the evaluations built, the figures still PENDING and the known
inconsistencies of the sources."""

import io
import time

import pytest
from django.core.management import call_command
from django.db import connection

from coso.data.scenarios import kinds
from coso.data.worlds import world
from coso.organizations.models import Organization

LOADS: dict[str, dict] = {}  # scenario -> {"seconds", "output", "vendor"}


@pytest.fixture(scope="package")
def scenarios(django_db_setup, django_db_blocker):
    """{scenario: its committee}, built through `coso scenario load NAME` once for the package's
    tests (coso/data/worlds.py), rolled back afterwards."""
    with world(django_db_blocker, _load_all) as built:
        yield built


def _load_all() -> dict:
    built = {}
    for key in kinds.read():
        out = io.StringIO()
        started, cpu = time.perf_counter(), time.process_time()
        call_command("scenario", "load", key, stdout=out)
        LOADS[key] = {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu, "output": out.getvalue(),
                      "vendor": connection.vendor}
        built[key] = Organization.objects.get(code=out.getvalue().strip().splitlines()[-1])
    return built


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    write = terminalreporter.write_line
    terminalreporter.section("coso scenarios")
    if LOADS:
        vendor = next(iter(LOADS.values()))["vendor"]
        times = ", ".join(f"{key} {load['seconds']:.1f} s (CPU {load['cpu']:.1f} s)" for key, load in LOADS.items())
        total, cpu = sum(load["seconds"] for load in LOADS.values()), sum(load["cpu"] for load in LOADS.values())
        write(f"Load times ({vendor}; CPU: this process only): {times}; total {total:.1f} s (CPU {cpu:.1f} s)")
        rounds = [(key, line) for key, load in LOADS.items() for line in load["output"].splitlines() if line.startswith("Đánh giá")]
        write(f"Published evaluations built ({len(rounds)}):")
        for key, line in rounds:
            write(f"  {key}: {line}")
    try:
        scenarios = kinds.read()
    except kinds.FigureError as error:
        write(f"Cannot read the scenario file: {error}")
        return
    found = kinds.inconsistencies(scenarios)
    write(f"Known inconsistencies of the sources ({len(found)}):")
    for key, kind, why in found:
        write(f"  {key}: {kind}: {why}")
    pending = kinds.pending(scenarios)
    write(f"PENDING figures ({len(pending)}):")
    for key, kind, value, reason in pending:
        write(f"  {key}: {kind}{' = ' + value if value else ''} — {reason}")

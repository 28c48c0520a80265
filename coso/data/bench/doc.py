"""docs/benchmarks.md: where it lies, its header, the machine named beside each table, and the
replacement of one section, shared by every benchmark that writes there."""

import os
import platform
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "benchmarks.md"

HEADER = """# Benchmarks

`make bench` runs these on SQLite and PostgreSQL and rewrites the sections below. Figures are
benchmarks, not timed tests: they depend on the machine, named beside each table.
"""


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{mem}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def replace_section(doc, header: str, title: str, new: str) -> None:
    """docs/benchmarks.md with the section under `title` replaced by `new` (or added at the end);
    the other sections are kept as they are."""
    text = doc.read_text() if doc.exists() else header
    start = text.find(title)
    if start >= 0:
        end = text.find("\n### ", start + 1)
        text = text[:start] + new + (text[end + 1:] if end >= 0 else "")
    else:
        text = text.rstrip() + "\n\n" + new
    doc.write_text(text)


def main_or_write(main, write, argv: list[str]) -> None:
    """A benchmark module's entry: `python -m coso.data.bench.X` times (main); `… X write
    sqlite.json pg.json` writes its section of docs/benchmarks.md from the JSON line each run
    printed last (write({database: results}))."""
    import json

    if argv[1:2] == ["write"]:
        files = dict(zip(["SQLite", "PostgreSQL"], argv[2:], strict=False))
        write({db: json.loads(open(f).read().strip().splitlines()[-1]) for db, f in files.items()})
    else:
        main()

"""The load benchmark's arithmetic and its section of docs/benchmarks.md (the run itself is
`make bench-load`)."""

from coso.data.bench import load


def samples(pages: dict, errors=None, seconds=100.0) -> dict:
    return {"start": 1000.0, "end": 1000.0 + seconds, "times": pages, "errors": errors or {}}


def test_the_figures_are_the_pages_percentiles_and_the_rate_of_all_requests():
    pages = {"dashboard": [float(i) for i in range(1, 101)], "member list": [500.0] * 10,
             "import: write": [2000.0, 3000.0], "static (first visit)": [1.0]}
    figures = load._figures(samples(pages), cpu=11.3, wall=100.0)
    assert figures["pages"]["n"] == 110  # the import and the static files are not pages
    assert figures["pages"]["p50"] == 55.0 and figures["pages"]["p95"] == 500.0 and figures["pages"]["max"] == 500.0
    assert figures["by_page"]["dashboard"]["p95"] == 95.0
    assert figures["per_second"] == 1.1 and figures["requests"] == 113
    assert figures["cpu_ms_per_request"] == 100.0
    assert figures["imports"] == {"import: write": {"n": 2, "p50": 2000.0, "max": 3000.0}}


def test_the_section_says_whether_the_target_is_met(tmp_path, monkeypatch):
    doc = tmp_path / "benchmarks.md"
    doc.write_text(load.HEADER + "\n### Other\n\nkept\n")
    monkeypatch.setattr(load, "DOC", doc)
    monkeypatch.setattr(load, "READING", tmp_path / "none.md")
    fast = load._figures(samples({"dashboard": [100.0] * 20}), cpu=1.0, wall=100.0) | {
        "load_before": 0.5, "load_median": 1.0, "load_during": 1.5}
    slow = load._figures(samples({"dashboard": [400.0] * 20}, {"dashboard: HTTP 502": 3}), cpu=1.0, wall=100.0) | {
        "load_before": 0.5, "load_median": 1.0, "load_during": 1.5}
    load.write_doc({"SQLite": fast})
    text = doc.read_text()
    assert "### Other\n\nkept" in text and "Target met on this run: SQLite p95 100 ms, 0 errors." in text
    load.write_doc({"SQLite": fast, "PostgreSQL": slow})
    text = doc.read_text()
    assert text.count(load.TITLE) == 1
    assert "Target **not met** on this run" in text and "PostgreSQL p95 400 ms, 3 errors" in text and "dashboard: HTTP 502" in text

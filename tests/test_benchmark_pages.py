"""benchmarks/pages.py on a store of the bundled document: it runs and reports every row (numbers not asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """A store of the bundled document, imported once for the module."""
    store = tmp_path_factory.mktemp("pages") / "store"
    imported = subprocess.run([sys.executable, "-m", "kasograph", "--store", str(store), "import", str(ROOT / "data" / "vantaa-kaso-2021")],
                              capture_output=True, text=True, timeout=120)
    assert imported.returncode == 0, imported.stderr
    return store


def test_pages_benchmark_runs_on_a_small_store(store, tmp_path):
    out = tmp_path / "pages.json"
    done = subprocess.run([sys.executable, "-m", "benchmarks.pages", "--store", str(store), "--clients", "4", "--seconds", "1",
                           "--extra-seconds", "1", "--client", "python", "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(out.read_text())
    cold, pages = report["cold_start"], report["pages"]
    assert cold["triples"] == 672 and cold["ready_s"] > 0 and cold["memory"]["total_mib"] > 0
    assert cold["memory"]["worker_processes"] >= 1  # the SPARQL queries started query workers
    assert [r["page"] for r in pages["rows"]] == ["favicon (baseline)", "goal", "person", "goal .ttl", "person .ttl", "home", "search",
                                                  "goal (made)", "person (made)", "search (made)"]  # the last on a server keeping no page
    assert pages["goals"] == 10 and pages["persons"] == 7
    assert all(r["requests"] > 0 and r["errors"] == 0 and r["p99_ms"] > 0 for r in pages["rows"])
    assert "cold start" in done.stdout and "favicon (baseline)" in done.stdout


def test_the_anchor_is_the_engines_describe_of_the_same_resources(store, tmp_path):
    """With wrk (scripts/test installs it), the same goals and persons as DESCRIBE from an Oxigraph server holding
    the same quads, and each page's and Turtle's p99 as a multiple of it."""
    out = tmp_path / "pages.json"
    done = subprocess.run([sys.executable, "-m", "benchmarks.pages", "--store", str(store), "--clients", "4", "--seconds", "1",
                           "--extra-seconds", "1", "--client", "wrk", "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(out.read_text())
    rows = {r["page"]: r for r in report["pages"]["rows"]}
    for kind, count in (("goal", 10), ("person", 7)):
        engine = rows[f"{kind} DESCRIBE (oxigraph)"]
        assert engine["requests"] > 0 and engine["errors"] == 0 and engine["distinct"] >= count  # counted per wrk thread
        assert f"{kind} .ttl: p99" in done.stdout and "Oxigraph server's DESCRIBE" in done.stdout

    # The suite's summary gives each page its own row: the engine's DESCRIBE is the Turtle's anchor, never a page's figure.
    from benchmarks.__main__ import summary_rows

    summary = {row["what"].split(",")[0]: row for row in summary_rows([{"stage": "pages", "status": "ok", "remote": False, **report}])}
    for kind in ("goal", "person"):
        assert summary[f"{kind} pages"]["kasograph_s"] == rows[kind]["p99_ms"] / 1000
        assert summary[f"{kind} .ttl"]["baseline_s"] == rows[f"{kind} DESCRIBE (oxigraph)"]["p99_ms"] / 1000

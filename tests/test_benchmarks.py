"""The benchmark command runs and reports every stage (its numbers are not asserted: speed is measured, not tested)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_command_runs(tmp_path):
    out = tmp_path / "results.json"
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--repeat", "1", "--requests", "5", "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads(out.read_text())
    assert [p["page"] for p in report["pages"]] == ["home", "goal", "person", "search"]
    assert all(p["median_ms"] > 0 for p in report["pages"])
    results = report["results"]
    assert [r["stage"] for r in results] == ["table → RDF (read + build)", "SHACL validation", "store load", "query: goals per person"]
    assert all(r["kasograph_ms"] > 0 and r["baseline_ms"] > 0 for r in results)


def test_sparql_benchmark_runs_and_the_engines_agree(tmp_path):
    """On a few generated documents every saved question gives the same number of rows in
    pyoxigraph, through the endpoint and in rdflib's own engine."""
    out = tmp_path / "sparql.json"
    done = subprocess.run([sys.executable, "-m", "benchmarks.sparql", "--sizes", "3k", "--repeat", "1",
                           "--rdflib-limit", "30", "--json", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    [size] = json.loads(out.read_text())["sizes"]
    assert size["documents"] >= 3 and len(size["questions"]) >= 12
    for question in size["questions"]:
        assert question["endpoint_ms"] > 0 and question["rdflib_status"] == "ok", question
        assert question["rows"]["pyoxigraph"] == question["rows"]["endpoint"] == question["rows"]["rdflib"], question

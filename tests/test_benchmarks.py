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

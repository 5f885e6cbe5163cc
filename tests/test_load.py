"""The load script's short run: 32 clients against a real `kasograph serve`, and not one 5xx.

`KASOGRAPH_LOAD_SECONDS` sets how long (5 s by default; `scripts/load.py` alone runs 60 s).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "load.py"
SECONDS = float(os.environ.get("KASOGRAPH_LOAD_SECONDS", "5"))


def test_32_clients_get_no_server_error(tmp_path):
    figures = tmp_path / "load.json"
    run = subprocess.run([sys.executable, str(SCRIPT), "--seconds", str(SECONDS), "--clients", "32", "--json", str(figures)],
                         capture_output=True, text=True, timeout=SECONDS + 180)
    print(run.stdout)
    assert run.returncode == 0, run.stdout + run.stderr
    result = json.loads(figures.read_text(encoding="utf-8"))
    assert result["errors"] == 0, result["statuses"]
    assert result["requests"] > 0 and set(result["statuses"]) == {"200"}, result["statuses"]
    assert all(result["by_kind"][kind]["requests"] > 0 for kind in ("page", "question", "sparql"))
    assert result["paths"]["question"] >= 10 and result["paths"]["page"] >= 50
    assert result["memory"]["end"]["server_mib"] > 0

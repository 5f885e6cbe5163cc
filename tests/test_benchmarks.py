"""The benchmark suite runs and reports every stage (its numbers are not asserted: speed is measured, not tested)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kasograph.query import saved

ROOT = Path(__file__).resolve().parents[1]
#: The tiniest size: five generated documents (the tables and their store are cached in benchmarks/.data/).
SIZE = "3k"


def run_suite(tmp_path: Path, *options: str) -> dict:
    out = tmp_path / "results.json"
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--size", SIZE, "--repeat", "1", "--json", str(out), *options],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Summary: medians" in done.stdout
    return json.loads(out.read_text(encoding="utf-8"))


def stage(report: dict, name: str) -> dict:
    [found] = [s for s in report["stages"] if s["stage"] == name]
    assert found["status"] == "ok", found
    assert len(found["load_average_before"]) == len(found["load_average_after"]) == 3
    return found


def test_every_local_stage_reports_against_its_baseline(tmp_path):
    """import, validation, questions, endpoint and graphs at the tiniest size (pages has its own test: its load runs take
    seconds each); every saved question is asked, and the three engines give the same number of rows."""
    report = run_suite(tmp_path, "--stages", "import,validation,questions,endpoint,graphs", "--big-document-goals", "0",
                       "--requests", "20")
    assert report["machine"]["cores"] and report["machine"]["versions"]["pyoxigraph"]

    batch = stage(report, "import")["batch"]
    assert batch["documents"] == report["tables"]["documents"] and batch["triples"] > 2000
    assert batch["wall_s"] > 0 and batch["baseline_wall_s"] > 0 and batch["quads_loaded_by_baseline"] > batch["triples"]

    validation = stage(report, "validation")
    for document in validation["documents"]:
        assert document["conforms"] == {document["engine"]: True, "pyshacl": True}
        assert document["kasograph_s"] > 0 and document["pyshacl_s"] > 0
    assert validation["store"]["kasograph_conforms"] and validation["store"]["pyshacl_documents"] >= 1

    questions = stage(report, "questions")
    assert {q["name"] for q in questions["questions"]} == set(saved.catalogue())
    assert {"person", "theme", "group", "title", "status"} <= set(questions["parameters"])
    for question in questions["questions"]:
        assert question["endpoint_first_ms"] > 0 and question["endpoint_ms"] > 0 and question["rdflib_status"] == "ok", question
        assert question["rows"]["pyoxigraph"] == question["rows"]["endpoint"] == question["rows"]["rdflib"], question
    # What the first visitor after an import waits: every question asked again of a new server.
    assert set(questions["first_after_import"]) == set(saved.catalogue()) and questions["import_keep_answers_s"] > 0
    # The chosen parameters name things the data has: the parameterised questions find rows.
    found = {q["name"]: q["rows"]["pyoxigraph"] for q in questions["questions"]}
    assert all(found[name] > 0 for name in ("goals-of-person", "goals-of-theme", "goals-of-group", "document-contents"))

    endpoint = stage(report, "endpoint")
    assert endpoint["requests"] == 20 and all(endpoint["median_ms"][k] > 0 for k in ("sparql", "engine", "favicon", "check"))

    graphs = stage(report, "graphs")
    assert graphs["nodes"]["responsibility"] > 0 and graphs["feeding_queries_s"] > 0
    assert len(graphs["pictures"]["pages"]) == 4 and graphs["pictures"]["goals"] == 500 and graphs["pictures"]["graphs_s"] > 0

    rows = {(row["stage"], row["what"].split(" (")[0]) for row in report["summary"]}
    assert ("questions", "goals-of-person") in rows and any(stage == "graphs" for stage, _ in rows)


def test_the_remote_stages_run_against_a_real_oxigraph_server(tmp_path):
    """--remote: the tables imported into a real Oxigraph server through `kasograph --store URL`, and the saved
    questions asked of the endpoint serving it and of the server itself, with the same rows."""
    report = run_suite(tmp_path, "--remote", "--stages", "import,questions")
    imported = stage(report, "import")
    assert imported["remote"] and imported["exit_code"] == 0 and imported["documents_stored"] == report["tables"]["documents"]
    questions = stage(report, "questions")
    assert questions["baseline"] == "oxigraph server" and len(questions["questions"]) == len(saved.catalogue())
    for question in questions["questions"]:
        assert question["rows"]["oxigraph server"] == question["rows"]["endpoint"], question


def test_a_question_over_the_endpoints_answer_limit_is_asked_at_its_own_file():
    """Where /sparql refuses an answer as too large (SPARQL_MAX_RESULT_BYTES), the questions stage asks the
    saved question's own file, which has no limit, says so, and gets the rows pyoxigraph gets."""
    from benchmarks import common
    from benchmarks.sparql import measure_questions

    result = measure_questions(common.stored(SIZE), 1, rdflib=False, endpoint_settings={"SPARQL_MAX_RESULT_BYTES": "3000"})
    by_name = {q["name"]: q for q in result["questions"]}
    moved = {name for name, q in by_name.items() if q["endpoint_via"] != "/sparql"}
    assert "stated-numbers" in moved and len(moved) < len(by_name)
    for name in moved:
        question = by_name[name]
        assert question["endpoint_via"] == f"/questions/{name}.json" and not question["endpoint_error"]
        assert question["rows"]["endpoint"] == question["rows"]["pyoxigraph"] > 0 and question["endpoint_ms"] > 0

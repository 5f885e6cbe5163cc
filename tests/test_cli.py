"""The `kasograph` command: each command, and each one's error path."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Dataset

from kasograph.cli import main

PERSON_GOALS = """
SELECT ?name ?goal WHERE {
  ?goal a kg:Goal ; prov:wasAttributedTo ?person .
  ?person foaf:name ?name .
} ORDER BY ?name ?goal
"""
# Counted by hand from the source document: the goals each named person is responsible for.
EXPECTED_GOALS_PER_PERSON = {
    "Anders Vikström": 4, "Ari Ranki": 3, "Eila Tanninen": 1, "Ilkka Kalo": 4,
    "Katri Kalske": 1, "Sole Askola-Vehviläinen": 4, "Tuija Harakka": 3,
}


def test_build_writes_a_dataset_file(runner, tmp_path):
    out = tmp_path / "kaso.trig"
    result = runner.invoke(main, ["build", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "graph(s)" in result.output
    dataset = Dataset().parse(out, format="trig")
    assert len(dataset) > 900


def test_build_from_a_document_folder_in_nquads(runner, tmp_path, document_copy):
    out = tmp_path / "kaso.nq"
    result = runner.invoke(main, ["build", str(document_copy), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").count("\n") > 900


def test_build_refuses_a_malformed_table_and_writes_nothing(runner, tmp_path, document_copy):
    goals = document_copy / "goals.csv"
    rows = list(csv.reader(goals.open(encoding="utf-8", newline="")))
    rows[5][rows[0].index("Tila")] = "Valmis"
    with goals.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    out = tmp_path / "kaso.trig"
    result = runner.invoke(main, ["build", str(document_copy), "-o", str(out)])
    assert result.exit_code == 1
    assert "row 6" in result.output and "column 'Tila'" in result.output and "'Valmis'" in result.output
    assert not out.exists()
    assert list(tmp_path.glob("*.tmp")) == []


def test_build_of_a_missing_file(runner, tmp_path):
    result = runner.invoke(main, ["build", str(tmp_path / "nothing.csv"), "-o", str(tmp_path / "x.trig")])
    assert result.exit_code == 1 and "does not exist" in result.output
    assert not (tmp_path / "x.trig").exists()


def test_validate_bundled_conforms(runner):
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert "conforms (0 violation(s), 0 warning(s))" in result.output


def test_validate_a_broken_rdf_file(runner, tmp_path):
    out = tmp_path / "kaso.ttl"
    assert runner.invoke(main, ["export", "--format", "ttl", "--no-vocabulary", "-o", str(out)]).exit_code == 0
    text = out.read_text(encoding="utf-8").replace("kg:status kg:PartiallyAchieved", "kg:status kg:Postponed")
    out.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["validate", str(out)])
    assert result.exit_code == 1
    assert "Violation: A goal needs exactly one status" in result.output
    assert "focus node: https://w3id.org/kasograph/id/goal/" in result.output
    finnish = runner.invoke(main, ["validate", str(out), "--lang", "fi"])
    assert "Tavoitteella on oltava täsmälleen yksi tila" in finnish.output
    as_json = json.loads(runner.invoke(main, ["validate", str(out), "--format", "json"]).output)
    assert as_json["conforms"] is False and as_json["findings"][0]["severity"] == "Violation"


def test_validate_malformed_turtle_names_the_line(runner, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "unterminated .\n', encoding="utf-8")
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1
    assert "bad.ttl" in result.output and "line 3" in result.output


def test_validate_catches_a_text_the_source_does_not_contain(runner, document_copy):
    goals = document_copy / "goals.csv"
    goals.write_text(goals.read_text(encoding="utf-8").replace("Esiselvitys ja kartoitus tehty", "Esiselvitys tehty"), encoding="utf-8")
    result = runner.invoke(main, ["validate", str(document_copy)])
    assert result.exit_code == 1
    assert "does not appear in the source document" in result.output and "Esiselvitys tehty" in result.output


def test_query_answers_which_goals_each_person_carries(runner):
    result = runner.invoke(main, ["query", PERSON_GOALS, "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    counts = {}
    for row in rows:
        counts[row["name"]] = counts.get(row["name"], 0) + 1
    assert counts == EXPECTED_GOALS_PER_PERSON
    assert {r["goal"].rsplit("/", 1)[1] for r in rows if r["name"] == "Ari Ranki"} == {"oppimiskampus", "oppivelvollisuus", "etaopetus"}


def test_query_table_and_json_and_file(runner, tmp_path):
    table = runner.invoke(main, ["query", "SELECT ?status (COUNT(?g) AS ?n) WHERE { ?g kg:status ?status } GROUP BY ?status ORDER BY ?n"])
    assert table.exit_code == 0
    assert "kg:PartiallyAchieved  2" in table.output and "kg:FullyAchieved      8" in table.output and "(2 rows)" in table.output
    query_file = tmp_path / "q.rq"
    query_file.write_text("ASK { ?g a kg:Goal }", encoding="utf-8")
    assert runner.invoke(main, ["query", "-f", str(query_file)]).output.strip() == "true"
    answer = json.loads(runner.invoke(main, ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?g a kg:Goal }", "--format", "json"]).output)
    assert answer["results"]["bindings"][0]["n"]["value"] == "10"
    construct = runner.invoke(main, ["query", "CONSTRUCT { ?p foaf:name ?n } WHERE { ?p a foaf:Person ; foaf:name ?n }", "--format", "nt"])
    assert construct.output.count("\n") == 7


def test_query_errors(runner, tmp_path):
    bad = runner.invoke(main, ["query", "SELECT ?x WHERE { ?x a }"])
    assert bad.exit_code == 1 and "not valid SPARQL" in bad.output
    missing = runner.invoke(main, ["query", "ASK {}", "--data", str(tmp_path / "none.trig")])
    assert missing.exit_code == 1 and "does not exist" in missing.output
    assert runner.invoke(main, ["query"]).exit_code == 2


def test_query_over_an_rdf_file(runner, tmp_path):
    out = tmp_path / "kaso.nq"
    runner.invoke(main, ["export", "--format", "nq", "-o", str(out)])
    result = runner.invoke(main, ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?g a kg:Goal }", "--data", str(out), "--format", "csv"])
    assert result.output.splitlines()[1] == "10"


def test_stats(runner):
    result = runner.invoke(main, ["stats"])
    assert result.exit_code == 0
    assert "kg:Goal                     10" in result.output
    assert "foaf:Person                 7" in result.output
    assert "Toteutuu täysin    8" in result.output
    assert "Edistämme asukkaiden hyvinvointia                 5" in result.output
    english = json.loads(runner.invoke(main, ["stats", "--lang", "en", "--format", "json"]).output)
    assert {r["label"]: r["goals"] for r in english["status"]} == {"Fully achieved": 8, "Partially achieved": 2}


@pytest.mark.parametrize("fmt, parser", [("ttl", "turtle"), ("trig", "trig"), ("nq", "nquads"), ("jsonld", "json-ld")])
def test_export_to_stdout_and_file(runner, tmp_path, fmt, parser):
    result = runner.invoke(main, ["export", "--format", fmt])
    assert result.exit_code == 0
    assert len(Dataset().parse(data=result.stdout_bytes, format=parser)) > 900
    out = tmp_path / f"kaso.{fmt}"
    assert runner.invoke(main, ["export", "--format", fmt, "-o", str(out)]).exit_code == 0
    assert out.read_bytes() == result.stdout_bytes


def test_base_option_changes_every_iri(runner):
    result = runner.invoke(main, ["--base", "http://example.org/kaso/", "query", "SELECT ?g WHERE { ?g a kg:Goal } LIMIT 1", "--format", "csv"])
    assert result.output.splitlines()[1].startswith("http://example.org/kaso/goal/")


def test_help_lists_every_command(runner):
    result = runner.invoke(main, ["--help"])
    for command in ("build", "validate", "query", "stats", "export"):
        assert command in result.output


@pytest.mark.parametrize("command", [["stats", "--data"], ["export", "--data"], ["validate"]])
def test_commands_report_a_missing_file(runner, tmp_path, command):
    result = runner.invoke(main, [*command, str(tmp_path / "missing.ttl")])
    assert result.exit_code == 1
    assert "missing.ttl: the file does not exist" in result.output


def test_unknown_file_type(runner, tmp_path):
    odd = tmp_path / "goals.ods"
    odd.write_bytes(b"PK\x03\x04")
    result = runner.invoke(main, ["validate", str(odd)])
    assert result.exit_code == 1 and "unknown file type '.ods'" in result.output

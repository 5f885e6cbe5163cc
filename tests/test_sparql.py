"""The SPARQL endpoint over HTTP with a real client, its safety limits, saved questions and the Python API."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

import kasograph
from kasograph.cli import main
from kasograph.query.sparql import QueryRefused, check

from .servers import kasograph_server

GOALS_PER_PERSON = """
SELECT ?name (COUNT(?goal) AS ?goals) WHERE { ?goal a kg:Goal ; prov:wasAttributedTo/foaf:name ?name }
GROUP BY ?name ORDER BY DESC(?goals) ?name
"""
EXPECTED = {"Anders Vikström": 4, "Ilkka Kalo": 4, "Sole Askola-Vehviläinen": 4, "Ari Ranki": 3, "Tuija Harakka": 3,
            "Eila Tanninen": 1, "Katri Kalske": 1}
PREFIXES = "PREFIX kg: <https://w3id.org/kasograph/def#>\nPREFIX prov: <http://www.w3.org/ns/prov#>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
# A cartesian product of the whole store with itself, four times: about 10^12 rows to count.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    with kasograph_server(tmp_path_factory.mktemp("sparql") / "serve.log", "--timeout", "2") as base:
        yield base + "/sparql"


def client(endpoint: str, query: str, fmt) -> SPARQLWrapper:
    wrapper = SPARQLWrapper(endpoint)
    wrapper.setQuery(PREFIXES + query)
    wrapper.setReturnFormat(fmt)
    return wrapper


def get(url: str, headers: dict | None = None, data: bytes | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


# The protocol, with a client nobody here wrote ----------------------------------------------------------
def test_select_in_every_format_agrees_with_cli_and_api(endpoint, runner):
    as_json = client(endpoint, GOALS_PER_PERSON, JSON).queryAndConvert()
    from_json = {b["name"]["value"]: int(b["goals"]["value"]) for b in as_json["results"]["bindings"]}
    assert from_json == EXPECTED
    as_xml = client(endpoint, GOALS_PER_PERSON, XML).queryAndConvert()
    names = [n.firstChild.data for n in as_xml.getElementsByTagName("literal") if n.firstChild.data in EXPECTED]
    assert sorted(names) == sorted(EXPECTED)
    as_csv = client(endpoint, GOALS_PER_PERSON, CSV).queryAndConvert().decode("utf-8")
    assert {r["name"]: int(r["goals"]) for r in csv.DictReader(io.StringIO(as_csv))} == EXPECTED
    as_tsv = client(endpoint, GOALS_PER_PERSON, TSV).queryAndConvert().decode("utf-8")
    assert len(as_tsv.strip().splitlines()) == 1 + len(EXPECTED)
    from_cli = runner.invoke(main, ["query", GOALS_PER_PERSON, "--format", "csv"]).output
    assert {r["name"]: int(r["goals"]) for r in csv.DictReader(io.StringIO(from_cli))} == EXPECTED
    assert {r["name"]: r["goals"] for r in kasograph.open().query(GOALS_PER_PERSON)} == EXPECTED
    assert {r["name"]: r["goals"] for r in kasograph.open(endpoint).query(GOALS_PER_PERSON)} == EXPECTED


def test_ask(endpoint):
    assert client(endpoint, "ASK { ?g a kg:Goal }", JSON).queryAndConvert()["boolean"] is True
    xml = client(endpoint, "ASK { ?g a kg:Nothing }", XML).queryAndConvert()
    assert xml.getElementsByTagName("boolean")[0].firstChild.data == "false"


@pytest.mark.parametrize("fmt, parser", [(TURTLE, "turtle"), (N3, "turtle"), (RDFXML, "xml"), (JSONLD, "json-ld")])
def test_construct_and_describe(endpoint, fmt, parser):
    construct = client(endpoint, "CONSTRUCT { ?p foaf:name ?n } WHERE { ?p a foaf:Person ; foaf:name ?n }", fmt)
    result = construct.query().response.read()
    graph = Graph().parse(data=result, format=parser)
    assert {str(o) for o in graph.objects()} == set(EXPECTED)
    describe = client(endpoint, "DESCRIBE <https://w3id.org/kasograph/id/person/vantaa/ari-ranki>", fmt)
    described = Graph().parse(data=describe.query().response.read(), format=parser)
    assert "Ari Ranki" in {str(o) for o in described.objects()}


def test_post_forms_and_direct_post(endpoint):
    form = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?g a kg:Goal }"}).encode()
    status, headers, body = get(endpoint, {"Accept": "text/csv", "Content-Type": "application/x-www-form-urlencoded"}, form)
    assert status == 200 and body.splitlines()[1] == b"10"
    status, _, body = get(endpoint, {"Accept": "application/sparql-results+json", "Content-Type": "application/sparql-query"},
                          b"SELECT (COUNT(*) AS ?n) WHERE { ?g a kg:Goal }")
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "10"
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_dataset_parameters(endpoint):
    vocabulary = "https://w3id.org/kasograph/def"
    document = "https://w3id.org/kasograph/id/graph/vantaa-kaso-2021"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?g a kg:Goal }"
    only_vocabulary = urllib.parse.urlencode({"query": count, "default-graph-uri": vocabulary, "format": "csv"})
    assert get(f"{endpoint}?{only_vocabulary}")[2].splitlines()[1] == b"0"
    only_document = urllib.parse.urlencode({"query": count, "default-graph-uri": document, "format": "csv"})
    assert get(f"{endpoint}?{only_document}")[2].splitlines()[1] == b"10"
    named = urllib.parse.urlencode({"query": "SELECT DISTINCT ?graph WHERE { GRAPH ?graph { ?s ?p ?o } }",
                                    "named-graph-uri": document, "format": "csv"})
    assert get(f"{endpoint}?{named}")[2].decode().split()[1:] == [document]


def test_service_description_and_cors_preflight(endpoint):
    status, headers, body = get(endpoint, {"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=body, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (None, __import__("rdflib").URIRef(sd + "endpoint"), None) in graph
    request = urllib.request.Request(endpoint, method="OPTIONS")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 204 and response.headers["Access-Control-Allow-Methods"] == "GET, POST, OPTIONS"


# Safety ---------------------------------------------------------------------------------------------------
def test_updates_are_refused(endpoint):
    for data, content_type in ((b"update=INSERT+DATA+%7B%7D", "application/x-www-form-urlencoded"),
                               (b"INSERT DATA { <http://a> <http://b> <http://c> }", "application/sparql-update"),
                               (b"query=" + urllib.parse.quote("INSERT DATA { <http://a> <http://b> <http://c> }").encode(),
                                "application/x-www-form-urlencoded"),
                               (b"query=" + urllib.parse.quote("LOAD <http://127.0.0.1:1/x.ttl>").encode(),
                                "application/x-www-form-urlencoded")):
        status, _, body = get(endpoint, {"Content-Type": content_type}, data)
        assert status == 403 and b"read-only" in body


def test_service_is_refused_unless_allowed(endpoint):
    query = urllib.parse.quote("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    status, _, body = get(f"{endpoint}?query={query}")
    assert status == 403 and b"allow-list" in body
    hidden = urllib.parse.quote("SELECT * WHERE { SERVICE SILENT ?where { ?s ?p ?o } VALUES ?where { <http://127.0.0.1:9/> } }")
    assert get(f"{endpoint}?query={hidden}")[0] == 403
    check("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", ("http://example.org/sparql",))
    with pytest.raises(QueryRefused):
        check("SELECT * WHERE { SERVICE <http://example.org/other> { ?s ?p ?o } }", ("http://example.org/sparql",))


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { service silent <http://127.0.0.1:9/s> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } }",  # escapes apply before parsing
    "SELECT * { ?a ?b ?c FILTER(?c<1)SERVICE<http://127.0.0.1:9/s>{?s ?p ?o} }",
    "PREFIX ex: <http://127.0.0.1:9/>\nSELECT * { SERVICE ex:s { ?s ?p ?o } }",
    "SELECT * { ?s ?p ?o } # a comment\n DELETE WHERE { ?s ?p ?o }",
])
def test_the_check_finds_service_and_updates_however_written(query):
    with pytest.raises(QueryRefused):
        check(query, ("http://example.org/sparql",))


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s ex:service ?service . ?s ?p 'SERVICE <http://127.0.0.1:9/>' } # SERVICE <http://127.0.0.1:9/>",
    "SELECT * WHERE { ?s ?p \"x\"@add . ?s ?p \'\'\'a \' INSERT \'\' b\'\'\' . ?s ?p _:delete }",
    "SELECT * { ?s <http://example.org/a#SERVICE> ?o FILTER(?o < 3 && ?o > 1) }",
])
def test_the_check_does_not_take_words_in_names_and_texts_for_keywords(query):
    check(query)


def test_a_triple_in_two_documents_is_one_triple_of_the_union():
    """Oxigraph's own union repeats a triple per graph; kasograph's default graph is a set."""
    from rdflib import Dataset, Literal, URIRef

    from kasograph.formats import DUMPS
    from kasograph.publish.dumps import dump
    from kasograph.store.engine import GoalStore

    dataset = Dataset()
    for document in ("a", "b"):
        dataset.graph(URIRef(f"http://example.org/graph/{document}")).add(
            (URIRef("http://example.org/person/x"), URIRef("http://xmlns.com/foaf/0.1/name"), Literal("X")))
    store = GoalStore.from_dataset(dataset)
    assert store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == [{"n": 1}]
    assert store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") == [{"n": 2}]
    assert len(store) == 2
    assert dump(store, DUMPS["nq"]).decode().count("\n") == 2  # the union is not published as a third graph
    assert dump(store, DUMPS["ttl"]).decode().count("foaf:name") == 1
    # queries that name no graph run on the union alone; those that do, on the whole store
    assert store.engine_for("SELECT * WHERE { ?s ex:graph ?o FILTER (?o != 'GRAPH') } # GRAPH") is store.union
    assert store.engine_for("SELECT * WHERE { graph ?g { ?s ?p ?o } }") is store.store
    assert store.engine_for("SELECT * FROM <http://example.org/graph/a> WHERE { ?s ?p ?o }") is store.store
    assert store.select("SELECT (COUNT(*) AS ?n) FROM <http://example.org/graph/a> WHERE { ?s ?p ?o }") == [{"n": 1}]


def test_a_slow_query_is_stopped_while_others_are_answered(endpoint):
    slow: dict = {}

    def run_slow():
        started = time.monotonic()
        slow["status"], _, slow["body"] = get(f"{endpoint}?query={urllib.parse.quote(SLOW)}")
        slow["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    status, _, body = get(f"{endpoint}?query={urllib.parse.quote('ASK { ?g a kg:Goal }')}")
    quick = time.monotonic() - started
    page_status = get(endpoint.replace("/sparql", "/goal/vantaa-kaso-2021/oppimiskampus.html"))[0]
    thread.join(30)
    assert status == 200 and json.loads(body)["boolean"] is True and quick < 1.5
    assert page_status == 200
    assert slow["status"] == 503 and b"stopped after 2 s" in slow["body"]
    assert 1.5 < slow["seconds"] < 10
    # The stopped worker was replaced: the endpoint still answers.
    time.sleep(0.5)
    assert get(f"{endpoint}?query={urllib.parse.quote('ASK { ?g a kg:Goal }')}")[0] == 200


def test_syntax_errors_are_400_with_the_position(endpoint):
    status, _, body = get(f"{endpoint}?query={urllib.parse.quote('SELECT ?x WHERE { ?x a }')}")
    assert status == 400 and b"Syntax error" in body and b"1:" in body


def test_huge_requests_are_refused(endpoint):
    huge = b"query=" + urllib.parse.quote("SELECT * WHERE { ?s ?p ?o } #" + "x" * 200_000).encode()
    status, _, body = get(endpoint, {"Content-Type": "application/x-www-form-urlencoded"}, huge)
    assert status == 413


def test_html_results_are_capped(tmp_path):
    from kasograph_web import create_app

    app = create_app({"SPARQL_HTML_ROW_LIMIT": 3})
    page = app.test_client().get("/query.html", query_string={"query": "SELECT ?s WHERE { ?s ?p ?o }"}).text
    assert page.count("<tr>") == 1 + 3 and "Näytetään ensimmäiset 3 riviä" in page
    full = app.test_client().get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p ?o }", "format": "csv"})
    assert len(full.data.splitlines()) > 1000
    app.extensions["kasograph_pool"].close()


def test_csv_for_excel_has_a_byte_order_mark(endpoint):
    query = urllib.parse.quote("SELECT ?n WHERE { ?p foaf:name ?n }")
    assert get(f"{endpoint}?query={query}&format=csv&bom=1")[2].startswith(b"\xef\xbb\xbf")
    assert not get(f"{endpoint}?query={query}&format=csv")[2].startswith(b"\xef\xbb\xbf")
    status, headers, body = get(endpoint.replace("/sparql", "/questions/goals-of-person.csv?person=Ari+Ranki"))
    assert status == 200 and body.startswith(b"\xef\xbb\xbf") and headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert {r["goal"].rsplit("/", 1)[1] for r in rows} == {"oppimiskampus", "oppivelvollisuus", "etaopetus"}


# Saved questions: answers on the bundled data, checked against the source document --------------------
@pytest.fixture(scope="module")
def kg():
    return kasograph.open()


def keys(rows, column="goal"):
    return sorted(r[column].rsplit("/", 1)[1] for r in rows)


def test_there_are_at_least_twelve_saved_questions():
    from kasograph.query.saved import catalogue

    questions = catalogue()
    assert len(questions) >= 12
    assert all(q.title and q.description for q in questions.values())


def test_goals_of_person(kg):
    assert keys(kg.saved("goals-of-person")) == ["huoltajien-osallisuus", "mielenterveysosaaminen", "tiedolla-johtaminen"]
    assert keys(kg.saved("goals-of-person", person="Katri Kalske")) == ["kehittamisryhmat"]


def test_goals_of_group(kg):
    rows = kg.saved("goals-of-group")
    assert keys(rows) == ["mielenterveysosaaminen", "perhekeskus"] and {r["role"] for r in rows} == {"vastuutaho"}
    assert keys(kg.saved("goals-of-group", group="KASOn johtoryhmä")) == ["kehittamisryhmat"]


def test_goals_by_status_and_theme(kg):
    rows = {(r["theme"], r["status"]): r["goals"] for r in kg.saved("goals-by-status-and-theme")}
    assert rows == {("Edistämme asukkaiden hyvinvointia", "Toteutuu täysin"): 3,
                    ("Edistämme asukkaiden hyvinvointia", "Toteutuu osittain"): 2,
                    ("Johdamme uudistuen ja osallistuen", "Toteutuu täysin"): 2,
                    ("Lisäämme kaupungin elinvoimaa ja vetovoimaa", "Toteutuu täysin"): 1,
                    ("Olemme edelläkävijöitä palvelujen kehittämisessä", "Toteutuu täysin"): 1,
                    ("Tiivistämme kaupunkia lähiluontoa vaalien", "Toteutuu täysin"): 1}


def test_workload_per_person(kg):
    rows = {r["person"]: (r["goals"], r["fully_achieved"], r["partially_achieved"]) for r in kg.saved("workload-per-person")}
    assert rows == {"Anders Vikström": (4, 4, 0), "Ilkka Kalo": (4, 4, 0), "Sole Askola-Vehviläinen": (4, 4, 0),
                    "Ari Ranki": (3, 3, 0), "Tuija Harakka": (3, 2, 1), "Eila Tanninen": (1, 1, 0), "Katri Kalske": (1, 1, 0)}


def test_people_who_share_goals(kg):
    rows = {(r["person"], r["other"]): r["shared_goals"] for r in kg.saved("people-who-share-goals")}
    assert rows[("Anders Vikström", "Ilkka Kalo")] == rows[("Anders Vikström", "Sole Askola-Vehviläinen")] == 4
    assert rows[("Ilkka Kalo", "Sole Askola-Vehviläinen")] == 4
    assert rows[("Eila Tanninen", "Tuija Harakka")] == 1
    assert len(rows) == 10 and sum(rows.values()) == 3 * 4 + 7 * 1


def test_goals_without_named_person(kg):
    [row] = kg.saved("goals-without-named-person")
    assert row["goal"].endswith("yhteisollinen-hyvinvointi") and row["responsible"] == "palvelualuejohtajat"


def test_single_person_goals(kg):
    [row] = kg.saved("single-person-goals")
    assert row["goal"].endswith("oppimiskampus") and row["person"] == "Ari Ranki"


def test_targets_met_or_missed(kg):
    [row] = kg.saved("targets-met-or-missed")
    assert row["goal"].endswith("mielenterveysosaaminen")
    assert (row["target"], row["outcome"], row["unit"], row["comparator"], row["met"]) == (10, 28.4, "PERCENT", "at least", "true")


def test_goals_mentioning(kg):
    rows = kg.saved("goals-mentioning")
    named = {(r["name"], r["as_written"]) for r in rows}
    assert ("MIELI ry", "MIELI ryn") in named and ("PowerBI", "Työkalu (PowerBI)") in named
    assert ("KASOn johtoryhmä", "kason joryn") in named
    assert len({r["thing"] for r in rows}) == 17  # 18 mentions: VaSa is written two ways


def test_stated_numbers(kg):
    rows = kg.saved("stated-numbers")
    assert len(rows) == 11
    values = {(r["value"], r["unit"]) for r in rows}
    assert {(664, "NUM"), (188, "NUM"), (28.4, "PERCENT"), (90, "PERCENT"), (5, "NUM"), ("2020-10", "")} <= values


def test_goals_with_status(kg):
    assert keys(kg.saved("goals-with-status")) == ["mielenterveysosaaminen", "yhteisollinen-hyvinvointi"]
    assert len(kg.saved("goals-with-status", status="Fully achieved")) == 8


def test_development_groups(kg):
    rows = {r["group"]: (r["goals"], r["fully_achieved"]) for r in kg.saved("development-groups")}
    assert rows == {"Opiskeluhuolto ja hyvinvointi kehittämisryhmä": (2, 1), "tvt-kehittämisryhmä": (2, 2),
                    "Monikulttuurisuus kehittämisryhmä": (1, 1), "Opintopolut ja ohjaus kehittämisryhmä": (1, 1),
                    "Osaaminen-kehittämisryhmä": (1, 1)}


def test_goals_of_theme(kg):
    rows = kg.saved("goals-of-theme")
    assert len(rows) == 5
    mental = next(r for r in rows if r["goal"].endswith("mielenterveysosaaminen"))
    assert set(mental["responsible"].split(", ")) == {"Tuija Harakka", "Opiskeluhuolto ja hyvinvointi kehittämisryhmä"}


def test_document_contents(kg):
    rows = {r["type"].rsplit("/", 1)[-1].rsplit("#", 1)[-1]: r["things"] for r in kg.saved("document-contents")}
    assert rows["Goal"] == 10 and rows["Person"] == 7 and rows["Observation"] == 11 and rows["Post"] == 2


def test_saved_question_from_the_cli(runner):
    result = runner.invoke(main, ["query", "--saved", "goals-of-person", "--param", "person=Ari Ranki", "--format", "csv"])
    assert result.exit_code == 0
    assert {r["goal"].rsplit("/", 1)[1] for r in csv.DictReader(io.StringIO(result.output))} == {
        "oppimiskampus", "oppivelvollisuus", "etaopetus"}
    wrong = runner.invoke(main, ["query", "--saved", "goals-of-person", "--param", "who=x"])
    assert wrong.exit_code == 1 and "unknown parameter" in wrong.output
    listed = runner.invoke(main, ["questions"])
    assert "goals-of-person" in listed.output and 'person="Tuija Harakka"' in listed.output


def test_dataframe(kg):
    frame = kg.saved("workload-per-person").to_dataframe()
    assert list(frame.columns) == ["person", "goals", "fully_achieved", "partially_achieved"]
    assert frame.loc[frame.person == "Tuija Harakka", "goals"].item() == 3


def test_serve_takes_any_setting_of_the_app(tmp_path, runner):
    """`serve --setting NAME VALUE` reaches every server process: here a small answer limit refuses a
    query's answer at /sparql, while the saved question's own file (no limit) is whole."""
    big = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    with kasograph_server(tmp_path / "serve.log", "--setting", "SPARQL_MAX_RESULT_BYTES", "2000",
                          "--setting", "SPARQL_WARM_UP", "off") as base:
        status, _, body = get(base + "/sparql?" + urllib.parse.urlencode({"query": big}),
                              {"Accept": "application/sparql-results+json"})
        assert status == 400 and b"larger than 2,000 bytes" in body
        status, _, body = get(base + "/questions/stated-numbers.json")
        assert status == 200 and len(body) > 2000 and json.loads(body)["results"]["bindings"]
    refused = runner.invoke(main, ["serve", "--setting", "SPARQL_TIMOUT", "5"])
    assert refused.exit_code == 2 and "unknown setting 'SPARQL_TIMOUT'; the settings are:" in refused.output
    refused = runner.invoke(main, ["serve", "--setting", "SPARQL_WORKERS", "none"])
    assert refused.exit_code == 2 and "SPARQL_WORKERS must be a number above 0, not 'none'" in refused.output

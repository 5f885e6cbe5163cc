"""A remote SPARQL server as the store: a real Oxigraph server (`oxigraph serve`), written by
`kasograph --store URL import`, read by every command, the viewer and the endpoint, and held to
the same answers as a local store directory with the same documents."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kasograph.cli import main
from kasograph.query import saved
from kasograph.store.directory import StoreDirectory
from kasograph.store.importer import ValidationFailed, import_document
from kasograph.store.interface import open_store
from kasograph.store.remote import RemoteSettings

from .conftest import KASO
from .servers import ENGINES, free_port, sparql_server

EXAMPLE = Path(__file__).parent / "fixtures" / "example-2022"
BASE = "https://w3id.org/kasograph/id/"
CATALOGUE = BASE + "graph/catalogue"
#: The server's own limit on a query; the viewer's (SPARQL_TIMEOUT) is an HTTP timeout in front of it.
SERVER_TIMEOUT = 5


@pytest.fixture(scope="module", params=ENGINES)
def server(request, tmp_path_factory):
    """A SPARQL server with an empty store in a temporary folder, stopped at the end: `oxigraph serve` (its
    location a bare URL) and Debian's Virtuoso (its location a settings file, tests/fixtures/virtuoso)."""
    with sparql_server(request.param, tmp_path_factory.mktemp(request.param), SERVER_TIMEOUT) as started:
        yield started.location


def run(runner, store: str | Path, *args: str, code: int = 0):
    result = runner.invoke(main, ["--store", str(store), *args])
    assert result.exit_code == code, result.output
    return result


@pytest.fixture(scope="module")
def stores(server, tmp_path_factory):
    """The remote store and a local store directory, each with the bundled 2021 document and the
    fictional 2022 one, imported in the same order through the command line."""
    from click.testing import CliRunner

    runner = CliRunner()
    local = tmp_path_factory.mktemp("local") / "store"
    for source in (KASO, EXAMPLE):
        done = run(runner, server, "import", str(source))
        assert f"into {server}" in done.output
        run(runner, local, "import", str(source))
    return server, local


def csv_rows(runner, store, sparql: str, *more: str) -> list[str]:
    return run(runner, store, "query", sparql, "--format", "csv", *more).output.splitlines()


def settings_of(location: str) -> RemoteSettings:
    return RemoteSettings.from_location(location)


def server_query(location: str, sparql: str) -> dict:
    """Ask the server directly (no kasograph in between); an ASK as {"boolean": …} on every engine."""
    settings = settings_of(location)
    request = urllib.request.Request(settings.query, data=urllib.parse.urlencode({"query": sparql}).encode(),
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.loads(response.read())
    if settings.ask_as_table and sparql.lstrip().upper().startswith("ASK"):
        rows = answer["results"]["bindings"]  # Virtuoso: a row holding 1 for true, no row for false
        return {"boolean": bool(rows) and next(iter(rows[0].values()))["value"] not in ("0", "false")}
    return answer


def server_update(location: str, update: str) -> None:
    request = urllib.request.Request(settings_of(location).update, data=update.encode("utf-8"),
                                     headers={"Content-Type": "application/sparql-update"})
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()


def kasograph_graphs(location: str) -> str:
    """A filter on ?g: the graphs kasograph writes (not a server's own, which Virtuoso has)."""
    return f'FILTER (STRSTARTS(STR(?g), "{BASE}") || ?g = <https://w3id.org/kasograph/def>)'


def snapshot(location: str) -> list[str]:
    """Everything kasograph's graphs hold on the server (and its default graph, where that is the union), sorted."""
    rows = server_query(location, f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {kasograph_graphs(location)} }}")
    if settings_of(location).union == "default":
        rows["results"]["bindings"] += server_query(location, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")["results"]["bindings"]
    return sorted(json.dumps(b, sort_keys=True) for b in rows["results"]["bindings"])


def test_documents_are_listed_from_the_catalogue_graph(runner, stores):
    remote, local = stores
    listed = json.loads(run(runner, remote, "documents", "--format", "json").output)
    expected = json.loads(run(runner, local, "documents", "--format", "json").output)
    keys = ("id", "graph", "title", "year", "triples", "source", "source_text", "city", "division")
    assert [{k: d[k] for k in keys} for d in listed] == [{k: d[k] for k in keys} for d in expected]
    assert [(d["id"], d["year"], d["triples"]) for d in listed] == [("vantaa-kaso-2021", 2021, 672), ("example-kaso-2022", 2022, 644)]
    assert all(d["imported_at"].endswith("+00:00") for d in listed)
    table = run(runner, remote, "documents").output
    assert "vantaa-kaso-2021" in table and "example-kaso-2022" in table


@pytest.mark.parametrize("sparql", [
    "SELECT (COUNT(*) AS ?n) WHERE { ?p a foaf:Person ; foaf:name ?name }",
    "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { ?g a kg:Goal }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER (?g != <%s>) }" % CATALOGUE,
    "SELECT ?new ?old WHERE { ?new prov:wasRevisionOf ?old } ORDER BY ?new",
    "SELECT ?name (COUNT(?goal) AS ?goals) WHERE { ?goal prov:wasAttributedTo/foaf:name ?name } GROUP BY ?name ORDER BY DESC(?goals) ?name",
])
def test_the_union_answers_as_the_local_store_does(runner, stores, sparql):
    remote, local = stores
    assert csv_rows(runner, remote, sparql) == csv_rows(runner, local, sparql)


def test_the_union_counts(runner, stores):
    remote, _ = stores
    assert csv_rows(runner, remote, "SELECT (COUNT(*) AS ?n) WHERE { ?p a foaf:Person ; foaf:name ?name }") == ["n", "8"]
    assert csv_rows(runner, remote, "SELECT (COUNT(*) AS ?n) WHERE { ?p a foaf:Person ; foaf:name ?name "
                                    "FILTER (?name != 'Tuija Harakkaa') }") == ["n", "7"]  # the fixture's deliberate typo apart
    assert csv_rows(runner, remote, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { ?g a kg:Goal }") == ["n", "20"]


def test_the_default_graph_is_the_set_of_the_documents_triples(stores):
    """kasograph keeps the union itself: each triple of the named graphs once, nothing else."""
    remote, _ = stores
    union = settings_of(remote).union == "named" and BASE + "graph/union"
    in_union = (lambda triple: f"GRAPH <{union}> {{ {triple} }}") if union else (lambda triple: triple)  # noqa: E731
    documents = f"FILTER (?g != <{CATALOGUE}> && ?g != <{union or CATALOGUE}>) {kasograph_graphs(remote)}"
    missing = server_query(remote, f"ASK {{ GRAPH ?g {{ ?s ?p ?o }} {documents} FILTER NOT EXISTS {{ {in_union('?s ?p ?o')} }} }}")
    extra = server_query(remote, f"ASK {{ {in_union('?s ?p ?o')} FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} {documents} }} }}")
    assert missing["boolean"] is False and extra["boolean"] is False
    graphs = server_query(remote, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {kasograph_graphs(remote)} }} ORDER BY ?g")
    assert [b["g"]["value"] for b in graphs["results"]["bindings"]] == [
        "https://w3id.org/kasograph/def", BASE + "graph/catalogue", BASE + "graph/example-kaso-2022",
        *([union] if union else []), BASE + "graph/vantaa-kaso-2021"]


@pytest.mark.parametrize("name", sorted(saved.catalogue()))
def test_saved_questions_answer_as_on_the_local_store(runner, stores, name):
    remote, local = stores
    answer = run(runner, remote, "query", "--saved", name, "--format", "csv").output.splitlines()
    expected = run(runner, local, "query", "--saved", name, "--format", "csv").output.splitlines()
    # the same rows; rows that tie on every ORDER BY key (a goal kept word for word from one year to the
    # next) may come in either order, as SPARQL allows
    assert answer[0] == expected[0] and sorted(answer[1:]) == sorted(expected[1:]) and len(answer) > 1


def test_a_saved_question_with_a_parameter(runner, stores):
    remote, local = stores
    args = ("--saved", "goals-of-person", "--param", "person=Ari Ranki", "--format", "json")
    remote_rows = json.loads(run(runner, remote, "query", *args).output)["results"]["bindings"]
    local_rows = json.loads(run(runner, local, "query", *args).output)["results"]["bindings"]
    in_any_order = lambda rows: sorted(json.dumps(row, sort_keys=True) for row in rows)  # noqa: E731 - ties, as above
    assert in_any_order(remote_rows) == in_any_order(local_rows) and len(remote_rows) == 6


def test_diff_stats_and_reconcile(runner, stores):
    remote, local = stores
    for args in (("diff", "vantaa-kaso-2021", "example-kaso-2022", "--format", "json"), ("stats", "--format", "json"),
                 ("reconcile", "--format", "json"), ("analyse", "--format", "json")):
        assert json.loads(run(runner, remote, *args).output) == json.loads(run(runner, local, *args).output), args
    text = run(runner, remote, "diff", "vantaa-kaso-2021", "example-kaso-2022").output
    assert "9 carried over, 1 added, 1 dropped" in text


def test_export_holds_the_same_quads(runner, stores):
    remote, local = stores

    def named(output: str) -> tuple[int, list[str]]:
        lines = [line for line in output.splitlines() if line.strip()]
        return len(lines), sorted(line for line in lines if "_:" not in line)  # blank nodes are relabelled

    assert named(run(runner, remote, "export", "--format", "nq").output) == named(run(runner, local, "export", "--format", "nq").output)


@pytest.mark.parametrize("kind", ["responsibility", "collaboration", "organisation"])
def test_graph_exports_are_the_same_bytes(runner, stores, kind):
    """Nodes and edges in the same order whatever order the engine answers in (pictures and exports alike)."""
    remote, local = stores
    assert run(runner, remote, "graph", kind, "--format", "graphml").output == run(runner, local, "graph", kind, "--format", "graphml").output


def test_a_malformed_query_is_reported_where_the_user_wrote_it(runner, stores):
    remote, _ = stores
    failed = run(runner, remote, "query", "SELECT ?x WHERE {\n  ?x skos:prefLabel }", code=1)
    # On line 2 as written, not as sent after the PREFIX line kasograph adds (Oxigraph: "2:20", Virtuoso: "line 2:").
    assert "not valid SPARQL" in failed.output and re.search(r"\b2:\d+|line 2\b", failed.output), failed.output


def test_the_viewer_and_endpoint_on_the_remote_store(stores):
    from kasograph_web import create_app

    remote, local = stores
    app = create_app({"STORE": remote, "SPARQL_TIMEOUT": 10})
    client = app.test_client()
    home = client.get("/index.en.html")
    assert home.status_code == 200 and "2 documents" in home.get_data(as_text=True)
    goal = client.get("/goal/example-kaso-2022/perhekeskus.en.html").get_data(as_text=True)
    assert "Carries over" in goal and 'href="../vantaa-kaso-2021/perhekeskus.en.html"' in goal
    person = client.get("/person/vantaa/ari-ranki.html")
    assert person.status_code == 200 and "Ari Ranki" in person.get_data(as_text=True)
    assert client.get("/person/vantaa/nobody.html").status_code == 404
    compare = client.get("/compare/vantaa-kaso-2021/example-kaso-2022.en.html").get_data(as_text=True)
    assert "Goals added (1)" in compare and "Tuija Harakkaa" in compare
    for page in ("/analytics.en.html", "/graphs/collaboration.en.html", "/questions/goals-of-person.html", "/void.html",
                 "/search.html?q=mielenterveys"):
        assert client.get(page).status_code == 200, page
    assert client.get("/document/vantaa-kaso-2021/source.txt").get_data(as_text=True) == (KASO / "source.txt").read_text(encoding="utf-8")
    turtle = client.get("/person/vantaa/ari-ranki", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and "Ari Ranki" in turtle.get_data(as_text=True)
    # the endpoint forwards to the server, with the same answers as the local one …
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    answer = client.get("/sparql", query_string={"query": count}, headers={"Accept": "text/csv"})
    local_app = create_app({"STORE": str(local), "SPARQL_WORKERS": 1})
    try:
        expected = local_app.test_client().get("/sparql", query_string={"query": count}, headers={"Accept": "text/csv"})
        assert answer.status_code == 200 and answer.data == expected.data
    finally:
        local_app.extensions["kasograph_pool"].close()
    page = client.get("/query.en.html", query_string={"query": "SELECT ?p WHERE { ?p a foaf:Person } ORDER BY ?p"})
    assert page.status_code == 200 and "Ari Ranki" in page.get_data(as_text=True)  # IRIs shown with their labels
    csv = client.get("/questions/workload-per-person.csv")
    assert csv.status_code == 200 and "Ari Ranki" in csv.get_data(as_text=True)
    ask = client.post("/sparql", data={"query": "ASK { ?p foaf:name 'Ari Ranki' }"}, headers={"Accept": "application/sparql-results+json"})
    assert ask.json == {"head": {}, "boolean": True}
    # … and the read-only check still applies before anything is sent
    assert client.post("/sparql", data={"update": "DROP ALL"}).status_code == 403
    assert client.get("/sparql", query_string={"query": "DELETE WHERE { ?s ?p ?o }"}).status_code == 403
    assert client.get("/sparql", query_string={"query": "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"}).status_code == 403
    malformed = client.get("/sparql", query_string={"query": "SELECT ?x WHERE { ?x a }"})
    assert malformed.status_code == 400 and re.search(r"\b1:25\b|line 1\b", malformed.get_data(as_text=True))
    assert client.get("/sparql", query_string={"query": count}).status_code == 200  # the data is unchanged


def test_the_endpoint_time_limit_is_the_http_timeout(stores):
    from kasograph_web import create_app

    remote, _ = stores
    client = create_app({"STORE": remote, "SPARQL_TIMEOUT": 0.5}).test_client()
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # billions of rows: the server stops it too
    started = time.monotonic()
    answer = client.get("/sparql", query_string={"query": slow})
    assert answer.status_code == 503 and time.monotonic() - started < 3
    assert client.get("/index.html").status_code == 200  # the viewer goes on answering


def test_a_failed_import_changes_nothing(runner, stores, document_copy, document):
    remote, _ = stores
    before = snapshot(remote)
    goals = document_copy / "goals.csv"
    goals.write_text(goals.read_text(encoding="utf-8").replace("Toteutuu täysin", "Toteutu täysin", 1), encoding="utf-8")
    failed = run(runner, remote, "import", str(document_copy), code=1)
    assert "Toteutu täysin" in failed.output
    import dataclasses

    broken = list(document.goals)
    broken[0] = dataclasses.replace(broken[0], status="https://example.org/not-a-status")
    with pytest.raises(ValidationFailed):
        import_document(dataclasses.replace(document, goals=broken), open_store(remote))
    assert snapshot(remote) == before


def test_an_update_that_fails_after_the_put_leaves_the_old_document(stores, document, monkeypatch):
    """The new graph waits in a staging graph; if the one update that swaps it in fails, the old
    document, the union and the catalogue are as they were, and the staging graph is gone."""
    import dataclasses

    from kasograph.store.remote import RemoteError, RemoteStore

    remote, _ = stores
    before = snapshot(remote)
    real_update = RemoteStore.update

    def failing(self, sparql):
        if "INSERT DATA" in sparql:  # the swap (a clean-up of staging graphs passes)
            raise RemoteError(self.path, "the server went away", None)
        return real_update(self, sparql)

    monkeypatch.setattr(RemoteStore, "update", failing)
    changed = dataclasses.replace(document, info=dataclasses.replace(document.info, title="Muutettu otsikko"))
    with pytest.raises(RemoteError):
        import_document(changed, open_store(remote))
    assert snapshot(remote) == before


def test_an_update_that_stops_between_operations_is_repaired(runner, stores):
    """Oxigraph runs an update request as one transaction: an operation that fails undoes those before it.
    Virtuoso keeps them (a kill undoes them all, see the kill test): kasograph marks each update it sends, and
    the next import finds the mark, takes out the documents the update was storing and makes the union again."""
    remote, local = stores
    before = snapshot(remote)
    listed = {d["id"]: d["graph"] for d in json.loads(run(runner, remote, "documents", "--format", "json").output)}
    store = open_store(remote)
    halfway = [store.mark_pending([listed["example-kaso-2022"]]), *store.take_out(listed["example-kaso-2022"]),
               "LOAD <http://127.0.0.1:9/nothing> INTO GRAPH <http://example.org/loaded>"]  # refused: not an HTTP port
    with pytest.raises(urllib.error.HTTPError):
        server_update(remote, " ;\n".join(halfway))
    if settings_of(remote).union == "default":  # Oxigraph
        assert snapshot(remote) == before
        return
    assert snapshot(remote) != before  # Virtuoso kept the first operations
    repaired = run(runner, remote, "import", str(KASO))
    assert "stopped halfway through storing example-kaso-2022" in repaired.output
    assert [d["id"] for d in json.loads(run(runner, remote, "documents", "--format", "json").output)] == ["vantaa-kaso-2021"]
    single = StoreDirectory(local.parent / "repaired")
    import_document(KASO, single)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert csv_rows(runner, remote, count) == csv_rows(runner, single.path, count)
    run(runner, remote, "import", str(EXAMPLE))
    assert [d["id"] for d in json.loads(run(runner, remote, "documents", "--format", "json").output)] == \
        ["vantaa-kaso-2021", "example-kaso-2022"]
    assert csv_rows(runner, remote, count) == csv_rows(runner, local, count)


def test_importing_again_replaces(runner, stores):
    remote, local = stores
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = csv_rows(runner, remote, count)
    again = run(runner, remote, "import", str(KASO))
    assert "replaced vantaa-kaso-2021" in again.output
    assert csv_rows(runner, remote, count) == before == csv_rows(runner, local, count)
    assert len(json.loads(run(runner, remote, "documents", "--format", "json").output)) == 2
    links = "SELECT (COUNT(*) AS ?n) WHERE { ?new prov:wasRevisionOf ?old }"
    assert csv_rows(runner, remote, links) == ["n", "9"]
    graphs = server_query(remote, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert not [b for b in graphs["results"]["bindings"] if "/staging/" in b["g"]["value"]]


def test_a_settings_file_names_the_urls_and_the_token(runner, stores, tmp_path, monkeypatch):
    remote, _ = stores
    given = settings_of(remote)
    dialect = f'union = "{given.union}"\npaging = "{given.paging}"\nask_as_table = {str(given.ask_as_table).lower()}\n'
    settings = tmp_path / "store.toml"
    settings.write_text(f'query = "{given.query}"\nupdate = "{given.update}"\ngraph_store = "{given.graph_store}"\n'
                        f'token_env = "KASOGRAPH_TEST_TOKEN"\ntimeout = 30\n{dialect}', encoding="utf-8")
    missing = run(runner, settings, "documents", code=1)
    assert "KASOGRAPH_TEST_TOKEN" in missing.output
    monkeypatch.setenv("KASOGRAPH_TEST_TOKEN", "not-checked-by-this-server")
    listed = json.loads(run(runner, settings, "documents", "--format", "json").output)
    assert [d["id"] for d in listed] == ["vantaa-kaso-2021", "example-kaso-2022"]
    read_only = tmp_path / "read-only.toml"
    read_only.write_text(f'query = "{given.query}"\n{dialect}', encoding="utf-8")
    refused = run(runner, read_only, "import", str(KASO), code=1)
    assert "read-only" in refused.output
    root = given.query.rsplit("/", 1)[0]
    wrong = tmp_path / "no-write-address.toml"  # as a bare URL of a server whose writes are elsewhere
    wrong.write_text(f'query = "{given.query}"\nupdate = "{root}/no-such-update"\ngraph_store = "{root}/no-such-store"\n{dialect}',
                     encoding="utf-8")
    refused = run(runner, wrong, "import", str(KASO), code=1)
    assert "can be read but not written" in refused.output and "no-such-" in refused.output, refused.output
    assert [d["id"] for d in json.loads(run(runner, settings, "documents", "--format", "json").output)] == ["vantaa-kaso-2021", "example-kaso-2022"]


def test_a_server_that_does_not_answer(runner):
    nobody = f"http://127.0.0.1:{free_port()}"
    failed = run(runner, nobody, "documents", code=1)
    assert "cannot reach" in failed.output and nobody in failed.output
    assert "cannot reach" in run(runner, nobody, "query", "ASK {}", code=1).output


def test_remove(runner, stores):
    remote, local = stores
    removed = run(runner, remote, "remove", "example-kaso-2022")
    assert "removed example-kaso-2022" in removed.output
    assert [d["id"] for d in json.loads(run(runner, remote, "documents", "--format", "json").output)] == ["vantaa-kaso-2021"]
    single = StoreDirectory(local.parent / "single")
    import_document(KASO, single)
    for sparql in ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { ?g a kg:Goal }",
                   "SELECT (COUNT(*) AS ?n) WHERE { ?new prov:wasRevisionOf ?old }"):
        assert csv_rows(runner, remote, sparql) == csv_rows(runner, single.path, sparql)
    assert csv_rows(runner, remote, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == ["n", "1023"]
    assert "no document 'example-kaso-2022'" in run(runner, remote, "remove", "example-kaso-2022", code=1).output


def test_a_folder_of_documents_imports_as_into_a_local_store(runner, stores, tmp_path):
    """Many documents in one import: each is read, built and validated before anything is written,
    then stored one after another; the server ends up holding what a store directory holds."""
    from benchmarks import generate

    remote, _ = stores
    out = tmp_path / "docs"
    assert generate.main([str(out), "--quiet", "--goals", "40", "--cities", "1", "--divisions", "2", "--years", "2"]) == 0
    local = tmp_path / "local"
    run(runner, local, "import", str(KASO))
    before = run(runner, remote, "documents", "--format", "json").output
    broken = sorted(p for p in out.iterdir() if p.is_dir())[1] / "goals.csv"
    good = broken.read_text(encoding="utf-8")
    broken.write_text(good.replace("Toteutuu", "Toteutu"), encoding="utf-8")
    assert "nothing was stored" in run(runner, remote, "import", str(out), code=1).output
    assert run(runner, remote, "documents", "--format", "json").output == before
    broken.write_text(good, encoding="utf-8")
    done = run(runner, remote, "import", str(out))
    assert "imported 4 documents (4 new, 0 replaced)" in done.output
    run(runner, local, "import", str(out))
    for sparql in ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { ?g a kg:Goal }",
                   "SELECT (COUNT(*) AS ?n) WHERE { ?new prov:wasRevisionOf ?old }"):
        assert csv_rows(runner, remote, sparql) == csv_rows(runner, local, sparql)


def test_the_server_is_sent_no_query_that_would_make_it_fetch(stores, listener):
    """The Oxigraph server runs SERVICE itself: the check is the only guard, and every disguise stops there."""
    from kasograph_web import create_app

    from .test_no_outbound import corpus

    remote, _ = stores
    client = create_app({"STORE": remote, "SPARQL_TIMEOUT": 10}).test_client()
    for query in corpus(listener.url):
        for response in (client.get("/sparql", query_string={"query": query}), client.post("/sparql", data={"query": query}),
                         client.post("/sparql", data=query.encode(), content_type="application/sparql-query")):
            assert response.status_code in (400, 403), (query, response.status_code)
    assert client.get("/sparql", query_string={"query": f"SELECT * FROM <{listener.url}/x> {{ ?s ?p ?o }} LIMIT 1"}).status_code == 200
    time.sleep(0.3)
    assert listener.connections == []

"""The endpoint opens no connection on a visitor's behalf: hostile queries in many disguises, sent to a
real server by GET and POST, reach a real listener zero times; and the query workers, asked directly
(as if the check were bypassed), cannot connect anywhere.

SECURITY.md ("No connection on a visitor's behalf") names these tests; keep the two in step.
"""

from __future__ import annotations

import time
import urllib.parse

import pytest

from kasograph.query import sealing
from kasograph.query.sparql import QueryFailed, QueryRefused, QuerySyntaxError, QueryWorkers, check

from .servers import Listener, kasograph_server
from .test_sparql import get

SEALABLE = sealing.unavailable() is None


def corpus(target: str) -> list[str]:
    """Queries that would make an engine call `target` (http://127.0.0.1:PORT) if they ran unchecked and
    unsealed, each written another way; numbered so that a connection would say which one got through."""
    t = target
    return [
        f"SELECT * WHERE {{ SERVICE <{t}/1> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{t}/2> {{ }} }}",
        f"PREFIX : <{t}/3/> SELECT * {{ SERVICE:x {{}} }}",  # Oxigraph reads SERVICE :x
        f"PREFIX x: <{t}/4/> SELECT * {{ ?s ?p x:o.a.SERVICE<{t}/4>{{}} }}",  # Oxigraph ends the name at x:o.a
        f"SELECT * {{ ?s ?p trueSERVICE<{t}/5>{{}} }}",  # Oxigraph reads true SERVICE
        f"SELECT * {{ ?s ?p falseSERVICE SILENT<{t}/5b>{{}} }}",
        f"SELECT * {{ ?s ?p ?o FILTER(?o<1)SERVICE<{t}/6>{{}} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{t}/7> {{ }} }}",  # escapes apply before parsing (SPARQL 1.1)
        f"SELECT * {{ BIND('\\u0027' AS ?x) SERVICE <{t}/8> {{}} }} #'''",  # live for Oxigraph, in a string once unescaped
        f"SELECT * {{ ?s ?p ?o # \\u000a SERVICE <{t}/9> {{}}\n }}",  # in a comment for Oxigraph, live once unescaped
        f"SELECT * {{ VALUES ?u {{ <{t}/10> }} SERVICE ?u {{}} }}",
        f"PREFIX e: <{t}/> SELECT * {{ SERVICE e:11 {{}} }}",
        f"SELECT * {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{t}/12> {{}} }} }}",
        f"ASK {{ OPTIONAL {{ SERVICE <{t}/13> {{}} }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ SERVICE <{t}/14a> {{ ?s ?p ?o }} }} UNION {{ ?s ?p ?o }} }}",
        f"DESCRIBE ?s WHERE {{ ?s ?p ?o MINUS {{ SERVICE <{t}/14b> {{}} }} }}",
        f"SELECT * {{ SERVICE#comment\n<{t}/15>{{}} }}",
        f"SELECT * {{ SERVICE\t\r\n<{t}/16>\r\n{{}} }}",
        f"BASE <{t}/> SELECT * {{ SERVICE <17> {{}} }}",
        f"SELECT * {{ ſERVICE <{t}/18> {{}} }}",  # the long s is an S to Java and Python's case folding
        f"SELECT * {{ ?s ?p ?o LATERAL {{ SERVICE <{t}/19> {{}} }} }}",
        f"SELECT * {{ {{ SELECT * WHERE {{ SERVICE <{t}/20> {{}} }} }} }}",
        f"SELECT * {{ GRAPH ?g {{ SERVICE <{t}/21> {{}} }} }}",
        f"SELECT * {{ SERVICE <{t}/\\u0032\\u0032> {{}} }}",  # an escape inside the IRI
        f"PREFIX kg: <{t}/23/> SELECT * {{ SERVICE kg:x {{}} }}",
        f"PREFIX a.service: <{t}/24/> SELECT * {{ ?s ?p a.service:x }}",
        f"SELECT * {{ ?s ?p ?o . SERVICE <{t}/25> {{ SERVICE <{t}/26> {{}} }} }}",
        f"LOAD <{t}/27>",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{t}/28> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ ?s ?p ?o }} ; LOAD <{t}/29>",
        f"DEFINE input:grab-all \"yes\" SELECT * FROM <{t}/30> {{ ?s ?p ?o }}",  # Virtuoso's Sponger
    ]


# Queries that name remote places without asking the engine to go there: answered, and still nothing fetched.
def harmless(target: str) -> list[tuple[str, dict]]:
    t = target
    return [
        (f"SELECT * FROM <{t}/40> WHERE {{ ?s ?p ?o }}", {}),
        (f"SELECT * FROM NAMED <{t}/41> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", {}),
        (f"DESCRIBE <{t}/42>", {}),
        (f"SELECT * WHERE {{ GRAPH <{t}/43> {{ ?s ?p ?o }} }}", {}),
        (f"SELECT (IRI(\"{t}/44\") AS ?x) (<{t}/45> AS ?y) WHERE {{}}", {}),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", {"default-graph-uri": f"{t}/46"}),
        ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1", {"named-graph-uri": f"{t}/47"}),
    ]


@pytest.fixture(scope="module")
def witness():
    listener = Listener()
    yield listener
    listener.close()


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory, witness):
    """A real server with the default settings (no allow-list)."""
    log = tmp_path_factory.mktemp("no-outbound") / "serve.log"
    with kasograph_server(log, "--timeout", "5") as base:
        yield base, log


def send(base: str, query: str, how: str, extra: dict | None = None) -> int:
    params = urllib.parse.urlencode({"query": query, **(extra or {})}, doseq=True)
    if how == "GET":
        return get(f"{base}/sparql?{params}")[0]
    if how == "POST form":
        return get(f"{base}/sparql", {"Content-Type": "application/x-www-form-urlencoded"}, params.encode())[0]
    if how == "POST direct":
        extra_params = urllib.parse.urlencode(extra or {}, doseq=True)
        return get(f"{base}/sparql?{extra_params}", {"Content-Type": "application/sparql-query"}, query.encode())[0]
    return get(f"{base}/query.html?{params}")[0]  # the query page runs it too


@pytest.mark.parametrize("how", ["GET", "POST form", "POST direct", "query page"])
def test_hostile_queries_reach_no_listener(endpoint, witness, how):
    base, _ = endpoint
    statuses = {query: send(base, query, how) for query in corpus(witness.url)}
    if how == "query page":
        assert set(statuses.values()) == {200}  # the page shows the refusal beside the query
    else:
        assert all(status in (400, 403) for status in statuses.values()), statuses
    time.sleep(0.3)
    assert witness.connections == []


@pytest.mark.parametrize("how", ["GET", "POST form", "POST direct"])
def test_naming_a_remote_place_fetches_nothing(endpoint, witness, how):
    base, _ = endpoint
    for query, extra in harmless(witness.url):
        assert send(base, query, how, extra) == 200, query
    time.sleep(0.3)
    assert witness.connections == []


def test_every_disguise_is_refused_by_the_check_alone(witness):
    """The check is the only guard for a remote store: it must catch each one by itself."""
    for query in corpus(witness.url):
        with pytest.raises((QueryRefused, QuerySyntaxError)):
            check(query, (f"{witness.url}/allowed",))


def test_a_saved_questions_values_cannot_call_a_service(endpoint, witness):
    base, _ = endpoint
    for value in (f"}} SERVICE <{witness.url}/50> {{", f'" }} SERVICE <{witness.url}/51> {{ "', f"\\u0022 }} SERVICE <{witness.url}/52> {{ #"):
        quoted = urllib.parse.quote(value)
        assert get(f"{base}/questions/goals-of-person.html?person={quoted}")[0] == 200
        assert get(f"{base}/questions/goals-of-person.csv?person={quoted}")[0] in (200, 400)
    time.sleep(0.3)
    assert witness.connections == []


def test_the_server_says_the_workers_are_sealed(endpoint):
    base, log = endpoint
    get(f"{base}/sparql?query=ASK%7B%7D")
    text = log.read_text(encoding="utf-8")
    if SEALABLE:
        assert "sealed from the network" in text
    else:
        assert "NOT sealed" in text


# The workers themselves, as if the check had been talked around ------------------------------------------
@pytest.fixture(scope="module")
def data_file(tmp_path_factory, store):
    """The bundled data as N-Quads, which workers load (as QueryPool gives them for an in-memory store)."""
    import pyoxigraph

    path = tmp_path_factory.mktemp("workers") / "data.nq"
    with path.open("wb") as out:
        store.store.dump(out, format=pyoxigraph.RdfFormat.N_QUADS)
    return str(path)


@pytest.mark.skipif(not SEALABLE, reason=f"workers cannot be sealed here: {sealing.unavailable()}")
def test_a_sealed_worker_cannot_connect_whatever_it_runs(data_file, listener):
    workers = QueryWorkers(data_file, count=1, timeout=10, sealed=True)
    try:
        for query in (f"SELECT * WHERE {{ SERVICE <{listener.url}/60> {{ ?s ?p ?o }} }}",
                      f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}/61> {{ ?s ?p ?o }} }}",
                      f"PREFIX : <{listener.url}/62/> SELECT * {{ SERVICE:x {{}} }}"):
            try:
                answer = workers.run(query)
                assert answer.kind == "solutions"  # SILENT: an empty answer, not a fetch
            except QueryFailed as error:
                assert "Permission denied" in str(error)
        assert workers.run("ASK { ?goal a <https://w3id.org/kasograph/def#Goal> }").body.strip().endswith(b"true}")
    finally:
        workers.close()
    time.sleep(0.3)
    assert listener.connections == []


def test_an_unsealed_worker_does_connect(data_file, listener):
    """The control: the same query on an unsealed worker reaches the listener, so the test above could fail."""
    workers = QueryWorkers(data_file, count=1, timeout=10, sealed=False)
    try:
        with pytest.raises(QueryFailed):
            workers.run(f"SELECT * WHERE {{ SERVICE <{listener.url}/70> {{ ?s ?p ?o }} }}")
    finally:
        workers.close()
    assert any(b"POST /70" in connection or b"GET /70" in connection for connection in listener.connections)


@pytest.mark.skipif(not SEALABLE, reason=f"workers cannot be sealed here: {sealing.unavailable()}")
def test_sealing_holds_for_threads_and_children(tmp_path):
    """The filter binds every thread of the worker and every program it could start."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as processes:
        outcome = processes.apply(_seal_then_try)
    assert outcome == ["refused", "refused", "refused", "unix ok"], outcome


def _seal_then_try() -> list[str]:
    import socket
    import subprocess
    import sys
    import threading

    sealing.seal()
    results: list[str] = []

    def attempt() -> None:
        try:
            socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).close()
            results.append("opened")
        except PermissionError:
            results.append("refused")

    attempt()
    thread = threading.Thread(target=attempt)
    thread.start()
    thread.join()
    child = subprocess.run([sys.executable, "-c", "import socket; socket.socket()"], capture_output=True)
    results.append("refused" if b"PermissionError" in child.stderr else "opened")
    left, right = socket.socketpair()
    left.close(), right.close()
    results.append("unix ok")
    return results


# With an allow-list: only the listed SERVICE runs, and only in the one worker that has network ---------------
def test_an_allowed_service_is_called_and_nothing_else(tmp_path, listener):
    allowed = f"{listener.url}/allowed"
    with kasograph_server(tmp_path / "serve.log", "--allow-service", allowed) as base:
        status = send(base, f"SELECT * WHERE {{ SERVICE SILENT <{allowed}> {{ ?s ?p ?o }} }}", "GET")
        assert status == 200
        for query in corpus(listener.url):
            assert send(base, query, "GET") in (400, 403)
        hidden = f"SELECT * {{ SERVICE SILENT <{allowed}> {{}} ?s ?p trueSERVICE<{listener.url}/80>{{}} }}"
        assert send(base, hidden, "GET") in (400, 403)
    time.sleep(0.3)
    paths = [connection.split(b" ")[1] for connection in listener.connections if connection]
    assert paths and set(paths) == {b"/allowed"}, listener.connections


# The protocol -----------------------------------------------------------------------------------------------
def test_one_operation_per_request(endpoint, witness):
    base, _ = endpoint
    ask = urllib.parse.quote("ASK {}")
    other = urllib.parse.quote(f"SELECT * {{ SERVICE <{witness.url}/90> {{}} }}")
    assert get(f"{base}/sparql?query={ask}&query={other}")[0] == 400
    assert get(f"{base}/sparql?query={ask}&query={ask}")[0] == 400
    assert get(f"{base}/sparql?query={ask}&update={urllib.parse.quote('CLEAR ALL')}")[0] == 400
    assert get(f"{base}/sparql?query={ask}", {"Content-Type": "application/x-www-form-urlencoded"}, b"query=ASK%7B%7D")[0] == 400
    assert get(f"{base}/sparql?query={ask}", {"Content-Type": "application/sparql-query"}, b"ASK {}")[0] == 400
    assert get(f"{base}/sparql?query={ask}")[0] == 200



def test_the_corpus_is_hostile(store, listener):
    """Unchecked and unsealed, most of the corpus does make the engine connect: it is worth refusing."""
    import pyoxigraph

    from kasograph.store.engine import PREFIX_MAP

    reached = set()
    for number, query in enumerate(corpus(listener.url)):
        before = len(listener.connections)
        try:
            results = store.engine_for(query).query(query, prefixes=PREFIX_MAP)
            if not isinstance(results, pyoxigraph.QueryBoolean):
                next(iter(results), None)
        except (SyntaxError, OSError, RuntimeError):
            pass
        time.sleep(0.05)
        if len(listener.connections) > before:
            reached.add(number)
    assert len(reached) >= 20, reached

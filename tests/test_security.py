"""Web hygiene and hostile requests: headers, error pages, paths that climb out, writes, hostile SPARQL.

SECURITY.md names the test behind each promise; keep the two in step.
"""

from __future__ import annotations

import http.client
import re
import threading
import time
import urllib.parse

import pytest
from kasograph_web.responses import SECURITY_HEADERS

from .servers import kasograph_server

GOAL = "goal/vantaa-kaso-2021/oppimiskampus"
PERSON = "person/vantaa/tuija-harakka"
# Pages and files of every kind the viewer serves.
PAGES = ["/", "/index.en.html", f"/{GOAL}.html", f"/{GOAL}.en.html", f"/{PERSON}.html", "/search.html?q=mielenterveys",
         "/query.html", "/query.html?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D", "/questions.html",
         "/questions/goals-of-person.html", "/graphs/responsibility.html", "/graphs/collaboration.html", "/analytics.html",
         "/compare.html", "/void.html", "/def.html", "/shapes.html", "/status/FullyAchieved.html"]
FILES = [f"/{GOAL}.ttl", f"/{GOAL}.jsonld", "/download/kasograph.nq", "/static/style.css", "/static/query.js",
         "/favicon.ico", "/questions/goals-of-person.csv", "/graphs/collaboration.graphml", "/sparql?query=ASK%7B%7D",
         "/document/vantaa-kaso-2021/source.txt", "/void.ttl"]
TRAVERSALS = ["/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static/%2e%2e%2f%2e%2e%2fcli.py",
              "/static/....//app.py", "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/download/../../etc/passwd",
              "/download/..%2f..%2fpyproject.toml", "/questions/..%2f..%2fcli.csv", "/questions/../saved.py",
              "/questions/%2e%2e%2fqueries%2fgoals-of-person.rq", "/graphs/../../../etc/passwd", "/graphs/..%2f..%2fapp.py",
              "/..%2f..%2f..%2fetc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/document/vantaa-kaso-2021/../../../../etc/passwd",
              "/document/vantaa-kaso-2021/..%2f..%2f..%2fetc%2fpasswd", "/compare/..%2f..%2fetc/passwd.html",
              "/static/%252e%252e/app.py", "/static/..\\app.py", "/static/%5c..%5capp.py"]
# What a file read through one of those would show.
SECRETS = [b"root:x:0:0", b"def create_app", b"[project]", b"SELECT", b"import "]


def raw(base: str, method: str, target: str, body: bytes | None = None, headers: dict | None = None) -> tuple[int, dict, bytes]:
    """A request with the target exactly as given: no client normalises '..' or re-encodes anything."""
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.putrequest(method, target, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real server with a short SPARQL time limit, two query workers and the default eight threads."""
    with kasograph_server(tmp_path_factory.mktemp("security") / "serve.log", "--timeout", "2") as base:
        yield base


# Headers and pages ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", PAGES + FILES + ["/no/such/thing", "/sparql?query=SELECT"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code in (200, 400, 404), (path, response.status_code)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (path, name)
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_the_headers_also_come_from_the_real_server_on_errors(server):
    for method, path in (("GET", "/"), ("GET", "/nothing-here"), ("DELETE", f"/{GOAL}"), ("GET", "/sparql?query=%7B")):
        status, headers, _ = raw(server, method, path)
        assert headers["x-content-type-options"] == "nosniff", (method, path, status)
        assert headers["content-security-policy"] == SECURITY_HEADERS["Content-Security-Policy"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/ld\+json\")[^>]*>", re.I)


@pytest.mark.parametrize("path", PAGES)
def test_pages_need_no_inline_script_or_style(client, path):
    """What the policy forbids is not in the pages: the browser test proves it, this says where it would be."""
    html = client.get(path).text
    assert not INLINE_SCRIPT.search(html), path
    assert not re.search(r"<style[\s>]", html, re.I), path
    assert not re.search(r"\sstyle\s*=", html, re.I), path
    assert not re.search(r"\son[a-z]+\s*=", html, re.I), path
    assert "javascript:" not in html.lower(), path


# Error pages --------------------------------------------------------------------------------------------------
@pytest.fixture
def failing_app(app):
    """The viewer with one view that fails, not in testing mode (so the error handler answers, as in production)."""
    from kasograph_web import create_app

    failing = create_app(data=app.extensions["kasograph"])

    @failing.route("/boom")
    def boom():
        raise RuntimeError("secret detail /etc/kasograph/password.txt")

    return failing


def test_a_failing_view_gives_a_friendly_page_without_a_traceback(failing_app):
    for lang, title in (("fi", "Palvelussa tapahtui virhe"), ("en", "Something went wrong")):
        response = failing_app.test_client().get(f"/boom?lang={lang}", headers={"Accept-Language": lang})
        assert response.status_code == 500
        assert response.mimetype == "text/html"
        body = response.text
        assert title in body
        for leak in ("Traceback", "RuntimeError", "secret detail", "password.txt", ".py", 'File "'):
            assert leak not in body, leak
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_method_and_size_errors_are_short_pages_too(client):
    response = client.post(f"/{GOAL}.html")
    assert response.status_code == 405 and "Method Not Allowed" in response.text and "Traceback" not in response.text
    assert "GET" in response.headers["Allow"]


# Paths that climb out ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_path_climbs_out_of_what_the_viewer_serves(client, path):
    response = client.get(path)
    assert response.status_code in (400, 404), (path, response.status_code)
    assert not any(secret in response.data for secret in SECRETS), path


def test_no_path_climbs_out_on_the_real_server(server):
    """The same paths sent byte for byte (a browser or curl would have folded the dots away)."""
    for path in TRAVERSALS:
        status, _, body = raw(server, "GET", path)
        assert status in (400, 404), (path, status)
        assert not any(secret in body for secret in SECRETS), path


# No write path over HTTP ------------------------------------------------------------------------------------
WRITE_TARGETS = ["/", f"/{GOAL}", f"/{GOAL}.ttl", f"/{PERSON}", "/download/kasograph.trig", "/data",
                 "/data?graph=https%3A%2F%2Fw3id.org%2Fkasograph%2Fid%2Fgraph%2Fvantaa-kaso-2021", "/data?default",
                 "/sparql", "/sparql?graph=https%3A%2F%2Fw3id.org%2Fkasograph%2Fid%2Fgraph%2Fvantaa-kaso-2021",
                 "/questions/goals-of-person.csv", "/static/style.css", "/graph/vantaa-kaso-2021"]
TURTLE = b"<https://w3id.org/kasograph/id/x> <http://xmlns.com/foaf/0.1/name> \"Mallory\" ."


def count_triples(base: str) -> bytes:
    query = urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    status, _, body = raw(base, "GET", f"/sparql?query={query}&format=csv")
    assert status == 200
    return body


def test_no_method_writes_anything(server):
    before = count_triples(server)
    for target in WRITE_TARGETS:
        for method in ("PUT", "POST", "DELETE", "PATCH"):
            status, _, body = raw(server, method, target, TURTLE, {"Content-Type": "text/turtle"})
            if target.startswith("/sparql") and method == "POST":
                assert status in (400, 403), (method, target, status, body)  # a POST to the endpoint is a query, and not one
            else:
                assert status in (403, 404, 405), (method, target, status)
    for body, content_type in ((b"update=" + urllib.parse.quote_from_bytes(b"INSERT DATA { " + TURTLE + b" }").encode(),
                                "application/x-www-form-urlencoded"),
                               (b"INSERT DATA { " + TURTLE + b" }", "application/sparql-update"),
                               (b"DROP ALL", "application/sparql-update"),
                               (b"query=" + urllib.parse.quote("CLEAR DEFAULT").encode(), "application/x-www-form-urlencoded")):
        status, _, answer = raw(server, "POST", "/sparql", body, {"Content-Type": content_type})
        assert status == 403 and b"read-only" in answer
    assert raw(server, "GET", "/data?graph=https%3A%2F%2Fw3id.org%2Fkasograph%2Fid%2Fgraph%2Fvantaa-kaso-2021")[0] == 404
    assert count_triples(server) == before
    assert b"Mallory" not in raw(server, "GET", "/download/kasograph.nq")[2]


# Hostile queries -----------------------------------------------------------------------------------------------
def sparql(base: str, query: str, **params) -> tuple[int, dict, bytes]:
    return raw(base, "GET", "/sparql?" + urllib.parse.urlencode({"query": query, **params}))


def test_a_huge_limit_is_only_a_number(server):
    status, _, body = sparql(server, "SELECT ?g WHERE { ?g a kg:Goal } LIMIT 1000000000000", format="csv")
    assert status == 200 and len(body.splitlines()) == 11
    status, _, body = sparql(server, "SELECT ?g WHERE { ?g a kg:Goal } LIMIT 99999999999999999999999999999999")
    assert status == 400 and b"limit" in body.lower()


def test_a_megabyte_query_is_refused_before_it_is_read(server):
    huge = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 1_000_000
    status, _, body = raw(server, "POST", "/sparql", huge.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 413 and b"100000 bytes" in body
    form = b"query=" + urllib.parse.quote(huge).encode()
    assert raw(server, "POST", "/sparql", form, {"Content-Type": "application/x-www-form-urlencoded"})[0] == 413
    # In the address it never reaches the app: waitress refuses a request line over 256 kB.
    assert raw(server, "GET", "/sparql?query=" + urllib.parse.quote(huge))[0] in (413, 414, 431)


@pytest.mark.parametrize("target, body, content_type", [
    ("/sparql?query=SELECT%20*%20%7B%3Fs%20%3Fp%20%3Fo%7D%20%23%ff%fe", None, None),
    ("/sparql?query=ASK%20%7B%7D&format=%c3%28", None, None),
    ("/sparql", b"SELECT * { ?s ?p \"\xe4\" }", "application/sparql-query"),
    ("/sparql", b"query=SELECT+*+%7B%3Fs+%3Fp+%22%E4%22%7D", "application/x-www-form-urlencoded"),
    ("/sparql", b"query=SELECT+*+%7B%3Fs+%3Fp+%22\xe4%22%7D", "application/x-www-form-urlencoded"),
])
def test_a_query_that_is_not_utf8_is_a_400(server, target, body, content_type):
    status, _, answer = raw(server, "POST" if body else "GET", target, body, {"Content-Type": content_type} if content_type else {})
    assert status == 400 and b"UTF-8" in answer


def test_invalid_utf8_in_page_addresses_is_never_a_500(server):
    for target in ("/search.html?q=%ff%fe", "/query.html?query=ASK%7B%7D%ff", f"/{GOAL}.html?lang=%c3%28", "/%ff%fe.html",
                   "/questions/goals-of-person.csv?person=%ff", "/compare.html?earlier=%ff&later=%fe"):
        assert raw(server, "GET", target)[0] < 500, target


@pytest.mark.parametrize("query, allowed", [
    ("SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000, {400}),  # nesting: refused before it runs
    ("SELECT * WHERE { ?s ?p " + "[ ?p " * 1000 + "?o" + " ]" * 1000 + " }", {400}),
    ("SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 300 + "?o" + ")" * 300 + ") }", {400}),
    ("SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 4000) + " } LIMIT 1", {200, 503}),  # a long chain
    ("SELECT * WHERE { ?s ?p ?o FILTER(" + " && ".join(["?o"] * 12000) + ") } LIMIT 1", {200, 503}),
    ("SELECT * WHERE { ?s " + "/".join(["<http://example.org/p>"] * 400) + " ?o }", {200, 503}),  # a deep path
    ("SELECT * WHERE { ?s (<http://example.org/p>|^<http://example.org/q>)*/(" + "|".join(f"<http://example.org/{i}>*" for i in range(500)) + ") ?o }", {200, 503}),
    ("SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * 20000 + "?o) }", {200, 400, 503}),
])
def test_deep_and_long_queries_are_answered_refused_or_stopped_never_a_500(server, query, allowed):
    status, _, body = sparql(server, query)
    assert status in allowed, (status, body[:200])
    assert sparql(server, "ASK { ?g a kg:Goal }")[0] == 200  # and the endpoint goes on


def test_an_answer_too_large_to_hold_is_refused(tmp_path):
    from kasograph_web import create_app

    app = create_app({"SPARQL_MAX_RESULT_BYTES": 10_000})
    try:
        client = app.test_client()
        response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }", "format": "csv"})
        assert response.status_code == 400 and b"larger than 10,000 bytes" in response.data
        small = client.get("/sparql", query_string={"query": "SELECT ?g WHERE { ?g a kg:Goal }", "format": "csv"})
        assert small.status_code == 200
    finally:
        app.extensions["kasograph_pool"].close()


def test_a_cross_product_is_stopped_not_held(server):
    """The whole store times itself, as JSON: over 500 MB if it were let through."""
    started = time.monotonic()
    status, _, body = sparql(server, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }")
    assert status in (400, 503) and len(body) < 1000
    assert time.monotonic() - started < 10


SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
PAGE_BUDGET = 1.0  # seconds a simple page may take while the endpoint is flooded


def test_a_flood_of_slow_queries_leaves_pages_answered(server):
    """Twelve slow queries at once (more than the eight server threads): each is stopped or turned away
    with 503, and meanwhile every page is answered within its budget."""
    statuses: list[int] = []

    def slow():
        statuses.append(sparql(server, SLOW)[0])

    threads = [threading.Thread(target=slow) for _ in range(12)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    timings = []
    for path in (f"/{GOAL}.html", "/", f"/{PERSON}.html", "/static/style.css", "/search.html?q=huoltaja") * 2:
        started = time.monotonic()
        status = raw(server, "GET", path)[0]
        timings.append((path, status, time.monotonic() - started))
    for thread in threads:
        thread.join(30)
    assert all(status == 200 for _, status, _ in timings), timings
    assert max(seconds for *_, seconds in timings) < PAGE_BUDGET, timings
    assert sorted(set(statuses)) == [503], statuses
    time.sleep(0.5)
    assert sparql(server, "ASK { ?g a kg:Goal }")[0] == 200

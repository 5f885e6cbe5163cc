"""Property-based fuzzing (Hypothesis): whatever comes in, the answer is a reasoned refusal, never a crash.

* the table reader on random bytes, encodings and shapes: only `InputError` escapes;
* the viewer's query strings, Accept headers, paths: never a 500, never a traceback;
* the SPARQL endpoint on random query text: 200, 400, 403 or 503, never a 500; the lexical check
  never raises anything but a refusal.

Each target tries `KASOGRAPH_FUZZ_EXAMPLES` inputs (60 by default, so the suite stays fast);
`KASOGRAPH_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py` searches harder.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kasograph.errors import InputError
from kasograph.model.build import build_dataset
from kasograph.query.sparql import QueryRefused, QuerySyntaxError, check
from kasograph.source.spreadsheet import read_sheet
from kasograph.source.table import read_document

EXAMPLES = int(os.environ.get("KASOGRAPH_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
TRACEBACK_MARKERS = (b"Traceback (most recent call last)", b'File "/', b"werkzeug.debug")

HEADERS = ["Tunniste", "Teema", "Toimialan tavoite", "Mittari", "Lähtötaso v:n 2020 loppu", "Tavoitetaso 2022",
           "Vastuuhenkilö(t)", "Vastuutaho", "Toteuma 12/2022", "Tila", "Sivu"]
STATUSES = ["Toteutuu täysin", "Toteutuu osittain", "Ei toteudu", "Toteutu täysin", "", "täysin"]
METADATA = {"document": {"title": "Fuzz", "year": 2022}, "organisation": {"city": "Vantaa", "division": "Fuzz"},
            "dataset": {"rights": "Test data."}}
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1", "utf-32", "ascii"]


# The table reader ---------------------------------------------------------------------------------------------
def _write(data: bytes, suffix: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="kasograph-fuzz-"))
    path = folder / f"table{suffix}"
    path.write_bytes(data)
    return path


def _only_input_errors(call) -> None:
    try:
        call()
    except InputError as error:
        assert error.problems, "an InputError names at least one problem"
        assert all(p.message for p in error.problems)


@FUZZ
@given(data=st.binary(max_size=4000), suffix=st.sampled_from([".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".CSV"]))
def test_random_bytes_are_read_or_refused(data, suffix):
    path = _write(data, suffix)
    _only_input_errors(lambda: read_sheet(path))
    _only_input_errors(lambda: read_document(path, metadata=METADATA))


cell = st.one_of(st.text(max_size=60), st.sampled_from(STATUSES), st.sampled_from(["1", "2021", "-3", "1e9", "=A1", '"', "\r\n", "\x00"]))


@st.composite
def goal_tables(draw) -> bytes:
    """CSV as people and programs write it: real or odd headers, ragged rows, any delimiter, many encodings."""
    headers = draw(st.one_of(st.just(HEADERS), st.permutations(HEADERS), st.lists(st.sampled_from(HEADERS) | st.text(max_size=12), max_size=14)))
    rows = draw(st.lists(st.lists(cell, max_size=len(headers) + 2), max_size=8))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    out = io.StringIO()
    if draw(st.booleans()) and delimiter != ",":
        out.write(f"sep={delimiter}\r\n")
    writer = csv.writer(out, delimiter=delimiter, quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC])))
    for row in [headers, *rows]:
        writer.writerow(row)
    text = out.getvalue()
    if draw(st.booleans()):
        text = text.replace("\r\n", draw(st.sampled_from(["\n", "\r", "\r\n\r\n"])))
    encoding = draw(st.sampled_from(ENCODINGS))
    data = text.encode(encoding, errors="replace")
    cut = draw(st.integers(0, 3))
    return data[:-cut] if cut and draw(st.booleans()) else data  # sometimes a file cut short mid-character


@FUZZ
@given(table=goal_tables())
def test_goal_tables_are_read_or_refused_and_what_is_read_builds(table):
    path = _write(table, ".csv")
    try:
        document = read_document(path, metadata=METADATA)
    except InputError as error:
        assert error.problems
        return
    build_dataset([document])  # what the reader accepts, the builder takes


@FUZZ
@given(parts=st.lists(st.tuples(st.sampled_from(["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml",
                                                  "xl/_rels/workbook.xml.rels", "_rels/.rels", "docProps/app.xml"]),
                                st.binary(max_size=300) | st.text(max_size=300).map(str.encode)), max_size=6, unique_by=lambda part: part[0]))
def test_random_zip_archives_named_xlsx_are_refused(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts:
            archive.writestr(name, content)
    path = _write(buffer.getvalue(), ".xlsx")
    _only_input_errors(lambda: read_sheet(path))


# The viewer ---------------------------------------------------------------------------------------------------
PATHS = ["/", "/index.en.html", "/goal/vantaa-kaso-2021/oppimiskampus", "/goal/vantaa-kaso-2021/oppimiskampus.html",
         "/person/vantaa/tuija-harakka", "/search.html", "/query.html", "/questions.html", "/questions/goals-of-person.html",
         "/questions/goals-of-person.csv", "/graphs/responsibility.html", "/graphs/collaboration.html",
         "/analytics.html", "/compare.html", "/compare", "/void", "/def", "/status/FullyAchieved.html",
         "/download/kasograph.ttl", "/sparql", "/search-index.json"]
PARAMS = ["q", "lang", "query", "format", "person", "theme", "status", "group", "bom", "earlier", "later", "download",
          "default-graph-uri", "named-graph-uri", "title"]
MEDIA = ["text/html", "text/turtle", "application/ld+json", "application/json", "*/*", "text/*", "application/xml",
         "text/csv", "application/sparql-results+json", "image/png", "", "q=0", ";", ",,", "*/*;q=0", "text/html;q=abc"]
texts = st.text(max_size=40) | st.sampled_from(["fi", "en", "sv", "csv", "json", "", "1", "vantaa-kaso-2021", "../../etc/passwd",
                                                 "SELECT * { ?s ?p ?o } LIMIT 3", "Tuija Harakka", "\x00", "%"])


@st.composite
def accept(draw) -> str:
    parts = draw(st.lists(st.tuples(st.sampled_from(MEDIA) | st.text(max_size=15),
                                    st.none() | st.floats(-1, 2) | st.text(max_size=4)), max_size=4))
    return ", ".join(media + (f";q={q}" if q is not None else "") for media, q in parts)


@pytest.fixture(scope="module")
def fuzz_app(app):
    """The viewer on the bundled data with a short query time limit; exceptions propagate (testing mode)."""
    from kasograph_web import create_app

    fuzzed = create_app({"SPARQL_TIMEOUT": 3, "TESTING": True}, data=app.extensions["kasograph"])
    yield fuzzed
    if "kasograph_pool" in fuzzed.extensions:
        fuzzed.extensions["kasograph_pool"].close()


def _assert_answered(response, what) -> None:
    assert response.status_code < 500 or response.status_code == 503, (what, response.status_code, response.data[:300])
    assert not any(marker in response.data for marker in TRACEBACK_MARKERS), what


def _safe_header(value: str) -> str:
    return value.encode("latin-1", errors="replace").decode("latin-1").replace("\r", " ").replace("\n", " ")


@FUZZ
@given(path=st.sampled_from(PATHS), params=st.dictionaries(st.sampled_from(PARAMS) | st.text(max_size=8), texts, max_size=4),
       accept_header=accept(), language=st.sampled_from(["fi", "en", "sv", "*", "", "fi;q=0, en;q=0.1", "x" * 50]) | st.text(max_size=10))
def test_query_strings_and_accept_headers_never_fail(fuzz_app, path, params, accept_header, language):
    headers = {"Accept": _safe_header(accept_header), "Accept-Language": _safe_header(language)}
    with fuzz_app.test_client() as client:
        response = client.get(path, query_string=params, headers=headers)
    _assert_answered(response, (path, params, headers))


@FUZZ
@given(prefix=st.sampled_from(["", "goal/", "goal/vantaa-kaso-2021/", "person/vantaa/", "questions/", "graphs/", "compare/",
                               "download/", "static/", "status/", "document/vantaa-kaso-2021/", "theme/vantaa/"]),
       name=st.text(min_size=1, max_size=40),
       suffix=st.sampled_from(["", ".html", ".en.html", ".ttl", ".jsonld", ".nt", ".rdf", ".csv", ".json", ".graphml", "/", ".."]),
       raw_bytes=st.binary(max_size=6))
def test_odd_characters_in_paths_never_fail(fuzz_app, prefix, name, suffix, raw_bytes):
    target = "/" + quote(prefix + name + suffix, safe="/") + "".join(f"%{b:02x}" for b in raw_bytes)
    with fuzz_app.test_client() as client:
        response = client.get(target)
    _assert_answered(response, target)


# The SPARQL endpoint ------------------------------------------------------------------------------------------------
TOKENS = ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", "[", "]", "?s", "?p", "?o", "$x", "*", ".",
          ";", ",", "a", "kg:Goal", "foaf:name", "<https://w3id.org/kasograph/id/goal/vantaa-kaso-2021/oppimiskampus>",
          "<>", "<http://127.0.0.1:9/>", "SERVICE", "SILENT", "FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH", "VALUES",
          "BIND", "AS", "LIMIT", "OFFSET", "ORDER", "BY", "GROUP", "COUNT", "DISTINCT", "REGEX", "LANG", "\"fi\"", "'x'",
          "\"\"\"a\"\"\"", "@fi", "1", "-1", "1e309", "99999999999999999999999", "/", "|", "^", "+", "?", "!", "&&", "||",
          "=", "<", ">", "#", "\n", "\\u0053ERVICE", "\\U0011FFFF", "\\uD800", "INSERT", "DELETE", "LOAD", "PREFIX",
          "BASE", "ex:", "_:b", "()", "true", "NOW()", "STRLEN(?o)", "EXISTS", "NOT", "IN", "FROM", "NAMED", "\x00", "€"]


@st.composite
def queries(draw) -> str:
    words = draw(st.lists(st.sampled_from(TOKENS) | st.text(max_size=6), max_size=40))
    return " ".join(words)


@FUZZ
@given(query=queries() | st.text(max_size=200))
def test_the_check_only_ever_refuses(query):
    try:
        check(query, ("http://example.org/sparql",))
    except (QueryRefused, QuerySyntaxError):
        pass


@FUZZ
@given(query=queries() | st.text(max_size=200), method=st.sampled_from(["GET", "POST form", "POST direct"]),
       fmt=st.sampled_from(["", "json", "xml", "csv", "tsv", "ttl", "nt", "jsonld", "rdf", "html", "x"]),
       graph=st.sampled_from([[], ["https://w3id.org/kasograph/id/graph/vantaa-kaso-2021"], ["not an iri"], [""]]))
def test_random_queries_are_answered_refused_or_stopped(fuzz_app, query, method, fmt, graph):
    params = {"format": fmt, "default-graph-uri": graph} if fmt or graph else {}
    with fuzz_app.test_client() as client:
        if method == "GET":
            response = client.get("/sparql", query_string={"query": query, **params})
        elif method == "POST form":
            response = client.post("/sparql", data={"query": query, **params})
        else:
            response = client.post("/sparql", query_string=params, data=query.encode("utf-8"),
                                   content_type="application/sparql-query")
    assert response.status_code in (200, 400, 403, 503), (query, response.status_code, response.data[:300])
    assert not any(marker in response.data for marker in TRACEBACK_MARKERS)


@FUZZ
@given(query=queries())
def test_random_queries_on_the_query_page_never_fail(fuzz_app, query):
    with fuzz_app.test_client() as client:
        response = client.get("/query.en.html", query_string={"query": query})
    assert response.status_code == 200, (query, response.status_code)

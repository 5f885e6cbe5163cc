"""A remote SPARQL 1.1 server as kasograph's store: the viewer, the endpoint and every command on it.

`--store http://host:port` (or `$KASOGRAPH_STORE`, or a TOML file naming the URLs)
points kasograph at a SPARQL server instead of a store directory. What the local
store does in-process is done here over HTTP:

* queries go through the SPARQL 1.1 Protocol (a form POST); the answers are parsed
  by pyoxigraph, so every caller gets the same result objects as from the
  embedded store (`RemoteGoalStore` has `GoalStore`'s interface);
* an import writes the document's graph with the Graph Store Protocol (one PUT of
  N-Triples) and then one SPARQL update puts it in place; kasograph keeps the
  default graph as the union of the documents' graphs itself, each triple once
  (as the local store does), because servers' built-in union options differ
  (Oxigraph's repeats a triple once per graph that holds it);
* the document list lives in the store, as RDF in a catalogue graph
  (`{base}graph/catalogue`): per document, its dataset IRI with its id, title,
  year, triples, when and from what it was imported, and the verbatim source text.

Atomicity. A server gives no generations, so the writes are ordered to make a
failed import leave the old documents: every table is read, built and validated
first; then, a chunk of documents at a time (about 16 MB of N-Triples), each
document's graph is PUT — a new document's straight into its graph, a new version
of a stored one into a *staging* graph (`{base}graph/staging/{id}/…`), which
nothing reads as data — and one SPARQL update (one transaction on Oxigraph, whose
updates are atomic) takes the old versions' triples out of the union, swaps the
staged graphs in, adds the documents' triples to the union, relinks the divisions'
years (`prov:wasRevisionOf`) and writes the catalogue entries. A failure before a
chunk's update leaves the store as that chunk found it (the graphs it PUT are
dropped on the way out; a new document's graph is not in the union nor in the
catalogue until the update); chunks before it stay stored, so an import of many
documents that fails midway is run again (documents already stored are
replaced). A server that does not run an update as one transaction could stop
midway, and the import must then be run again. The window: between the PUT and
the update the graphs PUT are visible to queries that name graphs (`GRAPH ?g`).
There is no lock across machines: run one import at a time.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import socket
import threading
import time
import tomllib
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pyoxigraph

from kasograph.errors import InputError, Problem
from kasograph.namespaces import DEFAULT_BASE, VOCABULARY_GRAPH
from kasograph.query import lexer
from kasograph.store.directory import Manifest, StoredDocument
from kasograph.store.engine import PREFIX_MAP, GoalStore, bind_parameters, to_python

#: kasograph's bookkeeping terms in the catalogue graph (the rest is DCMI, VoID and PROV).
KGS = "https://w3id.org/kasograph/store#"
TOKEN_VARIABLE = "KASOGRAPH_STORE_TOKEN"  # a bearer token for a store given as a bare URL
READ_TIMEOUT = 60.0  # seconds a query of the viewer or a command may take (the endpoint has --timeout)
WRITE_TIMEOUT = 600.0  # seconds a PUT or an update may take
RESULTS = "application/sparql-results+json"
ANY_ANSWER = f"{RESULTS}, application/n-triples;q=0.9, text/turtle;q=0.8"


class RemoteError(InputError):
    """The SPARQL server could not be reached or refused a request (with the server's words)."""

    def __init__(self, location: str, message: str, status: int | None = None):
        super().__init__([Problem(location, message, message)])
        self.status = status


class RemoteTimeout(RemoteError):
    """The server did not answer in time."""


# Where the store is ---------------------------------------------------------------------------------
def is_remote_location(location: str | os.PathLike | None) -> bool:
    """A URL, or a TOML file that names the server's URLs."""
    if location is None:
        return False
    text = _restore_url(str(location))
    return text.startswith(("http://", "https://")) or (text.lower().endswith(".toml") and Path(text).is_file())


def _restore_url(text: str) -> str:
    """A URL that went through pathlib.Path has lost a slash of '//' (and on Windows turned '/' to '\\')."""
    match = re.match(r"^(https?):[/\\]+(.*)$", text, re.IGNORECASE)
    if not match:
        return text
    return f"{match.group(1).lower()}://{match.group(2).replace(chr(92), '/')}"


@dataclass
class RemoteSettings:
    """The server's three services, how to authenticate, and how long to wait."""

    location: str  # as the user gave it: the URL or the settings file (for messages)
    query: str
    update: str | None = None
    graph_store: str | None = None
    headers: dict[str, str] = field(default_factory=dict)  # Authorization, never printed
    timeout: float = READ_TIMEOUT
    write_timeout: float = WRITE_TIMEOUT

    @classmethod
    def from_url(cls, url: str) -> "RemoteSettings":
        """A bare URL names an Oxigraph server (`oxigraph serve`): /query, /update and /store under it.
        A bearer token, if the server needs one, comes from $KASOGRAPH_STORE_TOKEN."""
        url = _restore_url(url)
        root = url.rstrip("/")
        if root.endswith("/query"):  # the query URL given: the others are beside it
            root = root[: -len("/query")]
        headers = _auth_headers({"token_env": TOKEN_VARIABLE}, url, required=False)
        return cls(url, f"{root}/query", f"{root}/update", f"{root}/store", headers)

    @classmethod
    def from_file(cls, path: Path) -> "RemoteSettings":
        """A TOML file: `query`, `update`, `graph_store` URLs (or `url`, an Oxigraph server's root),
        `token_env` (the variable holding a bearer token) or `user` and `password_env` (HTTP basic),
        `timeout` and `write_timeout` in seconds."""
        try:
            values = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise RemoteError(str(path), f"cannot read the store settings: {error}") from None
        values = values.get("store", values)  # the keys may sit in a [store] table
        if "url" in values:
            base = cls.from_url(values["url"])
            defaults = {"query": base.query, "update": base.update, "graph_store": base.graph_store}
        else:
            defaults = {}
        query = values.get("query", defaults.get("query"))
        if not query:
            raise RemoteError(str(path), "the store settings name no query URL (query = \"http://…\")")
        unknown = set(values) - {"url", "query", "update", "graph_store", "token_env", "user", "password_env",
                                 "timeout", "write_timeout"}
        if unknown:
            raise RemoteError(str(path), f"unknown store settings: {', '.join(sorted(unknown))}")
        return cls(str(path), query, values.get("update", defaults.get("update")),
                   values.get("graph_store", defaults.get("graph_store")), _auth_headers(values, str(path), required=True),
                   float(values.get("timeout", READ_TIMEOUT)), float(values.get("write_timeout", WRITE_TIMEOUT)))


def _auth_headers(values: dict, location: str, *, required: bool) -> dict[str, str]:
    """Authorization from an environment variable: a bearer token, or a user's password for HTTP basic."""
    import base64

    if values.get("user"):
        name = values.get("password_env", "KASOGRAPH_STORE_PASSWORD")
        password = os.environ.get(name)
        if password is None:
            raise RemoteError(location, f"the store settings name user {values['user']!r}: set ${name} to the password")
        pair = f"{values['user']}:{password}".encode("utf-8")
        return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}
    name = values.get("token_env")
    if not name:
        return {}
    token = os.environ.get(name)
    if token is None:
        if required and name != TOKEN_VARIABLE:
            raise RemoteError(location, f"the store settings take the token from ${name}, which is not set")
        return {}
    return {"Authorization": f"Bearer {token}"}


# HTTP, with a kept-alive connection per thread and server -----------------------------------------
class _Answer:
    def __init__(self, status: int, media_type: str, body: bytes):
        self.status, self.media_type, self.body = status, media_type, body

    def text(self) -> str:
        return self.body.decode("utf-8", "replace").strip()


class _Client:
    def __init__(self, settings: RemoteSettings):
        self.settings = settings
        self._local = threading.local()

    def _pool(self) -> dict:
        if not hasattr(self._local, "pool"):
            self._local.pool = {}
        return self._local.pool

    def open(self, method: str, url: str, *, body: bytes | None = None, headers: dict | None = None,
             timeout: float, reuse: bool = True) -> tuple[http.client.HTTPResponse, http.client.HTTPConnection, tuple]:
        """Send a request; returns the response (not yet read), its connection and the pool key.
        A kept-alive connection the server has closed meanwhile is replaced once, for requests
        that may be sent twice (`reuse`); the others always get a fresh connection."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise RemoteError(self.settings.location, f"not an http(s) URL: {url}")
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        key = (parts.scheme, parts.netloc)
        sent = {"User-Agent": "kasograph", **self.settings.headers, **(headers or {})}
        for attempt in (0, 1):
            connection = self._pool().pop(key, None) if reuse else None
            kept = connection is not None
            if connection is None:
                kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
                connection = kind(parts.netloc, timeout=timeout)
            else:
                connection.timeout = timeout
                if connection.sock is not None:
                    connection.sock.settimeout(timeout)
            try:
                connection.request(method, target, body=body, headers=sent)
                return connection.getresponse(), connection, key
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                connection.close()
                if kept and attempt == 0:
                    continue  # the server closed an idle connection: once more on a new one
                raise
            except BaseException:
                connection.close()
                raise
        raise AssertionError("unreachable")

    def fetch(self, method: str, url: str, *, body: bytes | None = None, headers: dict | None = None,
              timeout: float, reuse: bool = True, limit: int | None = None) -> _Answer:
        """A whole answer, read within `timeout` seconds in all and at most `limit` bytes."""
        deadline = time.monotonic() + timeout
        with self.reading(url, timeout):
            response, connection, key = self.open(method, url, body=body, headers=headers, timeout=timeout, reuse=reuse)
            try:
                parts, size = [], 0
                while chunk := response.read(65536):
                    size += len(chunk)
                    if limit is not None and size > limit:
                        raise AnswerTooLarge(limit)
                    if time.monotonic() > deadline:
                        raise TimeoutError()
                    parts.append(chunk)
            except BaseException:
                connection.close()
                raise
        self.done(response, connection, key, reuse)
        return _Answer(response.status, _media_type(response), b"".join(parts))

    def done(self, response: http.client.HTTPResponse, connection: http.client.HTTPConnection, key: tuple, reuse: bool = True) -> None:
        """A response read to its end: keep its connection for the thread's next request, if the server allows."""
        if response.will_close or not reuse:
            connection.close()
        else:
            self._pool()[key] = connection

    @contextlib.contextmanager
    def reading(self, url: str, timeout: float):
        """Network failures as RemoteError, and running out of time as RemoteTimeout."""
        try:
            yield
        except (TimeoutError, socket.timeout):
            raise RemoteTimeout(self.settings.location, f"{url} did not answer within {timeout:g} s") from None
        except (OSError, http.client.HTTPException) as error:
            raise RemoteError(self.settings.location, f"cannot reach the SPARQL server at {url}: {error}") from None


def _media_type(response: http.client.HTTPResponse) -> str:
    return (response.getheader("Content-Type") or "").split(";")[0].strip().lower()


class AnswerTooLarge(Exception):
    def __init__(self, limit: int):
        super().__init__(f"the answer is larger than {limit:,} bytes; narrow the query (LIMIT, more specific patterns), "
                         "or download the whole dataset")


# Queries -----------------------------------------------------------------------------------------
def with_prefixes(sparql: str) -> tuple[str, int]:
    """The query with PREFIX lines for the known prefixes it uses but does not declare (a remote server
    knows none of kasograph's), and the number of lines put before it."""
    tokens = lexer.tokens(sparql)
    declared, used = set(), set()
    for index, token in enumerate(tokens):
        if token.kind == "word" and token.text.upper() == "PREFIX" and index + 1 < len(tokens) and tokens[index + 1].kind == "pname":
            declared.add(tokens[index + 1].text.split(":", 1)[0])
        elif token.kind == "pname":
            used.add(token.text.split(":", 1)[0])
    missing = [p for p in PREFIX_MAP if p in used - declared]
    lines = "".join(f"PREFIX {p}: <{PREFIX_MAP[p]}>\n" for p in missing)
    return lines + sparql, len(missing)


def _shift_positions(message: str, lines: int) -> str:
    """A parser's position in the query as the user wrote it, not as sent (after `lines` PREFIX lines)."""
    if not lines:
        return message

    def back(match: re.Match) -> str:
        number = int(match.group(2))
        return f"{match.group(1)}{number - lines if number > lines else number}"

    return re.sub(r"\b(at |line )(\d+)(?=[:, ])", back, message)


class RemoteStore:
    """A SPARQL server holding kasograph's documents: the counterpart of a StoreDirectory."""

    remote = True

    def __init__(self, settings: RemoteSettings, base: str = DEFAULT_BASE):
        if not base.endswith(("/", "#")):
            base += "/"
        self.settings = settings
        self.base = base
        self.path = settings.location  # what messages name, as for a store directory
        self.catalogue = f"{base}graph/catalogue"
        self.staging_prefix = f"{base}graph/staging/"
        self.client = _Client(settings)

    def __repr__(self) -> str:
        return f"RemoteStore({self.settings.location!r})"

    # Reading ---------------------------------------------------------------------------------------
    def exists(self) -> bool:
        """A remote store is always served, whatever it holds (there is no bundled fallback)."""
        return True

    def post_query(self, sparql: str, *, accept: str = ANY_ANSWER, default_graph: list[str] | None = None,
                   named_graphs: list[str] | None = None, timeout: float | None = None, limit: int | None = None) -> _Answer:
        """Send a query (kasograph's prefixes added where used) and return the server's whole answer, status
        checked: 400 is a SyntaxError with the server's message, positions as in `sparql`."""
        timeout = timeout or self.settings.timeout
        text, added = with_prefixes(sparql)
        form = [("query", text)] + [("default-graph-uri", g) for g in default_graph or []] + \
               [("named-graph-uri", g) for g in named_graphs or []]
        answer = self.client.fetch("POST", self.settings.query, body=urlencode(form).encode("utf-8"), timeout=timeout,
                                   headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}, limit=limit)
        self._raise_for(answer, self.settings.query, added)
        return answer

    def _raise_for(self, answer: _Answer, url: str, added: int) -> None:
        if answer.status == 400:
            raise SyntaxError(_shift_positions(answer.text(), added) or "the server refused the query as malformed")
        self._check(answer, url)

    def first_rows(self, sparql: str, rows: int, *, timeout: float, graph_accept: str, limit: int | None = None,
                   default_graph: list[str] | None = None, named_graphs: list[str] | None = None) -> tuple[_Answer, bool]:
        """At most `rows` solutions (as SPARQL TSV, read line by line and the rest left unread), or the whole
        answer of an ASK, CONSTRUCT or DESCRIBE; and whether solutions were left out."""
        text, added = with_prefixes(sparql)
        form = [("query", text)] + [("default-graph-uri", g) for g in default_graph or []] + \
               [("named-graph-uri", g) for g in named_graphs or []]
        url = self.settings.query
        deadline = time.monotonic() + timeout
        with self.client.reading(url, timeout):
            response, connection, key = self.client.open(
                "POST", url, body=urlencode(form).encode("utf-8"), timeout=timeout,
                headers={"Content-Type": "application/x-www-form-urlencoded",
                         "Accept": f"text/tab-separated-values, {graph_accept};q=0.9"})
            media_type = _media_type(response)
        if response.status >= 400 or media_type != "text/tab-separated-values":  # an error, a boolean or triples: whole
            with self.client.reading(url, timeout):
                try:
                    body = response.read() if limit is None else response.read(limit + 1)
                finally:
                    connection.close()
            if limit is not None and len(body) > limit:
                raise AnswerTooLarge(limit)
            answer = _Answer(response.status, media_type, body)
            self._raise_for(answer, url, added)
            return answer, False
        lines, truncated, size = [], False, 0
        with self.client.reading(url, timeout):
            try:
                while line := response.readline():
                    if len(lines) > rows:  # the header and `rows` solutions read: one more means there are more
                        truncated = True
                        break
                    size += len(line)
                    if limit is not None and size > limit:
                        raise AnswerTooLarge(limit)
                    if time.monotonic() > deadline:
                        raise TimeoutError()
                    lines.append(line)
            except BaseException:
                connection.close()
                raise
        if truncated:
            connection.close()  # the rest of the answer is not wanted
        else:
            self.client.done(response, connection, key)
        return _Answer(response.status, media_type, b"".join(lines)), truncated

    def _check(self, answer: _Answer, url: str) -> None:
        if answer.status < 400:
            return
        detail = answer.text()[:2000]
        if answer.status in (401, 403):
            raise RemoteError(self.settings.location, f"{url} refused the request (HTTP {answer.status}): check the token or "
                                                      f"password the store settings name. {detail}", answer.status)
        if answer.status in (503, 504) or re.search(r"time(d)?[ -]?out|cancell?ed", detail, re.IGNORECASE):
            raise RemoteTimeout(self.settings.location, f"{url} gave up (HTTP {answer.status}): {detail}", answer.status)
        raise RemoteError(self.settings.location, f"{url} answered HTTP {answer.status}: {detail}", answer.status)

    def rows(self, sparql: str) -> list[dict[str, object]]:
        results = pyoxigraph.parse_query_results(self.post_query(sparql, accept=RESULTS).body, format=pyoxigraph.QueryResultsFormat.JSON)
        names = [v.value for v in results.variables]
        return [{name: to_python(row[name]) for name in names} for row in results]

    def current(self) -> str | None:
        """The catalogue's version, changed by every import and removal (None: nothing imported)."""
        rows = self.rows(f"SELECT ?v WHERE {{ GRAPH <{self.catalogue}> {{ ?c <{KGS}version> ?v }} }} LIMIT 1")
        return str(rows[0]["v"]) if rows else None

    def manifest(self) -> Manifest:
        """The documents the catalogue lists."""
        rows = self.rows(f"""
            PREFIX kgs: <{KGS}>
            SELECT ?id ?graph ?title ?year ?triples ?at ?source ?city ?division ?text WHERE {{ GRAPH <{self.catalogue}> {{
              ?d dct:identifier ?id ; kgs:graph ?graph .
              OPTIONAL {{ ?d dct:title ?title }} OPTIONAL {{ ?d kgs:year ?year }} OPTIONAL {{ ?d void:triples ?triples }}
              OPTIONAL {{ ?d prov:generatedAtTime ?at }} OPTIONAL {{ ?d kgs:source ?source }}
              OPTIONAL {{ ?d kgs:city ?city }} OPTIONAL {{ ?d kgs:division ?division }} OPTIONAL {{ ?d kgs:sourceText ?text }}
            }} }} ORDER BY ?id""")
        documents = {}
        for row in rows:
            documents[row["id"]] = StoredDocument(
                id=row["id"], graph=row["graph"], title=row["title"] or "", year=row["year"], triples=row["triples"] or 0,
                imported_at=re.sub(r"Z$", "+00:00", str(row["at"] or "")), source=row["source"] or "", source_text=row["text"], text_file=None,
                city=row["city"] or "", division=row["division"] or "")
        return Manifest(self.current() or "", documents)

    def source_texts(self) -> dict[str, str]:
        """The documents' verbatim source texts by their IRI (kept in the catalogue graph)."""
        rows = self.rows(f"""SELECT ?iri ?content WHERE {{ GRAPH <{self.catalogue}> {{
            ?d <{KGS}sourceText> ?iri . ?iri <{KGS}content> ?content }} }}""")
        return {r["iri"]: r["content"] for r in rows}

    def graph_ntriples(self, graph: str) -> bytes:
        """One named graph as N-Triples, asked through the query service (which every server has)."""
        return self.post_query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
                               accept="application/n-triples").body

    # Writing ---------------------------------------------------------------------------------------
    def _writable(self) -> None:
        if not self.settings.update or not self.settings.graph_store:
            raise RemoteError(self.settings.location, "this store is read-only here: the settings name no update and "
                                                      "graph_store URLs")

    def put_graph(self, graph: str, ntriples: str) -> None:
        """Replace a named graph by N-Triples (Graph Store Protocol PUT)."""
        self._writable()
        url = f"{self.settings.graph_store}{'&' if '?' in self.settings.graph_store else '?'}{urlencode({'graph': graph})}"
        answer = self.client.fetch("PUT", url, body=ntriples.encode("utf-8"), timeout=self.settings.write_timeout,
                                   headers={"Content-Type": "application/n-triples"}, reuse=False)
        self._check(answer, self.settings.graph_store)

    def update(self, sparql: str) -> None:
        """Run one SPARQL update request (kasograph's prefixes declared)."""
        self._writable()
        text, _ = with_prefixes(sparql)
        answer = self.client.fetch("POST", self.settings.update, body=urlencode({"update": text}).encode("utf-8"),
                                   headers={"Content-Type": "application/x-www-form-urlencoded"},
                                   timeout=self.settings.write_timeout, reuse=False)
        if answer.status == 400:
            raise RemoteError(self.settings.location, f"{self.settings.update} refused kasograph's update: {answer.text()[:2000]}", 400)
        self._check(answer, self.settings.update)

    def drop_quietly(self, graphs: list[str]) -> None:
        """Best effort, on the way out of a failed import."""
        try:
            self.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))
        except RemoteError:
            pass

    def staging(self, document_id: str, part: str) -> str:
        return f"{self.staging_prefix}{document_id}/{part}"

    def _not_data(self, variable: str) -> str:
        """A filter on a graph variable: not the catalogue, not a staging graph."""
        return f'{variable} != <{self.catalogue}> && !STRSTARTS(STR({variable}), "{self.staging_prefix}")'

    def swap_in(self, graph: str, staged: str) -> list[str]:
        """Update operations that replace `graph` by the staged graph and keep the union a set: the
        triples only the old version held leave the union, the new version's join it."""
        return [f"""DELETE {{ ?s ?p ?o }} WHERE {{
  GRAPH <{graph}> {{ ?s ?p ?o }}
  FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER (?other != <{graph}> && {self._not_data('?other')}) }}
}}""", f"DROP SILENT GRAPH <{graph}>",
                f"INSERT {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{staged}> {{ ?s ?p ?o }} }}",
                f"DROP SILENT GRAPH <{staged}>",
                f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"]

    def take_out(self, graph: str) -> list[str]:
        """Update operations that drop a graph and what only it held from the union."""
        return [f"""DELETE {{ ?s ?p ?o }} WHERE {{
  GRAPH <{graph}> {{ ?s ?p ?o }}
  FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER (?other != <{graph}> && {self._not_data('?other')}) }}
}}""", f"DROP SILENT GRAPH <{graph}>"]

    def relink(self, links: dict[str, list[tuple[str, str]]]) -> list[str]:
        """Update operations that rewrite the `prov:wasRevisionOf` links each graph of a series holds."""
        operations = []
        for graph, pairs in links.items():
            operations.append(f"""DELETE {{ GRAPH <{graph}> {{ ?x prov:wasRevisionOf ?y }} ?x prov:wasRevisionOf ?y }}
WHERE {{ GRAPH <{graph}> {{ ?x prov:wasRevisionOf ?y }} }}""")
            if pairs:
                triples = "\n".join(f"<{new}> prov:wasRevisionOf <{old}> ." for new, old in pairs)
                operations.append(f"INSERT DATA {{ GRAPH <{graph}> {{ {triples} }} {triples} }}")
        return operations

    def catalogue_entry(self, stored: StoredDocument | None, document_id: str, dataset: str | None, text: str | None) -> list[str]:
        """Update operations that replace (or, with `stored` None, delete) a document's catalogue entry and
        give the catalogue a new version."""
        cat = self.catalogue
        operations = [
            f"""DELETE {{ GRAPH <{cat}> {{ ?t ?tp ?to }} }}
WHERE {{ GRAPH <{cat}> {{ ?d dct:identifier {_literal(document_id)} ; <{KGS}sourceText> ?t . ?t ?tp ?to }} }}""",
            f"DELETE WHERE {{ GRAPH <{cat}> {{ ?d dct:identifier {_literal(document_id)} ; ?p ?o }} }}",
            f"DELETE WHERE {{ GRAPH <{cat}> {{ ?c <{KGS}version> ?v }} }}",
        ]
        facts = [f"[] <{KGS}version> {_literal(uuid.uuid4().hex)} ."]
        if stored is not None:
            entry = f"<{dataset}>"
            facts += [f"{entry} a dcat:Dataset ; dct:identifier {_literal(stored.id)} ; <{KGS}graph> <{stored.graph}> ;",
                      f"  dct:title {_literal(stored.title)} ; void:triples {stored.triples} ;",
                      f"  prov:generatedAtTime {_literal(stored.imported_at, 'http://www.w3.org/2001/XMLSchema#dateTime')} ;",
                      f"  <{KGS}source> {_literal(stored.source)} ; <{KGS}city> {_literal(stored.city)} ;",
                      f"  <{KGS}division> {_literal(stored.division)}" + (f" ; <{KGS}year> {int(stored.year)}" if stored.year else "") + " ."]
            if stored.source_text and text is not None:
                facts += [f"{entry} <{KGS}sourceText> <{stored.source_text}> .",
                          f"<{stored.source_text}> <{KGS}content> {_literal(text)} ."]
        operations.append("INSERT DATA { GRAPH <%s> {\n%s\n} }" % (cat, "\n".join(facts)))
        return operations


def _literal(value: str, datatype: str | None = None) -> str:
    if datatype:
        return str(pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(datatype)))
    return str(pyoxigraph.Literal(value))


def open_remote(location: str | os.PathLike, base: str = DEFAULT_BASE) -> RemoteStore:
    text = _restore_url(str(location))
    if text.startswith(("http://", "https://")):
        return RemoteStore(RemoteSettings.from_url(text), base)
    return RemoteStore(RemoteSettings.from_file(Path(text)), base)


# The GoalStore interface over HTTP -------------------------------------------------------------------
class RemoteGoalStore(GoalStore):
    """`GoalStore`'s reading interface, answered by the remote server; results are pyoxigraph objects
    (QuerySolutions, QueryBoolean, QueryTriples), as from the embedded store."""

    def __init__(self, remote: RemoteStore):
        self.remote = remote
        self.store = None  # no embedded store: everything goes through the methods
        self.path = None
        self.union = None

    def query(self, sparql: str, *, params: dict[str, object] | None = None,
              default_graph: list[str] | None = None, named_graphs: list[str] | None = None):
        if params:
            sparql = bind_parameters(sparql, params)
        answer = self.remote.post_query(sparql, default_graph=default_graph, named_graphs=named_graphs)
        results_format = pyoxigraph.QueryResultsFormat.from_media_type(answer.media_type) if answer.media_type else None
        if results_format is not None:
            return pyoxigraph.parse_query_results(answer.body, format=results_format)
        rdf_format = pyoxigraph.RdfFormat.from_media_type(answer.media_type) if answer.media_type else None
        if rdf_format is None:
            raise RemoteError(self.remote.path, f"the server answered in a format kasograph cannot read: {answer.media_type!r}")
        # Triples as the embedded store gives them (QueryTriples): through a small store in memory.
        holder = pyoxigraph.Store()
        holder.load(answer.body, format=rdf_format)
        return holder.query("CONSTRUCT WHERE { ?s ?p ?o }")

    def has_named_graphs(self) -> bool:
        return bool(self.query(f"ASK {{ GRAPH ?g {{ ?s ?p ?o }} FILTER ({self.remote._not_data('?g')}) }}"))

    def graphs(self):
        rows = self.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER ({self.remote._not_data('?g')}) }}")
        return iter([row["g"].value for row in rows])

    def quads(self):
        """The documents' graphs' quads (not the catalogue's, not a staging graph's); the default
        graph's when there are no named graphs. One query, so blank nodes keep their identity."""
        rows = self.query(f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER ({self.remote._not_data('?g')}) }}")
        quads = [pyoxigraph.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]
        if not quads:
            return iter([pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in self.triples()])
        return iter(quads)

    def triples(self):
        return iter(self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"))

    def graph_triples(self, graph: str) -> list[pyoxigraph.Triple]:
        return list(self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"))

    def __len__(self) -> int:
        rows = list(self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER ({self.remote._not_data('?g')}) }}"))
        count = int(rows[0]["n"].value) if rows else 0
        if count == 0:
            rows = list(self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
            count = int(rows[0]["n"].value) if rows else 0
        return count

    def load_dataset(self, dataset) -> None:
        raise NotImplementedError("a remote store is written by `kasograph import`")

    load_file = load_dataset


# Imports and removals ----------------------------------------------------------------------------------
#: An import sends this much N-Triples at most before one update puts those documents in place.
IMPORT_CHUNK_BYTES = 16 * 1024 * 1024


def import_batch(prepared: list, remote: RemoteStore, ntriples, say) -> list[tuple[StoredDocument, bool]]:
    """Store read, built and validated documents (`kasograph.store.importer.Prepared`; `ntriples(p)` gives each
    one's graph) in the order the module's docstring gives: each document's graph is PUT into a staging
    graph, then one update per chunk of documents swaps them in, relinks the years and writes their
    catalogue entries. Returns (stored document, whether it replaced one) for each."""
    from kasograph.store.directory import now
    from kasograph.store.importer import _vocabulary_ntriples, _year_links

    remote._writable()
    for p in prepared:
        if p.info.id == "catalogue":
            raise InputError([Problem(str(p.source_name), "a document may not be called 'catalogue' in a remote store: "
                                      "that name is the catalogue's graph (give --id)",
                                      "etätietovarastossa asiakirjan tunnus ei voi olla 'catalogue' (anna --id)")])
    say("storing")
    manifest = remote.manifest()  # once: it grows with the store
    results = []
    for p in prepared:
        p.replaced = manifest.documents.get(p.info.id)
        stored = StoredDocument(
            id=p.info.id, graph=p.graph, title=p.info.title, year=p.info.year, triples=p.triples,
            imported_at=now(), source=p.source_name, source_text=p.source_text_iri,
            text_file=None, city=p.info.city, division=p.info.division)
        manifest.documents[p.info.id] = stored
        results.append((stored, p.replaced is not None))
    links = _year_links(lambda graph: _stored_goal_states(remote, graph), prepared, manifest)
    chunks, chunk, size = [], [], 0
    for p, result in zip(prepared, results):
        chunk.append((p, result[0]))
        size += p.triples * 150  # about the bytes of a triple in N-Triples
        if size >= IMPORT_CHUNK_BYTES:
            chunks.append(chunk)
            chunk, size = [], 0
    if chunk:
        chunks.append(chunk)
    in_batch = {p.graph for p in prepared}
    for index, chunk in enumerate(chunks):
        staged = []
        try:
            operations = []
            if index == 0:
                staged.append(remote.staging(chunk[0][0].info.id, "vocabulary"))
                remote.put_graph(staged[-1], _vocabulary_ntriples().decode("utf-8"))
                operations += remote.swap_in(VOCABULARY_GRAPH, staged[-1])
            for p, stored in chunk:
                if p.replaced is None:  # a new document goes straight to its graph; the update adds it to the union
                    staged.append(p.graph)
                    remote.put_graph(p.graph, ntriples(p).decode("utf-8"))
                    operations.append(f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <{p.graph}> {{ ?s ?p ?o }} }}")
                    continue
                staged.append(remote.staging(p.info.id, "document"))
                remote.put_graph(staged[-1], ntriples(p).decode("utf-8"))
                operations += remote.swap_in(p.graph, staged[-1])
            operations += remote.relink({p.graph: links[p.graph] for p, _ in chunk if p.graph in links})
            if index == len(chunks) - 1:  # the stored years next to the imported ones, once all are in place
                operations += remote.relink({graph: pairs for graph, pairs in links.items() if graph not in in_batch})
            for p, stored in chunk:
                operations += remote.catalogue_entry(stored, p.info.id, p.dataset_iri, p.source_text)
            remote.update(" ;\n".join(operations))
        except BaseException:
            remote.drop_quietly(staged)
            raise
    return results


def _stored_goal_states(remote: RemoteStore, graph: str):
    from kasograph.store.importer import _goal_states

    return _goal_states(remote.graph_ntriples(graph), graph)


def remove_remote(remote: RemoteStore, document_id: str) -> StoredDocument:
    """Take a document's graph, its triples in the union and its catalogue entry out, in one update."""
    from kasograph.store.importer import _relinked

    remote._writable()
    manifest = remote.manifest()
    if document_id not in manifest.documents:
        known = ", ".join(sorted(manifest.documents)) or "none"
        raise InputError([Problem(remote.path, f"no document {document_id!r} in the store (stored: {known})",
                                  f"tietovarastossa ei ole asiakirjaa {document_id!r} (tallennettu: {known})")])
    stored = manifest.documents.pop(document_id)
    links = _relinked(lambda graph: _stored_goal_states(remote, graph), manifest, {(stored.city, stored.division, stored.year)})
    operations = [f"""DELETE {{ GRAPH ?g {{ ?later prov:wasRevisionOf ?goal }} ?later prov:wasRevisionOf ?goal }}
WHERE {{ GRAPH <{stored.graph}> {{ ?goal a kg:Goal }} GRAPH ?g {{ ?later prov:wasRevisionOf ?goal }} }}"""]
    operations += remote.take_out(stored.graph) + remote.relink(links) + remote.catalogue_entry(None, document_id, None, None)
    remote.update(" ;\n".join(operations))
    return stored


# The endpoint: queries forwarded to the server ----------------------------------------------------------
class RemoteQueryPool:
    """What the /sparql endpoint and the query pages run queries on when the store is remote: the
    server answers (no worker processes), within SPARQL_TIMEOUT seconds of HTTP (the server's own
    limit applies too). The server runs SERVICE calls itself, out of kasograph's reach: the check
    (kasograph.query.sparql.check) is the only guard here, and every query passes it before it is sent."""

    def __init__(self, store: RemoteGoalStore, timeout: float = 10.0, max_result_bytes: int | None = None,
                 allowed_services: tuple[str, ...] = ()):
        self.remote = store.remote
        self.timeout = timeout
        self.max_result_bytes = max_result_bytes
        self.allowed_services = allowed_services

    def run(self, sparql: str, *, select_format: str = "json", graph_format: str = "ttl", row_limit: int | None = None,
            default_graph: list[str] | None = None, named_graphs: list[str] | None = None, timeout: float | None = None,
            max_bytes: int | None = -1):
        from kasograph.query.sparql import (
            GRAPH_FORMATS,
            SELECT_FORMATS,
            Answer,
            QueryFailed,
            QuerySyntaxError,
            QueryTimeout,
            QueryWorkerLost,
            check,
        )

        check(sparql, self.allowed_services)
        started = time.perf_counter()
        limit = self.timeout if timeout is None else timeout
        largest = self.max_result_bytes if max_bytes == -1 else max_bytes
        try:
            if row_limit is None:
                accept = f"{SELECT_FORMATS[select_format][0]}, {GRAPH_FORMATS[graph_format][0]};q=0.9"
                answer = self.remote.post_query(sparql, accept=accept, default_graph=default_graph, named_graphs=named_graphs,
                                                timeout=limit, limit=largest)
                truncated = False
            else:
                answer, truncated = self.remote.first_rows(sparql, row_limit, timeout=limit, graph_accept=GRAPH_FORMATS[graph_format][0],
                                                           limit=largest, default_graph=default_graph,
                                                           named_graphs=named_graphs)
        except SyntaxError as error:
            raise QuerySyntaxError(str(error)) from None
        except AnswerTooLarge as error:
            raise QueryFailed(str(error)) from None
        except RemoteTimeout as error:
            raise QueryTimeout(error.problems[0].message) from None
        except RemoteError as error:
            if error.status is None:  # the server could not be reached: not the query's fault (503)
                raise QueryWorkerLost(error.problems[0].message, crashed=False) from None
            raise QueryFailed(error.problems[0].message) from None
        seconds = time.perf_counter() - started
        if answer.media_type and pyoxigraph.RdfFormat.from_media_type(answer.media_type) is not None:
            return Answer("graph", answer.media_type, answer.body, seconds=seconds)
        if row_limit is None:
            head = answer.body[:400]
            boolean = answer.body.strip() in (b"true", b"false") or b'"boolean"' in head or b"<boolean>" in head
            return Answer("boolean" if boolean else "solutions", answer.media_type, answer.body, seconds=seconds)
        return self._page(answer, truncated, seconds)

    @staticmethod
    def _page(answer: _Answer, truncated: bool, seconds: float):
        """A results page (the first rows, as SPARQL TSV) as SPARQL JSON, which the query page reads."""
        from kasograph.query.sparql import SELECT_FORMATS, Answer, QueryFailed, _json_term

        results_format = pyoxigraph.QueryResultsFormat.from_media_type(answer.media_type)
        if results_format is None:
            raise QueryFailed(f"the server answered in a format kasograph cannot read: {answer.media_type!r}")
        try:
            results = pyoxigraph.parse_query_results(answer.body, format=results_format)
            if isinstance(results, pyoxigraph.QueryBoolean):
                body = json.dumps({"head": {}, "boolean": bool(results)}).encode("utf-8")
                return Answer("boolean", SELECT_FORMATS["json"][0], body, seconds=seconds)
            variables = results.variables
            bindings = [{v.value: _json_term(s[v]) for v in variables if s[v] is not None} for s in results]
        except SyntaxError as error:  # the server broke off its answer (an error while it streamed rows)
            raise QueryFailed(f"the server's answer could not be read: {error}") from None
        body = json.dumps({"head": {"vars": [v.value for v in variables]}, "results": {"bindings": bindings}}, ensure_ascii=False)
        return Answer("solutions", SELECT_FORMATS["json"][0], body.encode("utf-8"), truncated, seconds)

    def close(self) -> None:
        pass

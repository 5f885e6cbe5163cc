"""The remote store itself: reading what the server holds (documents, texts, graphs), and the SPARQL
updates that write it (see the package's docstring for their order)."""

from __future__ import annotations

import os
import re
import time
import uuid
from urllib.parse import urlencode

import pyoxigraph

from kasograph import lexer
from kasograph.namespaces import DEFAULT_BASE
from kasograph.store.batch import Outcomes, Progress, Stored
from kasograph.store.engine import PREFIX_MAP, GoalStore, Snapshot, bind_parameters, to_python
from kasograph.store.manifest import Manifest, StoredDocument
from kasograph.store.remote import writes
from kasograph.store.remote.connector import (
    ANY_ANSWER,
    RESULTS,
    AnswerTooLarge,
    Connector,
    RemoteError,
    RemoteTimeout,
    Reply,
    media_type,
)
from kasograph.store.remote.settings import RemoteSettings

KGS = "https://w3id.org/kasograph/store#"


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
    """A SPARQL server holding kasograph's documents: the counterpart of a StoreDirectory (both are a
    kasograph.store.interface.DocumentStore)."""

    def __init__(self, settings: RemoteSettings, base: str = DEFAULT_BASE):
        if not base.endswith(("/", "#")):
            base += "/"
        self.settings = settings
        self.base = base
        self.path = settings.location  # what messages name, as for a store directory
        self.catalogue = f"{base}graph/catalogue"
        self.staging_prefix = f"{base}graph/staging/"
        self.client = Connector(settings.location, settings.headers)

    def __repr__(self) -> str:
        return f"RemoteStore({self.settings.location!r})"

    @property
    def server(self) -> str:
        """The server that answers queries, and runs their SERVICE calls, itself."""
        return self.settings.query

    # Reading ---------------------------------------------------------------------------------------
    def exists(self) -> bool:
        """A remote store is always served, whatever it holds (there is no bundled fallback)."""
        return True

    def post_query(self, sparql: str, *, accept: str = ANY_ANSWER, default_graph: list[str] | None = None,
                   named_graphs: list[str] | None = None, timeout: float | None = None, limit: int | None = None) -> Reply:
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

    def _raise_for(self, answer: Reply, url: str, added: int) -> None:
        if answer.status == 400:
            raise SyntaxError(_shift_positions(answer.text(), added) or "the server refused the query as malformed")
        self._check(answer, url)

    def first_rows(self, sparql: str, rows: int, *, timeout: float, graph_accept: str, limit: int | None = None,
                   default_graph: list[str] | None = None, named_graphs: list[str] | None = None) -> tuple[Reply, bool]:
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
            kind = media_type(response)
        if response.status >= 400 or kind != "text/tab-separated-values":  # an error, a boolean or triples: whole
            with self.client.reading(url, timeout):
                try:
                    body = response.read() if limit is None else response.read(limit + 1)
                finally:
                    connection.close()
            if limit is not None and len(body) > limit:
                raise AnswerTooLarge(limit)
            answer = Reply(response.status, kind, body)
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
        return Reply(response.status, kind, b"".join(lines)), truncated

    def _check(self, answer: Reply, url: str) -> None:
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

    def snapshot(self) -> Snapshot:
        """What the server holds now; its catalogue's version names it (the data may change without
        kasograph knowing, so there is no generation to keep answers for)."""
        version = self.current()
        return Snapshot(RemoteGoalStore(self), self.source_texts(), version, version)

    def kept_answers_path(self, generation: str) -> None:
        """No answers are kept for a SPARQL server: what it holds may change without kasograph knowing."""
        return None

    def graph_ntriples(self, graph: str) -> bytes:
        """One named graph as N-Triples, asked through the query service (which every server has)."""
        return self.post_query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
                               accept="application/n-triples").body

    # Writing ---------------------------------------------------------------------------------------
    def store_documents(self, outcomes: Outcomes, total: int, say: Progress = lambda _: None) -> Stored:
        """Store a batch (kasograph.store.remote.writes); nothing is sent if any document failed."""
        return writes.store_documents(self, outcomes, total, say)

    def remove(self, document_id: str) -> StoredDocument:
        return writes.remove(self, document_id)

    def check_writable(self) -> None:
        if not self.settings.update or not self.settings.graph_store:
            raise RemoteError(self.settings.location, "this store is read-only here: the settings name no update and "
                                                      "graph_store URLs")

    def put_graph(self, graph: str, ntriples: str) -> None:
        """Replace a named graph by N-Triples (Graph Store Protocol PUT)."""
        self.check_writable()
        url = f"{self.settings.graph_store}{'&' if '?' in self.settings.graph_store else '?'}{urlencode({'graph': graph})}"
        answer = self.client.fetch("PUT", url, body=ntriples.encode("utf-8"), timeout=self.settings.write_timeout,
                                   headers={"Content-Type": "application/n-triples"}, reuse=False)
        self._check(answer, self.settings.graph_store)

    def update(self, sparql: str) -> None:
        """Run one SPARQL update request (kasograph's prefixes declared)."""
        self.check_writable()
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
    """The store on the server at `location`: a URL, or a TOML settings file naming its URLs."""
    return RemoteStore(RemoteSettings.from_location(location), base)


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

"""The remote store itself: reading what the server holds (documents, texts, graphs), and the SPARQL
updates that write it (see the package's docstring for their order)."""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from urllib.parse import urlencode

import pyoxigraph

from kasograph import lexer
from kasograph.namespaces import DEFAULT_BASE, VOCABULARY_GRAPH
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
#: What a results page asks for, by settings.paging: SPARQL TSV is read line by line and left unread past the page.
PAGING = {"tsv": "text/tab-separated-values", "json": "application/sparql-results+json"}
DATA_GRAPHS_SECONDS = 2.0
GRAPH_ANSWER = "application/n-triples"  # what a CONSTRUCT or DESCRIBE is asked for: kasograph reads it to the end
BLANK_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")  # what N-Triples allows (its ASCII part)


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
        # Where the union of the documents lives: the server's default graph, or a named graph of ours (settings.union).
        self.union_graph = f"{base}graph/union" if settings.union == "named" else None
        self._data_graphs: tuple[float, str | None, list[str]] | None = None  # (asked at, catalogue version, graphs)
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
                   named_graphs: list[str] | None = None, timeout: float | None = None, limit: int | None = None,
                   data: bool = False) -> Reply:
        """Send a query (kasograph's prefixes added where used) and return the server's whole answer, status
        checked: 400 is a SyntaxError with the server's message, positions as in `sparql`. `data`: a query of the
        documents' data (a page's, a visitor's), which sees what a local store would (see `_dataset`); else one of
        kasograph's own bookkeeping, which sees every graph (the catalogue, staging graphs)."""
        timeout = timeout or self.settings.timeout
        if accept == ANY_ANSWER:  # by the query's form: a server may write triples as a results table if let (Virtuoso)
            accept = GRAPH_ANSWER if lexer.query_form(sparql) in ("CONSTRUCT", "DESCRIBE") else RESULTS
        text, added = with_prefixes(sparql)
        form = [("query", text)] + self._dataset(sparql, default_graph, named_graphs, data=data)
        answer = self.client.fetch("POST", self.settings.query, body=urlencode(form).encode("utf-8"), timeout=timeout,
                                   headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}, limit=limit)
        self._raise_for(answer, self.settings.query, added)
        return answer

    def _dataset(self, sparql: str, default_graph: list[str] | None, named_graphs: list[str] | None, *,
                 data: bool) -> list[tuple[str, str]]:
        """The protocol's dataset of a query: as asked; else, where kasograph keeps the union in a named graph of
        its own (settings.union), for a query of the data that gives no dataset of its own (FROM), the union as
        the default graph and the documents' and the vocabulary's graphs as the named graphs — not the catalogue,
        the staging graphs or the server's own graphs, which a local store does not have."""
        given = [("default-graph-uri", g) for g in default_graph or []] + [("named-graph-uri", g) for g in named_graphs or []]
        if given or not data or not self.union_graph:
            return given
        reading = lexer.read(sparql)
        if reading.has_from:
            return []
        form = [("default-graph-uri", self.union_graph)]
        return form + [("named-graph-uri", g) for g in self.data_graphs()] if reading.names_graphs else form

    def data_graphs(self) -> list[str]:
        """The documents' graphs and the vocabulary's, as the catalogue lists them (read again when it changes;
        asked at most every DATA_GRAPHS_SECONDS)."""
        now = time.monotonic()
        if self._data_graphs is None or now - self._data_graphs[0] > DATA_GRAPHS_SECONDS:
            version = self.current()
            if self._data_graphs is None or self._data_graphs[1] != version:
                graphs = sorted(d.graph for d in self.manifest().documents.values()) + [VOCABULARY_GRAPH]
                self._data_graphs = (now, version, graphs)
            else:
                self._data_graphs = (now, version, self._data_graphs[2])
        return self._data_graphs[2]

    def _raise_for(self, answer: Reply, url: str, added: int) -> None:
        if answer.status == 400:
            raise SyntaxError(_shift_positions(answer.text(), added) or "the server refused the query as malformed")
        self._check(answer, url)

    def first_rows(self, sparql: str, rows: int, *, timeout: float, graph_accept: str, limit: int | None = None,
                   default_graph: list[str] | None = None, named_graphs: list[str] | None = None) -> tuple[Reply, bool]:
        """At most `rows` solutions (as SPARQL TSV, read line by line and the rest left unread), or the whole
        answer of an ASK, CONSTRUCT or DESCRIBE; and whether solutions were left out."""
        text, added = with_prefixes(sparql)
        form = [("query", text)] + self._dataset(sparql, default_graph, named_graphs, data=True)
        url = self.settings.query
        deadline = time.monotonic() + timeout
        with self.client.reading(url, timeout):
            response, connection, key = self.client.open(
                "POST", url, body=urlencode(form).encode("utf-8"), timeout=timeout,
                headers={"Content-Type": "application/x-www-form-urlencoded",
                         "Accept": graph_accept if lexer.query_form(sparql) in ("CONSTRUCT", "DESCRIBE") else PAGING[self.settings.paging]})
            kind = media_type(response)
        if response.status < 400 and self.settings.incomplete_header and response.getheader(self.settings.incomplete_header):
            connection.close()
            self._check_whole(response.headers, url)
        if response.status >= 400 or kind != "text/tab-separated-values":  # an error, a boolean, triples, JSON: whole
            with self.client.reading(url, timeout):
                try:
                    body = response.read() if limit is None else response.read(limit + 1)
                finally:
                    connection.close()
            if limit is not None and len(body) > limit:
                raise AnswerTooLarge(limit)
            answer = Reply(response.status, kind, body, response.headers)
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
            self._check_whole(answer.headers, url)
            return
        detail = answer.text()[:2000]
        if answer.status in (401, 403):
            raise RemoteError(self.settings.location, f"{url} refused the request (HTTP {answer.status}): check the token or "
                                                      f"password the store settings name. {detail}", answer.status)
        if answer.status in (503, 504) or re.search(r"time(d)?[ -]?out|cancell?ed", detail, re.IGNORECASE):
            raise RemoteTimeout(self.settings.location, f"{url} gave up (HTTP {answer.status}): {detail}", answer.status)
        raise RemoteError(self.settings.location, f"{url} answered HTTP {answer.status}: {detail}", answer.status)

    def _check_whole(self, headers, url: str) -> None:
        """A `200` the server marks as cut short by its time limit (settings.incomplete_header) is no answer."""
        name = self.settings.incomplete_header
        if name and headers.get(name):
            raise RemoteTimeout(self.settings.location, f"{url} gave up before the end and sent what it had "
                                                        f"({name}: {headers.get(name)}); kasograph does not pass a part on as the answer")

    def results(self, answer: Reply):
        """The answer's solutions, boolean or triples, read to the end first: an answer that breaks off (a server's
        time limit hit while it sent rows, a banner after them) is a RemoteTimeout, never a shorter answer."""
        body = portable_blank_nodes(answer.body) if answer.media_type == RESULTS else answer.body
        results_format = pyoxigraph.QueryResultsFormat.from_media_type(answer.media_type) if answer.media_type else None
        rdf_format = None if results_format else pyoxigraph.RdfFormat.from_media_type(answer.media_type or "")
        if results_format is None and rdf_format is None:
            raise RemoteError(self.path, f"the server answered in a format kasograph cannot read: {answer.media_type!r}")
        try:
            if results_format is not None:
                results = pyoxigraph.parse_query_results(body, format=results_format)
                if isinstance(results, pyoxigraph.QueryBoolean):
                    return results
                list(results)  # to the end, or the error
                return pyoxigraph.parse_query_results(body, format=results_format)
            holder = pyoxigraph.Store()  # triples as the embedded store gives them (QueryTriples)
            holder.load(body, format=rdf_format)
            return holder.query("CONSTRUCT WHERE { ?s ?p ?o }")
        except SyntaxError as error:
            raise RemoteTimeout(self.path, f"{self.settings.query} sent an answer that breaks off ({error}): it stopped "
                                           "midway, most likely at a time limit of its own") from None

    def rows(self, sparql: str) -> list[dict[str, object]]:
        results = self.results(self.post_query(sparql, accept=RESULTS))
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

    def boolean_of(self, sparql: str, answer: Reply) -> bool | None:
        """The boolean of an ASK answer; read from the one-row table a server gives instead where the
        settings say it does (settings.ask_as_table); None for an answer of another form."""
        if not self.settings.ask_as_table or lexer.query_form(sparql) != "ASK":
            return None
        results = pyoxigraph.parse_query_results(answer.body, format=pyoxigraph.QueryResultsFormat.from_media_type(answer.media_type))
        if isinstance(results, pyoxigraph.QueryBoolean):
            return bool(results)
        row = next(iter(results), None)
        return row is not None and row[0] is not None and row[0].value not in ("0", "false")

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
        self._check_write(answer, self.settings.graph_store, "graph_store")

    def update(self, sparql: str) -> None:
        """Run one SPARQL update request (kasograph's prefixes declared)."""
        self.check_writable()
        text, _ = with_prefixes(sparql)
        # The update as its own media type, not a form: servers cap forms (Fuseki 4.5 at 2 MB), not update bodies.
        answer = self.client.fetch("POST", self.settings.update, body=text.encode("utf-8"),
                                   headers={"Content-Type": "application/sparql-update"},
                                   timeout=self.settings.write_timeout, reuse=False)
        if answer.status == 400:
            raise RemoteError(self.settings.location, f"{self.settings.update} refused kasograph's update: {answer.text()[:2000]}", 400)
        self._check_write(answer, self.settings.update, "update")

    def _check_write(self, answer: Reply, url: str, key: str) -> None:
        # A server that can be read but has no such write address (a read-only Oxigraph, a Fuseki dataset
        # given as a bare URL) answers 404, 405 or 501 (Oxigraph's PUT to an unknown path): say what to give.
        if answer.status in (404, 405, 501):
            raise RemoteError(self.settings.location, f"{url} answered HTTP {answer.status}: this store can be read but not "
                                                      f"written at that address. Give a settings file whose `{key}` names the "
                                                      "server's write address (docs/remote.md)", answer.status)
        self._check(answer, url)

    def drop_quietly(self, graphs: list[str]) -> None:
        """Best effort, on the way out of a failed import."""
        try:
            self.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))
        except RemoteError:
            pass

    def staged_graphs(self) -> list[str]:
        """The staging graphs an import stopped midway left (nothing reads them as data)."""
        rows = self.rows(f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?g), "{self.staging_prefix}")) }}')
        return [row["g"] for row in rows]

    def pending_graphs(self) -> list[str]:
        """The graphs an update was putting in place when it stopped between operations (see `mark_pending`)."""
        rows = self.rows(f"SELECT ?g WHERE {{ GRAPH <{self.catalogue}> {{ <{self.catalogue}> <{KGS}pending> ?g }} }}")
        return sorted(row["g"] for row in rows)

    def mark_pending(self, graphs: list[str]) -> str:
        """The first operation of an update that changes `graphs`: a server that does not run an update as one
        transaction (Virtuoso keeps the operations before one that fails; a kill undoes them all) may stop between
        its operations, and the next import or removal finds the mark and repairs (writes.repair)."""
        facts = " ".join(f"<{self.catalogue}> <{KGS}pending> <{g}> ." for g in graphs)
        return f"INSERT DATA {{ GRAPH <{self.catalogue}> {{ {facts} }} }}"

    def unmark_pending(self) -> str:
        """The last operation of such an update."""
        return f"DELETE WHERE {{ GRAPH <{self.catalogue}> {{ <{self.catalogue}> <{KGS}pending> ?g }} }}"

    def rebuild_union(self, graphs: list[str]) -> list[str]:
        """Update operations that make the union again from `graphs` (after a repair)."""
        clear = f"DROP SILENT GRAPH <{self.union_graph}>" if self.union_graph else "CLEAR SILENT DEFAULT"
        return [clear, *(self.add_to_union(g) for g in graphs)]

    def staging(self, document_id: str, part: str) -> str:
        return f"{self.staging_prefix}{document_id}/{part}"

    def is_data(self, variable: str) -> str:
        """A filter on a graph variable: kasograph's data (a document's graph or the vocabulary's), not the
        catalogue, a staging graph, the union's graph, nor a graph of the server's own (Virtuoso keeps some)."""
        return (f'((STRSTARTS(STR({variable}), "{self.base}graph/") && {variable} != <{self.catalogue}> '
                f'&& {variable} != <{self.union_graph or self.catalogue}> && !STRSTARTS(STR({variable}), "{self.staging_prefix}")) '
                f"|| {variable} = <{VOCABULARY_GRAPH}>)")

    def in_union(self, triples: str) -> str:
        """Triple patterns (or triples) as the union holds them: in the default graph, or in the union's graph."""
        return f"GRAPH <{self.union_graph}> {{ {triples} }}" if self.union_graph else triples

    def add_to_union(self, graph: str) -> str:
        """The update operation that adds a graph's triples to the union."""
        return (f"INSERT {{ {self.in_union('?s ?p ?o')} }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} "
                f"FILTER NOT EXISTS {{ {self.in_union('?s ?p ?o')} }} }}")

    def swap_in(self, graph: str, staged: str, *, new: bool = False) -> list[str]:
        """Update operations that make `graph` what the staged graph holds and keep the union a set, touching
        only what differs: the triples only the old version held leave the graph and the union, the new
        version's join them. (Deleting a quad and inserting it again in one update loses it when Virtuoso 7
        recovers from a kill; measured, tests/test_remote_faults.py. Unchanged quads are also less work.)
        `new`: the graph holds nothing yet (a document not stored before), so the staged graph is copied whole."""
        if new:
            return [f"INSERT {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{staged}> {{ ?s ?p ?o }} }}",
                    f"DROP SILENT GRAPH <{staged}>", self.add_to_union(graph)]
        only_old = f"GRAPH <{graph}> {{ ?s ?p ?o }} FILTER NOT EXISTS {{ GRAPH <{staged}> {{ ?s ?p ?o }} }}"
        return [f"""DELETE {{ {self.in_union('?s ?p ?o')} }} WHERE {{
  {only_old}
  FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER (?other != <{graph}> && {self.is_data('?other')}) }}
}}""", f"DELETE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} WHERE {{ {only_old} }}",
                f"INSERT {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{staged}> {{ ?s ?p ?o }} "
                f"FILTER NOT EXISTS {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} }}",
                f"DROP SILENT GRAPH <{staged}>", self.add_to_union(graph)]

    def take_out(self, graph: str) -> list[str]:
        """Update operations that drop a graph and what only it held from the union."""
        return [f"""DELETE {{ {self.in_union('?s ?p ?o')} }} WHERE {{
  GRAPH <{graph}> {{ ?s ?p ?o }}
  FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER (?other != <{graph}> && {self.is_data('?other')}) }}
}}""", f"DROP SILENT GRAPH <{graph}>"]

    def relink(self, links: dict[str, list[tuple[str, str]]], new: frozenset[str] = frozenset()) -> list[str]:
        """Update operations that make the `prov:wasRevisionOf` links each graph of a series holds the given
        pairs: the others leave (the graph and the union), the new ones join, unchanged ones are not touched
        (see catalogue_entry); the pairs are compared in a staging graph. The `new` graphs have no links yet."""
        operations = []
        link = "?x prov:wasRevisionOf ?y"
        for graph, pairs in links.items():
            staged = self.staging(graph.rsplit("/", 1)[-1], "links")
            triples = "\n".join(f"<{later}> prov:wasRevisionOf <{earlier}> ." for later, earlier in pairs)
            if graph in new:
                operations += [f"INSERT DATA {{ GRAPH <{graph}> {{ {triples} }} {self.in_union(triples)} }}"] if pairs else []
                continue
            if pairs:
                operations.append(f"INSERT DATA {{ GRAPH <{staged}> {{ {triples} }} }}")
            operations += [f"DELETE {{ GRAPH <{graph}> {{ {link} }} {self.in_union(link)} }} "
                           f"WHERE {{ GRAPH <{graph}> {{ {link} }} FILTER NOT EXISTS {{ GRAPH <{staged}> {{ {link} }} }} }}",
                           f"INSERT {{ GRAPH <{graph}> {{ {link} }} {self.in_union(link)} }} "
                           f"WHERE {{ GRAPH <{staged}> {{ {link} }} FILTER NOT EXISTS {{ GRAPH <{graph}> {{ {link} }} }} }}",
                           f"DROP SILENT GRAPH <{staged}>"] if pairs else [
                           f"DELETE {{ GRAPH <{graph}> {{ {link} }} {self.in_union(link)} }} WHERE {{ GRAPH <{graph}> {{ {link} }} }}"]
        return operations

    def catalogue_entry(self, stored: StoredDocument | None, document_id: str, dataset: str | None, text: str | None,
                        *, new: bool = False) -> list[str]:
        """Update operations that replace (or, with `stored` None, delete) a document's catalogue entry and
        give the catalogue a new version; the entry's unchanged statements are not touched. `new`: the
        catalogue has no entry for the document yet."""
        cat = self.catalogue
        version = [f"DELETE WHERE {{ GRAPH <{cat}> {{ ?c <{KGS}version> ?v }} }}",  # an IRI: Virtuoso takes no blank node here
                   f"INSERT DATA {{ GRAPH <{cat}> {{ <{cat}> <{KGS}version> {_literal(uuid.uuid4().hex)} . }} }}"]
        facts = "\n".join(f"{s} {p} {o} ." for s, p, o in _entry_facts(stored, dataset, text))
        if new:
            return [f"INSERT DATA {{ GRAPH <{cat}> {{\n{facts}\n}} }}", *version]
        # Only what differs is deleted — a quad deleted and inserted again in one update is lost when Virtuoso 7
        # recovers from a kill (swap_in) — so the new entry is written to a staging graph and compared there.
        staged = self.staging(document_id, "catalogue")
        entry_now = f"""{{ ?s dct:identifier {_literal(document_id)} ; ?p ?o }}
    UNION {{ ?d dct:identifier {_literal(document_id)} ; <{KGS}sourceText> ?s . ?s ?p ?o }}"""
        return [f"INSERT DATA {{ GRAPH <{staged}> {{\n{facts}\n}} }}"] * bool(facts) + [
            f"""DELETE {{ GRAPH <{cat}> {{ ?s ?p ?o }} }} WHERE {{
  GRAPH <{cat}> {{ {entry_now} }} FILTER NOT EXISTS {{ GRAPH <{staged}> {{ ?s ?p ?o }} }}
}}""", f"INSERT {{ GRAPH <{cat}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{staged}> {{ ?s ?p ?o }} FILTER NOT EXISTS {{ GRAPH <{cat}> {{ ?s ?p ?o }} }} }}",
            f"DROP SILENT GRAPH <{staged}>", *version]


def _entry_facts(stored: StoredDocument | None, dataset: str | None, text: str | None) -> list[tuple[str, str, str]]:
    """A document's catalogue entry as (subject, predicate, object) terms; none for a document taken out."""
    if stored is None:
        return []
    entry = f"<{dataset}>"
    facts = [(entry, p, o) for p, o in [
        ("a", "dcat:Dataset"), ("dct:identifier", _literal(stored.id)), (f"<{KGS}graph>", f"<{stored.graph}>"),
        ("dct:title", _literal(stored.title)), ("void:triples", str(stored.triples)),
        ("prov:generatedAtTime", _literal(stored.imported_at, "http://www.w3.org/2001/XMLSchema#dateTime")),
        (f"<{KGS}source>", _literal(stored.source)), (f"<{KGS}city>", _literal(stored.city)),
        (f"<{KGS}division>", _literal(stored.division)), *([(f"<{KGS}year>", str(int(stored.year)))] if stored.year else [])]]
    if stored.source_text and text is not None:
        facts += [(entry, f"<{KGS}sourceText>", f"<{stored.source_text}>"), (f"<{stored.source_text}>", f"<{KGS}content>", _literal(text))]
    return facts


def _literal(value: str, datatype: str | None = None) -> str:
    if datatype:
        return str(pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(datatype)))
    return str(pyoxigraph.Literal(value))


def portable_blank_nodes(body: bytes) -> bytes:
    """SPARQL JSON results whose blank nodes all have labels RDF allows: where a server's are not (Virtuoso's
    `nodeID://b1`), every label of the answer is written in hex (the same node keeps the same label)."""
    if b'"bnode"' not in body:
        return body
    answer = json.loads(body)
    nodes = [term for row in answer.get("results", {}).get("bindings", []) for term in row.values() if term.get("type") == "bnode"]
    if all(BLANK_LABEL.fullmatch(term["value"]) for term in nodes):
        return body
    for term in nodes:
        term["value"] = "x" + term["value"].encode("utf-8").hex()
    return json.dumps(answer).encode("utf-8")


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
        answer = self.remote.post_query(sparql, default_graph=default_graph, named_graphs=named_graphs, data=True)
        boolean = self.remote.boolean_of(sparql, answer)
        if boolean is not None:
            return pyoxigraph.parse_query_results(b'{"head":{},"boolean":%s}' % str(boolean).lower().encode(),
                                                  format=pyoxigraph.QueryResultsFormat.JSON)
        return self.remote.results(answer)

    def has_named_graphs(self) -> bool:
        return bool(self.query(f"ASK {{ GRAPH ?g {{ ?s ?p ?o }} FILTER ({self.remote.is_data('?g')}) }}"))

    def graphs(self):
        rows = self.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER ({self.remote.is_data('?g')}) }}")
        return iter([row["g"].value for row in rows])

    def quads(self):
        """The documents' graphs' quads (not the catalogue's, not a staging graph's); the default
        graph's when there are no named graphs. One query, so blank nodes keep their identity."""
        rows = self.query(f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER ({self.remote.is_data('?g')}) }}")
        quads = [pyoxigraph.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]
        if not quads:
            return iter([pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in self.triples()])
        return iter(quads)

    def triples(self):
        return iter(self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"))

    def graph_triples(self, graph: str) -> list[pyoxigraph.Triple]:
        return list(self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"))

    def __len__(self) -> int:
        rows = list(self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER ({self.remote.is_data('?g')}) }}"))
        count = int(rows[0]["n"].value) if rows else 0
        if count == 0:
            rows = list(self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
            count = int(rows[0]["n"].value) if rows else 0
        return count

    def load_dataset(self, dataset) -> None:
        raise NotImplementedError("a remote store is written by `kasograph import`")

    load_file = load_dataset

"""Running analysts' SPARQL safely: a read-only check, and a pool of worker processes with a time limit.

Neither rdflib nor pyoxigraph can interrupt a running query, and both fetch
`SERVICE` URLs themselves (DESIGN.md, "Safety facts"). So a query is first
parsed here — refused if it is an update, or if it calls a SERVICE not on the
allow-list — and then runs in a worker process that holds its own copy of the
store. A worker that passes the time limit is killed and replaced, while the
other workers and the web process go on answering. Results are serialised by
the engine inside the worker; only bytes cross the pipe.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import queue
import signal
import tempfile
import threading
import time
import typing
from dataclasses import dataclass, field

import pyoxigraph

from kasograph import lexer
from kasograph.formats import GRAPHS, RESULTS
from kasograph.query import sealing
from kasograph.store.engine import PREFIX_MAP, GoalStore


class QueryRefused(Exception):
    """The query may not run here (an update, or a SERVICE not on the allow-list): HTTP 403."""


class QuerySyntaxError(Exception):
    """The query does not parse: HTTP 400, with the parser's message and position."""


class QueryTimeout(Exception):
    """The query ran past the time limit and was stopped."""


class QueryFailed(Exception):
    """The engine could not answer this query (for example an error while evaluating): HTTP 400."""


class QueryTooLarge(QueryFailed):
    """The answer would be larger than the limit on answers: HTTP 400, with the limit."""


class QueryWorkerLost(QueryFailed):
    """The worker stopped while it answered. `crashed`: it died of a fault (a stack overflow in the
    engine, say) that this query caused, so asking again would do the same: HTTP 400; otherwise
    (killed from outside, out of memory) the server could not answer now: HTTP 503."""

    def __init__(self, message: str, crashed: bool):
        super().__init__(message)
        self.crashed = crashed


@dataclass
class Answer:
    kind: str  # "solutions" | "boolean" | "graph"
    media_type: str
    body: bytes
    truncated: bool = False  # only when a row limit was asked for: rows came after the page
    seconds: float = 0.0  # what computing it took
    cached: bool = False  # answered from the answers kept for this generation (kasograph.query.answers)
    total: int | None = None  # with a row limit: the rows of the whole answer, counted without keeping them
    total_exact: bool = True  # False: the count stopped at its time budget, and `total` is a lower bound


#: How deep brackets may nest. Real queries nest a few levels; the engine's parser recurses on each,
#: and a query nested thousands deep would overflow its stack (the worker runs queries on a large
#: stack anyway, and a worker that dies of a query is replaced).
MAX_NESTING = 256
#: What a query's answer may weigh by default (bytes, serialised): a cross product of the store with
#: itself serialises to hundreds of MB in seconds, which the web process would otherwise have to hold.
MAX_RESULT_BYTES = 50_000_000
#: A worker answers on a thread with this much stack: reserved address space, used only by a deep query.
WORKER_STACK_BYTES = 512 * 1024 * 1024
#: The share of a query's time limit that counting the rows past a page may take (the rest is for the
#: page itself and its way back); past it the count says "at least".
COUNT_SHARE = 0.5
#: Seconds a page cut from a kept answer may spend counting its rows (the answer is parsed again).
KEPT_COUNT_SECONDS = 3.0


def check(sparql: str, allowed_services: tuple[str, ...] = ()) -> lexer.Reading:
    """Refuse updates, SERVICE calls to places not on the allow-list, and what engines may read
    differently; return the query's reading (its SERVICEs, whether it names graphs).

    It reads by the grammar's terminals (kasograph.query.lexer) in microseconds, where a parse in Python
    takes tens of milliseconds. It is the only guard for a remote store and where query workers cannot
    be sealed (kasograph.query.sealing); where they can, a SERVICE it missed would still open no connection.
    """
    reading = lexer.read(sparql)
    if reading.depth > MAX_NESTING:
        raise QuerySyntaxError(f"brackets nest more than {MAX_NESTING} deep; write the query flatter")
    if reading.updates:
        raise QueryRefused(f"this endpoint is read-only: updates are refused ({', '.join(sorted(reading.updates))})")
    for target in reading.services:
        if target.kind != "iri":
            raise QueryRefused("SERVICE needs a full IRI from the allow-list, not a variable or prefixed name")
        if lexer.unescaped(target.text[1:-1]) not in allowed_services:
            raise QueryRefused(f"SERVICE {target.text} is not on this server's allow-list")
    if reading.ambiguous:
        raise QuerySyntaxError(reading.ambiguous[0])
    return reading


def service_allowlist(entries) -> tuple[str, ...]:
    """The SERVICE IRIs queries may call, each an absolute http(s) IRI (a relative one could never match
    what a query resolves, and would only mislead); ValueError names the first that is not."""
    allowed = []
    for entry in entries:
        try:
            pyoxigraph.NamedNode(entry)
        except ValueError:
            raise ValueError(f"{entry!r} is not an IRI") from None
        if not entry.lower().startswith(("http://", "https://")):
            raise ValueError(f"{entry!r} is not an absolute http(s) IRI")
        allowed.append(entry)
    return tuple(allowed)


def _worker(connection, data: str, seal: bool) -> None:
    """A worker process: seal it from the network if asked (before it reads a query), then answer
    queries on a thread with a large stack (the engine's parser and planner recurse; a process's main
    thread has 8 MB, which a long chain of UNIONs overflows)."""
    if seal:
        try:
            sealing.seal()
        except sealing.SealingFailed as error:
            connection.send(("unsealed", str(error)))
            return
    threading.stack_size(WORKER_STACK_BYTES)
    thread = threading.Thread(target=_serve, args=(connection, data), name="kasograph-query")
    thread.start()
    thread.join()


class _TooLarge(Exception):
    pass


class _Bounded:
    """A file for the engine to serialise into that refuses to grow past `limit` bytes."""

    def __init__(self, limit: int | None):
        self.parts: list[bytes] = []
        self.size = 0
        self.limit = limit

    def write(self, data) -> int:
        self.size += len(data)
        if self.limit is not None and self.size > self.limit:
            raise _TooLarge()
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def value(self) -> bytes:
        return b"".join(self.parts)


def _serialize(results, fmt, limit: int | None) -> bytes:
    out = _Bounded(limit)
    results.serialize(out, format=fmt)
    return out.value()


def _serve(connection, data: str) -> None:
    """Open the on-disk store read-only (a folder) or load the data once (an N-Quads file), then
    answer queries until the pipe closes."""
    if os.path.isdir(data):
        store = GoalStore(pyoxigraph.Store.read_only(data), path=data)
    else:
        store = GoalStore()
        store.store.bulk_load(path=data, format=pyoxigraph.RdfFormat.N_QUADS)  # the dump holds the union already
        store.copy_union()
    connection.send(("ready",))
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        sparql, options, select_format, graph_format, row_limit = request
        started = time.perf_counter()
        limit = options.get("max_bytes")
        try:
            graphs = _graph_options(options)
            results = store.engine_for(sparql, graphs_given=bool(graphs)).query(sparql, prefixes=PREFIX_MAP, **graphs)
            if isinstance(results, pyoxigraph.QueryBoolean):
                media, fmt = RESULTS[select_format].media_type, RESULTS[select_format].engine
                answer = Answer("boolean", media, results.serialize(format=fmt))
            elif isinstance(results, pyoxigraph.QueryTriples):
                media, fmt = GRAPHS[graph_format].media_type, GRAPHS[graph_format].engine
                answer = Answer("graph", media, _serialize(results, fmt, limit))
            else:
                media, fmt = RESULTS[select_format].media_type, RESULTS[select_format].engine
                count_until = started + options.get("count_seconds", 0.0)
                answer = _solutions(results, media, fmt, row_limit, limit, options.get("row_offset", 0), count_until)
            answer.seconds = time.perf_counter() - started
            connection.send(("ok", answer))
        except _TooLarge:
            connection.send(("too large", f"the answer is larger than {limit:,} bytes; narrow the query "
                                          "(LIMIT, more specific patterns), or download the whole dataset"))
        except SyntaxError as error:
            connection.send(("syntax", str(error)))
        except Exception as error:  # noqa: BLE001 - anything the engine raises goes back as a message
            connection.send(("error", f"{type(error).__name__}: {error}"))


def _graph_options(options: dict) -> dict:
    result: dict = {}  # empty: the query's own dataset, or the union
    if options.get("default_graph"):
        result["default_graph"] = [pyoxigraph.NamedNode(g) for g in options["default_graph"]]
    if options.get("named_graphs"):
        result["named_graphs"] = [pyoxigraph.NamedNode(g) for g in options["named_graphs"]]
    return result


def _solutions(results, media: str, fmt, row_limit: int | None, limit: int | None = None, offset: int = 0,
               count_until: float = 0.0) -> Answer:
    if row_limit is None:
        return Answer("solutions", media, _serialize(results, fmt, limit))
    # A page keeps rows offset+1 … offset+row_limit and only counts the others (the engine streams), until
    # `count_until` (a perf_counter time): a page can say how many rows there are without holding them.
    variables = results.variables
    kept: list = []
    seen, exact = 0, True
    for solution in results:
        if offset <= seen < offset + row_limit:
            kept.append(solution)
        seen += 1
        if seen > offset + row_limit and time.perf_counter() > count_until:
            exact = False
            break
    answer = page_of(variables, kept, seen > offset + row_limit)
    answer.total, answer.total_exact = seen, exact
    return answer


def page_of(variables, solutions, truncated: bool = False, seconds: float = 0.0) -> Answer:
    """Solutions as a results page: SPARQL JSON, which the query page reads (rows are already few)."""
    bindings = [{v.value: _json_term(s[v]) for v in variables if s[v] is not None} for s in solutions]
    body = json.dumps({"head": {"vars": [v.value for v in variables]}, "results": {"bindings": bindings}}, ensure_ascii=False)
    return Answer("solutions", RESULTS["json"].media_type, body.encode("utf-8"), truncated, seconds)


def columns_in_order(sparql: str, columns: list[str]) -> list[str]:
    """The columns of a `SELECT *` in the order the query first names their variables (the engine keeps
    an order of its own: `?s ?p ?o` came back as o, p, s); any other query's columns as they are."""
    found = lexer.tokens(sparql)
    words = [(i, t.text.upper()) for i, t in enumerate(found) if t.kind == "word"]
    select = next((i for i, word in words if word == "SELECT"), None)
    if select is None:
        return columns
    after = found[select + 1:select + 3]
    star = [t for t in after if t.kind == "punct" and t.text == "*"]
    if not star or (after[0] is not star[0] and after[0].text.upper() not in ("DISTINCT", "REDUCED")):
        return columns
    first: dict[str, int] = {}
    for position, token in enumerate(found[select:]):
        if token.kind == "var":
            first.setdefault(token.text[1:], position)
    return sorted(columns, key=lambda c: (first.get(c, len(found)), columns.index(c)))


def _json_term(term) -> dict:
    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, pyoxigraph.Literal):
        value = {"type": "literal", "value": term.value}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            value["datatype"] = term.datatype.value
        return value
    return {"type": "literal", "value": str(term)}


# A worker that dies of one of these signals died of the query it ran (the engine overflowed its stack, say).
_FAULTS = {signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS, signal.SIGILL, signal.SIGFPE}


@dataclass
class _Worker:
    process: multiprocessing.Process
    connection: object


#: The format an answer is kept in (kasograph.query.answers), from which every other is made.
KEPT_FORMATS = {"solutions": "json", "boolean": "json", "graph": "nt"}


def from_kept(kept: Answer, select_format: str = "json", graph_format: str = "ttl", row_limit: int | None = None,
              row_offset: int = 0) -> Answer:
    """A kept answer (SPARQL JSON results, or N-Triples for a graph) in the format and row limit asked for:
    the engine parses and writes it again, which costs a fraction of answering the query."""
    if kept.kind == "graph":
        if graph_format == "nt":
            return kept
        media, fmt = GRAPHS[graph_format].media_type, GRAPHS[graph_format].engine
        triples = pyoxigraph.parse(kept.body, format=pyoxigraph.RdfFormat.N_TRIPLES)
        return Answer("graph", media, pyoxigraph.serialize(triples, format=fmt), seconds=kept.seconds, cached=True)
    if select_format == "json" and (row_limit is None or kept.kind == "boolean"):
        return kept
    results = pyoxigraph.parse_query_results(kept.body, format=pyoxigraph.QueryResultsFormat.JSON)
    media, fmt = RESULTS[select_format].media_type, RESULTS[select_format].engine
    if kept.kind == "boolean":
        return Answer("boolean", media, results.serialize(format=fmt), seconds=kept.seconds, cached=True)
    answer = _solutions(results, media, fmt, row_limit, offset=row_offset, count_until=time.perf_counter() + KEPT_COUNT_SECONDS)
    answer.seconds, answer.cached = kept.seconds, True
    return answer


@dataclass
class QueryWorkers:
    """Worker processes that each hold the store (`data`: a store directory or an N-Quads file) and run
    queries with a time limit; the web process never blocks on the engine. `sealed` workers cannot open
    a network connection (kasograph.query.sealing); they refuse to start if the filter does not hold.

    `run` is the runner: it does not check what it runs (QueryPool does)."""

    data: str
    count: int = 2
    timeout: float = 10.0
    sealed: bool = True
    closed: threading.Event = field(default_factory=threading.Event)
    _idle: queue.Queue = field(default_factory=queue.Queue, init=False)
    _context: object = field(default=None, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _all: list = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        # "spawn": a fresh interpreter, never a fork of a threaded web server.
        self._context = multiprocessing.get_context("spawn")
        for _ in range(self.count):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker, args=(child, self.data, self.sealed), daemon=True,
                                        name="kasograph-query")
        process.start()
        child.close()
        status = parent.recv() if parent.poll(120) else ("silent",)
        if status != ("ready",):
            process.kill()
            raise RuntimeError(f"a query worker did not start: {status[-1]}")
        worker = _Worker(process, parent)
        with self._lock:
            self._all.append(worker)
        return worker

    def run(self, sparql: str, select_format: str = "json", graph_format: str = "ttl", row_limit: int | None = None,
            default_graph: list[str] | None = None, named_graphs: list[str] | None = None, timeout: float | None = None,
            max_bytes: int | None = MAX_RESULT_BYTES, row_offset: int = 0) -> Answer:
        """Run a query on the next idle worker; raise QuerySyntaxError, QueryTimeout or QueryFailed.
        With `row_limit`: the rows after `row_offset`, and the count of all (within the time limit)."""
        limit = self.timeout if timeout is None else timeout
        started = time.monotonic()
        try:
            worker = self._idle.get(timeout=limit)
        except queue.Empty:
            raise QueryTimeout(f"every query worker stayed busy for {limit:g} s") from None
        remaining = max(0.1, limit - (time.monotonic() - started))
        try:
            worker.connection.send((sparql, {"default_graph": default_graph, "named_graphs": named_graphs,
                                             "max_bytes": max_bytes, "row_offset": row_offset,
                                             "count_seconds": remaining * COUNT_SHARE},
                                    select_format, graph_format, row_limit))
            if not worker.connection.poll(remaining):
                self._replace(worker)
                worker = None
                raise QueryTimeout(f"the query was stopped after {limit:g} s")
            status, *payload = worker.connection.recv()
        except (EOFError, OSError, BrokenPipeError):
            lost, worker = worker, None
            self._lost(lost)
        finally:
            if worker is not None:
                self._idle.put(worker)
        if status == "ok":
            return payload[0]
        if status == "syntax":
            raise QuerySyntaxError(payload[0])
        if status == "too large":
            raise QueryTooLarge(payload[0])
        raise QueryFailed(payload[0])

    def _lost(self, worker: _Worker) -> typing.NoReturn:
        """A worker that stopped while it answered: replace it and say why (never returns)."""
        worker.process.join(2)
        crashed = (worker.process.exitcode or 0) < 0 and -worker.process.exitcode in _FAULTS
        self._replace(worker)
        if crashed:
            raise QueryWorkerLost("the query stopped the engine (nested or chained too deeply?); "
                                  "write it more simply", crashed=True) from None
        raise QueryWorkerLost("the query worker stopped unexpectedly; try again", crashed=False) from None

    def _replace(self, worker: _Worker | None) -> None:
        """Kill a worker and start its replacement in the background, so that the caller answers at once."""
        if worker is not None:
            worker.process.kill()
            worker.process.join(5)
            with self._lock:
                if worker in self._all:
                    self._all.remove(worker)

        def start() -> None:
            if self.closed.is_set():
                return
            try:
                replacement = self._start()
            except (RuntimeError, OSError, EOFError):
                return  # the pool is closing (its data file is gone) or the machine is out of processes
            if self.closed.is_set():
                replacement.process.kill()
            else:
                self._idle.put(replacement)

        threading.Thread(target=start, daemon=True).start()

    def close(self) -> None:
        self.closed.set()
        with self._lock:
            workers, self._all = list(self._all), []
        for worker in workers:
            worker.process.kill()
            worker.process.join(5)


@dataclass
class QueryPool:
    """Visitors' queries, checked (`check`), answered by sealed workers — or, for a query whose every
    SERVICE is on `allowed_services`, by a worker that may use the network, started when first needed.

    With `answers` (a kasograph.query.answers.AnswerCache of the store's generation), an answer that took
    long is kept, and the same query is then answered from it, in any format."""

    store: GoalStore
    workers: int = 2
    timeout: float = 10.0
    max_result_bytes: int | None = MAX_RESULT_BYTES  # a larger answer is refused (QueryTooLarge)
    answers: object | None = None  # kasograph.query.answers.AnswerCache
    allowed_services: tuple[str, ...] = ()
    closed: threading.Event = field(default_factory=threading.Event, init=False)  # set by close()
    _data: str = field(default="", init=False)  # what workers open: the on-disk store, or an N-Quads copy
    _temporary: bool = field(default=False, init=False)
    _sealed: QueryWorkers | None = field(default=None, init=False)
    _networked: QueryWorkers | None = field(default=None, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def __post_init__(self) -> None:
        if self.store.path is not None:
            self._data = str(self.store.path)  # a published generation: never written again, safe to share
        else:
            handle, self._data = tempfile.mkstemp(prefix="kasograph-", suffix=".nq")
            self._temporary = True
            with os.fdopen(handle, "wb") as out:
                self.store.store.dump(out, format=pyoxigraph.RdfFormat.N_QUADS)
        # Where the platform cannot seal, the workers run unsealed (and `serve` has said so): the check guards alone.
        self._sealed = QueryWorkers(self._data, self.workers, self.timeout, sealed=sealing.unavailable() is None,
                                    closed=self.closed)

    def run(self, sparql: str, *, select_format: str = "json", graph_format: str = "ttl", row_limit: int | None = None,
            default_graph: list[str] | None = None, named_graphs: list[str] | None = None,
            timeout: float | None = None, max_bytes: int | None = -1, row_offset: int = 0) -> Answer:
        """Check a query and run it; raise QueryRefused, QuerySyntaxError, QueryTimeout or QueryFailed when it
        cannot be answered. `max_bytes`: the largest answer, if not the pool's `max_result_bytes` (-1); None: no limit.
        `row_limit` and `row_offset`: a page of rows, with the count of all (Answer.total)."""
        reading = check(sparql, self.allowed_services)
        key = exact = None
        if self.answers is not None:
            # The answer is kept in one format (`key`); a copy made in another is kept too (`exact`), so that
            # a large CSV download is not written again from the JSON each time.
            key = self.answers.key(sparql, default_graph=default_graph or [], named_graphs=named_graphs or [])
            exact = self.answers.key(sparql, default_graph=default_graph or [], named_graphs=named_graphs or [],
                                     formats=[select_format, graph_format], row_limit=row_limit,
                                     **({"row_offset": row_offset} if row_offset else {}))
            kept = self.answers.get(exact)
            if kept is not None:
                return kept
            kept = self.answers.get(key)
            if kept is not None:
                answer = from_kept(kept, select_format, graph_format, row_limit, row_offset)
                if answer is not kept and row_limit is None:
                    self.answers.put(exact, answer)
                return answer
        workers = self._with_network() if reading.services else self._sealed
        answer = workers.run(sparql, select_format, graph_format, row_limit, default_graph, named_graphs, timeout,
                             self.max_result_bytes if max_bytes == -1 else max_bytes, row_offset)
        if key is not None and row_limit is None and (select_format if answer.kind != "graph" else graph_format) == KEPT_FORMATS[answer.kind]:
            self.answers.put(key, answer)
        return answer

    def _with_network(self) -> QueryWorkers:
        """The one worker that may call the allow-listed SERVICEs (only checked queries that call them get here)."""
        with self._lock:
            if self._networked is None:
                self._networked = QueryWorkers(self._data, 1, self.timeout, sealed=False, closed=self.closed)
            return self._networked

    def close(self) -> None:
        self.closed.set()
        for workers in (self._sealed, self._networked):
            if workers is not None:
                workers.close()
        if self._temporary and os.path.exists(self._data):
            os.unlink(self._data)

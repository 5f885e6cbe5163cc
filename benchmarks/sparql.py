"""Time the saved questions: kasograph's SPARQL endpoint against the engine it runs, and rdflib.

    python -m benchmarks.sparql [--sizes 10k,100k,1m] [--repeat 5] [--rdflib-limit 60] [--json FILE]
    python -m benchmarks.sparql --source STORE_DIR | FILE.nq | http://host:port [--repeat 5] …

Every saved question (kasograph/queries/*.rq) is asked three ways of the same data:

- the endpoint of `kasograph serve` over HTTP (one kept-alive connection, the query form-encoded):
  for a store directory `kasograph --store DIR serve`, for a file `kasograph serve --data FILE`,
  for a SPARQL server `kasograph --store URL serve`;
- the baseline, the engine the endpoint runs, asked without kasograph in between: pyoxigraph in
  this process on the same store generation opened read-only, as kasograph arranges it
  (`kasograph.store.engine.GoalStore`), serialising the answer to JSON itself; for a server, the same
  query (kasograph's prefixes written out) POSTed straight to the server's /query;
- rdflib's own engine on the same quads, in a worker process that is killed when a question passes
  the limit (not run where parsing the data alone would take longer than its limit, nor on a server).

The endpoint keeps the answers of slow queries per store generation (kasograph.query.answers), so its
first request for a question and the median of the following ones are reported apart; the
generation's kept answers are deleted before the server starts and its warm-up is turned off, so
that the first request is a real one. The baseline's first run is reported apart as well. Then, for a
store directory, what the first visitor after an import waits: the answers are made as `kasograph
import` makes them (`GoalData.keep_answers`, timed) and a new server is asked each question once.

The parameterised questions' defaults name entities of the bundled Vantaa data; the parameters are
chosen from the data instead (the person with the most goals, the theme and the development group
with the most goals, the title most documents share; a status label is kept) and printed.

Each question is first run once by a pyoxigraph worker (capped in time and memory) to see whether it
fits; the endpoint's and the baseline's runs then alternate, so that drift in the machine hits both
alike. With --sizes, the data are the suite's (generated goal tables imported into a store
directory, cached in benchmarks/.data/).
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph

from kasograph.namespaces import sparql_prefixes
from kasograph.query import saved
from kasograph.query.sparql import check
from kasograph.store.engine import PREFIX_MAP, GoalStore, bind_parameters

from .common import ms, ratio, rounded

# The targets (see benchmarks/README.md).
TARGET_MS = 1000.0  # every saved question under a second at the median over HTTP (at about 5M triples)
RDFLIB_FACTOR = 25.0  # at least this many times faster than rdflib


# 1. Where the questions are asked ---------------------------------------------------------------------
@dataclass
class Source:
    """The data: an N-Quads file, a store directory (its published generation), or a SPARQL server's URL."""

    location: str
    kind: str  # file | store | remote

    @classmethod
    def of(cls, location: str | Path) -> "Source":
        from kasograph.store.remote import is_remote_location

        text = str(location)
        if is_remote_location(text):  # a server's URL or a store settings file
            return cls(text.rstrip("/"), "remote")
        return cls(text, "store" if Path(text).is_dir() else "file")

    @property
    def local(self) -> bool:
        return self.kind != "remote"

    def generation_path(self) -> Path:
        from kasograph.store.directory import StoreDirectory

        directory = StoreDirectory(self.location)
        return directory.generation_path(directory.current())

    def serve_command(self, port: int, timeout: float, settings: dict[str, str] | None = None) -> list[str]:
        """`kasograph serve` on this data (the saved questions not answered in the background), with `settings`
        of the app (`--setting NAME VALUE`)."""
        store = ["--store", self.location] if self.kind != "file" else []
        data = ["--data", self.location] if self.kind == "file" else []
        given = [word for name, value in (settings or {}).items() for word in ("--setting", name, str(value))]
        return [sys.executable, "-m", "kasograph", *store, "serve", "--host", "127.0.0.1", "--port", str(port),
                "--timeout", f"{timeout:g}", *data, *_no_warm_up(), *given]

    def forget_answers(self) -> int:
        """Delete the answers the endpoint kept for the published generation (a store directory): its
        first request for a question must compute the answer. Returns how many there were."""
        from kasograph.store.directory import StoreDirectory

        directory = StoreDirectory(self.location)
        if self.kind != "store" or not hasattr(directory, "answers_path") or not directory.current():
            return 0
        folder = directory.answers_path(directory.current())
        kept = len(list(folder.glob("*"))) if folder.is_dir() else 0
        shutil.rmtree(folder, ignore_errors=True)
        return kept


def _no_warm_up() -> list[str]:
    """`--no-warm-up` where `kasograph serve` has it (the answers of the saved questions are otherwise
    computed in the background as the server starts, competing with the measurement)."""
    done = subprocess.run([sys.executable, "-m", "kasograph", "serve", "--help"], capture_output=True, text=True)
    return ["--no-warm-up"] if "--no-warm-up" in done.stdout else []


def open_local(source: Source) -> GoalStore:
    """pyoxigraph as kasograph arranges it: a store generation opened read-only (the union is its default
    graph), or a file loaded into memory with the union kept apart (see kasograph.store.engine.GoalStore)."""
    if source.kind == "store":
        path = source.generation_path()
        return GoalStore(pyoxigraph.Store.read_only(str(path)), path=path)
    store = GoalStore()
    store.load_file(source.location, pyoxigraph.RdfFormat.N_QUADS)
    return store


class LocalBaseline:
    """pyoxigraph in this process: what a query worker of the endpoint does for each query."""

    name = "pyoxigraph"

    def __init__(self, source: Source):
        started = time.perf_counter()
        self.store = open_local(source)
        self.open_s = time.perf_counter() - started

    def run(self, sparql: str) -> bytes:
        results = self.store.engine_for(sparql).query(sparql, prefixes=PREFIX_MAP)
        return results.serialize(format=pyoxigraph.QueryResultsFormat.JSON)

    def close(self) -> None:
        del self.store


class ServerBaseline:
    """The SPARQL server itself: the query POSTed to its query URL (a bare URL's /query, or the settings
    file's), kasograph's prefixes written out, the union's graph named as the default graph where the
    settings keep the union in a named graph (Virtuoso)."""

    def __init__(self, source: Source, timeout: float = 600):
        from kasograph.store.remote import open_remote

        remote = open_remote(source.location)
        self.name = "oxigraph server" if "://" in source.location else "the SPARQL server"
        self.url = urllib.parse.urlsplit(remote.settings.query)
        self.dataset = {"default-graph-uri": remote.union_graph} if remote.union_graph else {}
        self.headers = dict(remote.settings.headers)
        self.connection = http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=timeout)
        self.open_s = 0.0

    def run(self, sparql: str) -> bytes:
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json",
                   **self.headers}
        return request(self.connection, "POST", self.url.path, urlencode({"query": sparql_prefixes() + sparql, **self.dataset}),
                       headers)

    def close(self) -> None:
        self.connection.close()


def post(connection: http.client.HTTPConnection, path: str, sparql: str) -> bytes:
    """POST a query form-encoded and read the whole answer."""
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}
    return request(connection, "POST", path, urlencode({"query": sparql}), headers)


def request(connection: http.client.HTTPConnection, method: str, path: str, body: str | None = None,
            headers: dict[str, str] | None = None) -> bytes:
    """Read the whole answer (reconnecting once if the server closed the connection); not 200: RuntimeError."""
    for attempt in (1, 2):
        try:
            connection.request(method, path, body, headers or {})
            response = connection.getresponse()
            answer = response.read()
            break
        except (http.client.RemoteDisconnected, ConnectionError):
            connection.close()
            if attempt == 2:
                raise
    if response.status != 200:
        raise RuntimeError(f"{path} answered {response.status}: {answer[:300].decode('utf-8', 'replace')}")
    return answer


def select(baseline, sparql: str) -> list[dict[str, str]]:
    """A SELECT's rows as plain strings, through a baseline's JSON."""
    answer = json.loads(baseline.run(sparql))
    return [{name: term["value"] for name, term in binding.items()} for binding in answer["results"]["bindings"]]


class Endpoint:
    """`kasograph serve` on a free port, asked over one kept-alive HTTP connection."""

    def __init__(self, source: Source, startup_limit: float, timeout: float, settings: dict[str, str] | None = None):
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="kasograph-serve-", suffix=".log", delete=False)
        started = time.perf_counter()
        self.process = subprocess.Popen(source.serve_command(self.port, timeout, settings), stdout=self.log, stderr=subprocess.STDOUT)
        try:
            self._wait(startup_limit)
        except BaseException:
            self.close()
            raise
        self.startup_s = time.perf_counter() - started
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=max(600, timeout + 60))

    def _wait(self, seconds: float) -> None:
        """Poll a cheap static file until our own server answers (waitress says `Server: kasograph`)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"kasograph serve exited with {self.process.returncode}:\n{self._log()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/favicon.ico", timeout=5) as response:
                    if response.headers.get("Server") == "kasograph":
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        raise RuntimeError(f"kasograph serve did not answer within {seconds:.0f} s:\n{self._log()}")

    def _log(self) -> str:
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")[-3000:]

    def query(self, sparql: str) -> bytes:
        return post(self.connection, "/sparql", sparql)

    def question_file(self, name: str, parameters: dict[str, str]) -> bytes:
        """A saved question's own address (`/questions/NAME.json?…`), which has no answer size limit."""
        return request(self.connection, "GET", f"/questions/{name}.json" + (f"?{urlencode(parameters)}" if parameters else ""))

    def close(self) -> None:
        if getattr(self, "connection", None):
            self.connection.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)
        self.log.close()
        os.unlink(self.log.name)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# 2. The questions, with parameters the data has ----------------------------------------------------------
@dataclass
class Question:
    name: str
    sparql: str  # parameters bound, no PREFIX lines (kasograph's prefixes are implied)
    parameters: dict[str, str] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """Every saved question joins several patterns; those with GROUP BY also aggregate."""
        return "aggregate" if "GROUP BY" in self.sparql.upper() else "join"


#: For a parameter, the value the data has most of: (query, what is counted). The first row wins.
CHOOSERS = {
    "person": ("""SELECT ?value (COUNT(DISTINCT ?goal) AS ?n) WHERE {
                    ?p a foaf:Person ; foaf:name ?value . ?goal prov:wasAttributedTo ?p ; a kg:Goal }
                  GROUP BY ?value ORDER BY DESC(?n) ?value LIMIT 1""", "goals"),
    "theme": ("""SELECT ?value (COUNT(DISTINCT ?goal) AS ?n) WHERE {
                   ?goal kg:theme ?t . ?t skos:prefLabel ?value . FILTER (lang(?value) = "fi") }
                 GROUP BY ?value ORDER BY DESC(?n) ?value LIMIT 1""", "goals"),
    "group": ("""SELECT ?value (COUNT(DISTINCT ?goal) AS ?n) WHERE {
                   ?g a kg:DevelopmentGroup ; skos:prefLabel ?value . FILTER (lang(?value) = "fi")
                   ?goal prov:wasAttributedTo ?g }
                 GROUP BY ?value ORDER BY DESC(?n) ?value LIMIT 1""", "goals"),
    "title": ("""SELECT ?value (COUNT(DISTINCT ?doc) AS ?n) WHERE {
                   ?doc a foaf:Document ; dct:title ?value . FILTER (lang(?value) IN ("fi", "")) }
                 GROUP BY ?value ORDER BY DESC(?n) ?value LIMIT 1""", "documents"),
}


def choose_parameters(baseline) -> dict[str, dict]:
    """Each parameter of the saved questions: the value the data has most of (CHOOSERS), else the default."""
    chosen: dict[str, dict] = {}
    for question in saved.catalogue().values():
        for parameter in question.parameters:
            if parameter.name in chosen:
                continue
            found = select(baseline, CHOOSERS[parameter.name][0]) if parameter.name in CHOOSERS else []
            if found:
                chosen[parameter.name] = {"value": found[0]["value"], "why": f"the most {CHOOSERS[parameter.name][1]} "
                                          f"({int(found[0]['n']):,})"}
            else:
                chosen[parameter.name] = {"value": parameter.default, "why": "the default"}
    return chosen


def questions(parameters: dict[str, dict] | None = None) -> list[Question]:
    """Every saved question, its parameters bound (to the chosen values, else the defaults)."""
    found = []
    for question in saved.catalogue().values():
        values = question.bind({p.name: parameters[p.name]["value"] for p in question.parameters
                                if parameters and p.name in parameters})
        found.append(Question(question.name, bind_parameters(question.sparql, values) if values else question.sparql, values))
    return found


def json_rows(body: bytes) -> int | None:
    """Rows of a SPARQL JSON answer (None for answers too big to parse cheaply)."""
    return len(json.loads(body)["results"]["bindings"]) if len(body) < 200_000_000 else None


# 3. Engines in worker processes: neither engine can interrupt a query, and a runaway one can take all memory.
def memory_cap() -> int:
    """Bytes of address space a worker may use: a third of the machine, at most 8 GiB."""
    return min(8 << 30, os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 3)


def _serve(connection, memory: int, load: Callable[[], object], run: Callable[[object, str], int],
           repeat_runs: bool) -> None:
    """A worker's loop: cap its memory, load the data once, then answer (sparql, repeat, limit) with
    ("ok", median ms, rows, timed runs) or ("error", message, None, 0). With `repeat_runs`, a warm-up
    and then up to `repeat` timed runs, but no more than fit in `limit` seconds in all; else one run."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    started = time.perf_counter()
    data = load()
    connection.send(time.perf_counter() - started)
    while True:
        try:
            sparql, repeat, limit = connection.recv()
        except EOFError:
            return
        try:
            times, spent = [], 0.0
            for attempt in range(repeat + 1 if repeat_runs else 1):
                begun = time.perf_counter()
                rows = run(data, sparql)
                took = time.perf_counter() - begun
                spent += took
                if attempt or not repeat_runs:  # with repeats, the first run is the warm-up
                    times.append(took)
                if spent + took > limit:
                    break
            connection.send(("ok", statistics.median(times or [took]) * 1000, rows, len(times) or 1))
        except Exception as error:  # noqa: BLE001 - an engine error is a result to report, not a crash
            connection.send(("error", f"{type(error).__name__}: {error}", None, 0))


def _oxigraph_probe(connection, location: str, memory: int) -> None:
    """Run each question once in pyoxigraph and count its rows as they stream: does it fit at all?"""
    _serve(connection, memory, lambda: open_local(Source.of(location)),
           lambda store, sparql: sum(1 for _ in store.engine_for(sparql).query(sparql, prefixes=PREFIX_MAP)),
           repeat_runs=False)


def named_graph_quads(source: Source, limit: int | None = None) -> bytes:
    """The documents' quads as N-Quads (no union: rdflib makes its own), the first `limit` of them or all."""
    store = pyoxigraph.Store.read_only(str(source.generation_path()))
    quads = (q for q in store if not isinstance(q.graph_name, pyoxigraph.DefaultGraph))
    return pyoxigraph.serialize(itertools.islice(quads, limit), format=pyoxigraph.RdfFormat.N_QUADS)


def _rdflib_engine(connection, path: str, memory: int) -> None:
    """rdflib's own engine on a Dataset whose default graph is the union of the graphs; every row is read."""
    from rdflib import Dataset

    def load() -> Dataset:
        dataset = Dataset(default_union=True)
        dataset.parse(path, format="nquads")
        list(dataset.query(sparql_prefixes() + "SELECT * WHERE { ?s ?p ?o } LIMIT 1"))  # load rdflib's plugins
        return dataset

    _serve(connection, memory, load, lambda dataset, sparql: sum(1 for _ in dataset.query(sparql_prefixes() + sparql)),
           repeat_runs=True)


class Worker:
    """An engine in a spawned process. A query that passes the limit is stopped by killing the
    process; the next question starts a new one (loading the data again)."""

    def __init__(self, target: Callable, location: str | Path, load_limit: float):
        self.target, self.location, self.load_limit = target, str(location), load_limit
        self.process: multiprocessing.Process | None = None
        self.loads_s: list[float] = []  # once per start

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        self.process = context.Process(target=self.target, args=(child, self.location, memory_cap()), daemon=True)
        self.process.start()
        child.close()
        if not self.connection.poll(self.load_limit):
            self.close()
            raise RuntimeError(f"{self.target.__name__} did not load {Path(self.location).name} within {self.load_limit:.0f} s")
        try:
            self.loads_s.append(self.connection.recv())
        except EOFError:  # it died loading (the memory cap, say)
            self.process.join(5)
            code = self.process.exitcode
            self.close()
            raise RuntimeError(f"{self.target.__name__} exited with {code} while loading {Path(self.location).name}") from None

    def run(self, sparql: str, repeat: int, limit: float) -> tuple[str, float | str | None, int | None, int]:
        """("ok", median ms, rows, runs), ("error", message, None, 0), ("timeout", …) or ("crashed", message, …)."""
        if self.process is None:
            self._start()
        self.connection.send((sparql, repeat, limit))
        if not self.connection.poll(limit + 1):
            self.close()
            return "timeout", None, None, 0
        try:
            return self.connection.recv()
        except EOFError:  # e.g. the engine aborted when the memory cap refused an allocation
            self.process.join(5)
            code = self.process.exitcode
            self.close()
            return "crashed", f"the worker exited with {code} (memory cap {memory_cap() / 2**30:.1f} GiB)", None, 0

    def close(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.join(10)
            self.process = None


def rdflib_sample(source: Source, sample_quads: int = 20_000) -> bytes:
    """The first quads of the data, as N-Quads."""
    if source.kind == "file":
        with open(source.location, "rb") as data:
            return b"".join(itertools.islice(data, sample_quads))
    return named_graph_quads(source, sample_quads)


def estimated_rdflib_load(source: Source, quads: int) -> tuple[float, int]:
    """rdflib's parse time and memory for all the quads, extrapolated from the first ones (both grow about
    linearly): (seconds, bytes)."""
    import tracemalloc

    from rdflib import Dataset

    sample = rdflib_sample(source)
    lines = max(1, sample.count(b"\n"))
    started = time.perf_counter()
    Dataset(default_union=True).parse(data=sample, format="nquads")
    seconds = (time.perf_counter() - started) * quads / lines
    tracemalloc.start()  # apart from the timing: tracing slows the parse down
    try:
        held = Dataset(default_union=True)
        held.parse(data=sample, format="nquads")
        size = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return seconds, int(size * quads / lines)


# 4. Measuring --------------------------------------------------------------------------------------------
@dataclass
class Row:
    name: str
    kind: str
    parameters: dict[str, str]
    check_ms: float  # kasograph.query.sparql.check in this process: the endpoint's read-only check, for the record
    rows: dict[str, int | None] = field(default_factory=dict)
    baseline_first_ms: float | None = None
    baseline_ms: float | None = None  # median of the runs after the first
    endpoint_first_ms: float | None = None  # the first request: the answer computed (none kept yet)
    endpoint_ms: float | None = None  # median of the requests after the first (kept answers, where kept)
    endpoint_after_import_ms: float | None = None  # the first request after the import answered the saved questions
    baseline_all_ms: list[float] = field(default_factory=list)
    endpoint_all_ms: list[float] = field(default_factory=list)
    not_timed: str = ""  # why the baseline and the endpoint were not timed (the probe did not finish or was too big)
    endpoint_error: str = ""
    endpoint_via: str = "/sparql"  # or the question's own file, where /sparql refuses an answer over its size limit
    rdflib_ms: float | None = None
    rdflib_status: str = "not run"  # ok | timeout | error | crashed | not run
    rdflib_runs: int = 0
    rdflib_error: str = ""

    def rdflib_ratio(self, limit_s: float) -> float | None:
        """rdflib / baseline (median); for a timeout, the lower bound limit / baseline."""
        if not self.baseline_ms:
            return None
        if self.rdflib_status == "ok":
            return self.rdflib_ms / self.baseline_ms
        if self.rdflib_status == "timeout":
            return limit_s * 1000 / self.baseline_ms
        return None

    def endpoint_meets_target(self) -> bool | None:
        return None if self.endpoint_ms is None else self.endpoint_ms < TARGET_MS

    def rdflib_meets_target(self, limit_s: float) -> bool | None:
        """None when it cannot be told: a side was not run or failed, or rdflib timed out too early to prove 25×."""
        times = self.rdflib_ratio(limit_s)
        if times is None or (self.rdflib_status == "timeout" and times < RDFLIB_FACTOR):
            return None
        return times >= RDFLIB_FACTOR

    def agree(self) -> bool:
        counts = {v for v in self.rows.values() if v is not None}
        return len(counts) <= 1


def timed_ms(function: Callable[[], bytes]) -> tuple[float, bytes]:
    started = time.perf_counter()
    body = function()
    return (time.perf_counter() - started) * 1000, body


def time_question(question: Question, baseline, endpoint: Endpoint, probe: Worker | None, repeat: int,
                  probe_limit: float, max_rows: int) -> Row:
    """The endpoint's first request, the baseline's first run, then `repeat` more of each, alternating."""
    row = Row(question.name, question.kind, question.parameters, statistics.median(
        timed_ms(lambda: check(question.sparql) or b"")[0] for _ in range(max(1, repeat))))
    if probe is not None:
        status, value, count, _ = probe.run(question.sparql, 0, probe_limit)
        if status != "ok":
            row.not_timed = f"> {probe_limit:g} s" if status == "timeout" else f"{status}: {value}"
        elif count > max_rows:
            row.not_timed = f"{count:,} rows"
        if row.not_timed:
            print(f"    {question.name:28} not timed; pyoxigraph alone, run once: {row.not_timed}", flush=True)
            return row
    ask_endpoint = lambda: endpoint.query(question.sparql)  # noqa: E731
    ask_baseline = lambda: baseline.run(question.sparql)  # noqa: E731
    try:
        try:
            row.endpoint_first_ms, body = timed_ms(ask_endpoint)
        except RuntimeError as error:
            if " answered 400" not in str(error) or "larger than" not in str(error):
                raise
            # The endpoint's answer size limit is for strangers' queries; a saved question's own file has none,
            # and is what Excel, Power BI and scripts ask for. Say so, and time that instead.
            print(f"    {question.name:28} /sparql refuses the answer as too large: {str(error).splitlines()[0][:120]}",
                  flush=True)
            ask_endpoint = lambda: endpoint.question_file(question.name, question.parameters)  # noqa: E731
            row.endpoint_via = f"/questions/{question.name}.json"
            row.endpoint_first_ms, body = timed_ms(ask_endpoint)
        row.rows["endpoint"] = json_rows(body)
    except RuntimeError as error:
        row.endpoint_error = str(error).splitlines()[0][:300]
    row.baseline_first_ms, body = timed_ms(ask_baseline)
    row.rows[baseline.name] = json_rows(body)
    for _ in range(repeat):
        row.baseline_all_ms.append(timed_ms(ask_baseline)[0])
        if not row.endpoint_error:
            row.endpoint_all_ms.append(timed_ms(ask_endpoint)[0])
    row.baseline_ms = statistics.median(row.baseline_all_ms) if row.baseline_all_ms else None
    row.endpoint_ms = statistics.median(row.endpoint_all_ms) if row.endpoint_all_ms else None
    endpoint_text = (f"first {ms(row.endpoint_first_ms)} then {ms(row.endpoint_ms)} ms" if not row.endpoint_error
                     else row.endpoint_error[:80]) + ("" if row.endpoint_via == "/sparql" else f" (at {row.endpoint_via})")
    print(f"    {question.name:28} {baseline.name} first {ms(row.baseline_first_ms)} then {ms(row.baseline_ms)} ms; "
          f"endpoint {endpoint_text}", flush=True)
    return row


def measure_rdflib(source: Source, quads: int, chosen: list[Question], rows: list[Row], repeat: int, limit: float,
                   load_limit: float, scratch: Path) -> dict:
    """rdflib on every question, unless parsing the data alone would take longer than its limit."""
    if not source.local:
        return {"rdflib_note": "not run on a SPARQL server"}
    estimate, memory = estimated_rdflib_load(source, quads)
    too_big = memory > memory_cap() * 0.8  # Python's own objects and the query's come on top
    if estimate > load_limit or too_big:
        note = (f"not run (parsing would take longer than {load_limit:g} s: about {estimate:.0f} s estimated)" if not too_big else
                f"not run (the data would take about {memory / 2**30:.1f} GiB in rdflib; a worker may have "
                f"{memory_cap() / 2**30:.1f} GiB)")
        print(f"  rdflib: {note}", flush=True)
        return {"rdflib_load_s": None, "rdflib_load_estimate_s": round(estimate, 1),
                "rdflib_memory_estimate_gib": round(memory / 2**30, 2), "rdflib_note": note}
    print(f"  rdflib: loading (about {estimate:.0f} s estimated) …", flush=True)
    path = Path(source.location)
    if source.kind == "store":
        path = scratch / "quads.nq"
        path.write_bytes(named_graph_quads(source))
    worker = Worker(_rdflib_engine, path, load_limit=max(load_limit, 3 * estimate))
    try:
        for question, row in zip(chosen, rows):
            try:
                status, value, count, runs = worker.run(question.sparql, repeat, limit)
            except RuntimeError as error:  # the data did not load: the same would happen for the rest
                print(f"  rdflib: {error}", flush=True)
                return {"rdflib_load_s": None, "rdflib_load_estimate_s": round(estimate, 1),
                        "rdflib_memory_estimate_gib": round(memory / 2**30, 2), "rdflib_note": f"stopped: {error}"}
            row.rdflib_status, row.rdflib_runs, row.rows["rdflib"] = status, runs, count
            if status == "ok":
                row.rdflib_ms = value
            elif value:
                row.rdflib_error = value
            print(f"    {question.name:28} rdflib {ms(value) + ' ms' if status == 'ok' else status}", flush=True)
            if status == "crashed":  # out of memory: loading again for each question would only crash again
                break
    finally:
        worker.close()
    loads = worker.loads_s
    return {"rdflib_load_s": round(loads[0], 1) if loads else None, "rdflib_load_estimate_s": round(estimate, 1),
            "rdflib_memory_estimate_gib": round(memory / 2**30, 2), "rdflib_note": f"loaded {len(loads)} time(s)"}


def source_quads(baseline) -> int:
    """Quads in the documents' graphs (the union not counted)."""
    found = select(baseline, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    return int(found[0]["n"])


def measure_questions(location: str | Path, repeat: int = 5, *, rdflib_limit: float = 60, rdflib_load_limit: float = 300,
                      probe_limit: float = 60, max_rows: int = 1_000_000, endpoint_timeout: float = 300,
                      rdflib: bool = True, endpoint_settings: dict[str, str] | None = None) -> dict:
    """The questions stage on one source: every saved question, three ways (see the module's docstring);
    `endpoint_settings` are the app's settings for the endpoint's `kasograph serve`."""
    source = Source.of(location)
    baseline = LocalBaseline(source) if source.local else ServerBaseline(source)
    quads = source_quads(baseline)
    distinct = int(select(baseline, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])
    parameters = choose_parameters(baseline)
    for name, choice in parameters.items():
        print(f"  parameter {name} = {choice['value']!r} ({choice['why']})", flush=True)
    chosen = questions(parameters)
    forgotten = source.forget_answers()
    probe = Worker(_oxigraph_probe, source.location, load_limit=120 + quads / 5_000) if source.local else None
    endpoint = Endpoint(source, startup_limit=120 + quads / 20_000, timeout=endpoint_timeout, settings=endpoint_settings)
    try:
        started = time.perf_counter()
        for _ in range(4):  # the first queries start the query workers (one per server process)
            endpoint.query("ASK {}")
        pool_s = time.perf_counter() - started
        print(f"  {quads:,} quads ({distinct:,} distinct triples); endpoint up after {endpoint.startup_s:.1f} s, "
              f"its query workers after {pool_s:.1f} s more; {baseline.name} opened in {baseline.open_s:.2f} s", flush=True)
        rows = [time_question(q, baseline, endpoint, probe, repeat, probe_limit, max_rows) for q in chosen]
    finally:
        endpoint.close()
        if probe is not None:
            probe.close()
        baseline.close()
    after_import = first_after_import(source, chosen, rows, endpoint_timeout, endpoint_settings) if source.kind == "store" else {}
    with tempfile.TemporaryDirectory(prefix="kasograph-rdflib-") as scratch:
        info = (measure_rdflib(source, quads, chosen, rows, repeat, rdflib_limit, rdflib_load_limit, Path(scratch))
                if rdflib else {"rdflib_note": "not run (asked not to)"})
    targets = check_targets(rows, rdflib_limit)
    result = {"source": source.kind, "baseline": baseline.name, "quads": quads, "distinct_triples": distinct,
              "parameters": parameters, "answers_forgotten": forgotten, "endpoint_startup_s": round(endpoint.startup_s, 2),
              "endpoint_pool_startup_s": round(pool_s, 2), "repeat": repeat, "rdflib_limit_s": rdflib_limit, **info,
              **after_import,
              "engines_agree": all(r.agree() for r in rows), "targets": targets,
              "questions": [row_json(r, rdflib_limit) for r in rows]}
    print_table(result, rows, rdflib_limit, baseline.name)
    return result


def first_after_import(source: Source, chosen: list[Question], rows: list[Row], timeout: float,
                       settings: dict[str, str] | None) -> dict:
    """What the first visitor after an import waits: the import answers every saved question on the generation
    it publishes (`GoalData.keep_answers`, timed here as the import runs it), then a new server is asked each
    question once. A parameter chosen here that is not the question's default was not answered in advance."""
    from kasograph.goaldata import GoalData
    from kasograph.store.directory import StoreDirectory

    source.forget_answers()
    started = time.perf_counter()
    kept = GoalData.from_directory(StoreDirectory(source.location)).keep_answers()
    keep_s = time.perf_counter() - started
    endpoint = Endpoint(source, startup_limit=600, timeout=timeout, settings=settings)
    try:
        for _ in range(4):  # the query workers start with the first queries, as in the stage above
            endpoint.query("ASK {}")
        for question, row in zip(chosen, rows):
            if row.not_timed or row.endpoint_error:
                continue
            ask = (endpoint.query if row.endpoint_via == "/sparql"
                   else lambda _: endpoint.question_file(question.name, question.parameters))
            row.endpoint_after_import_ms = timed_ms(lambda: ask(question.sparql))[0]
    finally:
        endpoint.close()
    timed = [r for r in rows if r.endpoint_after_import_ms is not None]
    slowest = max(timed, key=lambda r: r.endpoint_after_import_ms, default=None)
    print(f"  after an import: the import's answering of the {len(kept or {})} saved questions took {keep_s:.1f} s; "
          f"then the first request of each: slowest {slowest.name if slowest else '-'} "
          f"{ms(slowest.endpoint_after_import_ms) if slowest else '-'} ms, "
          f"{sum(r.endpoint_after_import_ms >= TARGET_MS for r in timed)} of {len(timed)} over a second", flush=True)
    return {"import_keep_answers_s": round(keep_s, 2),
            "first_after_import": {r.name: rounded(r.endpoint_after_import_ms) for r in timed},
            "first_after_import_over_1s": [r.name for r in timed if r.endpoint_after_import_ms >= TARGET_MS]}


def check_targets(rows: list[Row], limit_s: float) -> dict:
    endpoint = {r.name: r.endpoint_meets_target() for r in rows}
    rdflib = {r.name: r.rdflib_meets_target(limit_s) for r in rows}
    slowest = max((r for r in rows if r.endpoint_ms is not None), key=lambda r: r.endpoint_ms, default=None)
    slowest_first = max((r for r in rows if r.endpoint_first_ms is not None), key=lambda r: r.endpoint_first_ms, default=None)
    return {"endpoint_median_under_1s": _verdicts(endpoint),
            "slowest_endpoint_median": {"question": slowest.name, "ms": rounded(slowest.endpoint_ms)} if slowest else None,
            "slowest_endpoint_first": ({"question": slowest_first.name, "ms": rounded(slowest_first.endpoint_first_ms)}
                                       if slowest_first else None),
            "first_requests_under_1s": _verdicts({r.name: None if r.endpoint_first_ms is None else r.endpoint_first_ms < TARGET_MS
                                                  for r in rows}),
            "rdflib_25x_slower": _verdicts(rdflib)}


def _verdicts(verdicts: dict[str, bool | None]) -> dict:
    return {"checked": sum(v is not None for v in verdicts.values()), "violations": sum(v is False for v in verdicts.values()),
            "missed_by": [name for name, ok in verdicts.items() if ok is False],
            "undecided": [name for name, ok in verdicts.items() if ok is None]}


def rdflib_cells(row: Row, limit_s: float) -> tuple[str, str]:
    times = row.rdflib_ratio(limit_s)
    if row.rdflib_status == "ok":
        return ms(row.rdflib_ms), ratio(times)
    if row.rdflib_status == "timeout":
        return f"> {limit_s:g} s", f"> {ratio(times)}" if times is not None else "–"
    return row.rdflib_status, "–"


def print_table(result: dict, rows: list[Row], limit_s: float, baseline: str) -> None:
    print(f"\n  {result['quads']:,} quads ({result['distinct_triples']:,} distinct triples); ms; the baseline is {baseline}; "
          f"first request, then the median of {result['repeat']} more")
    header = (f"  {'question':28} {'rows':>9} {'base 1st':>9} {'base':>9} {'endp 1st':>9} {'endpoint':>9} "
              f"{'1st/base':>8} {'endp/base':>9} {'rdflib':>9} {'rdflib/base':>11}")
    print(header)
    print("  " + "-" * (len(header) - 2))
    for row in rows:
        rdflib_ms, rdflib_ratio = rdflib_cells(row, limit_s)
        count = row.rows.get(baseline, row.rows.get("endpoint"))
        shown = ("–" if count is None else f"{count:,}") + ("" if row.agree() else "≠")
        first_ratio = row.endpoint_first_ms / row.baseline_ms if row.endpoint_first_ms and row.baseline_ms else None
        median_ratio = row.endpoint_ms / row.baseline_ms if row.endpoint_ms and row.baseline_ms else None
        endpoint = "error" if row.endpoint_error else ms(row.endpoint_ms)
        print(f"  {row.name:28} {shown:>9} {ms(row.baseline_first_ms) if not row.not_timed else 'not timed':>9} "
              f"{ms(row.baseline_ms):>9} {ms(row.endpoint_first_ms):>9} {endpoint:>9} {ratio(first_ratio):>8} "
              f"{ratio(median_ratio):>9} {rdflib_ms:>9} {rdflib_ratio:>11}")
    if not result["engines_agree"]:
        print("  ≠: the engines disagree on the number of rows (see the JSON)")
    for row in rows:
        if row.not_timed:
            print(f"  {row.name}: not timed; pyoxigraph alone, run once: {row.not_timed}")
        if row.endpoint_error:
            print(f"  {row.name}: {row.endpoint_error}")
        if row.endpoint_via != "/sparql":
            print(f"  {row.name}: asked at {row.endpoint_via}: /sparql refuses its answer as larger than SPARQL_MAX_RESULT_BYTES")
    print_targets(result["targets"])


def print_targets(targets: dict) -> None:
    def verdict(result: dict) -> str:
        if not result["checked"]:
            return "not checked"
        text = ("holds" if not result["violations"] else
                f"{result['violations']} of {result['checked']} miss it: {', '.join(result['missed_by'])}")
        return text + (f" (undecided: {', '.join(result['undecided'])})" if result["undecided"] else "")

    slowest = targets["slowest_endpoint_median"]
    print(f"  target: every saved question under {TARGET_MS:g} ms at the median over HTTP — "
          f"{verdict(targets['endpoint_median_under_1s'])}"
          + (f"; slowest {slowest['question']} {ms(slowest['ms'])} ms" if slowest else ""))
    print(f"  (first requests under {TARGET_MS:g} ms: {verdict(targets['first_requests_under_1s'])})")
    print(f"  target: at least {RDFLIB_FACTOR:g}× faster than rdflib — {verdict(targets['rdflib_25x_slower'])}")


def row_json(row: Row, limit_s: float) -> dict:
    times = row.rdflib_ratio(limit_s)
    return {"name": row.name, "kind": row.kind, "parameters": row.parameters, "rows": row.rows,
            "engines_agree": row.agree(), "not_timed": row.not_timed or None,
            "baseline_first_ms": rounded(row.baseline_first_ms), "baseline_ms": rounded(row.baseline_ms),
            "endpoint_first_ms": rounded(row.endpoint_first_ms), "endpoint_ms": rounded(row.endpoint_ms),
            "baseline_all_ms": [rounded(t) for t in row.baseline_all_ms],
            "endpoint_all_ms": [rounded(t) for t in row.endpoint_all_ms],
            "endpoint_ratio": rounded(row.endpoint_ms / row.baseline_ms) if row.endpoint_ms and row.baseline_ms else None,
            "endpoint_first_ratio": (rounded(row.endpoint_first_ms / row.baseline_ms)
                                     if row.endpoint_first_ms and row.baseline_ms else None),
            "endpoint_error": row.endpoint_error or None, "endpoint_via": row.endpoint_via, "check_ms": rounded(row.check_ms),
            "endpoint_meets_target": row.endpoint_meets_target(),
            "rdflib_status": row.rdflib_status, "rdflib_ms": rounded(row.rdflib_ms, 1), "rdflib_runs": row.rdflib_runs,
            "rdflib_error": row.rdflib_error or None, "rdflib_ratio": rounded(times, 1),
            "rdflib_ratio_is_lower_bound": row.rdflib_status == "timeout",
            "rdflib_meets_target": row.rdflib_meets_target(limit_s)}


def main(argv: list[str] | None = None) -> int:
    from . import common

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1m", help="comma-separated sizes of the suite's data: 10k,100k,1m")
    parser.add_argument("--source", help="instead of --sizes: a store directory, an N-Quads file or a SPARQL server's URL")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per question after the first")
    parser.add_argument("--rdflib-limit", type=float, default=60, help="seconds rdflib may spend on one question")
    parser.add_argument("--rdflib-load-limit", type=float, default=300, help="seconds rdflib may spend parsing the data "
                        "(not run where the estimated parse time is longer)")
    parser.add_argument("--probe-limit", type=float, default=60, help="seconds pyoxigraph may take to run a question once "
                        "before it is timed; a question that takes longer is reported as not timed")
    parser.add_argument("--max-rows", type=int, default=1_000_000, help="questions with more rows than this are not timed")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)
    about = common.machine()
    print(f"kasograph saved questions: {about['cores']} cores, {about['memory_gib']} GiB, {about['machine']}, "
          f"Python {about['python']}, {about['versions']}")
    places = [(args.source, args.source)] if args.source else [(label, None) for label in args.sizes.split(",") if label.strip()]
    results = []
    for label, location in places:
        print(f"\n== {label}", flush=True)
        place = location or common.stored(label.strip().lower())
        results.append({"size": label, **common.run_stage("questions", lambda: measure_questions(
            place, args.repeat, rdflib_limit=args.rdflib_limit, rdflib_load_limit=args.rdflib_load_limit,
            probe_limit=args.probe_limit, max_rows=args.max_rows))})
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": about, "results": results}, indent=2, ensure_ascii=False),
                                   encoding="utf-8")
    return 0 if all(r["status"] == "ok" for r in results) else 1


if __name__ == "__main__":  # spawned workers import this module again
    sys.exit(main())

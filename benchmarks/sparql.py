"""Time the saved questions at scale: kasograph's SPARQL endpoint against pyoxigraph itself and rdflib.

    python -m benchmarks.sparql [--sizes 10k,100k,1m] [--repeat 5] [--rdflib-limit 60] [--json FILE]

For each size the script makes goal-shaped data (variants of the bundled document for
many made-up cities and years, built by kasograph's own builder), then times every
saved question, with its default parameters, three ways:

- pyoxigraph in this process, serialising the results to JSON: the baseline, because it
  is the engine the endpoint runs and the work the endpoint does for each query;
- the endpoint of `kasograph serve` over HTTP (one kept-alive connection), the same file;
- rdflib's own engine, in a worker process that is killed when a query passes the limit.

Each time is the median of --repeat runs after one warm-up. The data are cached as
N-Quads in benchmarks/.data/ (delete a file there to make it again).
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import multiprocessing
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph

from kasograph import saved
from kasograph.build import build_dataset
from kasograph.names import slug
from kasograph.namespaces import KG, sparql_prefixes
from kasograph.records import Document
from kasograph.sources import bundled_documents
from kasograph.sparql import check
from kasograph.store import PREFIX_MAP, GoalStore, bind_parameters

DATA = Path(__file__).resolve().parent / ".data"
SEED = 2021
YEARS = range(2016, 2026)  # every city has a document per year, so that people carry goals across years
PEOPLE_PER_CITY = 12  # the bundled document names 7 people; each variant draws 7 of its city's 12
CHUNK = 50  # documents built (and written) at a time

# The bundled table's statuses: 8 goals fully and 2 partially achieved.
STATUSES = (str(KG.FullyAchieved), str(KG.PartiallyAchieved))
STATUS_WEIGHTS = (8, 2)

PLACE_STEMS = ("Kivi", "Järvi", "Koski", "Lahti", "Mänty", "Koivu", "Salo", "Harju", "Niemi", "Lammi", "Suo",
               "Vaara", "Kallio", "Ranta", "Laakso", "Kangas", "Mäki", "Joki", "Saari", "Kuusi", "Paju", "Haapa",
               "Pihlaja", "Honka", "Tammi", "Leppä", "Vuori", "Aho", "Metsä", "Pelto")
PLACE_ENDINGS = ("la", "järvi", "koski", "lahti", "niemi", "salo", "vesi", "mäki", "joki", "saari", "ranta",
                 "harju", "lampi", "kylä")
FIRST_NAMES = ("Aino", "Anna", "Antti", "Eero", "Eeva", "Elina", "Heikki", "Helena", "Jari", "Johanna", "Juha",
               "Jukka", "Kaisa", "Kari", "Kirsi", "Laura", "Leena", "Markku", "Marja", "Matti", "Mikko", "Minna",
               "Niina", "Olli", "Päivi", "Pekka", "Petri", "Pirjo", "Riikka", "Sari", "Satu", "Seppo", "Tiina",
               "Timo", "Tuomas", "Ville")
SURNAME_ENDINGS = ("nen", "la", "mäki", "aho", "salo", "niemi")

# The targets the endpoint is held to (see the README).
OVERHEAD_MS = 3.0  # at most this much over pyoxigraph …
FAST_MS = 20.0  # … for questions pyoxigraph answers in less than this;
SLOW_RATIO = 1.5  # within this factor of pyoxigraph for slower ones.
RDFLIB_FACTOR = 25.0  # at least this many times faster than rdflib.


# 1. Goal-shaped data ---------------------------------------------------------------------------------
def parse_size(text: str) -> int:
    """'10k' → 10_000, '1m' → 1_000_000, '2500' → 2500."""
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * factor)


def city_names() -> Iterator[str]:
    """Vantaa first (the bundled city, so that the default parameters of the saved questions find
    something), then made-up Finnish-looking names in a fixed shuffled order: 'Koivuniemi', 'Kivikylä', …"""
    names = [stem + ending for stem in PLACE_STEMS for ending in PLACE_ENDINGS if stem.lower() != ending]
    random.Random(SEED).shuffle(names)
    yield "Vantaa"
    for round_ in itertools.count(1):
        for name in names:
            yield name if round_ == 1 else f"{name} {round_}"


def person_pool(rng: random.Random, keep: list[str]) -> list[str]:
    """PEOPLE_PER_CITY distinct 'Etunimi Sukunimi' names: those in `keep`, then made-up ones."""
    surnames = [stem + ending for stem in PLACE_STEMS for ending in SURNAME_ENDINGS]
    people = list(keep)
    while len(people) < PEOPLE_PER_CITY:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(surnames)}"
        if slug(name) not in {slug(p) for p in people}:  # a person's IRI is the slug of the name
            people.append(name)
    return people


def persons_of(document: Document) -> list[str]:
    return sorted({r.name for g in document.goals for r in g.responsible if r.kind == "person"})


def variant(original: Document, city: str, year: int, people: list[str], rng: random.Random) -> Document:
    """The bundled document as if `city` had written it for `year`: the same goal keys, themes,
    groups, posts, numbers and mentions; texts tagged with city and year, statuses drawn again,
    and the named people replaced by people of the city (the same person recurs across years)."""
    tag = f" ({city} {year})"
    stand_in = dict(zip(persons_of(original), rng.sample(people, len(persons_of(original)))))
    translations = dict(original.translations_en)
    goals = []
    for goal in original.goals:
        if goal.text in translations:
            translations[goal.text + tag] = translations[goal.text] + tag
        responsible = [replace(r, name=stand_in[r.name]) if r.kind == "person" else r for r in goal.responsible]
        goals.append(replace(goal, text=goal.text + tag, status=rng.choices(STATUSES, STATUS_WEIGHTS)[0],
                             texts={column: text + tag for column, text in goal.texts.items()}, responsible=responsible))
    info = original.info
    title = info.title.replace(str(info.year), str(year))
    if info.title in translations:
        translations[title] = translations[info.title].replace(str(info.year), str(year))
    new_info = replace(info, id=f"{slug(city)}-{slug(info.division_abbreviation)}-{year}", city=city, year=year, title=title,
                       baseline_date=date(year - 2, 12, 31), target_period=year, outcome_month=(year, 12),
                       rights=info.rights.replace(info.city, city))
    return replace(original, info=new_info, goals=goals, translations_en=translations)


def documents(original: Document, count: int) -> Iterator[Document]:
    """`count` variants, city by city, a document per year. Each city draws from its own seeded
    generator, so that a smaller size is a prefix of a larger one."""
    cities = city_names()
    for index in range(count):
        city_index, year_index = divmod(index, len(YEARS))
        if year_index == 0:
            city = next(cities)
            rng = random.Random(f"{SEED}/{city_index}")
            people = person_pool(rng, persons_of(original) if city == original.info.city else [])
        yield variant(original, city, YEARS[year_index], people, rng)


def document_count(original: Document, target: int) -> int:
    """How many documents make about `target` triples (one is about 670; the vocabulary adds about 350)."""
    one = len(build_dataset([next(documents(original, 1))], vocabulary=False))
    vocabulary = len(build_dataset([], vocabulary=True))
    return max(1, round((target - vocabulary) / one))


@dataclass
class DataFile:
    path: Path
    documents: int
    cities: int
    quads: int  # lines of the file: a triple in a document's graph (shared parties recur in several graphs)
    generation_s: float
    cached: bool = False


def data_file(label: str, target: int) -> DataFile:
    """The N-Quads file for a size: made once, then reused (with a small JSON note beside it)."""
    DATA.mkdir(exist_ok=True)
    ignore = DATA / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")
    path = DATA / f"goals-{label}-seed{SEED}.nq"
    note = path.with_suffix(".json")
    if path.exists() and note.exists():
        return DataFile(path, **json.loads(note.read_text(encoding="utf-8")), cached=True)
    made = generate(path, target)
    note.write_text(json.dumps({k: v for k, v in asdict(made).items() if k not in ("path", "cached")}), encoding="utf-8")
    return made


def generate(path: Path, target: int) -> DataFile:
    """Build the variants CHUNK documents at a time with build_dataset and append them as N-Quads
    (the vocabulary once, with the first chunk); written to a .part file first, so that an
    interrupted run leaves no half file to be reused."""
    started = time.perf_counter()
    original = bundled_documents()[0]
    count = document_count(original, target)
    print(f"  generating {count} documents (about {target:,} triples) into {path.name} …", flush=True)
    partial = path.with_suffix(".part")
    quads = 0
    variants = documents(original, count)
    with partial.open("wb") as out:
        for start in range(0, count, CHUNK):
            dataset = build_dataset(list(itertools.islice(variants, CHUNK)), vocabulary=start == 0)
            payload = dataset.serialize(format="nquads", encoding="utf-8")
            out.write(payload)
            quads += sum(1 for line in payload.splitlines() if line)  # rdflib ends with an empty line
            done = min(start + CHUNK, count)
            if done == count or done % (CHUNK * 5) == 0:
                print(f"    {done}/{count} documents, {quads:,} quads, {time.perf_counter() - started:.0f} s", flush=True)
    partial.replace(path)
    cities = (count + len(YEARS) - 1) // len(YEARS)
    return DataFile(path, count, cities, quads, round(time.perf_counter() - started, 1))


# 2. The questions and the three ways of running them ------------------------------------------------------
@dataclass
class Question:
    name: str
    sparql: str  # default parameters bound, no PREFIX lines (kasograph's prefixes are implied)

    @property
    def kind(self) -> str:
        """Every saved question joins several patterns; those with GROUP BY also aggregate."""
        return "aggregate" if "GROUP BY" in self.sparql.upper() else "join"


def questions() -> list[Question]:
    found = []
    for question in saved.catalogue().values():
        values = question.bind()
        found.append(Question(question.name, bind_parameters(question.sparql, values) if values else question.sparql))
    return found


def median_ms(function: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median of `repeat` runs after one warm-up, and the last run's result."""
    result = function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def json_rows(body: bytes) -> int | None:
    """Rows of a SPARQL JSON answer (None for answers too big to parse cheaply)."""
    return len(json.loads(body)["results"]["bindings"]) if len(body) < 50_000_000 else None


def oxigraph_store(path: Path) -> GoalStore:
    """The pyoxigraph stores as kasograph arranges them: the graphs with their union as the default
    graph, and the union alone for queries that name no graph (see kasograph.store.GoalStore)."""
    store = GoalStore()
    store.load_file(path, pyoxigraph.RdfFormat.N_QUADS)
    return store


def oxigraph_query(store: GoalStore, sparql: str):
    """pyoxigraph's own query method, on the store kasograph would choose."""
    return store.engine_for(sparql).query(sparql, prefixes=PREFIX_MAP)


def oxigraph_json(store: GoalStore, sparql: str) -> bytes:
    """What a query worker of the endpoint does: run with kasograph's prefixes over the union of the graphs,
    and let the engine serialise the results."""
    return oxigraph_query(store, sparql).serialize(format=pyoxigraph.QueryResultsFormat.JSON)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Endpoint:
    """`kasograph serve --data FILE` on a free port, asked over one kept-alive HTTP connection."""

    def __init__(self, data: Path, startup_limit: float):
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="kasograph-serve-", suffix=".log", delete=False)
        started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kasograph", "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--data", str(data), "--timeout", "120"], stdout=self.log, stderr=subprocess.STDOUT)
        try:
            self._wait(startup_limit)
        except BaseException:
            self.close()
            raise
        self.startup_s = time.perf_counter() - started
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)

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
            time.sleep(0.2)
        raise RuntimeError(f"kasograph serve did not answer within {seconds:.0f} s:\n{self._log()}")

    def _log(self) -> str:
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")[-3000:]

    def query(self, sparql: str) -> bytes:
        """POST the query form-encoded, read the whole answer (reconnecting once if the server closed the connection)."""
        body = urlencode({"query": sparql})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}
        for attempt in (1, 2):
            try:
                self.connection.request("POST", "/sparql", body, headers)
                response = self.connection.getresponse()
                answer = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionError):
                self.connection.close()
                if attempt == 2:
                    raise
        if response.status != 200:
            raise RuntimeError(f"the endpoint answered {response.status}: {answer[:300].decode('utf-8', 'replace')}")
        return answer

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


# Engines in worker processes: neither engine can interrupt a query, and a runaway one can take all memory.
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


def _oxigraph_probe(connection, path: str, memory: int) -> None:
    """Run each question once in pyoxigraph and count its rows as they stream: does it fit at all?"""
    _serve(connection, memory, lambda: oxigraph_store(Path(path)),
           lambda store, sparql: sum(1 for _ in oxigraph_query(store, sparql)), repeat_runs=False)


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
    process; the next question starts a new one (loading the file again)."""

    def __init__(self, target: Callable, path: Path, load_limit: float):
        self.target, self.path, self.load_limit = target, path, load_limit
        self.process: multiprocessing.Process | None = None
        self.loads_s: list[float] = []  # once per start

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        self.process = context.Process(target=self.target, args=(child, str(self.path), memory_cap()), daemon=True)
        self.process.start()
        child.close()
        if not self.connection.poll(self.load_limit):
            self.close()
            raise RuntimeError(f"{self.target.__name__} did not load {self.path.name} within {self.load_limit:.0f} s")
        self.loads_s.append(self.connection.recv())

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


def estimated_rdflib_load_s(path: Path, sample_lines: int = 20_000) -> float:
    """rdflib's parse time for the whole file, extrapolated from its first lines (it grows about linearly)."""
    from rdflib import Dataset

    with path.open("rb") as data:
        sample = b"".join(itertools.islice(data, sample_lines))
    with path.open("rb") as data:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: data.read(1 << 24), b""))
    started = time.perf_counter()
    Dataset(default_union=True).parse(data=sample, format="nquads")
    return (time.perf_counter() - started) * lines / max(1, sample.count(b"\n"))


# 3. One size: measure, check the targets, print -----------------------------------------------------------
@dataclass
class Row:
    name: str
    kind: str
    check_ms: float  # kasograph.sparql.check in this process: the endpoint's read-only check, for the record
    rows: dict[str, int | None] = field(default_factory=dict)
    pyoxigraph_ms: float | None = None
    endpoint_ms: float | None = None
    not_timed: str = ""  # why pyoxigraph and the endpoint were not timed (the probe did not finish or was too big)
    endpoint_error: str = ""
    rdflib_ms: float | None = None
    rdflib_status: str = "not run"  # ok | timeout | error | crashed | not run
    rdflib_runs: int = 0
    rdflib_error: str = ""

    @property
    def timed(self) -> bool:
        return self.pyoxigraph_ms is not None and self.endpoint_ms is not None

    @property
    def overhead_ms(self) -> float | None:
        return self.endpoint_ms - self.pyoxigraph_ms if self.timed else None

    @property
    def endpoint_ratio(self) -> float | None:
        return self.endpoint_ms / self.pyoxigraph_ms if self.timed else None

    def rdflib_ratio(self, limit_s: float) -> float | None:
        """rdflib / pyoxigraph; for a timeout, the lower bound limit / pyoxigraph."""
        if self.pyoxigraph_ms is None:
            return None
        if self.rdflib_status == "ok":
            return self.rdflib_ms / self.pyoxigraph_ms
        if self.rdflib_status == "timeout":
            return limit_s * 1000 / self.pyoxigraph_ms
        return None

    def endpoint_meets_target(self) -> bool | None:
        if not self.timed:
            return None
        if self.pyoxigraph_ms < FAST_MS:
            return self.overhead_ms <= OVERHEAD_MS
        return self.endpoint_ratio <= SLOW_RATIO

    def rdflib_meets_target(self, limit_s: float) -> bool | None:
        """None when it cannot be told: a side was not run or failed, or rdflib timed out too early to prove 25×."""
        ratio = self.rdflib_ratio(limit_s)
        if ratio is None or (self.rdflib_status == "timeout" and ratio < RDFLIB_FACTOR):
            return None
        return ratio >= RDFLIB_FACTOR


def measure_size(label: str, target: int, args: argparse.Namespace) -> dict:
    started = time.perf_counter()
    print(f"\n== {label}: about {target:,} triples", flush=True)
    data = data_file(label, target)
    print(f"  data: {data.path.name}, {data.documents} documents of {plural(data.cities, 'city', 'cities')}, "
          f"{data.quads:,} quads ({'cached; ' if data.cached else ''}generated in {data.generation_s:.0f} s)", flush=True)
    rows, info = measure_oxigraph_and_endpoint(data, args)
    info.update(measure_rdflib(data, rows, args))
    wall_s = time.perf_counter() - started
    title = (f"{label}: {data.quads:,} quads ({info['distinct_triples']:,} distinct triples) in {data.documents} documents"
             f" of {plural(data.cities, 'city', 'cities')}; median of {args.repeat} runs after a warm-up, ms")
    print_table(title, rows, args)
    targets = check_targets(rows, args.rdflib_limit)
    print_targets(targets)
    print(f"  wall time for {label}: {wall_s:.0f} s", flush=True)
    return {"size": label, "target_triples": target, "quads": data.quads, "documents": data.documents,
            "cities": data.cities, "file": str(data.path), "generation_s": data.generation_s, "data_cached": data.cached,
            **info, "wall_s": round(wall_s, 1), "targets": targets,
            "questions": [row_json(row, args.rdflib_limit) for row in rows]}


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def measure_oxigraph_and_endpoint(data: DataFile, args: argparse.Namespace) -> tuple[list[Row], dict]:
    """Each question is first run once by a pyoxigraph worker (capped in time and memory) to see whether it
    fits; if it does, pyoxigraph here and the endpoint are timed side by side, so that drift in the
    machine hits both alike."""
    began = time.perf_counter()
    store = oxigraph_store(data.path)
    load_s = time.perf_counter() - began
    distinct = int(next(store.store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"))["n"].value)
    print(f"  pyoxigraph loaded {data.quads:,} quads ({distinct:,} distinct triples) in {load_s:.1f} s;"
          " starting kasograph serve …", flush=True)
    probe = Worker(_oxigraph_probe, data.path, load_limit=120 + data.quads / 5_000)
    endpoint = Endpoint(data.path, startup_limit=120 + data.quads / 5_000)
    try:
        began = time.perf_counter()
        for _ in range(2):  # the first query starts the query workers; the second reaches the other worker
            endpoint.query("ASK {}")
        pool_s = time.perf_counter() - began
        print(f"  endpoint answered after {endpoint.startup_s:.1f} s; its query workers started in {pool_s:.1f} s", flush=True)
        rows = [time_question(question, store, endpoint, probe, args) for question in questions()]
    finally:
        endpoint.close()
        probe.close()
    return rows, {"distinct_triples": distinct, "pyoxigraph_load_s": round(load_s, 2),
                  "endpoint_startup_s": round(endpoint.startup_s, 1), "endpoint_pool_startup_s": round(pool_s, 1)}


def time_question(question: Question, store: GoalStore, endpoint: Endpoint, probe: Worker,
                  args: argparse.Namespace) -> Row:
    row = Row(question.name, question.kind, median_ms(lambda: check(question.sparql), args.repeat)[0])
    status, value, count, _ = probe.run(question.sparql, 0, args.probe_limit)
    row.rows["pyoxigraph"] = count
    if status != "ok":
        row.not_timed = f"> {args.probe_limit:g} s" if status == "timeout" else f"{status}: {value}"
    elif count > args.max_rows:
        row.not_timed = f"{count:,} rows"
    if row.not_timed:
        print(f"    {question.name:28} not timed; pyoxigraph alone, run once: {row.not_timed}", flush=True)
        return row
    row.pyoxigraph_ms, _ = median_ms(lambda: oxigraph_json(store, question.sparql), args.repeat)
    try:
        row.endpoint_ms, body = median_ms(lambda: endpoint.query(question.sparql), args.repeat)
        row.rows["endpoint"] = json_rows(body)
    except RuntimeError as error:
        row.endpoint_error = str(error)
    print(f"    {question.name:28} pyoxigraph {ms(row.pyoxigraph_ms):>9} ms   endpoint "
          f"{ms(row.endpoint_ms) if row.endpoint_ms is not None else row.endpoint_error:>9} ms", flush=True)
    return row


def measure_rdflib(data: DataFile, rows: list[Row], args: argparse.Namespace) -> dict:
    """rdflib on every question, unless parsing the file alone would take longer than its limit."""
    estimate = estimated_rdflib_load_s(data.path)
    if estimate > args.rdflib_load_limit:
        note = f"not run (load > limit: about {estimate:.0f} s estimated)"
        print(f"  rdflib: {note}", flush=True)
        return {"rdflib_load_s": None, "rdflib_load_estimate_s": round(estimate, 1), "rdflib_note": note}
    print(f"  rdflib: loading (about {estimate:.0f} s estimated) …", flush=True)
    worker = Worker(_rdflib_engine, data.path, load_limit=max(args.rdflib_load_limit, 3 * estimate))
    try:
        for question, row in zip(questions(), rows):
            status, value, count, runs = worker.run(question.sparql, args.repeat, args.rdflib_limit)
            row.rdflib_status, row.rdflib_runs, row.rows["rdflib"] = status, runs, count
            if status == "ok":
                row.rdflib_ms = value
            elif value:
                row.rdflib_error = value
            print(f"    {question.name:28} rdflib {ms(value) + ' ms' if status == 'ok' else status}", flush=True)
    finally:
        worker.close()
    loads = worker.loads_s
    return {"rdflib_load_s": round(loads[0], 1) if loads else None, "rdflib_load_estimate_s": round(estimate, 1),
            "rdflib_note": f"loaded {len(loads)} time(s)"}


def check_targets(rows: list[Row], limit_s: float) -> dict:
    endpoint = {r.name: r.endpoint_meets_target() for r in rows}
    rdflib = {r.name: r.rdflib_meets_target(limit_s) for r in rows}
    return {which: {"checked": sum(v is not None for v in verdicts.values()),
                    "violations": sum(v is False for v in verdicts.values()),
                    "missed_by": [name for name, ok in verdicts.items() if ok is False],
                    "undecided": [name for name, ok in verdicts.items() if ok is None]}
            for which, verdicts in (("endpoint", endpoint), ("rdflib", rdflib))}


def ms(value: float | None) -> str:
    if value is None:
        return "–"
    if abs(value) < 10:
        return f"{value:.2f}"
    return f"{value:.1f}" if abs(value) < 1000 else f"{value:,.0f}"


def ratio(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.2f}" if value < 10 else f"{value:,.0f}"


def rdflib_cells(row: Row, limit_s: float) -> tuple[str, str]:
    times = row.rdflib_ratio(limit_s)
    if row.rdflib_status == "ok":
        return ms(row.rdflib_ms), ratio(times) + "×" if times is not None else "–"
    if row.rdflib_status == "timeout":
        return f"> {limit_s:g} s", f"> {ratio(times)}×" if times is not None else "–"
    return row.rdflib_status, "–"


def print_table(title: str, rows: list[Row], args: argparse.Namespace) -> None:
    print(f"\n{title}")
    header = (f"{'question':28} {'kind':9} {'rows':>9} {'pyoxigraph':>10} {'endpoint':>9} {'end−pyox':>9} "
              f"{'end/pyox':>8} {'rdflib':>9} {'rdflib/pyox':>11}")
    print(header)
    print("-" * len(header))
    for row in rows:
        rdflib_ms, rdflib_ratio = rdflib_cells(row, args.rdflib_limit)
        counts = {v for v in row.rows.values() if v is not None}
        shown = ("–" if row.rows.get("pyoxigraph") is None else f"{row.rows['pyoxigraph']:,}") + ("" if len(counts) <= 1 else "≠")
        oxigraph = ms(row.pyoxigraph_ms) if not row.not_timed else "not timed"
        endpoint = ms(row.endpoint_ms) if not row.endpoint_error else "error"
        print(f"{row.name:28} {row.kind:9} {shown:>9} {oxigraph:>10} {endpoint:>9} {ms(row.overhead_ms):>9} "
              f"{ratio(row.endpoint_ratio):>8} {rdflib_ms:>9} {rdflib_ratio:>11}")
    if any(len({v for v in r.rows.values() if v is not None}) > 1 for r in rows):
        print("≠: the engines disagree on the number of rows (see the JSON)")
    for row in rows:
        if row.not_timed:
            print(f"  {row.name}: not timed; pyoxigraph alone, run once: {row.not_timed} "
                  f"(limits: {args.probe_limit:g} s, {args.max_rows:,} rows, {memory_cap() / 2**30:.1f} GiB)")
        if row.endpoint_error:
            print(f"  {row.name}: {row.endpoint_error}")
    checks = sorted(r.check_ms for r in rows)
    print(f"  the endpoint's read-only check (kasograph.sparql.check, a lexical scan) alone takes "
          f"{ms(checks[0])}–{ms(checks[-1])} ms per question in this process")


def print_targets(targets: dict) -> None:
    def verdict(result: dict) -> str:
        if not result["checked"]:
            return "not checked"
        text = ("holds" if not result["violations"] else
                f"{result['violations']} of {result['checked']} violate it: {', '.join(result['missed_by'])}")
        return text + (f" (undecided: {', '.join(result['undecided'])})" if result["undecided"] else "")

    print(f"  target: the endpoint adds at most {OVERHEAD_MS:g} ms over pyoxigraph where pyoxigraph takes under "
          f"{FAST_MS:g} ms, and stays within {SLOW_RATIO:g}× where it takes longer — {verdict(targets['endpoint'])}")
    print(f"  target: at least {RDFLIB_FACTOR:g}× faster than rdflib on aggregates and joins (every saved question) — "
          f"{verdict(targets['rdflib'])}")


def row_json(row: Row, limit_s: float) -> dict:
    times = row.rdflib_ratio(limit_s)
    rounded = lambda value, digits=3: None if value is None else round(value, digits)  # noqa: E731
    return {"name": row.name, "kind": row.kind, "rows": row.rows, "not_timed": row.not_timed or None,
            "pyoxigraph_ms": rounded(row.pyoxigraph_ms), "endpoint_ms": rounded(row.endpoint_ms),
            "endpoint_error": row.endpoint_error or None,
            "endpoint_minus_pyoxigraph_ms": rounded(row.overhead_ms), "endpoint_ratio": rounded(row.endpoint_ratio),
            "check_ms": rounded(row.check_ms), "endpoint_meets_target": row.endpoint_meets_target(),
            "rdflib_status": row.rdflib_status, "rdflib_ms": rounded(row.rdflib_ms, 1), "rdflib_runs": row.rdflib_runs,
            "rdflib_error": row.rdflib_error or None, "rdflib_ratio": rounded(times, 1),
            "rdflib_ratio_is_lower_bound": row.rdflib_status == "timeout",
            "rdflib_meets_target": row.rdflib_meets_target(limit_s)}


def machine() -> dict:
    import rdflib

    return {"machine": platform.machine(), "cores": os.cpu_count(), "system": platform.system(),
            "python": platform.python_version(), "pyoxigraph": pyoxigraph.__version__, "rdflib": rdflib.__version__,
            "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1m", help="comma-separated triple counts: 10k,100k,1m")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per question (after one warm-up)")
    parser.add_argument("--rdflib-limit", type=float, default=60, help="seconds rdflib may spend on one question")
    parser.add_argument("--rdflib-load-limit", type=float, default=600, help="seconds rdflib may spend parsing the data "
                        "(not run at a size whose estimated parse time is longer)")
    parser.add_argument("--probe-limit", type=float, default=60, help="seconds pyoxigraph may take to run a question once "
                        "before it is timed; a question that takes longer is reported as not timed")
    parser.add_argument("--max-rows", type=int, default=1_000_000, help="questions with more rows than this are not timed")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    started = time.perf_counter()
    about = machine()
    print(f"kasograph SPARQL at scale: {about['cores']} cores, {about['memory_gib']} GiB, {about['machine']}, "
          f"Python {about['python']}, pyoxigraph {about['pyoxigraph']}, rdflib {about['rdflib']}")
    sizes = [measure_size(label.strip().lower(), parse_size(label), args) for label in args.sizes.split(",") if label.strip()]
    print(f"\ntotal wall time: {time.perf_counter() - started:.0f} s")
    if args.json:
        report = {**about, "repeat": args.repeat, "rdflib_limit_s": args.rdflib_limit, "probe_limit_s": args.probe_limit,
                  "max_rows": args.max_rows, "sizes": sizes, "total_wall_s": round(time.perf_counter() - started, 1)}
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":  # spawned workers import this module again
    main()

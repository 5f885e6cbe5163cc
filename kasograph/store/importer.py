"""Import documents into a store directory: read → build → validate → store, all or nothing.

Each table is read (every problem reported by file, sheet, row and column), its
graph built and checked against the shapes; only when every document of an
import passes does anything reach the store, in one new generation of the store
directory (`kasograph.store.directory`) that replaces the documents' named graphs
(importing the same document again replaces it), keeps the union graph in step
and links the goals each document carries over from its division's year before.
A failure at any step leaves the store as it was.

An import of many documents (a folder of document folders, or several sources)
reads, builds and validates them in worker processes (`jobs`), reports every
failure together, and stores them in one generation. The graphs go into the new
generation with Oxigraph's bulk loader, not a SPARQL update: several times faster
(a SPARQL `INSERT DATA` of 200,000 triples took 5.7 s to parse where the loader
took 1.6 s), and safe because nobody reads a generation before it is published.

A remote store (a SPARQL server, `kasograph.store.remote`) is read, built and validated
for the same way; only the storing differs (see that module for its order of writes).
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph

from kasograph.analysis.compare import GoalState, carried_over, goal_states
from kasograph.errors import InputError, Problem
from kasograph.model.build import build_document
from kasograph.model.iris import Iris
from kasograph.model.validate import ValidationReport, validate_graph
from kasograph.namespaces import DEFAULT_BASE, VOCABULARY_GRAPH
from kasograph.source.records import Document, DocumentInfo
from kasograph.store.directory import Manifest, StoredDocument, StoreDirectory, now
from kasograph.store.engine import PREFIX_MAP, GoalStore
from kasograph.vocabulary import ontology

Progress = Callable[[str], None]
#: Below this many documents an import works in its own process: starting workers costs more than it saves.
POOL_FROM = 16


class ValidationFailed(Exception):
    """The built graph breaks the shapes: nothing was stored."""

    def __init__(self, report: ValidationReport):
        super().__init__(f"{len(report.violations)} violation(s) of the shapes")
        self.report = report

    def __reduce__(self):  # whole across processes
        return (type(self), (self.report,))


@dataclass
class Failure:
    """One source of an import that could not be read (`error`) or broke the shapes (`report`)."""

    source: str
    error: InputError | None = None
    report: ValidationReport | None = None


class ImportFailed(Exception):
    """Some sources of an import failed: nothing was stored. `failures` says which, and why."""

    def __init__(self, failures: list[Failure], total: int):
        super().__init__(f"{len(failures)} of {total} document(s) failed; nothing was stored")
        self.failures = failures
        self.total = total


@dataclass
class ImportResult:
    document: StoredDocument
    replaced: bool  # the store held this document before
    seconds: float
    warnings: list = field(default_factory=list)  # Problems and Findings that did not stop the import


@dataclass
class BatchResult:
    """What an import of several documents stored."""

    documents: list[StoredDocument]
    replaced: list[str]  # ids of documents the store held before
    seconds: float
    steps: dict[str, float] = field(default_factory=dict)  # seconds: prepare (read, build, validate) and store
    warnings: list = field(default_factory=list)  # (source, Problem or Finding)

    @property
    def triples(self) -> int:
        return sum(d.triples for d in self.documents)


@dataclass
class Prepared:
    """A document read, built and validated: ready to be stored. Plain data, so that it can
    come back from a worker process."""

    info: DocumentInfo
    source_name: str  # the file it came from, as the steward named it
    graph: str  # the document's named graph
    ntriples: bytes  # the graph as N-Triples (UTF-8)
    triples: int
    dataset_iri: str
    source_text: str | None = None  # the verbatim source text, if the document has one
    source_text_iri: str | None = None
    goals: list[GoalState] = field(default_factory=list)  # what pairing the years compares
    warnings: list = field(default_factory=list)
    replaced: StoredDocument | None = None  # set when stored: the version of the document it replaced


def read_source(path: Path, **options) -> Document:
    """A document from a document folder, its document.toml, or a goal table (CSV, Excel) with a
    sidecar or metadata; `options` go to `kasograph.source.table.read_document` (metadata, sheet, mapping, sidecar)."""
    from kasograph.source.table import read_document

    return read_document(path, **options)


def document_sources(paths: Iterable[Path]) -> list[Path]:
    """The documents named by the paths: a folder holding document folders (but no document.toml of
    its own) stands for those folders, in name order; anything else for itself."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir() and not (path / "document.toml").is_file():
            inner = sorted(p for p in path.iterdir() if p.is_dir() and (p / "document.toml").is_file())
            if inner:
                found.extend(inner)
                continue
        found.append(path)
    return found


def prepare(source: Path | Document, base: str = DEFAULT_BASE, *, progress: Progress | None = None,
            engine: str | None = None, **options) -> Prepared:
    """Read, build and validate a document; raise InputError or ValidationFailed. Nothing is stored."""
    say = progress or (lambda _: None)
    if isinstance(source, Document):
        document, source_name = source, source.info.id
    else:
        say("reading")
        document, source_name = read_source(Path(source), **options), Path(source).name
    warnings = list(document.warnings)
    say("building")
    iris = Iris.for_document(document.info, base)
    graph = build_document(document, base)
    say("validating")
    report = validate_graph(graph, engine)
    if not report.conforms:
        raise ValidationFailed(report)
    warnings.extend(report.warnings)
    ntriples = graph.serialize(format="nt", encoding="utf-8")
    return Prepared(document.info, source_name, str(iris.graph()), ntriples, len(graph), str(iris.dataset()),
                    document.source_text, str(iris.source_text()) if document.source_text else None,
                    _goal_states(ntriples, str(iris.graph())), warnings)


def _goal_states(ntriples: bytes, graph: str) -> list[GoalState]:
    """The goals as the years are paired, read from the document's own graph (a store of its own:
    a few milliseconds, and nothing else to scan)."""
    holder = pyoxigraph.Store()
    holder.bulk_load(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=pyoxigraph.NamedNode(graph))
    return goal_states(GoalStore(holder), graph)


def import_document(source: Path | Document, directory: StoreDirectory, base: str = DEFAULT_BASE, *,
                    progress: Progress | None = None, engine: str | None = None, **options) -> ImportResult:
    """Read, build, validate and store one document; raise InputError or ValidationFailed, storing nothing.
    `directory` is a store directory, or a remote store (kasograph.store.remote.RemoteStore)."""
    say = progress or (lambda _: None)
    started = time.perf_counter()
    prepared = prepare(source, base, progress=progress, engine=engine, **options)
    if getattr(directory, "remote", False):
        from kasograph.store.remote import import_batch

        [(stored, replaced)] = import_batch([prepared], directory, lambda p: p.ntriples, say)
        return ImportResult(stored, replaced, time.perf_counter() - started, prepared.warnings)
    say("storing")
    manifest, replaced_ids = store_prepared([prepared], directory)
    return ImportResult(manifest.documents[prepared.info.id], prepared.info.id in replaced_ids,
                        time.perf_counter() - started, prepared.warnings)


def import_documents(sources: Iterable[Path | Document], directory: StoreDirectory, base: str = DEFAULT_BASE, *,
                     jobs: int | None = None, progress: Progress | None = None, engine: str | None = None,
                     **options) -> BatchResult:
    """Import many documents as one: all are read, built and validated (in `jobs` worker processes;
    None: one per core when there are many documents) and stored together in one generation.
    Raises ImportFailed, naming every source that failed, and stores nothing if any did."""
    say = progress or (lambda _: None)
    started = time.perf_counter()
    sources = list(sources)

    def counted():
        for index, outcome in enumerate(_prepare_all(sources, base, jobs, engine, options), 1):
            say(f"prepared {index}/{len(sources)}")
            yield outcome

    if getattr(directory, "remote", False):
        results, warnings = _import_remote(counted(), len(sources), directory, say)
        replaced = [d.id for d, was_there in results if was_there]
        stored = [d for d, _ in results]
        steps: dict[str, float] = {}
    else:
        stored, replaced, warnings, steps = _import_local(counted(), len(sources), directory, say)
    return BatchResult(stored, sorted(replaced), time.perf_counter() - started, steps, warnings)


def _prepare_all(sources: list, base: str, jobs: int | None, engine: str | None, options: dict):
    """(source name, Prepared or Failure) for every source, in order; in worker processes when there are many."""
    if jobs is None:
        jobs = (os.cpu_count() or 1) if len(sources) >= POOL_FROM else 1
    if jobs <= 1 or len(sources) <= 1:
        for source in sources:
            yield _name(source), _prepare_one(source, base, engine, options)
        return
    # "spawn": a fresh interpreter per worker, never a fork of a process that may hold threads (the viewer's).
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"))
    try:
        futures = [pool.submit(_prepare_one, source, base, engine, options) for source in sources]
        for source, future in zip(sources, futures):
            yield _name(source), future.result()
    finally:  # an import stopped midway (an error, Ctrl+C) does not wait for the documents nobody will store
        pool.shutdown(wait=True, cancel_futures=True)


def _prepare_one(source, base: str, engine: str | None, options: dict) -> Prepared | Failure:
    try:
        return prepare(source, base, engine=engine, **options)
    except InputError as error:
        return Failure(_name(source), error=error)
    except ValidationFailed as failed:
        return Failure(_name(source), report=failed.report)


def _name(source) -> str:
    return source.info.id if isinstance(source, Document) else str(source)


class _Spool:
    """Prepared graphs written to an N-Quads file: each document's triples in its named graph, then once
    more in the default graph (the union; the store keeps each triple of a graph once). A document's
    graph and its union copy go into the same file, loaded at once, because a blank node label names
    one node throughout a file: the document's blank nodes are then the same nodes in both."""

    def __init__(self, path: Path):
        self.path = path
        self.file = open(path, "wb")
        self.graphs: dict[str, tuple[int, int]] = {}  # graph → (offset, length) of its N-Triples

    def add(self, graph: str, ntriples: bytes) -> None:
        # Every N-Triples line ends with " .\n", and nowhere else does a raw line break occur.
        self.file.write(ntriples.replace(b" .\n", f" <{graph}> .\n".encode("utf-8")))
        self.graphs[graph] = (self.file.tell(), len(ntriples))
        self.file.write(ntriples)

    def ntriples(self, graph: str) -> bytes:
        self.file.flush()
        offset, length = self.graphs[graph]
        with open(self.path, "rb") as data:
            data.seek(offset)
            return data.read(length)

    def size(self) -> int:
        return self.file.tell()

    def close(self) -> None:
        self.file.close()


class _Loader:
    """Bulk-loads spooled documents into a new generation, a chunk at a time, on a thread of its own:
    Oxigraph's loader releases the GIL, so the store fills while the next documents are read and
    validated (at a few million triples a few chunks are loaded while the rest are prepared). Before a chunk is loaded, the old versions of the documents it replaces are taken out
    (and out of the union, but for what another graph still holds)."""

    # Large: every chunk loaded into a store that already holds data overlaps what is there, and RocksDB
    # compacts the overlap in the background. Measured at 5M triples: chunks of 64 MB cost 62 s of
    # compaction and the import took 172 s; of 512 MB, 31 s and 156 s; one load at the end, 153 s.
    CHUNK_BYTES = 512 * 1024 * 1024

    def __init__(self, store: pyoxigraph.Store, folder: Path, stored: dict[str, str]):
        self.store, self.folder, self.stored = store, folder, stored  # stored: id → graph, before the import
        self.chunks: queue.Queue = queue.Queue(maxsize=2)  # a bound: spooling runs at most two chunks ahead
        self.error: BaseException | None = None
        self.spool: _Spool | None = None
        self.drop: list[str] = []
        self.count = 0
        self.thread = threading.Thread(target=self._run, name="kasograph-loader", daemon=True)
        self.thread.start()

    def add(self, graph: str, ntriples: bytes, replaces: str | None = None) -> None:
        if self.spool is None:
            self.count += 1
            self.spool, self.drop = _Spool(self.folder / f"chunk-{self.count}.nq"), []
        if replaces:
            self.drop.append(replaces)
        self.spool.add(graph, ntriples)
        if self.spool.size() >= self.CHUNK_BYTES:
            self._hand_over()

    def _hand_over(self) -> None:
        if self.spool is not None:
            self.spool.close()
            self.chunks.put((self.spool.path, self.drop))
            self.spool = None

    def _run(self) -> None:
        while (chunk := self.chunks.get()) is not None:
            path, drop = chunk
            try:
                if self.error is None:
                    if drop:
                        self.store.update(replace_graphs_update(dict.fromkeys(drop)))
                    self.store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS)
            except BaseException as error:  # noqa: BLE001 - given to the importing thread in finish()
                self.error = error
            finally:
                path.unlink(missing_ok=True)

    def finish(self) -> None:
        """Load what is left and wait; raise what the loader met."""
        self._hand_over()
        self.chunks.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error


def store_prepared(prepared: list[Prepared], directory: StoreDirectory) -> tuple[Manifest, set[str]]:
    """Store prepared documents in one new generation (see the module's docstring); returns the
    new manifest and the ids of the documents it replaced."""
    stored, replaced, _, _ = _import_local(((p.source_name, p) for p in prepared), len(prepared), directory, lambda _: None)
    return directory.manifest(), set(replaced)


def _import_local(outcomes: Iterable[tuple[str, Prepared | Failure]], total: int, directory: StoreDirectory,
                  say: Progress) -> tuple[list[StoredDocument], list[str], list, dict[str, float]]:
    """Store what is prepared in a new generation as it arrives; publish it only if nothing failed."""
    started = time.perf_counter()
    prepared: list[Prepared] = []
    replaced: list[str] = []
    steps: dict[str, float] = {}

    def change(store: pyoxigraph.Store, manifest: Manifest) -> None:
        failures: list[Failure] = []
        ids: dict[str, str] = {}
        with tempfile.TemporaryDirectory(prefix="import-", dir=directory.path) as folder:
            loader = _Loader(store, Path(folder), {i: d.graph for i, d in manifest.documents.items()})
            loader.add(VOCABULARY_GRAPH, _vocabulary_ntriples(), replaces=VOCABULARY_GRAPH)  # it comes again
            try:
                for name, outcome in outcomes:
                    if isinstance(outcome, Failure):
                        failures.append(outcome)
                        continue
                    if outcome.info.id in ids:
                        failures.append(_duplicate(outcome, ids[outcome.info.id]))
                        continue
                    ids[outcome.info.id] = outcome.source_name
                    if not failures:  # after a failure nothing will be published: only read on, to report all
                        old = manifest.documents.get(outcome.info.id)
                        loader.add(outcome.graph, outcome.ntriples, replaces=old.graph if old else None)
                    outcome.ntriples = b""  # spooled: only what pairing the years needs stays in memory
                    prepared.append(outcome)
                steps["prepare"] = time.perf_counter() - started
                say("storing")
                if not failures:
                    _record(prepared, manifest, directory, replaced)
                    current = GoalStore(store)
                    links = _year_links(lambda graph: goal_states(current, graph), prepared, manifest)
                    new = {p.graph for p in prepared}
                    for graph, pairs in links.items():  # a new graph's links go in with it
                        if graph in new:
                            loader.add(graph, _revision_ntriples(pairs))
            finally:
                loader.finish()
            if failures:
                raise ImportFailed(failures, total)
            stored_later = {graph: pairs for graph, pairs in links.items() if graph not in new}
            if stored_later:
                store.update(relink_update(stored_later), prefixes=PREFIX_MAP)
            if worth_compacting(sum(p.triples for p in prepared), sum(d.triples for d in manifest.documents.values())):
                began = time.perf_counter()
                store.optimize()
                steps["compact"] = time.perf_counter() - began

    directory.write(change)
    manifest = directory.manifest()
    steps["store"] = time.perf_counter() - started - steps.get("prepare", 0.0) - steps.get("compact", 0.0)
    warnings = [(p.source_name, w) for p in prepared for w in p.warnings]
    return [manifest.documents[p.info.id] for p in prepared], replaced, warnings, steps


#: An import that brings at least this share of the store's triples compacts the new generation.
COMPACT_FROM = 0.1


def worth_compacting(imported: int, stored: int) -> bool:
    """Whether to compact the generation before it is published (Oxigraph's `optimize`). The bulk loader
    leaves many overlapping files, and a store opened read-only never compacts itself: at 5M triples the
    saved questions ran 2.6-2.9x faster and pages used a quarter to a third less CPU once compacted,
    which took 13 s. So a large import pays that; a table added to a large store (a few small files) does not."""
    return stored > 0 and imported >= COMPACT_FROM * stored


def _record(prepared: list[Prepared], manifest: Manifest, directory: StoreDirectory, replaced: list[str]) -> None:
    """The documents in the manifest (and their source texts in the store's texts/ folder)."""
    for p in prepared:
        old = manifest.documents.get(p.info.id)
        if old is not None:
            replaced.append(p.info.id)
        text_file = directory.keep_text(p.source_text) if p.source_text else None
        manifest.documents[p.info.id] = StoredDocument(
            id=p.info.id, graph=p.graph, title=p.info.title, year=p.info.year, triples=p.triples,
            imported_at=now(), source=p.source_name, source_text=p.source_text_iri if text_file else None,
            text_file=text_file, city=p.info.city, division=p.info.division)
        p.replaced = old  # the version it replaced, for relinking its old place in its division


def _year_links(stored_states: Callable[[str], list[GoalState]], prepared: list[Prepared],
                manifest: Manifest) -> dict[str, list[tuple[str, str]]]:
    """The revision links of every pair of consecutive years that the import changed, by the later
    graph: the imported documents' goals as prepared, the others' from `stored_states` (for a store
    directory read from the new generation, where the loader writes only the imported graphs)."""
    touched = {(p.info.city, p.info.division, p.info.year) for p in prepared}
    touched |= {(p.replaced.city, p.replaced.division, p.replaced.year) for p in prepared if p.replaced}
    by_graph = {p.graph: p for p in prepared}
    return _relinked(lambda graph: by_graph[graph].goals if graph in by_graph else stored_states(graph), manifest, touched)


def _relinked(states: Callable[[str], list[GoalState]], manifest: Manifest,
              touched: set[tuple[str, str, int]]) -> dict[str, list[tuple[str, str]]]:
    """The links of the pairs of years that a change at `touched` (city, division, year) affects."""
    return _links(_pairs(manifest, touched), states)


def _revision_ntriples(pairs: list[tuple[str, str]]) -> bytes:
    return "".join(f"<{new}> <http://www.w3.org/ns/prov#wasRevisionOf> <{old}> .\n" for new, old in pairs).encode("utf-8")


def _duplicate(prepared: Prepared, first: str) -> Failure:
    return Failure(prepared.source_name, error=InputError([Problem(
        prepared.source_name, f"the document id {prepared.info.id!r} is also the id of {first}: give each document its own id",
        f"asiakirjan tunnus {prepared.info.id!r} on myös asiakirjan {first} tunnus: anna kullekin oma tunnus")]))


def _import_remote(outcomes: Iterable[tuple[str, Prepared | Failure]], total: int, remote, say) -> tuple[list[tuple[StoredDocument, bool]], list]:
    """On a SPARQL server: everything is read, built and validated first (spooled to a file meanwhile),
    then stored a chunk of documents at a time (see kasograph.store.remote.import_batch)."""
    from kasograph.store.remote import import_batch

    failures: list[Failure] = []
    prepared: list[Prepared] = []
    ids: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="kasograph-import-") as folder:
        spool = _Spool(Path(folder) / "graphs.nq")
        for _, outcome in outcomes:
            if isinstance(outcome, Failure):
                failures.append(outcome)
            elif outcome.info.id in ids:
                failures.append(_duplicate(outcome, ids[outcome.info.id]))
            else:
                ids[outcome.info.id] = outcome.source_name
                spool.add(outcome.graph, outcome.ntriples)
                outcome.ntriples = b""
                prepared.append(outcome)
        if failures:
            raise ImportFailed(failures, total)
        try:
            stored = import_batch(prepared, remote, lambda p: spool.ntriples(p.graph), say)
        finally:
            spool.close()
    return stored, [(p.source_name, w) for p in prepared for w in p.warnings]


@lru_cache(maxsize=1)
def _vocabulary_ntriples() -> bytes:
    return ontology().serialize(format="nt", encoding="utf-8")


def remove_document(directory: StoreDirectory, document_id: str) -> StoredDocument:
    """Take a document's graph out of the store (and out of the union)."""
    if getattr(directory, "remote", False):
        from kasograph.store.remote import remove_remote

        return remove_remote(directory, document_id)
    removed: list[StoredDocument] = []

    def change(store: pyoxigraph.Store, manifest: Manifest) -> None:
        if document_id not in manifest.documents:
            known = ", ".join(sorted(manifest.documents)) or "none"
            raise InputError([Problem(str(directory.path), f"no document {document_id!r} in the store (stored: {known})",
                                      f"tietovarastossa ei ole asiakirjaa {document_id!r} (tallennettu: {known})")])
        stored = manifest.documents.pop(document_id)
        store.update(f"""DELETE {{ GRAPH ?g {{ ?later prov:wasRevisionOf ?goal }} ?later prov:wasRevisionOf ?goal }}
                         WHERE {{ GRAPH <{stored.graph}> {{ ?goal a kg:Goal }} GRAPH ?g {{ ?later prov:wasRevisionOf ?goal }} }}""",
                     prefixes=PREFIX_MAP)
        store.update(replace_graphs_update({stored.graph: None}))
        link_revisions(store, _series(manifest, stored.city, stored.division), around=stored.year)
        removed.append(stored)

    directory.write(change)
    return removed[0]


def link_revisions(store: pyoxigraph.Store, series: list[tuple[int, str]], around: int | None = None) -> int:
    """Link each goal of a city division's document to the goal it carries over from the year before
    (`prov:wasRevisionOf`, in the later document's graph and the union), for every pair of consecutive
    years. `series`: (year, graph IRI) of the division's documents. Goals are paired as `kasograph diff`
    pairs them. With `around` (the year a document was imported or removed), only the pairs that year
    can have changed: the one ending at it, the one starting at it, or the one now spanning it.
    Returns the number of links."""
    goals = GoalStore(store)
    links = _links(_spanning(sorted(series), None if around is None else {around}), lambda graph: goal_states(goals, graph))
    if links:
        store.update(relink_update(links), prefixes=PREFIX_MAP)
    return sum(len(pairs) for pairs in links.values())


def _pairs(manifest: Manifest, touched: set[tuple[str, str, int]]) -> list[tuple[str, str]]:
    """(earlier graph, later graph) of every pair of consecutive years that a change of the documents
    at `touched` (city, division, year) can have changed, in every division it touched."""
    years: dict[tuple[str, str], set[int]] = {}
    for city, division, year in touched:
        if year:
            years.setdefault((city, division), set()).add(year)
    series: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for d in manifest.documents.values():  # every division's years at once: one pass, however many divisions
        if d.year and (d.city, d.division) in years:
            series.setdefault((d.city, d.division), []).append((d.year, d.graph))
    pairs = []
    for division, around in sorted(years.items()):
        pairs.extend(_spanning(sorted(series.get(division, [])), around))
    return pairs


def _spanning(series: list[tuple[int, str]], around: set[int] | None) -> list[tuple[str, str]]:
    """Consecutive pairs of a sorted series; with `around`, those whose span holds one of its years."""
    return [(earlier, later) for (first, earlier), (last, later) in zip(series, series[1:])
            if around is None or any(first <= year <= last for year in around)]


def _links(pairs: list[tuple[str, str]], states: Callable[[str], list[GoalState]]) -> dict[str, list[tuple[str, str]]]:
    """For each pair's later graph, its (later goal, earlier goal) revision links; each graph's goals read once."""
    cache: dict[str, list[GoalState]] = {}

    def of(graph: str) -> list[GoalState]:
        if graph not in cache:
            cache[graph] = states(graph)
        return cache[graph]

    return {later: carried_over(of(earlier), of(later)) for earlier, later in pairs}


def relink_update(links: dict[str, list[tuple[str, str]]]) -> str:
    """One SPARQL update that replaces the revision links of each graph (and their copies in the union)."""
    operations = []
    for graph, pairs in links.items():
        triples = "\n".join(f"<{new}> prov:wasRevisionOf <{old}> ." for new, old in pairs)
        operations.append(f"""DELETE {{ GRAPH <{graph}> {{ ?x prov:wasRevisionOf ?y }} ?x prov:wasRevisionOf ?y }}
                              WHERE {{ GRAPH <{graph}> {{ ?x prov:wasRevisionOf ?y }} }}""")
        if triples:
            operations.append(f"INSERT DATA {{ GRAPH <{graph}> {{ {triples} }} {triples} }}")
    return " ;\n".join(operations)


def _series(manifest: Manifest, city: str, division: str) -> list[tuple[int, str]]:
    return [(d.year, d.graph) for d in manifest.documents.values() if d.year and (d.city, d.division) == (city, division)]


def replace_graphs_update(graphs: dict[str, str | None]) -> str:
    """One SPARQL update (one transaction) that replaces each named graph by the given N-Triples
    (None: drops it), taking out of the union graph what no other graph holds, and adding the new."""
    operations = []
    for graph, triples in graphs.items():
        operations.append(f"""DELETE {{ ?s ?p ?o }} WHERE {{
  GRAPH <{graph}> {{ ?s ?p ?o }} FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER (?other != <{graph}>) }}
}}""")
        operations.append(f"DROP SILENT GRAPH <{graph}>")
        if triples:
            operations.append(f"INSERT DATA {{ GRAPH <{graph}> {{\n{triples}\n}} }}")
            operations.append(f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return " ;\n".join(operations)

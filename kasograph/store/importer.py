"""Import documents into a store directory: read → build → validate → store, all or nothing.

Each table is read (every problem reported by file, sheet, row and column), its
graph built as N-Triples and checked against the shapes (kasograph.model.build,
kasograph.model.validate: no rdflib graph on the way); only when every document of an
import passes does anything reach the store, in one new generation of the store
directory (`kasograph.store.directory`) that replaces the documents' named graphs
(importing the same document again replaces it), keeps the union graph in step
and links the goals each document carries over from its division's year before.
A failure at any step leaves the store as it was.

An import of many documents (a folder of document folders, or several sources)
reads, builds and validates them in worker processes (`jobs`), reports every
failure together, and hands them to the store as they come
(`DocumentStore.store_documents`: a store directory bulk-loads them into one new
generation, kasograph.store.directory; a SPARQL server is sent them once all are
ready, kasograph.store.remote). The importer knows no backend.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kasograph.errors import InputError
from kasograph.model.build import document_ntriples
from kasograph.model.iris import Iris
from kasograph.model.validate import validate_ntriples
from kasograph.namespaces import DEFAULT_BASE
from kasograph.processes import process_pool
from kasograph.source.records import Document
from kasograph.store.batch import Failure, ImportFailed, Prepared, Progress, ValidationFailed  # noqa: F401 - raised here
from kasograph.store.interface import DocumentStore
from kasograph.store.manifest import StoredDocument
from kasograph.store.revisions import states_in

#: Below this many documents an import works in its own process: starting workers costs more than it saves.
POOL_FROM = 16


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
    built = document_ntriples(document, base)  # the N-Triples that are validated are the ones stored
    say("validating")
    report = validate_ntriples(built.graph, built.ntriples, engine)
    if not report.conforms:
        raise ValidationFailed(report)
    warnings.extend(report.warnings)
    return Prepared(document.info, source_name, built.graph, built.ntriples, built.triples, str(iris.dataset()),
                    document.source_text, str(iris.source_text()) if document.source_text else None,
                    states_in(built.ntriples, built.graph), warnings)


def import_document(source: Path | Document, directory: DocumentStore, base: str = DEFAULT_BASE, *,
                    progress: Progress | None = None, engine: str | None = None, **options) -> ImportResult:
    """Read, build, validate and store one document; raise InputError or ValidationFailed, storing nothing."""
    say = progress or (lambda _: None)
    started = time.perf_counter()
    prepared = prepare(source, base, progress=progress, engine=engine, **options)
    say("storing")
    stored = directory.store_documents([(prepared.source_name, prepared)], 1, say)
    # The document's own warnings, and the store's (a repair of what an earlier import left).
    own = {id(warning) for warning in prepared.warnings}
    warnings = prepared.warnings + [warning for _, warning in stored.warnings if id(warning) not in own]
    return ImportResult(stored.documents[0], bool(stored.replaced), time.perf_counter() - started, warnings)


def import_documents(sources: Iterable[Path | Document], directory: DocumentStore, base: str = DEFAULT_BASE, *,
                     jobs: int | None = None, progress: Progress | None = None, engine: str | None = None,
                     **options) -> BatchResult:
    """Import many documents as one: all are read, built and validated (in `jobs` worker processes;
    None: one per core when there are many documents) and stored together (in one generation of a
    store directory). Raises ImportFailed, naming every source that failed, and stores nothing if any did."""
    say = progress or (lambda _: None)
    started = time.perf_counter()
    sources = list(sources)

    def counted():
        for index, outcome in enumerate(_prepare_all(sources, base, jobs, engine, options), 1):
            say(f"prepared {index}/{len(sources)}")
            yield outcome

    stored = directory.store_documents(counted(), len(sources), say)
    return BatchResult(stored.documents, sorted(stored.replaced), time.perf_counter() - started, stored.steps, stored.warnings)


def _prepare_all(sources: list, base: str, jobs: int | None, engine: str | None, options: dict):
    """(source name, Prepared or Failure) for every source, in order; in worker processes when there are many."""
    if jobs is None:
        jobs = (os.cpu_count() or 1) if len(sources) >= POOL_FROM else 1
    if jobs <= 1 or len(sources) <= 1:
        for source in sources:
            yield _name(source), _prepare_one(source, base, engine, options)
        return
    # "spawn": a fresh interpreter per worker, never a fork of a process that may hold threads (the viewer's).
    pool = process_pool(jobs)
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


def remove_document(directory: DocumentStore, document_id: str) -> StoredDocument:
    """Take a document's graph out of the store (and out of the union); relink its division's years."""
    return directory.remove(document_id)

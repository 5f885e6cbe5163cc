"""Import a document into a store directory: read → build → validate → store, all or nothing.

The table is read (every problem reported by file, sheet, row and column), the
graph built and checked against the shapes; only a document that passes
reaches the store, in one transaction that replaces the document's named graph
(so importing the same document again replaces it) and keeps the union graph
in step. A failure at any step leaves the store as it was.

A remote store (a SPARQL server, `kasograph.remote`) is read, built and validated
for the same way; only the storing differs (see that module for its order of writes).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
from rdflib import Dataset, URIRef

from .build import build_dataset
from .errors import InputError, Problem
from .iris import Iris
from .namespaces import DEFAULT_BASE, VOCABULARY_GRAPH
from .records import Document
from .storage import Manifest, StoredDocument, StoreDirectory, now
from .store import PREFIX_MAP, GoalStore
from .validate import ValidationReport, validate_dataset

Progress = Callable[[str], None]


class ValidationFailed(Exception):
    """The built graph breaks the shapes: nothing was stored."""

    def __init__(self, report: ValidationReport):
        super().__init__(f"{len(report.violations)} violation(s) of the shapes")
        self.report = report


@dataclass
class ImportResult:
    document: StoredDocument
    replaced: bool  # the store held this document before
    seconds: float
    warnings: list = field(default_factory=list)  # Problems and Findings that did not stop the import


def read_source(path: Path, **options) -> Document:
    """A document from a document folder, its document.toml, or a goal table (CSV, Excel) with a
    sidecar or metadata; `options` go to `kasograph.table.read_document` (metadata, sheet, mapping, sidecar)."""
    from .table import read_document

    return read_document(path, **options)


@dataclass
class Prepared:
    """A document read, built and validated: ready to be stored."""

    document: Document
    source_name: str  # the file it came from, as the steward named it
    dataset: Dataset
    iris: Iris
    warnings: list = field(default_factory=list)


def prepare(source: Path | Document, base: str = DEFAULT_BASE, *, progress: Progress | None = None, **options) -> Prepared:
    """Read, build and validate a document; raise InputError or ValidationFailed. Nothing is stored."""
    say = progress or (lambda _: None)
    warnings: list = []
    if isinstance(source, Document):
        document, source_name = source, source.info.id
    else:
        say("reading")
        document, source_name = read_source(Path(source), **options), Path(source).name
    warnings.extend(document.warnings)
    say("building")
    dataset = build_dataset([document], base)
    say("validating")
    report = validate_dataset(dataset)
    if not report.conforms:
        raise ValidationFailed(report)
    warnings.extend(report.warnings)
    return Prepared(document, source_name, dataset, Iris.for_document(document.info, base), warnings)


def import_document(source: Path | Document, directory: StoreDirectory, base: str = DEFAULT_BASE, *,
                    progress: Progress | None = None, **options) -> ImportResult:
    """Read, build, validate and store one document; raise InputError or ValidationFailed, storing nothing.
    `directory` is a store directory, or a remote store (kasograph.remote.RemoteStore)."""
    say = progress or (lambda _: None)
    started = time.perf_counter()
    prepared = prepare(source, base, progress=progress, **options)
    if getattr(directory, "remote", False):
        from .remote import import_prepared

        stored, replaced = import_prepared(prepared, directory, say)
        return ImportResult(stored, replaced, time.perf_counter() - started, prepared.warnings)
    document, dataset, iris, source_name = prepared.document, prepared.dataset, prepared.iris, prepared.source_name
    graph = str(iris.graph())
    say("storing")
    document_triples = _ntriples(dataset, iris.graph())
    vocabulary_triples = _ntriples(dataset, URIRef(VOCABULARY_GRAPH))
    text_file = directory.keep_text(document.source_text) if document.source_text else None
    replaced = False

    def change(store: pyoxigraph.Store, manifest: Manifest) -> None:
        nonlocal replaced
        replaced = document.info.id in manifest.documents
        store.update(replace_graphs_update({graph: document_triples, VOCABULARY_GRAPH: vocabulary_triples}))
        manifest.documents[document.info.id] = StoredDocument(
            id=document.info.id, graph=graph, title=document.info.title, year=document.info.year,
            triples=len(dataset.graph(iris.graph())), imported_at=now(), source=source_name,
            source_text=str(iris.source_text()) if text_file else None, text_file=text_file,
            city=document.info.city, division=document.info.division)
        link_revisions(store, _series(manifest, document.info.city, document.info.division), around=document.info.year)

    manifest = directory.write(change)
    return ImportResult(manifest.documents[document.info.id], replaced, time.perf_counter() - started, prepared.warnings)


def remove_document(directory: StoreDirectory, document_id: str) -> StoredDocument:
    """Take a document's graph out of the store (and out of the union)."""
    if getattr(directory, "remote", False):
        from .remote import remove_remote

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
    from .compare import revision_links

    series = sorted(series)
    goals = GoalStore(store)
    count = 0
    for (first, earlier), (last, later) in zip(series, series[1:]):
        if around is not None and not first <= around <= last:
            continue
        links = revision_links(goals, earlier, later)
        count += len(links)
        triples = "\n".join(f"<{new}> prov:wasRevisionOf <{old}> ." for new, old in links)
        store.update(f"""DELETE {{ GRAPH <{later}> {{ ?x prov:wasRevisionOf ?y }} ?x prov:wasRevisionOf ?y }}
                         WHERE {{ GRAPH <{later}> {{ ?x prov:wasRevisionOf ?y }} }} ;
                         INSERT DATA {{ GRAPH <{later}> {{ {triples} }} {triples} }}""", prefixes=PREFIX_MAP)
    return count


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


def _ntriples(dataset: Dataset, graph: URIRef) -> str:
    data = dataset.graph(graph).serialize(format="nt", encoding="utf-8")
    return data.decode("utf-8")

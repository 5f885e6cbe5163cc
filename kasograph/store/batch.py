"""A batch of documents on its way into a store: each read, built and validated (`Prepared`), or the
reason it was not (`Failure`). What every backend does with a batch before it writes anything is
here: refusing the whole batch if one document failed or two share an id, spooling the graphs,
working out the revision links the batch changes (kasograph.store.revisions)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kasograph.errors import InputError, Problem
from kasograph.model.validate import ValidationReport
from kasograph.source.records import DocumentInfo
from kasograph.store.manifest import Manifest, StoredDocument, now
from kasograph.store.revisions import GoalState, relinked
from kasograph.vocabulary import ontology_ntriples

Progress = Callable[[str], None]


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

    def entry(self, text_file: str | None = None) -> StoredDocument:
        """Its entry in the manifest, stored now."""
        return StoredDocument(id=self.info.id, graph=self.graph, title=self.info.title, year=self.info.year,
                              triples=self.triples, imported_at=now(), source=self.source_name,
                              source_text=self.source_text_iri, text_file=text_file,
                              city=self.info.city, division=self.info.division)


@dataclass
class Stored:
    """What a backend stored of a batch."""

    documents: list[StoredDocument]
    replaced: list[str]  # ids of the documents the store held before
    warnings: list  # (source, Problem or Finding) that did not stop the import
    steps: dict[str, float] = field(default_factory=dict)  # seconds, by step, where the backend times them


Outcomes = Iterable[tuple[str, "Prepared | Failure"]]


class Intake:
    """Takes a batch's outcomes as they come: keeps the prepared documents, notes every failure (a
    second document with an id already taken is one), and reads on after a failure, so that one
    import reports everything that is wrong."""

    def __init__(self, total: int):
        self.total = total
        self.prepared: list[Prepared] = []
        self.failures: list[Failure] = []
        self._ids: dict[str, str] = {}

    def take(self, outcomes: Outcomes) -> Iterator[Prepared]:
        """The prepared documents to store, as they come (none after the first failure)."""
        for _, outcome in outcomes:
            if isinstance(outcome, Failure):
                self.failures.append(outcome)
                continue
            if outcome.info.id in self._ids:
                self.failures.append(_duplicate(outcome, self._ids[outcome.info.id]))
                continue
            self._ids[outcome.info.id] = outcome.source_name
            self.prepared.append(outcome)
            if self.failures:
                outcome.ntriples = b""  # nothing will be stored: keep only what the report needs
            else:
                yield outcome

    def check(self) -> None:
        """Raise ImportFailed if anything failed: then nothing is stored."""
        if self.failures:
            raise ImportFailed(self.failures, self.total)

    def warnings(self) -> list:
        return [(p.source_name, w) for p in self.prepared for w in p.warnings]


def _duplicate(prepared: Prepared, first: str) -> Failure:
    return Failure(prepared.source_name, error=InputError([Problem(
        prepared.source_name, f"the document id {prepared.info.id!r} is also the id of {first}: give each document its own id",
        f"asiakirjan tunnus {prepared.info.id!r} on myös asiakirjan {first} tunnus: anna kullekin oma tunnus")]))


def in_graph(graph: str, ntriples: bytes) -> bytes:
    """N-Triples as N-Quads in `graph`. Every N-Triples line ends with " .\n", and nowhere else does a raw
    line break occur."""
    return ntriples.replace(b" .\n", f" <{graph}> .\n".encode("utf-8"))


class Spool:
    """Prepared graphs written to an N-Quads file: each document's triples in its named graph, then once
    more in the default graph (the union; the store keeps each triple of a graph once). A document's
    graph and its union copy go into the same file, loaded at once, because a blank node label names
    one node throughout a file: the document's blank nodes are then the same nodes in both."""

    def __init__(self, path: Path):
        self.path = path
        self.file = open(path, "wb")  # noqa: SIM115 - closed by close(), or by the loader that takes it
        self.graphs: dict[str, tuple[int, int]] = {}  # graph → (offset, length) of its N-Triples

    def add(self, graph: str, ntriples: bytes) -> None:
        self.file.write(in_graph(graph, ntriples))
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


def year_links(stored_states: Callable[[str], list[GoalState]], prepared: list[Prepared],
               manifest: Manifest) -> dict[str, list[tuple[str, str]]]:
    """The revision links of every pair of consecutive years that the import changed, by the later
    graph: the imported documents' goals as prepared, the others' from `stored_states` (for a store
    directory read from the new generation, where the loader writes only the imported graphs)."""
    touched = {(p.info.city, p.info.division, p.info.year) for p in prepared}
    touched |= {(p.replaced.city, p.replaced.division, p.replaced.year) for p in prepared if p.replaced}
    by_graph = {p.graph: p for p in prepared}
    return relinked(lambda graph: by_graph[graph].goals if graph in by_graph else stored_states(graph), manifest, touched)


def vocabulary_ntriples() -> bytes:
    """The vocabulary's graph, which every import writes again (the shapes may have changed with kasograph)."""
    return ontology_ntriples()


def unknown_document(location: str, document_id: str, manifest: Manifest) -> InputError:
    known = ", ".join(sorted(manifest.documents)) or "none"
    return InputError([Problem(location, f"no document {document_id!r} in the store (stored: {known})",
                               f"tietovarastossa ei ole asiakirjaa {document_id!r} (tallennettu: {known})")])

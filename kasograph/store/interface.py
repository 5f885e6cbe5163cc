"""The one interface of a store of documents, and the factory that picks its backend.

A store directory on this machine (kasograph.store.directory) and a SPARQL server
(kasograph.store.remote) both keep kasograph's documents; everything above the store layer —
the importer, the viewer, the endpoint, the commands — uses them through `DocumentStore` alone,
as rdflib's `Store` hides its backends (and as pyoxigraph's store is its API). `open_store` is the
only place that looks at a location to decide which backend it names.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from kasograph.namespaces import DEFAULT_BASE
from kasograph.store.batch import Outcomes, Progress, Stored
from kasograph.store.directory import StoreDirectory, default_store_path
from kasograph.store.engine import Snapshot
from kasograph.store.manifest import Manifest, StoredDocument
from kasograph.store.remote import is_remote_location, open_remote


class DocumentStore(Protocol):
    """Where kasograph keeps documents: each a named graph, their union as the default graph, a manifest
    of what is held, the documents' verbatim texts, and the revision links between a division's years."""

    path: str | Path  # what messages name: the folder, the URL or the settings file

    @property
    def server(self) -> str | None:
        """The SPARQL server that answers queries (and runs their SERVICE calls) itself; None when
        kasograph's own engine does."""

    def exists(self) -> bool:
        """Whether it holds anything to serve (a store directory never written is empty: the bundled data is used)."""

    def current(self) -> str | None:
        """The name of what it holds now: readers compare it to know whether an import changed it."""

    def manifest(self) -> Manifest:
        """The documents it holds."""

    def source_texts(self) -> dict[str, str]:
        """The documents' verbatim source texts, by IRI."""

    def snapshot(self) -> Snapshot:
        """What it holds now, opened for reading."""

    def graph_ntriples(self, graph: str) -> bytes:
        """One document's graph, as N-Triples."""

    def kept_answers_path(self, generation: str) -> Path | None:
        """Where answers to slow queries on `generation` may be kept (None: nowhere, the data may change unseen)."""

    def store_documents(self, outcomes: Outcomes, total: int, say: Progress = ...) -> Stored:
        """Store a batch of prepared documents, all or nothing (kasograph.store.batch)."""

    def remove(self, document_id: str) -> StoredDocument:
        """Take a document out (its graph, its triples in the union, its links), and relink its years."""


def default_store_location() -> str | Path:
    """$KASOGRAPH_STORE as given (a folder, a SPARQL server's URL or a settings file), else the default folder."""
    return os.environ.get("KASOGRAPH_STORE") or default_store_path()


def open_store(location: str | os.PathLike | None = None, base: str | None = None) -> DocumentStore:
    """A store directory, or a SPARQL server when `location` is a URL (http:// or https://) or a TOML
    file naming a server's URLs (kasograph.store.remote); None: $KASOGRAPH_STORE or the default folder."""
    location = default_store_location() if location is None else location
    if is_remote_location(location):
        return open_remote(location, base or DEFAULT_BASE)
    return StoreDirectory(location)

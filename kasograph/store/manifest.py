"""A store's manifest: which documents it holds, from what, since when; read by every reader, written
by every import (a store directory keeps one per generation; a SPARQL server in its catalogue graph)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph


@dataclass
class StoredDocument:
    """What the manifest knows of one document in the store."""

    id: str
    graph: str
    title: str
    year: int | None
    triples: int
    imported_at: str  # ISO 8601, UTC
    source: str  # the file it was imported from, as the steward named it
    source_text: str | None = None  # IRI of the verbatim text (kept in texts/)
    text_file: str | None = None  # its file name in texts/
    city: str = ""
    division: str = ""  # documents of the same city and division follow each other by year


@dataclass
class Manifest:
    generation: str
    documents: dict[str, StoredDocument] = field(default_factory=dict)  # by document id

    def to_json(self) -> str:
        return json.dumps({"generation": self.generation,
                           "documents": [vars(d) for d in self.documents.values()]}, ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> "Manifest":
        data = json.loads(text)
        manifest = cls(data["generation"], {d["id"]: StoredDocument(**d) for d in data["documents"]})
        for document in manifest.documents.values():
            check_stored(document)
        return manifest


def check_stored(document: StoredDocument) -> None:
    """A manifest's IRIs are written into SPARQL updates (`GRAPH <…>`) and its text files are read:
    one that is no IRI could end the update's IRI and add an operation of its own (`LOAD <http://…>`
    makes Oxigraph fetch), a file name with a folder read any file. Raise ValueError for either."""
    for iri in (document.graph, document.source_text):
        if iri is not None:
            pyoxigraph.NamedNode(iri)  # ValueError unless an IRI, which cannot hold '>', '{', '}' or spaces
    name = document.text_file
    if name is not None and (Path(name).name != name or name.startswith(".")):
        raise ValueError(f"text file {document.text_file!r} is not a plain file name")


def now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()

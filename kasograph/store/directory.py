"""A store directory: the documents a steward imported, kept on disk for the viewer, the endpoint and the CLI.

Oxigraph's on-disk store may be opened read-only by many processes, but not
while another process writes to it ("undefined behaviour", pyoxigraph's docs).
So a write never touches the store that readers have open. The directory holds
*generations*: each import makes a new one — a RocksDB checkpoint of the current
generation (hard links, so it costs milliseconds at any size), changed in one
transaction — and only then is `current` switched to it, by an atomic rename.
A reader sees the old generation or the new, never half of one; a writer killed
midway leaves an unpublished generation that the next writer deletes. One writer
at a time holds `lock` (an OS file lock, released if the writer dies).

    store/
      current            the name of the published generation
      lock
      generations/00000007/        an Oxigraph store (never written after it is published)
      generations/00000007.json    its manifest: the documents, when they were imported, from what
      texts/<sha256>.txt           documents' verbatim source texts, by content
      answers/00000007/            answers kept for that generation (kasograph.query.answers), removed with it
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph

from kasograph.errors import InputError, Problem

KEEP_GENERATIONS = 3  # the current one and two before it, for readers that have not reopened yet
LOCK_TIMEOUT = 600.0  # seconds a writer waits for another to finish


def default_store_location() -> str | Path:
    """$KASOGRAPH_STORE as given (a folder, a SPARQL server's URL or a settings file), else the default folder."""
    return os.environ.get("KASOGRAPH_STORE") or default_store_path()


def open_store(location: str | os.PathLike | None = None, base: str | None = None):
    """A store directory, or a remote store when `location` is a URL (http:// or https://) or a TOML
    file naming a SPARQL server's URLs (see kasograph.store.remote); None: $KASOGRAPH_STORE or the default."""
    location = default_store_location() if location is None else location
    from kasograph.store.remote import is_remote_location

    if is_remote_location(location):
        from kasograph.namespaces import DEFAULT_BASE
        from kasograph.store.remote import open_remote

        return open_remote(location, base or DEFAULT_BASE)
    return StoreDirectory(location)


def default_store_path() -> Path:
    """$KASOGRAPH_STORE, else `kasograph/store` in the user's data folder (~/.local/share on Linux,
    %LOCALAPPDATA% on Windows, ~/Library/Application Support on macOS)."""
    import platformdirs

    if os.environ.get("KASOGRAPH_STORE"):
        return Path(os.environ["KASOGRAPH_STORE"])
    return Path(platformdirs.user_data_dir("kasograph", appauthor=False)) / "store"


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
            _check_stored(document)
        return manifest


def _check_stored(document: StoredDocument) -> None:
    """A manifest's IRIs are written into SPARQL updates (`GRAPH <…>`) and its text files are read:
    one that is no IRI could end the update's IRI and add an operation of its own (`LOAD <http://…>`
    makes Oxigraph fetch), a file name with a folder read any file. Raise ValueError for either."""
    for iri in (document.graph, document.source_text):
        if iri is not None:
            pyoxigraph.NamedNode(iri)  # ValueError unless an IRI, which cannot hold '>', '{', '}' or spaces
    name = document.text_file
    if name is not None and (Path(name).name != name or name.startswith(".")):
        raise ValueError(f"text file {document.text_file!r} is not a plain file name")


class StoreDirectory:
    """Generations of an Oxigraph store in a folder; see the module's docstring."""

    def __init__(self, path: Path | str):
        self.path = Path(path)

    # Reading --------------------------------------------------------------------------------------
    def exists(self) -> bool:
        """Whether the store holds any document (an emptied store counts as none: the bundled data is used)."""
        return self.current() is not None and bool(self.manifest().documents)

    def current(self) -> str | None:
        """The published generation's name (None when nothing was ever imported)."""
        try:
            return (self.path / "current").read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            return None

    def generation_path(self, name: str) -> Path:
        return self.path / "generations" / name

    def answers_path(self, name: str) -> Path:
        """Where the answers kept for a generation live (kasograph.query.answers)."""
        return self.path / "answers" / name

    def manifest(self, name: str | None = None) -> Manifest:
        name = name or self.current()
        if name is None:
            return Manifest("")
        path = self.path / "generations" / f"{name}.json"
        try:
            return Manifest.from_json(path.read_text(encoding="utf-8"))
        except ValueError as error:  # a manifest kasograph did not write: nothing is done with what it says
            raise InputError([Problem(str(path), f"not a manifest of kasograph's: {error}",
                                      f"ei kasographin kirjoittama luettelo: {error}")]) from None

    def open(self) -> tuple[str, pyoxigraph.Store]:
        """The current generation, opened read-only, with its name."""
        name = self.current()
        if name is None:
            raise InputError([Problem(str(self.path), "the store is empty: import a document first (kasograph import FILE)",
                                      "tietovarasto on tyhjä: tuo ensin asiakirja (kasograph import TIEDOSTO)")])
        return name, pyoxigraph.Store.read_only(str(self.generation_path(name)))

    def source_texts(self, manifest: Manifest | None = None) -> dict[str, str]:
        """Verbatim source texts by their IRI."""
        manifest = manifest or self.manifest()
        return {d.source_text: (self.path / "texts" / d.text_file).read_text(encoding="utf-8")
                for d in manifest.documents.values() if d.source_text and d.text_file}

    # Writing --------------------------------------------------------------------------------------
    def write(self, change: Callable[[pyoxigraph.Store, Manifest], None]) -> Manifest:
        """Make the next generation from the current one, let `change` alter its store (in one
        transaction, by a SPARQL update) and its manifest, then publish it. If `change` raises,
        nothing is published and the error propagates."""
        from filelock import FileLock

        self.path.mkdir(parents=True, exist_ok=True)
        (self.path / "generations").mkdir(exist_ok=True)
        with FileLock(str(self.path / "lock"), timeout=LOCK_TIMEOUT):
            current = self.current()
            self._remove_unpublished(current)
            name = f"{(int(current) if current else 0) + 1:08d}"
            target = self.generation_path(name)
            if current:
                source = pyoxigraph.Store.read_only(str(self.generation_path(current)))
                source.backup(str(target))
                del source
                manifest = self.manifest(current)
            else:
                manifest = Manifest("")
            manifest.generation = name
            try:
                store = pyoxigraph.Store(str(target))
                change(store, manifest)
                store.flush()
                del store
            except BaseException:
                shutil.rmtree(target, ignore_errors=True)
                raise
            _write_atomically(self.path / "generations" / f"{name}.json", manifest.to_json())
            _write_atomically(self.path / "current", name + "\n")  # the moment the new generation is published
            self._remove_old(name)
            return manifest

    def keep_text(self, text: str) -> str:
        """Store a source text by its content; returns its file name in texts/."""
        name = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32] + ".txt"
        target = self.path / "texts" / name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(target, text)
        return name

    def _generations(self) -> list[str]:
        folder = self.path / "generations"
        return sorted(p.name for p in folder.iterdir() if p.is_dir() and p.name.isdigit()) if folder.is_dir() else []

    def _remove_unpublished(self, current: str | None) -> None:
        """Generations newer than the published one were left by a writer that died: delete them
        (and the scratch folders its import spooled documents into)."""
        for scratch in self.path.glob("import-*"):
            shutil.rmtree(scratch, ignore_errors=True)
        for name in self._generations():
            if current is None or int(name) > int(current):
                self._remove(name)

    def _remove_old(self, current: str) -> None:
        older = [n for n in self._generations() if int(n) < int(current)]
        for name in older[:-(KEEP_GENERATIONS - 1)] if KEEP_GENERATIONS > 1 else older:
            self._remove(name)

    def _remove(self, name: str) -> None:
        shutil.rmtree(self.generation_path(name), ignore_errors=True)
        (self.path / "generations" / f"{name}.json").unlink(missing_ok=True)
        shutil.rmtree(self.answers_path(name), ignore_errors=True)


def now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file, make it durable, then rename it over the target."""
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        handle = os.open(path.parent, os.O_DIRECTORY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)

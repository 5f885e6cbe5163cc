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
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph

from kasograph.errors import InputError, Problem
from kasograph.files import write_atomically
from kasograph.namespaces import VOCABULARY_GRAPH
from kasograph.store.batch import Intake, Outcomes, Prepared, Progress, Stored, unknown_document, vocabulary_ntriples, year_links
from kasograph.store.engine import PREFIX_MAP, GoalStore, Snapshot, replace_graphs_update
from kasograph.store.loader import Loader, worth_compacting
from kasograph.store.manifest import Manifest, StoredDocument
from kasograph.store.revisions import goal_states, link_revisions, relink_update, revision_ntriples, series_of, unlink_update

KEEP_GENERATIONS = 3  # the current one and two before it, for readers that have not reopened yet
LOCK_TIMEOUT = 600.0  # seconds a writer waits for another to finish


def default_store_path() -> Path:
    """$KASOGRAPH_STORE, else `kasograph/store` in the user's data folder (~/.local/share on Linux,
    %LOCALAPPDATA% on Windows, ~/Library/Application Support on macOS)."""
    import platformdirs

    if os.environ.get("KASOGRAPH_STORE"):
        return Path(os.environ["KASOGRAPH_STORE"])
    return Path(platformdirs.user_data_dir("kasograph", appauthor=False)) / "store"


class StoreDirectory:
    """Generations of an Oxigraph store in a folder; see the module's docstring. A
    kasograph.store.interface.DocumentStore."""

    server = None  # kasograph's own engine answers

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

    def snapshot(self) -> Snapshot:
        """The current generation, read-only, with its texts; its version is the manifest's hash, not the
        generation's number: a store made again from nothing counts from 1 again."""
        generation, store = self.open()
        manifest = self.manifest(generation)
        version = hashlib.sha256(manifest.to_json().encode("utf-8")).hexdigest()[:20]
        return Snapshot(GoalStore(store, path=self.generation_path(generation)), self.source_texts(manifest),
                        generation, version)

    def graph_ntriples(self, graph: str) -> bytes:
        """One graph of the current generation, as N-Triples."""
        _, store = self.open()
        return pyoxigraph.serialize((q.triple for q in store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(graph))),
                                    format=pyoxigraph.RdfFormat.N_TRIPLES) or b""

    def kept_answers_path(self, generation: str) -> Path | None:
        """Where answers to slow queries on a generation are kept (kasograph.query.answers)."""
        return self.answers_path(generation)

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
            write_atomically(self.path / "generations" / f"{name}.json", manifest.to_json(), durable=True)
            write_atomically(self.path / "current", name + "\n", durable=True)  # the moment the new generation is published
            self._remove_old(name)
            return manifest

    def store_documents(self, outcomes: Outcomes, total: int, say: Progress = lambda _: None) -> Stored:
        """Store a batch in one new generation as its documents arrive (streamed into the bulk load while
        the rest are read and validated, kasograph.store.loader); publish it only if none failed (else
        raise ImportFailed)."""
        started = time.perf_counter()
        intake, steps, replaced = Intake(total), {}, []

        def change(store: pyoxigraph.Store, manifest: Manifest) -> None:
            with tempfile.TemporaryDirectory(prefix="import-", dir=self.path) as folder:
                loader = Loader(store, Path(folder))
                loader.add(VOCABULARY_GRAPH, vocabulary_ntriples(), replaces=VOCABULARY_GRAPH)  # it comes again
                try:
                    for p in intake.take(outcomes):
                        old = manifest.documents.get(p.info.id)
                        loader.add(p.graph, p.ntriples, replaces=old.graph if old else None)
                        p.ntriples = b""  # spooled: only what pairing the years needs stays in memory
                    steps["prepare"] = time.perf_counter() - started
                    say("storing")
                    intake.check()
                    replaced.extend(self._record(intake.prepared, manifest))
                    later = self._link_years(store, manifest, intake.prepared, loader)
                finally:
                    loader.finish()
                if later:
                    store.update(relink_update(later), prefixes=PREFIX_MAP)
                if worth_compacting(sum(p.triples for p in intake.prepared), sum(d.triples for d in manifest.documents.values())):
                    began = time.perf_counter()
                    store.optimize()
                    steps["compact"] = time.perf_counter() - began

        self.write(change)
        manifest = self.manifest()
        steps["store"] = time.perf_counter() - started - steps.get("prepare", 0.0) - steps.get("compact", 0.0)
        return Stored([manifest.documents[p.info.id] for p in intake.prepared], replaced, intake.warnings(), steps)

    def _record(self, prepared: list[Prepared], manifest: Manifest) -> list[str]:
        """The documents in the manifest (their texts in texts/); the ids of those they replaced."""
        replaced = []
        for p in prepared:
            p.replaced = manifest.documents.get(p.info.id)  # the version it replaced, for relinking its old place
            if p.replaced is not None:
                replaced.append(p.info.id)
            manifest.documents[p.info.id] = p.entry(self.keep_text(p.source_text) if p.source_text else None)
        return replaced

    @staticmethod
    def _link_years(store: pyoxigraph.Store, manifest: Manifest, prepared: list[Prepared],
                    loader: Loader) -> dict[str, list[tuple[str, str]]]:
        """Give the loader the revision links of the imported graphs; return those of stored graphs."""
        links = year_links(lambda graph: goal_states(GoalStore(store), graph), prepared, manifest)
        new = {p.graph for p in prepared}
        for graph, pairs in links.items():  # a new graph's links go in with it
            if graph in new:
                loader.add(graph, revision_ntriples(pairs))
        return {graph: pairs for graph, pairs in links.items() if graph not in new}

    def remove(self, document_id: str) -> StoredDocument:
        """Take a document's graph out of the store (and out of the union), and relink its division's years."""
        removed: list[StoredDocument] = []

        def change(store: pyoxigraph.Store, manifest: Manifest) -> None:
            if document_id not in manifest.documents:
                raise unknown_document(str(self.path), document_id, manifest)
            stored = manifest.documents.pop(document_id)
            store.update(unlink_update(stored.graph), prefixes=PREFIX_MAP)
            store.update(replace_graphs_update({stored.graph: None}))
            link_revisions(store, series_of(manifest, stored.city, stored.division), around=stored.year)
            removed.append(stored)

        self.write(change)
        return removed[0]

    def keep_text(self, text: str) -> str:
        """Store a source text by its content; returns its file name in texts/."""
        name = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32] + ".txt"
        target = self.path / "texts" / name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(target, text, durable=True)
        return name

    def _generations(self) -> list[str]:
        folder = self.path / "generations"
        return sorted(p.name for p in folder.iterdir() if p.is_dir() and p.name.isdigit()) if folder.is_dir() else []

    def _remove_unpublished(self, current: str | None) -> None:
        """Generations newer than the published one were left by a writer that died: delete them
        (and the scratch folders its import spooled documents into)."""
        for scratch in self.path.glob("import-*"):
            shutil.rmtree(scratch, ignore_errors=True)
        for half_written in [*self.path.glob(".*.tmp"), *self.path.glob("*/.*.tmp")]:  # write_atomically's, of a dead writer
            half_written.unlink(missing_ok=True)
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

"""Bulk loading a store directory's new generation: the graphs of an import go in with Oxigraph's bulk
loader, not a SPARQL update: several times faster (a SPARQL `INSERT DATA` of 200,000 triples took
5.7 s to parse where the loader took 1.6 s), and safe because nobody reads a generation before it is
published."""

from __future__ import annotations

import contextlib
import errno
import os
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no named pipes either, everything is spooled
    fcntl = None

import pyoxigraph

from kasograph.store.batch import Spool, in_graph
from kasograph.store.engine import replace_graphs_update


class Loader:
    """Bulk-loads an import's documents into a new generation on a thread of its own while the rest are
    still read and validated (Oxigraph's loader releases the GIL).

    Documents that replace nothing stream into one bulk load through a pipe as they arrive, so that a
    new store fills at the pace the documents come and the load is over when the last one is written.
    A document that replaces a stored graph waits: the old graph (and what of it only it put in the
    union) is taken out first, which must not run while a load writes, so from the first such document
    on everything is spooled to files and loaded a chunk at a time after the stream, each chunk after
    the graphs it replaces are dropped. Where the platform has no named pipes, everything is spooled."""

    # Large: every chunk loaded into a store that already holds data overlaps what is there, and RocksDB
    # compacts the overlap in the background. Measured at 5M triples: chunks of 64 MB cost 62 s of
    # compaction and the import took 172 s; of 512 MB, 31 s and 156 s; one load at the end, 153 s.
    CHUNK_BYTES = 512 * 1024 * 1024

    def __init__(self, store: pyoxigraph.Store, folder: Path, *, stream: bool = True):
        self.store, self.folder = store, folder
        self.jobs: queue.Queue = queue.Queue(maxsize=2)  # a bound: spooling runs at most two chunks ahead
        self.error: BaseException | None = None
        self.stream: Stream | None = None
        self.streaming = stream and hasattr(os, "mkfifo")  # until the first document that replaces one
        self.spool: Spool | None = None
        self.drop: list[str] = []
        self.count = 0
        self.thread = threading.Thread(target=self._run, name="kasograph-loader", daemon=True)
        self.thread.start()

    def add(self, graph: str, ntriples: bytes, replaces: str | None = None) -> None:
        if replaces and self.streaming and self.stream is None:
            # Nothing is loading yet: the old graph goes now, and the new one can still stream.
            self.store.update(replace_graphs_update({replaces: None}))
            replaces = None
        if replaces:
            self._end_stream()
        if self.streaming:
            if self.stream is None:
                self.stream = Stream(self.folder / "stream.nq", self.jobs, lambda: self.error)
            if self.stream.add(graph, ntriples):
                return
            self._end_stream()  # the load stopped: finish() raises why
        self._spool(graph, ntriples, replaces)

    def _spool(self, graph: str, ntriples: bytes, replaces: str | None) -> None:
        if self.spool is None:
            self.count += 1
            self.spool, self.drop = Spool(self.folder / f"chunk-{self.count}.nq"), []
        if replaces:
            self.drop.append(replaces)
        self.spool.add(graph, ntriples)
        if self.spool.size() >= self.CHUNK_BYTES:
            self._hand_over()

    def _end_stream(self) -> None:
        self.streaming = False
        if self.stream is not None:
            self.stream.close()
            self.stream = None

    def _hand_over(self) -> None:
        if self.spool is not None:
            self.spool.close()
            self.jobs.put((self.spool.path, self.drop))
            self.spool = None

    def _run(self) -> None:
        while (job := self.jobs.get()) is not None:
            path, drop = job
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
        self._end_stream()
        self._hand_over()
        self.jobs.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error


class Stream:
    """A named pipe the loader's thread bulk-loads from while documents are written into it, in the
    spool's layout (each document in its graph, then in the union)."""

    def __init__(self, path: Path, jobs: queue.Queue, failed: Callable[[], BaseException | None]):
        os.mkfifo(path)
        self.path, self.file = path, None
        jobs.put((path, []))  # the loader opens it for reading when it comes to it
        self.failed = failed

    def add(self, graph: str, ntriples: bytes) -> bool:
        """Write a document; False if the load has stopped (an error), and nothing more can go in."""
        try:
            if self.file is None:
                self.file = self._open()
                if self.file is None:
                    return False
            self.file.write(in_graph(graph, ntriples))
            self.file.write(ntriples)
            return True
        except BrokenPipeError:
            return False

    def _open(self):
        """The pipe's writing end, once the loader reads it; None if the loader failed before it could.
        Opened without blocking: a loader that never opens the pipe must not hold the import forever."""
        while True:
            try:
                descriptor = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as error:
                if error.errno != errno.ENXIO or self.failed() is not None:
                    return None
                time.sleep(0.001)
                continue
            os.set_blocking(descriptor, True)
            if fcntl is not None and hasattr(fcntl, "F_SETPIPE_SZ"):  # Linux: a larger pipe, fewer turns between writer and loader
                with contextlib.suppress(OSError):
                    fcntl.fcntl(descriptor, fcntl.F_SETPIPE_SZ, 1024 * 1024)
            return open(descriptor, "wb", buffering=1024 * 1024)

    def close(self) -> None:
        """The end of the stream: the bulk load finishes what it read."""
        try:
            if self.file is None:
                self.file = self._open()  # a load that read nothing still has to see the end
            if self.file is not None:
                self.file.close()
        except BrokenPipeError:
            pass


#: An import that brings at least this share of the store's triples compacts the new generation.
COMPACT_FROM = 0.1


def worth_compacting(imported: int, stored: int) -> bool:
    """Whether to compact the generation before it is published (Oxigraph's `optimize`). The bulk loader
    leaves many overlapping files, and a store opened read-only never compacts itself: at 5M triples the
    saved questions ran 2.6-2.9x faster and pages used a quarter to a third less CPU once compacted,
    which took 13 s. So a large import pays that; a table added to a large store (a few small files) does not."""
    return stored > 0 and imported >= COMPACT_FROM * stored

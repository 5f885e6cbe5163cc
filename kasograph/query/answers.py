"""Answers kept for one store generation: a query that took long is answered from here the next time.

A published generation of a store directory is never written again, so an answer
computed on it stays true for as long as the generation is served: no
invalidation is ever needed. The answers of a store directory's generation live
beside it (`answers/<generation>/`, one file per answer, written atomically), so
that every process serving the store — query workers, a restarted server, a second
server — shares them, and they go when the generation is cleaned up. Data opened
in memory (the bundled documents, a file) keeps its answers in memory.

Only answers that took at least `min_seconds` to compute are kept (a cheap query
is cheaper to run again than to look up on disk), and no more than `max_bytes` of
them per generation: past that, answers are computed and not kept.

The saved questions are the heavy queries that every user of the viewer meets, so
`warm` computes their answers once a generation is opened (`kasograph serve` does
it in the background, on one query worker at a time).
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import asdict
from pathlib import Path

from kasograph.files import write_atomically
from kasograph.query import saved
from kasograph.store.engine import bind_parameters

MIN_SECONDS = 0.2
MAX_BYTES = 512 * 1024 * 1024
#: Seconds a saved question may take while warming: far past a visitor's limit, since nobody waits for it
#: (at 5M triples the heaviest take 10-20 s on the on-disk store, past the endpoint's 10 s).
WARM_TIMEOUT = 600.0


class AnswerCache:
    """Answers (`kasograph.query.sparql.Answer`) by query, for one generation; on disk in `folder`, or in memory."""

    def __init__(self, folder: Path | None = None, *, min_seconds: float = MIN_SECONDS, max_bytes: int = MAX_BYTES):
        self.folder = Path(folder) if folder is not None else None
        self.min_seconds = min_seconds
        self.max_bytes = max_bytes
        self._memory: dict[str, tuple[dict, bytes]] = {}
        self._lock = threading.Lock()
        self._size: int | None = None  # bytes kept, counted once from the folder

    @staticmethod
    def key(sparql: str, **options) -> str:
        """What makes two requests the same question: the query text and every option that changes the answer."""
        text = json.dumps([sparql, sorted((k, v if not isinstance(v, (list, tuple)) else list(v)) for k, v in options.items())],
                          ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def get(self, key: str):
        """The kept answer, or None."""
        from kasograph.query.sparql import Answer

        if self.folder is None:
            with self._lock:
                kept = self._memory.get(key)
            if kept is None:
                return None
            head, body = kept
        else:
            try:
                data = (self.folder / f"{key}.answer").read_bytes()
            except FileNotFoundError:
                return None
            line, _, body = data.partition(b"\n")
            head = json.loads(line)
        return Answer(head["kind"], head["media_type"], body, head["truncated"], head["seconds"], cached=True)

    def put(self, key: str, answer) -> bool:
        """Keep an answer if it was slow enough to compute and there is room; whether it was kept."""
        if answer.seconds < self.min_seconds:
            return False
        head = {k: v for k, v in asdict(answer).items() if k not in ("body", "cached")}
        with self._lock:
            size = self._kept_bytes()
            if size + len(answer.body) > self.max_bytes:
                return False
            self._size = size + len(answer.body)
            if self.folder is None:
                self._memory[key] = (head, answer.body)
                return True
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{key}.answer"
        write_atomically(target, json.dumps(head).encode("utf-8") + b"\n" + answer.body)  # readers see the whole answer or none
        return True

    def _kept_bytes(self) -> int:
        if self._size is None:
            self._size = sum(p.stat().st_size for p in self.folder.glob("*.answer")) if self.folder and self.folder.is_dir() else 0
        return self._size


def warm(run, questions=None, stop: threading.Event | None = None, timeout: float = WARM_TIMEOUT) -> dict[str, float]:
    """Ask every saved question with its default parameters through `run` (a query pool's `run`, which
    keeps what is slow), one after another; returns the seconds each took. Stops early if `stop` is set."""
    took: dict[str, float] = {}
    for question in questions if questions is not None else saved.catalogue().values():
        if stop is not None and stop.is_set():
            break
        values = {p.name: p.default for p in question.parameters}
        sparql = bind_parameters(question.sparql, values) if values else question.sparql
        try:
            # No limit on the answer's size but the kept answers' own: a saved question's whole answer is what its
            # visitors download (at 5M triples stated-numbers is 53 MB of JSON, past the endpoint's 50 MB).
            took[question.name] = run(sparql, select_format="json", timeout=timeout, max_bytes=None).seconds
        except Exception:  # noqa: BLE001 - a question that cannot be answered now is answered when asked
            continue
    return took

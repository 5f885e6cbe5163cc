"""Crash safety of the store directory: imports killed at random moments, and readers during imports.

An import runs as `kasograph --store DIR import FOLDER` in its own process and is killed with
SIGKILL — nothing is flushed, no handler runs — at a random moment, most often while it writes
the next generation. After each kill the store must open and hold either the old documents or
the new ones, each graph whole (triple counts per graph equal to a clean import's), and the next
import must succeed and leave nothing unpublished behind.

`KASOGRAPH_CRASH_KILLS` sets the number of kills (10 by default; CI's default run stays short).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kasograph import resources
from kasograph.goaldata import GoalData
from kasograph.store import directory as storage
from kasograph.store.directory import StoreDirectory
from kasograph.store.importer import import_document, remove_document

KILLS = int(os.environ.get("KASOGRAPH_CRASH_KILLS", "10"))
SEED = int(os.environ.get("KASOGRAPH_CRASH_SEED", "20261128"))
OLD = resources.bundled_documents()[0]  # vantaa-kaso-2021: in the store before each import
NEW = Path(__file__).parent / "fixtures" / "example-2022"  # example-kaso-2022: the import that is killed
NEW_GRAPH = "https://w3id.org/kasograph/id/graph/example-kaso-2022"


def state(path: Path) -> tuple[tuple[str, ...], tuple[tuple[str, int], ...], int]:
    """(documents in the manifest, triples per named graph, triples in the union), as a reader sees them."""
    directory = StoreDirectory(path)
    data = GoalData.from_directory(directory)
    engine = data.store.store
    graphs = {str(row["g"].value): int(row["n"].value)
              for row in engine.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")}
    union = int(next(iter(engine.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
    documents = tuple(sorted(directory.manifest(data.generation).documents))
    return documents, tuple(sorted(graphs.items())), union


def leftovers(path: Path) -> list[str]:
    """What a finished writer should not leave: generations newer than the published one, temporary files."""
    directory = StoreDirectory(path)
    current = int(directory.current())
    left = [p.name for p in (path / "generations").iterdir() if p.name[:8].isdigit() and int(p.name[:8]) > current]
    left += [str(p.relative_to(path)) for p in path.rglob("*.tmp")]
    return left


def run_import(store: Path, log: Path) -> subprocess.Popen:
    with log.open("a", encoding="utf-8") as out:
        return subprocess.Popen([sys.executable, "-m", "kasograph", "--store", str(store), "import", str(NEW)],
                                stdout=out, stderr=subprocess.STDOUT)


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """A store holding the 2021 document (the template each kill starts from), the state after a clean
    import of the 2022 document, and how long an import process takes, in all and while it stores."""
    root = tmp_path_factory.mktemp("crash")
    old = root / "old"
    import_document(OLD, StoreDirectory(old))
    clean = root / "clean"
    shutil.copytree(old, clean)
    log = root / "clean.log"
    started = time.monotonic()
    process = run_import(clean, log)
    storing = None
    while process.poll() is None:
        if storing is None and (clean / "generations" / "00000002").exists():
            storing = time.monotonic() - started
        time.sleep(0.005)
    total = time.monotonic() - started
    assert process.returncode == 0, log.read_text(encoding="utf-8")
    before, after = state(old), state(clean)
    assert before[0] == ("vantaa-kaso-2021",) and after[0] == ("example-kaso-2022", "vantaa-kaso-2021")
    assert dict(after[1])[NEW_GRAPH] > 500
    storing = storing or total * 0.8
    return {"root": root, "old": old, "before": before, "after": after, "storing_from": storing, "storing_for": total - storing}


def kill_one(stores: dict, kill: int, rng: random.Random) -> tuple[str, Path, float]:
    """Copy the old store, start an import into it and SIGKILL it: at a random moment of its whole run
    (one kill in three), or at a random moment after it has begun to write the next generation."""
    store = stores["root"] / f"kill-{kill}"
    shutil.copytree(stores["old"], store)
    anywhere = kill % 3 == 0
    delay = rng.uniform(0, stores["storing_from"]) if anywhere else rng.uniform(0, 0.9 * stores["storing_for"])
    process = run_import(store, stores["root"] / f"kill-{kill}.log")
    started = time.monotonic()
    if not anywhere:
        while not (store / "generations" / "00000002").exists() and process.poll() is None:
            time.sleep(0.002)
        started = time.monotonic()
    while time.monotonic() - started < delay and process.poll() is None:
        time.sleep(0.002)
    finished = process.poll() is not None
    if not finished:
        process.send_signal(signal.SIGKILL)
    process.wait(10)
    return ("finished before the kill" if finished else "killed"), store, delay


def test_an_import_killed_at_any_moment_leaves_the_old_store_or_the_new(stores, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setattr(storage, "LOCK_TIMEOUT", 20.0)  # a lock left held by the dead writer would fail, not hang
    rngs = [random.Random(SEED + kill) for kill in range(KILLS)]
    with ThreadPoolExecutor(max_workers=3) as pool:  # three imports at a time, each into its own store
        kills = list(pool.map(lambda kill: kill_one(stores, kill, rngs[kill]), range(KILLS)))
    outcomes = {"old": 0, "new": 0, "finished before the kill": 0}
    for kill, (outcome, store, delay) in enumerate(kills):
        seen = state(store)  # opens, and holds one whole store or the other
        assert seen in (stores["before"], stores["after"]), (kill, delay, seen)
        outcomes[outcome if outcome != "killed" else ("new" if seen == stores["after"] else "old")] += 1
        import_document(NEW, StoreDirectory(store))  # the next import succeeds …
        assert state(store) == stores["after"]
        assert leftovers(store) == [], leftovers(store)  # … and cleans up after the dead one
        shutil.rmtree(store)
    print(f"\n{KILLS} imports killed: {outcomes}")
    assert outcomes["old"] + outcomes["new"] >= KILLS * 2 // 3  # most kills landed while the import ran


def test_readers_during_imports_see_each_document_whole_or_not_at_all(stores, tmp_path):
    """A reader that follows the store (as the viewer does, `fresh()` before each question) while
    the 2022 document is imported and removed again and again: its graph has 0 goals or 10, and the
    union 10 or 20 accordingly, never anything in between."""
    store = tmp_path / "store"
    shutil.copytree(stores["old"], store)
    directory = StoreDirectory(store)
    cycles = max(2, KILLS // 3)
    failures: list[BaseException] = []

    def writer():
        try:
            for _ in range(cycles):
                import_document(NEW, directory)
                remove_document(directory, "example-kaso-2022")
        except BaseException as error:  # noqa: BLE001 - reported by the test
            failures.append(error)

    thread = threading.Thread(target=writer)
    data = GoalData.from_directory(directory)
    thread.start()
    seen: dict[tuple[int, int], int] = {}
    generations = set()
    reads = 0
    while thread.is_alive() or reads == 0:
        data = data.fresh()
        generations.add(data.generation)
        in_graph = data.store.select(f"SELECT (COUNT(?g) AS ?n) WHERE {{ GRAPH <{NEW_GRAPH}> {{ ?g a kg:Goal }} }}")[0]["n"]
        in_union = data.store.select("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { ?g a kg:Goal }")[0]["n"]
        seen[(in_graph, in_union)] = seen.get((in_graph, in_union), 0) + 1
        reads += 1
    thread.join()
    assert not failures, failures
    assert set(seen) <= {(0, 10), (10, 20)}, seen
    assert len(generations) >= 3, generations  # the reader did follow the imports
    print(f"\n{reads} reads over {len(generations)} generations during {2 * cycles} writes: {seen}")

"""What every stage of the benchmark suite shares: the data of a size, clocks, the machine and its load.

The data of a size are goal tables written by `benchmarks.generate` (seeded, so the same bytes every
time) and the store directory the import stage made from them; both are cached in benchmarks/.data/
(git-ignored; delete a folder there to make it again). The size `bundled` is the bundled Vantaa
document alone.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import generate

DATA = Path(__file__).resolve().parent / ".data"
ROOT = Path(__file__).resolve().parents[1]
SEED = generate.SEED
#: The sizes the suite is run at (any other triple count, e.g. 3k, works too).
SIZES = ("bundled", "10k", "100k", "1m", "5m", "10m")


# Clocks --------------------------------------------------------------------------------------------
def cpu_seconds() -> float:
    """CPU time of this process (all its threads) and of its children that have ended: on a machine
    shared with other work the wall clock is inflated, CPU time much less so."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclass
class Timing:
    wall_s: float = 0.0
    cpu_s: float = 0.0


@contextmanager
def timed():
    """`with timed() as t:` … then t.wall_s and t.cpu_s (this process and its children that ended inside)."""
    timing = Timing()
    wall, cpu = time.perf_counter(), cpu_seconds()
    try:
        yield timing
    finally:
        timing.wall_s, timing.cpu_s = time.perf_counter() - wall, cpu_seconds() - cpu


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def rounded(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def run_stage(name: str, function: Callable[[], dict]) -> dict:
    """Run one stage with the load average before and after it (on two cores shared with other work,
    the number that says how far to trust the rest) and its wall time."""
    before = load_average()
    started = time.perf_counter()
    try:
        result = function()
    except Exception as error:  # noqa: BLE001 - a failed stage is reported, and the next stage runs
        import traceback

        traceback.print_exc()
        result = {"status": "failed", "error": f"{type(error).__name__}: {error}"}
    result.setdefault("status", "ok")
    return {"stage": name, **result, "load_average_before": before, "load_average_after": load_average(),
            "stage_wall_s": round(time.perf_counter() - started, 1)}


# The machine ---------------------------------------------------------------------------------------
def versions() -> dict[str, str]:
    import importlib.metadata

    found = {}
    for package in ("kasograph", "pyoxigraph", "oxigraph", "rdflib", "pyshacl", "pyshacl-turbo", "networkx", "flask",
                    "waitress"):
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            found[package] = None
    return found


def commit() -> dict:
    """The commit measured, and whether the working tree differed from it (others may be editing it)."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout if done.returncode == 0 else ""

    changed = [line[3:] for line in git("status", "--porcelain", "--untracked-files=no").splitlines() if line.strip()]
    return {"commit": git("rev-parse", "--short", "HEAD").strip() or None, "changed_files": changed}


def machine() -> dict:
    return {"machine": platform.machine(), "system": platform.system(), "cores": os.cpu_count(),
            "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
            "python": platform.python_version(), "versions": versions(), **commit()}


# The data of a size --------------------------------------------------------------------------------
def parse_size(label: str) -> int | None:
    """'10k' → 10,000 triples, '1m' → 1,000,000; 'bundled' → None (the bundled document)."""
    label = label.strip().lower()
    return None if label == "bundled" else generate.parse_size(label)


def _data_folder() -> Path:
    DATA.mkdir(exist_ok=True)
    ignore = DATA / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")
    return DATA


def tables(label: str) -> Path:
    """The goal tables of a size: a folder of document folders (what `kasograph import` reads), written
    once by the generator; the bundled size is the folder that holds the bundled document."""
    if parse_size(label) is None:
        from kasograph import resources

        return resources.bundled_documents()[0].parent
    folder = _data_folder() / f"tables-{label}-seed{SEED}"
    if (folder / "generated.json").exists():
        return folder
    partial = folder.with_name(folder.name + ".part")
    shutil.rmtree(partial, ignore_errors=True)
    started = time.perf_counter()
    print(f"  generating the goal tables of {label} …", flush=True)
    if generate.main([str(partial), "--triples", label, "--quiet"]) != 0:
        raise RuntimeError(f"the generator failed for {label}")
    partial.rename(folder)  # only a whole folder is ever reused
    print(f"  generated {tables_summary(folder)['documents']:,} documents in {time.perf_counter() - started:.1f} s", flush=True)
    return folder


def tables_summary(folder: Path) -> dict:
    note = folder / "generated.json"
    if note.exists():
        return json.loads(note.read_text(encoding="utf-8"))
    from kasograph.store.importer import document_sources

    return {"documents": len(document_sources([folder]))}


def store_folder(label: str) -> Path:
    """Where the store directory of a size is kept between runs (the import stage's last store)."""
    return _data_folder() / f"store-{label}-seed{SEED}"


def stored(label: str) -> Path:
    """The store directory of a size: the one the import stage left, else imported now (untimed)."""
    from kasograph.store.directory import StoreDirectory
    from kasograph.store.importer import document_sources, import_documents

    folder = store_folder(label)
    sources = document_sources([tables(label)])
    directory = StoreDirectory(folder)
    if directory.current() and len(directory.manifest().documents) == len(sources):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    print(f"  importing the tables of {label} into a store (not timed) …", flush=True)
    partial = folder.with_name(folder.name + ".part")
    shutil.rmtree(partial, ignore_errors=True)
    import_documents(sources, StoreDirectory(partial))
    partial.rename(folder)
    return folder


def keep_store(label: str, store: Path) -> Path:
    """Keep a store the import stage made as the store of its size, replacing an older one."""
    folder = store_folder(label)
    shutil.rmtree(folder, ignore_errors=True)
    shutil.move(str(store), folder)
    return folder


def store_triples(store: Path) -> int:
    """The documents' triples, as the manifest counts them (the union and the vocabulary not counted)."""
    from kasograph.store.directory import StoreDirectory

    return sum(d.triples for d in StoreDirectory(store).manifest().documents.values())


# Printing ------------------------------------------------------------------------------------------
def seconds(value: float | None) -> str:
    if value is None:
        return "–"
    if value < 0.01:
        return f"{value * 1000:.2f} ms"
    if value < 10:
        return f"{value * 1000:,.0f} ms" if value < 1 else f"{value:.2f} s"
    return f"{value:,.1f} s"


def ms(value: float | None) -> str:
    if value is None:
        return "–"
    if abs(value) < 10:
        return f"{value:.2f}"
    return f"{value:.1f}" if abs(value) < 1000 else f"{value:,.0f}"


def ratio(value: float | None) -> str:
    if value is None:
        return "–"
    if value < 0.1:
        return f"{value:.3f}×"
    return f"{value:.2f}×" if value < 10 else f"{value:,.0f}×"

"""Time `kasograph import` end to end and by step, against pyoxigraph bulk-loading the same triples.

    python -m benchmarks.importing [--goals 5000] [--repeat 3] [--series 20] [--series-goals 12] [--json FILE]
    python -m benchmarks.importing --size 1m [--repeat 3] [--json FILE]

`kasograph.store.importer.import_document` reads a document folder, builds its graph,
validates it (the default engine, pyshacl-turbo) and stores it in a store
directory (a new Oxigraph generation, published when complete). Timed here, each into a fresh temporary store:

(a) the bundled table (data/vantaa-kaso-2021);
(b) one generated document of --goals goals (benchmarks/generate.py), the size
    of a city's whole goal table rather than a division's;
(c) --series generated documents of --series-goals goals imported one after
    another into one store: the data steward's yearly path at scale (two
    divisions of one city, ten years each, so that each import also links the
    goals carried over from the year before).

Each import is split by the step names its `progress` callback reports
(reading, building, validating, storing) and their timestamps. The baseline:
pyoxigraph bulk-loading the same triples (the document's graph and the
vocabulary, as N-Triples made beforehand) into a fresh on-disk store. Times are
medians of --repeat runs, after one untimed import that pays for importing
the SHACL engine. Each time is given in wall-clock seconds and in this process's CPU
seconds: on a machine shared with other work the wall clock is inflated and
the CPU time is not (the import runs in one thread; pyoxigraph's bulk load
may use more, so its CPU time can exceed its wall time).

The suite (`python -m benchmarks --stages import`) times instead what a
steward does with a year's tables of every city: `measure_batch`, one
`import_documents` of every generated document of a size into a fresh store
directory (read, build and validate in worker processes, a pipelined bulk load
into one generation), against pyoxigraph bulk-loading the same quads (the
resulting store dumped as N-Quads: every document's graph, the vocabulary and
the union) into a fresh on-disk store; and `measure_next_year`, one more
document imported into the store of that size. `--size` runs those here.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph
from rdflib import URIRef

from kasograph import resources
from kasograph.model.build import build_dataset
from kasograph.model.iris import Iris
from kasograph.namespaces import DEFAULT_BASE, VOCABULARY_GRAPH
from kasograph.source.table import read_document
from kasograph.store.directory import StoreDirectory
from kasograph.store.importer import import_document

from . import generate

STEPS = {"reading": "read", "building": "build", "validating": "validate", "storing": "store"}


def clocks() -> tuple[float, float]:
    """Wall-clock and CPU time of this process (CPU time is what other work on the machine does not inflate)."""
    return time.perf_counter(), time.process_time()


def timed_import(folder: Path, store: Path) -> dict:
    """One import; its total and the time from each progress step to the next (the last to the return),
    in wall-clock and in CPU seconds."""
    marks: list[tuple[str, tuple[float, float]]] = []
    started = clocks()
    result = import_document(folder, StoreDirectory(store), DEFAULT_BASE, progress=lambda step: marks.append((step, clocks())))
    ended = clocks()
    steps: dict[str, float] = {}
    cpu: dict[str, float] = {}
    if marks and marks[0][1][0] - started[0] > 0.0005:
        steps["before"], cpu["before"] = marks[0][1][0] - started[0], marks[0][1][1] - started[1]
    for (step, at), (_, then) in zip(marks, marks[1:] + [("end", ended)]):
        name = STEPS.get(step, step)
        steps[name] = steps.get(name, 0.0) + then[0] - at[0]
        cpu[name] = cpu.get(name, 0.0) + then[1] - at[1]
    return {"total_s": ended[0] - started[0], "cpu_s": ended[1] - started[1], "steps_s": steps, "steps_cpu_s": cpu,
            "triples": result.document.triples}


def ntriples(folder: Path) -> list[tuple[str, bytes]]:
    """(graph IRI, N-Triples) of what an import of the folder stores: the document's graph and the vocabulary."""
    document = read_document(folder)
    dataset = build_dataset([document], DEFAULT_BASE)
    graph = Iris.for_document(document.info, DEFAULT_BASE).graph()
    return [(str(name), dataset.graph(URIRef(name)).serialize(format="nt", encoding="utf-8"))
            for name in (graph, VOCABULARY_GRAPH)]


def bulk_load(store: pyoxigraph.Store, graphs: list[tuple[str, bytes]], union: bool = False) -> None:
    """Each graph's N-Triples into its named graph (and, with `union`, the first once more into the default graph)."""
    for name, data in graphs:
        store.bulk_load(data, pyoxigraph.RdfFormat.N_TRIPLES, to_graph=pyoxigraph.NamedNode(name))
    if union and graphs:
        store.bulk_load(graphs[0][1], pyoxigraph.RdfFormat.N_TRIPLES, to_graph=pyoxigraph.DefaultGraph())


def timed_bulk_load(graphs: list[tuple[str, bytes]], path: Path, union: bool = False) -> tuple[float, float]:
    """Open a fresh on-disk store, bulk-load the triples, flush and close it: (wall, CPU) seconds."""
    started = clocks()
    store = pyoxigraph.Store(str(path))
    bulk_load(store, graphs, union)
    store.flush()
    del store
    ended = clocks()
    return ended[0] - started[0], ended[1] - started[1]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def summarise(runs: list[dict], baselines: list[tuple[float, float]]) -> dict:
    total, cpu = median([r["total_s"] for r in runs]), median([r["cpu_s"] for r in runs])
    names = list(dict.fromkeys(name for r in runs for name in r["steps_s"]))
    steps = {name: median([r["steps_s"].get(name, 0.0) for r in runs]) for name in names}
    steps_cpu = {name: median([r["steps_cpu_s"].get(name, 0.0) for r in runs]) for name in names}
    baseline, baseline_cpu = median([b[0] for b in baselines]), median([b[1] for b in baselines])
    triples = runs[0]["triples"]
    return {"triples": triples, "runs": len(runs), "total_s": round(total, 3), "cpu_s": round(cpu, 3),
            "triples_per_s": round(triples / total) if total else None,
            "triples_per_cpu_s": round(triples / cpu) if cpu else None,
            "steps_s": {k: round(v, 3) for k, v in steps.items()},
            "steps_cpu_s": {k: round(v, 3) for k, v in steps_cpu.items()},
            "steps_share": {k: round(v / total, 3) for k, v in steps.items()} if total else {},
            "baseline_s": round(baseline, 3), "baseline_cpu_s": round(baseline_cpu, 3),
            "baseline_triples_per_s": round(triples / baseline) if baseline else None,
            "ratio_total_to_baseline": round(total / baseline, 1) if baseline else None,
            "ratio_store_to_baseline": round(steps.get("store", 0.0) / baseline, 1) if baseline else None,
            "ratio_cpu_to_baseline_cpu": round(cpu / baseline_cpu, 1) if baseline_cpu else None,
            "all_totals_s": [round(r["total_s"], 3) for r in runs]}


def measure_one(label: str, folder: Path, repeat: int, scratch: Path) -> dict:
    graphs = ntriples(folder)
    runs, baselines = [], []
    for n in range(repeat):
        store = scratch / f"{label}-store-{n}"
        runs.append(timed_import(folder, store))
        shutil.rmtree(store, ignore_errors=True)
        target = scratch / f"{label}-bulk-{n}"
        baselines.append(timed_bulk_load(graphs, target))
        shutil.rmtree(target, ignore_errors=True)
        print(f"  {label}: run {n + 1}/{repeat}: import {runs[-1]['total_s']:.2f} s ({runs[-1]['cpu_s']:.2f} s CPU), "
              f"bulk load {baselines[-1][0]:.3f} s", flush=True)
    return {"label": label, "folder": folder.name, "goals": len(read_document(folder).goals), **summarise(runs, baselines)}


def measure_series(folders: list[Path], repeat: int, scratch: Path) -> dict:
    """Import the folders one after another into one store; baseline: bulk-load each into one store in turn."""
    graphs = [ntriples(f) for f in folders]
    per_run, baselines = [], []
    for n in range(repeat):
        store = scratch / f"series-store-{n}"
        runs = [timed_import(folder, store) for folder in folders]
        shutil.rmtree(store, ignore_errors=True)
        per_run.append(runs)
        target = scratch / f"series-bulk-{n}"
        started = clocks()
        oxigraph = pyoxigraph.Store(str(target))
        for document in graphs:
            bulk_load(oxigraph, document)
        oxigraph.flush()
        del oxigraph
        ended = clocks()
        baselines.append((ended[0] - started[0], ended[1] - started[1]))
        shutil.rmtree(target, ignore_errors=True)
        print(f"  series: run {n + 1}/{repeat}: {len(folders)} imports {sum(r['total_s'] for r in runs):.2f} s "
              f"({sum(r['cpu_s'] for r in runs):.2f} s CPU), bulk loads {baselines[-1][0]:.3f} s", flush=True)
    totals = [sum(r["total_s"] for r in runs) for runs in per_run]
    cpus = [sum(r["cpu_s"] for r in runs) for runs in per_run]
    triples = sum(r["triples"] for r in per_run[0])
    names = list(dict.fromkeys(name for runs in per_run for r in runs for name in r["steps_s"]))
    steps = {name: median([sum(r["steps_s"].get(name, 0.0) for r in runs) for runs in per_run]) for name in names}
    steps_cpu = {name: median([sum(r["steps_cpu_s"].get(name, 0.0) for r in runs) for runs in per_run]) for name in names}
    each = [median([runs[i]["total_s"] for runs in per_run]) for i in range(len(folders))]
    store_each = [median([runs[i]["steps_s"].get("store", 0.0) for runs in per_run]) for i in range(len(folders))]
    total, baseline = median(totals), median([b[0] for b in baselines])
    goals = sum(len(read_document(f).goals) for f in folders)
    return {"documents": len(folders), "goals": goals, "triples": triples, "runs": repeat, "total_s": round(total, 3),
            "cpu_s": round(median(cpus), 3), "steps_cpu_s": {k: round(v, 3) for k, v in steps_cpu.items()},
            "triples_per_s": round(triples / total), "per_document_s": [round(x, 3) for x in each],
            "store_step_per_document_s": [round(x, 3) for x in store_each],
            "steps_s": {k: round(v, 3) for k, v in steps.items()},
            "baseline_s": round(baseline, 3), "ratio_total_to_baseline": round(total / baseline, 1) if baseline else None}


# The suite's import stage: every document of a size as one import ------------------------------------
#: The target for a whole import, validation included, at about 5M triples.
TARGET_TRIPLES_PER_S = 50_000


def timed_batch(tables: Path, store: Path) -> dict:
    """One `import_documents` of every document folder under `tables` into a fresh store directory:
    wall and CPU seconds (this process and the worker processes, which end inside the import)."""
    from kasograph.store.importer import document_sources, import_documents

    from .common import timed

    sources = document_sources([tables])
    with timed() as clock:
        result = import_documents(sources, StoreDirectory(store), DEFAULT_BASE)
    return {"wall_s": clock.wall_s, "cpu_s": clock.cpu_s, "steps_s": dict(result.steps), "documents": len(result.documents),
            "triples": result.triples, "library_seconds": result.seconds}


def dump_quads(store: Path, out: Path) -> int:
    """The published generation of a store directory as N-Quads (the documents' graphs, the vocabulary
    and the union in the default graph): what the baseline bulk-loads. Returns the number of quads."""
    _, oxigraph = StoreDirectory(store).open()
    oxigraph.dump(str(out), format=pyoxigraph.RdfFormat.N_QUADS)
    quads = len(oxigraph)
    del oxigraph
    return quads


def timed_bulk_load_file(nquads: Path, target: Path) -> tuple[float, float]:
    """pyoxigraph bulk-loads an N-Quads file into a fresh on-disk store, flushed and closed: (wall, CPU) s.
    Its loader runs on several threads, so the CPU time may exceed the wall time."""
    from .common import timed

    with timed() as clock:
        store = pyoxigraph.Store(str(target))
        store.bulk_load(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS)
        store.flush()
        del store
    return clock.wall_s, clock.cpu_s


def measure_batch(tables: Path, repeat: int, scratch: Path, keep: Path | None = None) -> dict:
    """`repeat` imports of every document under `tables`, each into a fresh store directory, and as
    many baseline bulk loads of the same quads; medians. The last store is moved to `keep`."""
    from .common import median, rounded

    runs, baselines, quads = [], [], 0
    nquads = scratch / "baseline.nq"
    for n in range(repeat):
        store = scratch / f"batch-store-{n}"
        runs.append(timed_batch(tables, store))
        if n == 0:
            quads = dump_quads(store, nquads)
        if keep is not None and n == repeat - 1:
            _move(store, keep)  # the store of this size, for the stages that follow
        else:
            shutil.rmtree(store, ignore_errors=True)
        target = scratch / f"batch-bulk-{n}"
        baselines.append(timed_bulk_load_file(nquads, target))
        shutil.rmtree(target, ignore_errors=True)
        print(f"    import run {n + 1}/{repeat}: {runs[-1]['wall_s']:.2f} s ({runs[-1]['cpu_s']:.2f} s CPU), "
              f"baseline bulk load {baselines[-1][0]:.2f} s ({baselines[-1][1]:.2f} s CPU)", flush=True)
    nquads.unlink(missing_ok=True)
    triples = runs[0]["triples"]
    wall, cpu = median([r["wall_s"] for r in runs]), median([r["cpu_s"] for r in runs])
    base_wall, base_cpu = median([b[0] for b in baselines]), median([b[1] for b in baselines])
    steps = {name: rounded(median([r["steps_s"].get(name, 0.0) for r in runs])) for name in runs[0]["steps_s"]}
    rate = triples / wall
    return {
        "documents": runs[0]["documents"], "triples": triples, "quads_loaded_by_baseline": quads, "runs": repeat,
        "wall_s": rounded(wall), "cpu_s": rounded(cpu), "steps_s": steps,
        "triples_per_s": round(rate), "triples_per_cpu_s": round(triples / cpu) if cpu else None,
        "baseline_wall_s": rounded(base_wall), "baseline_cpu_s": rounded(base_cpu),
        "baseline_triples_per_s": round(triples / base_wall) if base_wall else None,
        "ratio_wall": rounded(wall / base_wall, 2) if base_wall else None,
        "ratio_cpu": rounded(cpu / base_cpu, 2) if base_cpu else None,
        "target_triples_per_s": TARGET_TRIPLES_PER_S, "target_met": rate >= TARGET_TRIPLES_PER_S,
        "target_factor": rounded(rate / TARGET_TRIPLES_PER_S, 2),
        "all_wall_s": [rounded(r["wall_s"]) for r in runs], "all_cpu_s": [rounded(r["cpu_s"]) for r in runs],
        "all_baseline_wall_s": [rounded(b[0]) for b in baselines],
    }


def _move(store: Path, keep: Path) -> None:
    shutil.rmtree(keep, ignore_errors=True)
    shutil.move(str(store), keep)


def measure_next_year(store: Path, folder: Path, repeat: int, scratch: Path) -> dict:
    """The steward's yearly step at this size: one document imported into the store (here: a document
    it holds, imported again, which replaces it — the same work as a new year's table: a new generation
    checkpointed from the current one, the document bulk-loaded, its division's years relinked), against
    pyoxigraph bulk-loading that document's graph and its union copy into a fresh on-disk store."""
    from .common import median, rounded, timed

    graphs = ntriples(folder)
    runs, baselines = [], []
    for n in range(repeat):
        with timed() as clock:
            result = import_document(folder, StoreDirectory(store), DEFAULT_BASE)
        runs.append((clock.wall_s, clock.cpu_s))
        target = scratch / f"next-year-bulk-{n}"
        baselines.append(timed_bulk_load(graphs, target, union=True))
        shutil.rmtree(target, ignore_errors=True)
    wall, base = median([r[0] for r in runs]), median([b[0] for b in baselines])
    return {"document": folder.name, "triples": result.document.triples, "runs": repeat, "wall_s": rounded(wall),
            "cpu_s": rounded(median([r[1] for r in runs])), "baseline_wall_s": rounded(base),
            "ratio_wall": rounded(wall / base, 1) if base else None, "all_wall_s": [rounded(r[0]) for r in runs]}


def machine() -> dict:
    import pyshacl
    import rdflib

    return {"machine": platform.machine(), "cores": os.cpu_count(), "load_average": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(),
            "pyoxigraph": pyoxigraph.__version__, "rdflib": rdflib.__version__, "pyshacl": pyshacl.__version__}


def print_row(row: dict) -> None:
    steps = "  ".join(f"{name} {seconds:.3f} s ({row['steps_share'].get(name, 0):.0%})" for name, seconds in row["steps_s"].items())
    cpu = "  ".join(f"{name} {seconds:.3f} s" for name, seconds in row["steps_cpu_s"].items())
    print(f"\n{row['label']}: {row['goals']:,} goals, {row['triples']:,} triples, median of {row['runs']}")
    print(f"  import end to end   {row['total_s']:9.3f} s   {row['triples_per_s']:>9,} triples/s   "
          f"(CPU {row['cpu_s']:.3f} s, {row['triples_per_cpu_s']:,} triples per CPU second)")
    print(f"  by step             {steps}")
    print(f"  by step, CPU        {cpu}")
    print(f"  baseline bulk load  {row['baseline_s']:9.3f} s   {row['baseline_triples_per_s']:>9,} triples/s "
          f"(pyoxigraph, the same N-Triples, fresh on-disk store)")
    print(f"  ratios              import / baseline {row['ratio_total_to_baseline']}×, "
          f"store step / baseline {row['ratio_store_to_baseline']}×")


def suite_stage(args: argparse.Namespace) -> int:
    """`python -m benchmarks --size SIZE --stages import`, with this module's --repeat and --json."""
    from .__main__ import main as suite

    return suite(["--size", args.size, "--stages", "import", "--repeat", str(args.repeat)]
                 + (["--json", args.json] if args.json else []))


def main() -> int | None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--goals", type=int, default=5000, help="goals of the generated one-document table (0: skip)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--series", type=int, default=20, help="documents imported one after another (0: skip)")
    parser.add_argument("--series-goals", type=int, default=12, help="goals of each document of the series")
    parser.add_argument("--seed", type=int, default=generate.SEED)
    parser.add_argument("--size", help="instead: the suite's import stage at this size (10k, 100k, 1m, 5m, 10m): "
                        "every generated document as one import, against a bulk load")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    if args.size:
        return suite_stage(args)
    about = machine()
    print(f"kasograph import: {about['cores']} cores, {about['machine']}, Python {about['python']}, "
          f"pyoxigraph {about['pyoxigraph']}, rdflib {about['rdflib']}, pyshacl {about['pyshacl']}", flush=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kasograph-import-bench-") as temporary:
        scratch = Path(temporary)
        bundled = resources.bundled_documents()[0]
        timed_import(bundled, scratch / "warm-up")  # pays for importing pyshacl and parsing the shapes
        shutil.rmtree(scratch / "warm-up")
        rows = [measure_one("bundled", bundled, args.repeat, scratch)]
        if args.goals:
            folder = generate.write_one(args.goals, scratch / "generated", seed=args.seed)
            rows.append(measure_one(f"generated {args.goals:,} goals", folder, args.repeat, scratch))
        for row in rows:
            print_row(row)
        series = None
        if args.series:
            plan = generate.Plan(seed=args.seed, cities=1, divisions=max(1, -(-args.series // 10)), years=min(args.series, 10),
                                 goals_per_document=(args.series_goals, args.series_goals), goals=args.series * args.series_goals)
            summary = generate.write(plan, scratch / "series")
            series = measure_series(summary.folders, args.repeat, scratch)
            each = series["per_document_s"]
            print(f"\nseries: {series['documents']} documents of {args.series_goals} goals imported one after another into one store, "
                  f"{series['triples']:,} triples, median of {series['runs']}")
            print(f"  all imports         {series['total_s']:9.3f} s   {series['triples_per_s']:>9,} triples/s   "
                  f"({statistics.mean(each):.3f} s a document; first {each[0]:.3f} s, last {each[-1]:.3f} s)")
            print("  by step             " + "  ".join(f"{k} {v:.3f} s" for k, v in series["steps_s"].items()))
            print(f"  CPU                 {series['cpu_s']:9.3f} s   by step: "
                  + "  ".join(f"{k} {v:.3f} s" for k, v in series["steps_cpu_s"].items()))
            print(f"  baseline            {series['baseline_s']:9.3f} s   (pyoxigraph bulk-loads each document's N-Triples "
                  f"into one on-disk store in turn); ratio {series['ratio_total_to_baseline']}×")
    wall = time.perf_counter() - started
    load = [round(x, 2) for x in os.getloadavg()]
    print(f"\ntotal wall time: {wall:.0f} s; load average {about['load_average']} at the start, {load} at the end "
          f"(other work on the machine slows every number)")
    if args.json:
        report = {**about, "load_average_end": load, "repeat": args.repeat, "documents": rows, "series": series, "wall_s": round(wall, 1)}
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())

"""Time SHACL validation: one document, and every document of a store, against plain pyshacl.

    python -m benchmarks.validation --size 1m [--repeat 5] [--sample 20] [--full-pyshacl] [--json FILE]

One document: the median-sized and the largest document graph of the store (read from it as
`kasograph validate --stored` reads them, as N-Triples), validated as the import and `validate --stored`
validate them, `kasograph.model.validate.validate_ntriples`, with its default engine (pyshacl-turbo: the
text goes to the engine, no rdflib graph) and, as the reference, by kasograph with pyshacl; the baseline
is pyshacl called directly (`pyshacl.validate`, the same shapes and options, the vocabulary mixed
into the data graph beforehand — the mixing is not timed). Target: any single document under a
second. With `big_document_goals`, also one generated document of that many goals (a city's whole
goal table as one document, its N-Triples as the import builds them; the baseline is run once on it,
as it takes tens of seconds).

The whole store: `kasograph.store.validation.validate_stored` (worker processes, one per core, each opening
the published generation read-only) against pyshacl on every document. pyshacl would take about
twenty minutes at 5M triples, so by default it validates a seeded random sample of documents (read
from the store, parsed, validated: the same work per document) and its time is extrapolated by
triples; `--full-pyshacl` runs it on all. Both are given in CPU seconds (this process and the
workers), which do not depend on how many cores ran them; the estimate's wall time assumes
pyshacl on every core, as validate_stored runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph
from rdflib import Graph, URIRef

from .common import rounded, timed

TARGET_DOCUMENT_S = 1.0


def stored_ntriples(store: Path, graph: str) -> bytes:
    """One document's graph as N-Triples, read from the published generation."""
    from kasograph.store.directory import StoreDirectory

    _, oxigraph = StoreDirectory(store).open()
    return oxigraph.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.NamedNode(graph))


def stored_graph(store: Path, graph: str) -> Graph:
    """One document's graph as a memory rdflib graph, read from the published generation."""
    data = Graph(store="SimpleMemory", identifier=URIRef(graph))
    data.parse(data=stored_ntriples(store, graph), format="nt")
    return data


def with_vocabulary(graph: Graph) -> Graph:
    """The data graph pyshacl is given: the document's triples and the vocabulary's, in one graph."""
    from kasograph.vocabulary import ontology

    data = Graph()
    for triple in graph:
        data.add(triple)
    for triple in ontology():
        data.add(triple)
    return data


def plain_pyshacl(data: Graph) -> tuple[bool, int]:
    """pyshacl itself, as kasograph's shapes need it (SPARQL constraints: advanced); (conforms, results)."""
    import pyshacl

    from kasograph.namespaces import SH
    from kasograph.vocabulary import shapes

    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes(), inference="none", allow_warnings=True,
                                            advanced=True, abort_on_first=False)
    return bool(conforms), len(list(results.objects(None, SH.result)))


def median_s(function, repeat: int) -> tuple[float, list[float], object]:
    """Median wall seconds of `repeat` runs (after none: callers warm up first), every run, the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times, result


def measure_document(label: str, graph: str, ntriples: bytes, repeat: int, baseline_repeat: int | None = None) -> dict:
    """kasograph (pyshacl-turbo, then pyshacl) and plain pyshacl on one document graph, given as N-Triples."""
    from kasograph.model.build import ntriples_graph
    from kasograph.model.validate import default_engine, validate_ntriples

    parsed = ntriples_graph(graph, ntriples)
    data = with_vocabulary(parsed)
    engine = default_engine()
    ours, our_times, report = median_s(lambda: validate_ntriples(graph, ntriples), repeat)
    reference, _, reference_report = median_s(lambda: validate_ntriples(graph, ntriples, "pyshacl"), baseline_repeat or repeat)
    base, base_times, (conforms, results) = median_s(lambda: plain_pyshacl(data), baseline_repeat or repeat)
    return {"document": label, "graph": graph, "triples": len(parsed), "engine": engine,
            "kasograph_s": rounded(ours, 4), "kasograph_all_s": [rounded(t, 4) for t in our_times],
            "kasograph_pyshacl_s": rounded(reference, 4), "pyshacl_s": rounded(base, 4),
            "pyshacl_all_s": [rounded(t, 4) for t in base_times], "ratio": rounded(ours / base, 3),
            "findings": {engine: len(report.findings), "kasograph pyshacl": len(reference_report.findings), "pyshacl": results},
            "conforms": {engine: report.conforms, "pyshacl": conforms},
            "target_s": TARGET_DOCUMENT_S, "target_met": ours < TARGET_DOCUMENT_S}


def pick_documents(store: Path) -> dict[str, str]:
    """The median-sized and the largest document of the store: label → graph."""
    from kasograph.store.directory import StoreDirectory

    documents = sorted(StoreDirectory(store).manifest().documents.values(), key=lambda d: (d.triples, d.id))
    picked = {"median-sized": documents[len(documents) // 2], "largest": documents[-1]}
    return {f"{label} ({d.id}, {d.triples:,} triples)": d.graph for label, d in picked.items()}


def measure_store(store: Path, sample: int, full: bool, seed: int = 2021) -> dict:
    """validate_stored against pyshacl on a sample of the documents (or all), extrapolated by triples."""
    from kasograph.store.directory import StoreDirectory
    from kasograph.store.validation import validate_stored

    directory = StoreDirectory(store)
    documents = sorted(directory.manifest().documents.values(), key=lambda d: d.id)
    total_triples = sum(d.triples for d in documents)
    with timed() as clock:
        report = validate_stored(directory)
    chosen = documents if full or sample >= len(documents) else random.Random(seed).sample(documents, sample)
    spent_wall = spent_cpu = 0.0
    violations = 0
    for document in chosen:
        with timed() as each:
            conforms, _ = plain_pyshacl(with_vocabulary(stored_graph(store, document.graph)))
        spent_wall, spent_cpu = spent_wall + each.wall_s, spent_cpu + each.cpu_s
        violations += not conforms
    sampled_triples = sum(d.triples for d in chosen)
    scale = total_triples / sampled_triples
    cores = os.cpu_count() or 1
    estimate_cpu = spent_cpu * scale
    return {
        "documents": len(documents), "triples": total_triples, "engine": report_engine(),
        "kasograph_wall_s": rounded(clock.wall_s), "kasograph_cpu_s": rounded(clock.cpu_s),
        "kasograph_triples_per_s": round(total_triples / clock.wall_s),
        "kasograph_conforms": report.conforms, "kasograph_findings": len(report.findings),
        "pyshacl_documents": len(chosen), "pyshacl_triples": sampled_triples, "pyshacl_estimated": len(chosen) < len(documents),
        "pyshacl_sample_wall_s": rounded(spent_wall), "pyshacl_sample_cpu_s": rounded(spent_cpu),
        "pyshacl_documents_not_conforming": violations,
        "pyshacl_cpu_s": rounded(estimate_cpu), "pyshacl_wall_s_on_all_cores": rounded(spent_wall * scale / cores),
        "ratio_cpu": rounded(clock.cpu_s / estimate_cpu, 3) if estimate_cpu else None,
    }


def report_engine() -> str:
    from kasograph.model.validate import default_engine

    return default_engine()


def measure_big_document(goals: int, scratch: Path) -> dict:
    """One generated document of `goals` goals (read and built with kasograph), validated once each way."""
    from kasograph.model.build import document_ntriples
    from kasograph.source.table import read_document

    from . import generate

    folder = generate.write_one(goals, scratch / f"one-document-{goals}")
    built = document_ntriples(read_document(folder))
    return measure_document(f"one generated document of {goals:,} goals", built.graph, built.ntriples, repeat=3, baseline_repeat=1)


def measure_validation(store: Path, repeat: int = 5, sample: int = 20, full_pyshacl: bool = False,
                       big_document_goals: int = 0, scratch: Path | None = None) -> dict:
    """The validation stage: single documents, then the whole store."""
    from kasograph.model.build import ntriples_graph
    from kasograph.model.validate import validate_ntriples

    documents = []
    for label, graph_name in pick_documents(store).items():
        ntriples = stored_ntriples(store, graph_name)
        if not documents:  # the first call of each engine pays for imports and compiled shapes
            validate_ntriples(graph_name, ntriples)
            plain_pyshacl(with_vocabulary(ntriples_graph(graph_name, ntriples)))
            validate_ntriples(graph_name, ntriples, "pyshacl")
        documents.append(measure_document(label, graph_name, ntriples, repeat))
        print_document(documents[-1])
    if big_document_goals and scratch is not None:
        documents.append(measure_big_document(big_document_goals, scratch))
        print_document(documents[-1])
    whole = measure_store(store, sample, full_pyshacl)
    print_store(whole)
    return {"documents": documents, "store": whole, "target_s": TARGET_DOCUMENT_S,
            "target_met": all(d["target_met"] for d in documents)}


def print_document(row: dict) -> None:
    print(f"    {row['document']}: {row['engine']} {row['kasograph_s'] * 1000:,.1f} ms, kasograph with pyshacl "
          f"{row['kasograph_pyshacl_s'] * 1000:,.1f} ms, plain pyshacl {row['pyshacl_s'] * 1000:,.1f} ms "
          f"(ratio {row['ratio']}); findings {row['findings']}", flush=True)


def print_store(row: dict) -> None:
    estimated = "estimated from " if row["pyshacl_estimated"] else ""
    print(f"    whole store, {row['documents']:,} documents, {row['triples']:,} triples: validate_stored "
          f"{row['kasograph_wall_s']:.2f} s ({row['kasograph_cpu_s']:.2f} s CPU, {row['kasograph_findings']} findings); "
          f"pyshacl {row['pyshacl_cpu_s']:,.1f} s CPU ({estimated}{row['pyshacl_documents']} documents, "
          f"{row['pyshacl_triples']:,} triples)", flush=True)


def main(argv: list[str] | None = None) -> int:
    from . import common

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k", help="bundled, 10k, 100k, 1m, 5m, 10m (the suite's data)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sample", type=int, default=20, help="documents pyshacl validates to estimate the whole store")
    parser.add_argument("--full-pyshacl", action="store_true", help="pyshacl on every document instead of a sample")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    result = common.run_stage("validation", lambda: measure_validation(common.stored(args.size), args.repeat, args.sample,
                                                                       args.full_pyshacl))
    if args.json:
        args.json.write_text(json.dumps({"machine": common.machine(), "size": args.size, **result}, indent=2), encoding="utf-8")
    return 0 if result["status"] == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())

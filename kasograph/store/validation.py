"""Validating what a store holds, graph by graph, as it is stored (`kasograph validate --stored`)."""

from __future__ import annotations

import os

import pyoxigraph

from kasograph.model.validate import ValidationReport, merge_reports, validate_ntriples
from kasograph.processes import process_pool
from kasograph.store.interface import DocumentStore


def validate_stored(directory: DocumentStore, engine: str | None = None, *, jobs: int | None = None) -> ValidationReport:
    """Validate every document graph a store holds, as it is stored: after a change of the shapes,
    or to check a store written by other tools. Where the store is on disk here (a store directory),
    its graphs are validated in `jobs` worker processes, each opening the current generation read-only
    (None: one per core); else one graph after another, as the store gives them (a SPARQL server:
    by the Graph Store Protocol)."""
    snapshot = directory.snapshot()
    graphs = sorted(d.graph for d in directory.manifest().documents.values())
    report = ValidationReport()
    if snapshot.store.path is None:
        for graph in graphs:
            merge_reports(report, validate_ntriples(graph, directory.graph_ntriples(graph), engine))
        return _sorted(report)
    path = str(snapshot.store.path)
    del snapshot  # the workers open the generation themselves
    jobs = jobs or (os.cpu_count() or 1)
    if jobs <= 1 or len(graphs) < 2 * jobs:
        for part in _validate_generation(path, graphs, engine):
            merge_reports(report, part)
        return _sorted(report)
    shares = [graphs[i::jobs * 4] for i in range(jobs * 4)]  # several shares a worker: the load evens out
    with process_pool(jobs) as pool:
        for parts in pool.map(_validate_generation, [path] * len(shares), shares, [engine] * len(shares)):
            for part in parts:
                merge_reports(report, part)
    return _sorted(report)


def _sorted(report: ValidationReport) -> ValidationReport:
    report.graphs.sort()
    report.findings.sort(key=lambda f: (f.graph or "", f.severity != "Violation", f.focus_node, f.path or ""))
    return report


def _validate_generation(path: str, graphs: list[str], engine: str | None) -> list[ValidationReport]:
    store = pyoxigraph.Store.read_only(path)
    return [validate_ntriples(graph, store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.NamedNode(graph)),
                               engine) for graph in graphs]

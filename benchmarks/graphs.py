"""Time the graphs and analytics at scale, against the SPARQL queries that feed them.

    python -m benchmarks.graphs [--sizes 10k,100k,1m] [--json FILE]

The data are the suite's (generated goal tables imported into a store directory,
cached in benchmarks/.data/); the store's published generation is opened
read-only, as `kasograph graph` and the viewer open it. For each size the three
graphs are built from the store and the analytics run on them. Building a graph
is SPARQL (the rows, then labels and kinds of the nodes) plus networkx work; the
store is wrapped so that the time spent in queries is counted apart (the
baseline). The target: the graph step (networkx) costs no more than the queries
that feed it. Peak memory is the maximum resident size of the process that built them (a
process of its own, started for the stage).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from pathlib import Path

import pyoxigraph

from kasograph.analysis import analytics, graphs
from kasograph.namespaces import DEFAULT_BASE
from kasograph.store.engine import GoalStore

from . import common


def peak_mb() -> float:
    """The process's peak resident memory. Linux's VmHWM, of this program's memory alone: ru_maxrss of a
    process spawned by a large one starts at the parent's size (the fork before the exec counts)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(function):
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


class CountingStore(GoalStore):
    """A store that adds up the time its queries take, results read to the end included."""

    def __init__(self, store: pyoxigraph.Store, path: Path):
        super().__init__(store, path=path)
        self.seconds = 0.0

    def query(self, sparql, **kwargs):
        started = time.perf_counter()
        results = super().query(sparql, **kwargs)
        materialised = results if isinstance(results, pyoxigraph.QueryBoolean) else _Replay(results)
        self.seconds += time.perf_counter() - started
        return materialised


class _Replay(list):
    """Solutions read once (inside the timing), replayed to the caller with their variables."""

    def __init__(self, results):
        super().__init__(results)
        self.variables = results.variables


def open_counting(store_path: Path) -> CountingStore:
    """The published generation of a store directory, read-only, as kasograph opens it."""
    from kasograph.store.directory import StoreDirectory

    directory = StoreDirectory(store_path)
    generation, oxigraph = directory.open()
    return CountingStore(oxigraph, directory.generation_path(generation))


def measure_graphs(store_path: Path) -> dict:
    """The graphs stage on a store directory: the three graphs and the analytics."""
    store, load_s = timed(lambda: open_counting(store_path))
    triples = common.store_triples(store_path)
    responsibility, responsibility_s = timed(lambda: graphs.responsibility_graph(store, DEFAULT_BASE))
    collaboration, collaboration_s = timed(lambda: graphs.collaboration_graph(store, DEFAULT_BASE, responsibility=responsibility))
    organisation, organisation_s = timed(lambda: graphs.organisation_graph(store, DEFAULT_BASE))
    query_s = store.seconds
    steps = {}
    for name, function in (("workload", lambda: analytics.workload(responsibility)),
                           ("centrality", lambda: analytics.centrality(collaboration)),
                           ("key-person risk", lambda: analytics.key_person_risk(responsibility)),
                           ("theme coverage", lambda: analytics.theme_coverage(responsibility)),
                           ("communities", lambda: analytics.communities(collaboration))):
        steps[name] = round(timed(function)[1], 3)
    graph_s = responsibility_s + collaboration_s + organisation_s
    networkx_s = graph_s - query_s
    return {
        "triples": triples, "open_s": round(load_s, 3), "feeding_queries_s": round(query_s, 3),
        "networkx_s": round(networkx_s, 3), "networkx_over_queries": round(networkx_s / query_s, 2) if query_s else None,
        "responsibility_s": round(responsibility_s, 3), "collaboration_s": round(collaboration_s, 3),
        "organisation_s": round(organisation_s, 3), "graphs_s": round(graph_s, 3),
        "analytics_s": steps, "nodes": {"responsibility": responsibility.number_of_nodes(),
                                         "collaboration": collaboration.number_of_nodes(), "organisation": organisation.number_of_nodes()},
        "edges": {"responsibility": responsibility.number_of_edges(), "collaboration": collaboration.number_of_edges()},
        "peak_rss_mb": round(peak_mb()),
        "target_met": networkx_s <= query_s,
    }


#: The viewer's picture pages of a 500-goal store, and the goals each draws (tests/test_graphs.py checks what they show).
PICTURE_PAGES = ("/graphs/responsibility.html", "/graphs/responsibility/status/PartiallyAchieved.html",
                 "/graphs/responsibility/theme/vantaa/edistamme-asukkaiden-hyvinvointia.html", "/graphs/collaboration.html")
PICTURE_TARGET_S = 1.0  # a page of the viewer within a second


def measure_pictures(copies: int = 50, repeat: int = 3) -> dict:
    """The viewer's graph pages when a store holds 500 goals (the bundled table `copies` times over, each copy
    a document of its own), made by the viewer (Flask's test client: data, picture and page; median of
    `repeat`), against building the graphs they draw from the same store (the baseline)."""
    import copy

    from kasograph_web import create_app

    from kasograph.goaldata import GoalData
    from kasograph.model.build import build_dataset
    from kasograph.model.sources import bundled_documents

    documents = []
    for index in range(copies):
        document = copy.deepcopy(bundled_documents()[0])
        document.info.id = f"copy-{index:02d}-2021"
        for goal in document.goals:
            goal.text = f"{goal.text} {index:02d}"
        documents.append(document)
    store = GoalStore.from_dataset(build_dataset(documents))
    app = create_app({"SPARQL_WARM_UP": False, "PAGE_CACHE_BYTES": 0}, data=GoalData(store))
    client = app.test_client()
    _, graphs_s = timed(lambda: graphs.collaboration_graph(store, DEFAULT_BASE, responsibility=graphs.responsibility_graph(store, DEFAULT_BASE)))
    pages = {}
    for page in PICTURE_PAGES:  # the first request builds the graphs the viewer then keeps for the data's version
        seconds = []
        for _ in range(1 + repeat):
            response, took = timed(lambda: client.get(page))
            assert response.status_code == 200, page
            seconds.append(took)
        pages[page] = {"first_s": round(seconds[0], 3), "again_s": round(statistics.median(seconds[1:]), 3)}
    slowest = max(max(p.values()) for p in pages.values())
    return {"goals": sum(len(d.goals) for d in documents), "pages": pages, "slowest_s": slowest,
            "graphs_s": round(graphs_s, 3), "target_s": PICTURE_TARGET_S, "target_met": slowest < PICTURE_TARGET_S,
            "component_of_500_s": round(_component_of_500(), 3)}


def _component_of_500() -> float:
    """Seconds to draw 500 parties that form one chain: the largest picture a collaboration page may draw."""
    import networkx as nx

    from kasograph_web import pictures

    graph = nx.relabel_nodes(nx.path_graph(500), {node: f"party-{node}" for node in range(500)})
    for node in graph:
        graph.nodes[node].update(label=node, type="person", goals=1)
    nx.set_edge_attributes(graph, 1, "weight")
    return timed(lambda: str(pictures.collaboration_svg(graph, lambda node: None)))[1]


def print_pictures(row: dict) -> None:
    print(f"    pictures of {row['goals']} goals: building the two graphs they draw {row['graphs_s']:.3f} s (baseline)")
    for page, seconds in row["pages"].items():
        print(f"    {page:74} first {seconds['first_s']:6.3f} s, again {seconds['again_s']:6.3f} s")
    print(f"    slowest picture page {row['slowest_s']:.3f} s (target: under {row['target_s']:g} s: "
          f"{'met' if row['target_met'] else 'missed'}); 500 parties in one chain drawn in {row['component_of_500_s']:.3f} s")


def measure_graphs_apart(store_path: Path) -> dict:
    """measure_graphs in a process of its own, so that its peak memory is the graphs' alone."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(measure_graphs, Path(store_path)).result()


def print_graphs(row: dict) -> None:
    print(f"    {row['triples']:,} triples, store opened in {row['open_s']} s, peak {row['peak_rss_mb']} MB")
    print(f"    SPARQL that feeds the graphs  {row['feeding_queries_s']:8.3f} s   (baseline)")
    print(f"    networkx work of the graphs   {row['networkx_s']:8.3f} s   = {row['networkx_over_queries']}× the queries "
          f"(target: at most 1×: {'met' if row['target_met'] else 'missed'})")
    print(f"    responsibility graph          {row['responsibility_s']:8.3f} s   {row['nodes']['responsibility']:,} nodes, "
          f"{row['edges']['responsibility']:,} edges")
    print(f"    collaboration graph           {row['collaboration_s']:8.3f} s   {row['nodes']['collaboration']:,} nodes, "
          f"{row['edges']['collaboration']:,} edges")
    print(f"    organisation graph            {row['organisation_s']:8.3f} s")
    print(f"    all three graphs, in all      {row['graphs_s']:8.3f} s")
    for name, seconds in row["analytics_s"].items():
        print(f"    analytics: {name:18} {seconds:8.3f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1m", help="sizes of the suite's data (bundled, 10k, 100k, 1m, 5m, 10m)")
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    results = []
    for label in args.sizes.split(","):
        print(f"\n== {label}", flush=True)
        row = common.run_stage("graphs", lambda: measure_graphs_apart(common.stored(label.strip().lower())))
        results.append({"size": label, **row})
        if row["status"] == "ok":
            print_graphs(row)
    about = common.machine()
    print(f"\nmachine: {about}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump({"machine": about, "results": results}, out, indent=2)
    return 0 if all(r["status"] == "ok" for r in results) else 1


if __name__ == "__main__":
    import sys

    sys.exit(main())

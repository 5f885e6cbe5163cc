"""Time the graphs and analytics at scale, against the SPARQL queries that feed them.

    python -m benchmarks.graphs [--sizes 10k,100k,1m] [--json FILE]

The data are the goal-shaped files of `benchmarks.sparql` (made once, cached in
benchmarks/.data/). For each size the three graphs are built from the store and
the analytics run on them. Building a graph is SPARQL (the rows, then labels and
kinds of the nodes) plus networkx work; the store is wrapped so that the time
spent in queries is counted apart. The target: the graph step (networkx) costs
no more than the queries that feed it. Peak memory is the process's maximum
resident size at the end.
"""

from __future__ import annotations

import argparse
import json
import resource
import time

import pyoxigraph

from kasograph import analytics, graphs
from kasograph.namespaces import DEFAULT_BASE
from kasograph.store import GoalStore

from .sparql import data_file, machine, parse_size


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(function):
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


class CountingStore(GoalStore):
    """A store that adds up the time its queries take, results read to the end included."""

    def __init__(self):
        super().__init__()
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


def measure(label: str, target: int) -> dict:
    data = data_file(label, target)
    store = CountingStore()
    _, load_s = timed(lambda: store.load_file(data.path, pyoxigraph.RdfFormat.N_QUADS))
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
        "size": label, "quads": len(store), "load_s": round(load_s, 2), "feeding_queries_s": round(query_s, 3),
        "networkx_s": round(networkx_s, 3), "networkx_over_queries": round(networkx_s / query_s, 2) if query_s else None,
        "responsibility_s": round(responsibility_s, 3), "collaboration_s": round(collaboration_s, 3),
        "organisation_s": round(organisation_s, 3), "graphs_s": round(graph_s, 3),
        "analytics_s": steps, "nodes": {"responsibility": responsibility.number_of_nodes(),
                                         "collaboration": collaboration.number_of_nodes(), "organisation": organisation.number_of_nodes()},
        "edges": {"responsibility": responsibility.number_of_edges(), "collaboration": collaboration.number_of_edges()},
        "peak_rss_mb": round(peak_mb()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1m")
    parser.add_argument("--json")
    args = parser.parse_args()
    results = []
    for label in args.sizes.split(","):
        row = measure(label, parse_size(label))
        results.append(row)
        print(f"\n{label}: {row['quads']:,} quads, loaded in {row['load_s']} s, peak {row['peak_rss_mb']} MB")
        print(f"  SPARQL that feeds the graphs  {row['feeding_queries_s']:8.3f} s   (baseline)")
        print(f"  networkx work of the graphs   {row['networkx_s']:8.3f} s   = {row['networkx_over_queries']}× the queries")
        print(f"  responsibility graph          {row['responsibility_s']:8.3f} s   {row['nodes']['responsibility']:,} nodes, "
              f"{row['edges']['responsibility']:,} edges")
        print(f"  collaboration graph           {row['collaboration_s']:8.3f} s   {row['nodes']['collaboration']:,} nodes, "
              f"{row['edges']['collaboration']:,} edges")
        print(f"  organisation graph            {row['organisation_s']:8.3f} s")
        print(f"  all three graphs, in all      {row['graphs_s']:8.3f} s")
        for name, seconds in row["analytics_s"].items():
            print(f"  analytics: {name:18} {seconds:8.3f} s")
    print(f"\nmachine: {machine()}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump({"machine": machine(), "results": results}, out, indent=2)


if __name__ == "__main__":
    main()

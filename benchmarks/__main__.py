"""Time each stage of kasograph on the bundled document, with a baseline measured in the same run.

    python -m benchmarks [--repeat N]

Each line is the median of N runs; the ratio compares kasograph's stage with a
baseline that does the same work without kasograph's arrangement.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from collections.abc import Callable

import pyoxigraph
from rdflib import Dataset, Graph

from kasograph import resources
from kasograph.build import build_dataset
from kasograph.store import GoalStore
from kasograph.table import read_document
from kasograph.validate import validate_dataset
from kasograph.vocabulary import ontology, shapes

WORKLOAD = """
SELECT ?name (COUNT(?goal) AS ?goals) WHERE {
  ?goal a kg:Goal ; prov:wasAttributedTo ?p . ?p foaf:name ?name
} GROUP BY ?name ORDER BY DESC(?goals)
"""


def median_ms(function: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()

    folder = resources.bundled_documents()[0]
    document = read_document(folder)
    dataset = build_dataset([document], vocabulary=False)
    nquads = dataset.serialize(format="nquads").encode("utf-8")
    triples = len(dataset)

    def plain_pyshacl() -> None:
        import pyshacl

        data = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            data.add((s, p, o))
        for triple in ontology():
            data.add(triple)
        pyshacl.validate(data, shacl_graph=shapes(), inference="none", allow_warnings=True)

    def oxigraph_load() -> None:
        pyoxigraph.Store().bulk_load(nquads, format=pyoxigraph.RdfFormat.N_QUADS)

    def rdflib_parse() -> None:
        Dataset().parse(data=nquads, format="nquads")

    store = GoalStore.from_dataset(dataset)
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    from kasograph.namespaces import sparql_prefixes

    rows = [
        # stage, kasograph, baseline name, baseline
        ("table → RDF (read + build)", lambda: build_dataset([read_document(folder)], vocabulary=False),
         "rdflib parses the same triples as N-Quads", rdflib_parse),
        ("SHACL validation", lambda: validate_dataset(dataset), "pyshacl on the same graph, called directly", plain_pyshacl),
        ("store load", lambda: GoalStore.from_dataset(dataset), "pyoxigraph bulk load of the N-Quads", oxigraph_load),
        ("query: goals per person", lambda: store.select(WORKLOAD), "rdflib's own SPARQL engine",
         lambda: list(union.query(sparql_prefixes() + WORKLOAD))),
    ]
    plain_pyshacl()  # warm the imports so that neither side pays for them
    validate_dataset(dataset)
    results = []
    print(f"kasograph benchmarks on the bundled document ({triples} triples), median of {args.repeat} runs")
    print(f"{'stage':30} {'kasograph ms':>13} {'baseline ms':>12} {'ratio':>6}  baseline")
    for stage, ours, baseline_name, baseline in rows:
        ours_ms, base_ms = median_ms(ours, args.repeat), median_ms(baseline, args.repeat)
        results.append({"stage": stage, "kasograph_ms": round(ours_ms, 2), "baseline_ms": round(base_ms, 2),
                        "ratio": round(ours_ms / base_ms, 2), "baseline": baseline_name})
        print(f"{stage:30} {ours_ms:13.1f} {base_ms:12.1f} {ours_ms / base_ms:6.2f}  {baseline_name}")
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, {platform.system()}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump({"triples": triples, "repeat": args.repeat, "results": results}, out, indent=2)


if __name__ == "__main__":
    main()

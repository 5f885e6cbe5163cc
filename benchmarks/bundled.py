"""The suite's smallest size, the bundled document: what `python -m benchmarks` measured before it had sizes.

Each stage in memory, on the bundled document, against a baseline that does the same work without
kasograph's arrangement (median of N runs): table → RDF against rdflib parsing the same triples,
SHACL validation against pyshacl called directly, loading the store against pyoxigraph's bulk load,
a query against rdflib's engine; and the viewer's pages over HTTP, one request at a time, against
the same pages as static files (`kasograph publish`) served by Python's http.server.
"""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable

import pyoxigraph
from rdflib import Dataset, Graph

from kasograph import resources
from kasograph.model.build import build_dataset
from kasograph.model.validate import validate_dataset
from kasograph.source.table import read_document
from kasograph.store.engine import GoalStore
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


def stage_rows(repeat: int) -> list[dict]:
    """The four in-memory stages on the bundled document, each against its baseline; medians in ms."""
    import pyshacl

    from kasograph.namespaces import sparql_prefixes

    folder = resources.bundled_documents()[0]
    document = read_document(folder)
    dataset = build_dataset([document], vocabulary=False)
    nquads = dataset.serialize(format="nquads").encode("utf-8")

    def plain_pyshacl() -> None:
        data = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            data.add((s, p, o))
        for triple in ontology():
            data.add(triple)
        # advanced: the shapes' SPARQL-based constraints are checked, as kasograph checks them
        pyshacl.validate(data, shacl_graph=shapes(), inference="none", allow_warnings=True, advanced=True)

    def oxigraph_load() -> None:
        pyoxigraph.Store().bulk_load(nquads, format=pyoxigraph.RdfFormat.N_QUADS)

    def rdflib_parse() -> None:
        Dataset().parse(data=nquads, format="nquads")

    store = GoalStore.from_dataset(dataset)
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
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
    print(f"    bundled document in memory ({len(dataset)} triples), median of {repeat} runs")
    print(f"    {'stage':30} {'kasograph ms':>13} {'baseline ms':>12} {'ratio':>6}  baseline")
    for stage, ours, baseline_name, baseline in rows:
        ours_ms, base_ms = median_ms(ours, repeat), median_ms(baseline, repeat)
        results.append({"stage": stage, "kasograph_ms": round(ours_ms, 2), "baseline_ms": round(base_ms, 2),
                        "ratio": round(ours_ms / base_ms, 2), "baseline": baseline_name, "triples": len(dataset)})
        print(f"    {stage:30} {ours_ms:13.1f} {base_ms:12.1f} {ours_ms / base_ms:6.2f}  {baseline_name}", flush=True)
    return results


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(command: list[str], url: str) -> subprocess.Popen:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"{command[:4]} did not answer at {url}")


def page_latency(requests: int) -> list[dict]:
    """Pages over HTTP from `kasograph serve` (waitress), one request at a time; baseline: the
    same pages as static files from `kasograph publish`, served by Python's http.server."""
    pages = {"home": "index.html", "goal": "goal/vantaa-kaso-2021/mielenterveysosaaminen.html",
             "person": "person/vantaa/tuija-harakka.html", "search": "search.html?q=mielenterveys"}
    with tempfile.TemporaryDirectory() as site:
        subprocess.run([sys.executable, "-m", "kasograph", "publish", "--out", site], check=True, capture_output=True)
        live_port, static_port = _free_port(), _free_port()
        live = _start([sys.executable, "-m", "kasograph", "serve", "--port", str(live_port)], f"http://127.0.0.1:{live_port}/")
        static = _start([sys.executable, "-m", "http.server", str(static_port), "--bind", "127.0.0.1", "--directory", site],
                        f"http://127.0.0.1:{static_port}/index.html")
        rows = []
        try:
            print(f"    viewer pages of the bundled data over HTTP, {requests} sequential requests each (ms)")
            print(f"    {'page':8} {'median':>8} {'p99':>8} {'static median':>14} {'static p99':>11} {'ratio':>6}")
            for name, path in pages.items():
                ours = _latencies(f"http://127.0.0.1:{live_port}/{path}", requests)
                base = _latencies(f"http://127.0.0.1:{static_port}/{path.split('?')[0]}", requests)
                row = {"page": name, "median_ms": _pct(ours, 50), "p99_ms": _pct(ours, 99),
                       "static_median_ms": _pct(base, 50), "static_p99_ms": _pct(base, 99)}
                row["ratio"] = round(row["median_ms"] / row["static_median_ms"], 2)
                rows.append(row)
                print(f"    {name:8} {row['median_ms']:8.2f} {row['p99_ms']:8.2f} {row['static_median_ms']:14.2f} "
                      f"{row['static_p99_ms']:11.2f} {row['ratio']:6.2f}")
        finally:
            for process in (live, static):
                process.terminate()
                process.wait(timeout=10)
    return rows


def _latencies(url: str, n: int) -> list[float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


def _pct(sorted_times: list[float], percent: int) -> float:
    index = min(len(sorted_times) - 1, max(0, round(percent / 100 * len(sorted_times)) - 1))
    return round(sorted_times[index], 2)


"""The SPARQL endpoint's own cost per query: what /sparql adds to the engine's time.

    python -m benchmarks --stages endpoint [--size bundled|10k|…] [--requests 300]
    python -m benchmarks.endpoint STORE_DIR [--requests 300]

On one kept-alive connection to `kasograph serve` (the default settings: sealed query workers),
the same number of requests, alternating, of:

- /sparql, a form POST of a cheap query, each text new (so that no kept answer serves it), in
  three shapes: an ASK of a literal, a SELECT of one goal, a CONSTRUCT of one triple;
- the baseline: the same queries asked of pyoxigraph in this process, on the same store
  generation opened read-only, the answer serialised to JSON or N-Triples by the engine;
- /favicon.ico, the server's cheapest answer (waitress, Flask, the security headers).

The endpoint's own cost is the /sparql median minus the baseline's median (target: under 3 ms);
the check (kasograph.query.sparql.check) is also timed alone in this process, on the same queries.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import time
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph

from kasograph.query.sparql import check
from kasograph.store.engine import GoalStore

from .pages import Server

TARGET_MS = 3.0
SHAPES = (
    ('ASK {{ ?s ?p "endpoint {n}" }}', pyoxigraph.QueryResultsFormat.JSON),
    ("SELECT ?goal WHERE {{ ?goal a kg:Goal }} LIMIT 1 # {n}", pyoxigraph.QueryResultsFormat.JSON),
    ("CONSTRUCT {{ ?goal a kg:Goal }} WHERE {{ ?goal a kg:Goal }} LIMIT 1 # {n}", pyoxigraph.RdfFormat.N_TRIPLES),
)


def queries(count: int, offset: int = 0) -> list[tuple[str, object]]:
    return [(SHAPES[i % len(SHAPES)][0].format(n=offset + i), SHAPES[i % len(SHAPES)][1]) for i in range(count)]


def _post(connection: http.client.HTTPConnection, query: str) -> float:
    body = urlencode({"query": query}).encode()
    started = time.perf_counter()
    connection.request("POST", "/sparql", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                  "Accept": "application/sparql-results+json, application/n-triples"})
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"/sparql answered {response.status} to {query!r}")
    return (time.perf_counter() - started) * 1000


def _favicon(connection: http.client.HTTPConnection) -> float:
    started = time.perf_counter()
    connection.request("GET", "/favicon.ico")
    response = connection.getresponse()
    response.read()
    return (time.perf_counter() - started) * 1000


def _engine(store: GoalStore, query: str, fmt) -> float:
    started = time.perf_counter()
    results = store.query(query)
    results.serialize(format=fmt)
    return (time.perf_counter() - started) * 1000


def measure_endpoint(store: Path, requests: int = 300) -> dict:
    """Median milliseconds of /sparql, of the engine alone, of /favicon.ico and of the check; the endpoint's own cost."""
    server = Server(store)
    try:
        server.wait_for("/sparql?" + urlencode({"query": "ASK {}"}))
        engine = GoalStore(pyoxigraph.Store.read_only(str(_current_generation(store))), path=store)
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        for query, fmt in queries(30, offset=10**6):  # warm both sides: the workers, the connection, the engine's caches
            _post(connection, query), _engine(engine, query, fmt), _favicon(connection)
        times: dict[str, list[float]] = {"sparql": [], "engine": [], "favicon": [], "check": []}
        for query, fmt in queries(requests):
            times["sparql"].append(_post(connection, query))
            times["engine"].append(_engine(engine, query, fmt))
            times["favicon"].append(_favicon(connection))
            started = time.perf_counter()
            check(query)
            times["check"].append((time.perf_counter() - started) * 1000)
        connection.close()
    finally:
        server.stop()
    medians = {name: round(statistics.median(values), 3) for name, values in times.items()}
    p99 = {name: round(sorted(values)[int(len(values) * 0.99) - 1], 3) for name, values in times.items()}
    own = round(medians["sparql"] - medians["engine"], 3)
    return {"requests": requests, "median_ms": medians, "p99_ms": p99, "own_cost_ms": own,
            "over_favicon_ms": round(medians["sparql"] - medians["favicon"], 3), "target_ms": TARGET_MS,
            "target_met": own < TARGET_MS}


def _current_generation(store: Path) -> Path:
    from kasograph.store.directory import StoreDirectory

    directory = StoreDirectory(store)
    return directory.generation_path(directory.current())


def report(result: dict) -> str:
    m = result["median_ms"]
    return (f"/sparql {m['sparql']} ms, the engine alone {m['engine']} ms, /favicon.ico {m['favicon']} ms, the check "
            f"{m['check']} ms (medians of {result['requests']}); the endpoint's own cost {result['own_cost_ms']} ms "
            f"(target < {result['target_ms']:g} ms: {'met' if result['target_met'] else 'missed'})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path, help="a store directory (kasograph import)")
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args(argv)
    print(report(measure_endpoint(args.store, args.requests)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

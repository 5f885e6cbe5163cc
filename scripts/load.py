#!/usr/bin/env python3
"""Load test: many concurrent clients against a running `kasograph serve`, for a given time.

    .venv/bin/python scripts/load.py                       # starts its own server on 127.0.0.1, 60 s, 32 clients
    .venv/bin/python scripts/load.py --seconds 5           # the short run CI does (tests/test_load.py)
    .venv/bin/python scripts/load.py --url http://127.0.0.1:8080 --pid 12345   # a server you started

Each client keeps one HTTP/1.1 connection and asks, in random order, for the viewer's pages
(home, goals, persons, groups, search, graphs), the saved questions' CSV files
(`/questions/NAME.csv`) and SPARQL queries (`/sparql`), as found on the server itself. The report:
requests, requests per second, median and 99th-percentile latency, every status, errors (any 5xx
or a failed connection), and the resident memory of the server process (and of its query workers)
at the start, after warming up, and at the end. Exit status 1 if there was any error.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

SPARQL = [
    "SELECT (COUNT(?g) AS ?n) WHERE { ?g a kg:Goal }",
    "SELECT ?name (COUNT(?goal) AS ?goals) WHERE { ?goal a kg:Goal ; prov:wasAttributedTo/foaf:name ?name } GROUP BY ?name ORDER BY DESC(?goals)",
    "ASK { ?g a kg:Goal ; kg:status kg:FullyAchieved }",
    "SELECT ?goal ?text WHERE { ?goal a kg:Goal ; skos:prefLabel ?text FILTER(lang(?text) = 'fi') } ORDER BY ?text LIMIT 5",
    "CONSTRUCT { ?p foaf:name ?n } WHERE { ?p a foaf:Person ; foaf:name ?n }",
]
SEARCHES = ["mielenterveys", "huoltaja", "opintopolku", "hyvinvointi", "digi"]
WARM_UP = 1000  # requests before the "warm" memory reading


def rss_kib(pid: int) -> int | None:
    """Resident memory of a process in KiB (Linux /proc), or None."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def memory(pid: int | None) -> dict | None:
    if pid is None or rss_kib(pid) is None:
        return None
    workers = [rss_kib(child) or 0 for child in children(pid)]
    return {"server_mib": round(rss_kib(pid) / 1024, 1), "workers_mib": round(sum(workers) / 1024, 1), "workers": len(workers)}


def targets(base: str) -> dict[str, list[str]]:
    """The paths to ask for, found on the server: resources from its search index, its saved questions."""
    with urllib.request.urlopen(base + "/search-index.json", timeout=30) as response:
        index = json.load(response)
    resources = [entry["path"] for entry in index if entry.get("path")]
    pages = ["/", "/index.en.html", "/graphs/collaboration.html", "/graphs/responsibility.html", "/questions.html", "/query.html"]
    pages += [f"/{path}.html" for path in resources] + [f"/{path}.en.html" for path in resources[:20]]
    pages += [f"/search.html?q={q}" for q in SEARCHES]
    with urllib.request.urlopen(base + "/questions.html", timeout=30) as response:
        html = response.read().decode("utf-8")
    import re

    names = sorted(set(re.findall(r'href="questions/([a-z0-9-]+)\.html"', html)))
    questions = [f"/questions/{name}.csv" for name in names]
    sparql = [f"/sparql?{urllib.parse.urlencode({'query': q, 'format': 'csv' if 'CONSTRUCT' not in q else 'ttl'})}" for q in SPARQL]
    return {"page": pages, "question": questions, "sparql": sparql}


class Client(threading.Thread):
    def __init__(self, base: str, paths: dict[str, list[str]], until: float, seed: int, results: list, lock: threading.Lock):
        super().__init__(daemon=True)
        parsed = urllib.parse.urlsplit(base)
        self.host, self.port = parsed.hostname, parsed.port or 80
        self.paths, self.until, self.random = paths, until, random.Random(seed)
        self.results, self.lock = results, lock
        self.connection: http.client.HTTPConnection | None = None

    def run(self) -> None:
        kinds = ["page"] * 5 + ["question"] * 2 + ["sparql"] * 3
        while time.monotonic() < self.until:
            kind = self.random.choice(kinds)
            path = self.random.choice(self.paths[kind] or self.paths["page"])
            started = time.perf_counter()
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
                self.connection.request("GET", path, headers={"Accept-Language": "fi"})
                response = self.connection.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    self.connection.close()
                    self.connection = None
            except (OSError, http.client.HTTPException) as error:
                status = f"connection error: {type(error).__name__}"
                if self.connection is not None:
                    self.connection.close()
                self.connection = None
            with self.lock:
                self.results.append((kind, status, time.perf_counter() - started, path, time.monotonic()))


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(base: str, seconds: float, clients: int, pid: int | None) -> dict:
    paths = targets(base)
    results: list = []
    lock = threading.Lock()
    start_memory = memory(pid)
    until = time.monotonic() + seconds
    threads = [Client(base, paths, until, seed, results, lock) for seed in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    warm_memory = None
    samples = []
    while any(thread.is_alive() for thread in threads):
        time.sleep(0.5)
        with lock:
            done = len(results)
        if pid is not None:
            samples.append((done, memory(pid)))
        if warm_memory is None and done >= WARM_UP:
            warm_memory = memory(pid)
    elapsed = time.monotonic() - started
    end_memory = memory(pid)
    statuses = Counter(str(status) for _, status, *_ in results)
    errors = sum(n for status, n in statuses.items() if not status.isdigit() or int(status) >= 500)
    by_kind = {}
    for kind in ("page", "question", "sparql"):
        times = [t for k, _, t, *_ in results if k == kind]
        by_kind[kind] = {"requests": len(times), "p50_ms": round(statistics.median(times) * 1000, 1) if times else None,
                         "p99_ms": round(percentile(times, 0.99) * 1000, 1) if times else None}
    times = [t for _, _, t, *_ in results]
    ends = sorted(r[4] for r in results)
    slowest = sorted(results, key=lambda r: -r[2])[:5]
    return {
        "url": base, "clients": clients, "seconds": round(elapsed, 1), "requests": len(results),
        "requests_per_second": round(len(results) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(statistics.median(times) * 1000, 1) if times else None,
        "p99_ms": round(percentile(times, 0.99) * 1000, 1) if times else None,
        "errors": errors, "statuses": dict(sorted(statuses.items())), "by_kind": by_kind,
        "memory": {"start": start_memory, f"after {WARM_UP} requests": warm_memory, "end": end_memory},
        "paths": {kind: len(found) for kind, found in paths.items()},
        "slowest": [{"path": path, "status": str(status), "ms": round(t * 1000, 1)} for _, status, t, path, _ in slowest],
        "longest_pause_s": round(max((b - a for a, b in zip(ends, ends[1:])), default=0.0), 2),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(extra: list[str], log: Path) -> tuple[subprocess.Popen, str]:
    """`kasograph serve` on a free port, its output to `log` (never a pipe: under load waitress logs a
    line per queued request, and a pipe nobody reads would fill and stop the server)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen([sys.executable, "-m", "kasograph", "serve", "--host", "127.0.0.1", "--port", str(port), *extra],
                                   stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"kasograph serve exited with {process.returncode}: {log.read_text(encoding='utf-8')}")
        try:
            with urllib.request.urlopen(base + "/", timeout=2) as response:
                if response.headers.get("Server") == "kasograph":
                    return process, base
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("kasograph serve did not answer within 60 s")


def report(result: dict) -> str:
    lines = [f"{result['clients']} clients for {result['seconds']} s against {result['url']}",
             f"requests: {result['requests']}  ({result['requests_per_second']}/s)",
             f"latency: p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms",
             f"errors (5xx or failed connections): {result['errors']}",
             f"statuses: {', '.join(f'{k}: {v}' for k, v in result['statuses'].items())}"]
    for kind, figures in result["by_kind"].items():
        lines.append(f"  {kind:<9} {figures['requests']:>7} requests, p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms")
    lines.append(f"longest pause between two answers: {result['longest_pause_s']} s")
    for moment, figures in result["memory"].items():
        if figures:
            lines.append(f"memory {moment}: server {figures['server_mib']} MiB; {figures['workers']} child processes "
                         f"(query workers, multiprocessing's tracker) {figures['workers_mib']} MiB")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server (default: start `kasograph serve` on a free port of 127.0.0.1)")
    parser.add_argument("--pid", type=int, help="the running server's process id, for its memory (known when this script starts it)")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to load it (default 60)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (default 32)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("serve_options", nargs="*", help="options for the server this script starts (after --)")
    args = parser.parse_args(argv)
    process = None
    base, pid = args.url, args.pid
    if base is None:
        import tempfile

        log = Path(tempfile.mkdtemp(prefix="kasograph-load-")) / "serve.log"
        process, base = start_server(args.serve_options, log)
        pid = process.pid
    try:
        result = run(base.rstrip("/"), args.seconds, args.clients, pid)
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 1 if result["errors"] or not result["requests"] else 0


if __name__ == "__main__":
    sys.exit(main())

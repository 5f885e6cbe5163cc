"""The viewer at scale: cold start, memory per million triples, and pages under concurrent load.

    python -m benchmarks.pages --store DIR [--clients 32] [--seconds 60] [--processes N] [--client wrk|python] [--json FILE]

Starts `kasograph serve` on the store directory DIR (on a free port of 127.0.0.1) and measures:

* **cold start**: the time from starting the command to the first answered goal page, then the
  first home page; the resident memory (RSS) of the server's processes and of its query workers
  (started by a few SPARQL queries), in all and per million triples in the store;
* **load**: `--clients` clients, each its own kept-alive connection, in a closed loop (the next
  request when the answer is in), for `--seconds` per row: goal pages and person pages drawn at
  random from every goal and every person in the store, then the home page and searches as extra
  rows (after a warm-up that is not counted, until every server process has made its home page and
  search index, which each makes once per version of the data). The baseline, measured first under the same load on the same server, is `/favicon.ico`:
  what waitress, Flask and the headers cost with no data behind them. (The same pages as static
  files would be the better baseline, but at millions of triples `kasograph publish` writes
  over a million files.) The load rows run `serve --no-warm-up`: the saved questions' warm-up is
  background work of the first seconds after a start, which cold start includes.

The load generator is wrk (Debian's `wrk`, installed when missing if this runs as root) with a Lua
script that draws a random path per request; `--client python` uses the threads of
`scripts/load.py` in a separate process instead. Each row reports the CPU time the load generator
itself used per request: on two cores it competes with the server.

Each server process keeps the pages it made (compressed, `PAGE_CACHE_BYTES`, 64 MiB by default) for
the next request of the same page, and the facts of what pages link to (labels, kinds, statuses) per
version of the data. So the goal, person and search rows are run twice: on `serve` as it is (a page asked
for again is given as kept: at 100k triples nearly every page, at millions few), and as "made" rows on a
second server that keeps no page (`--setting PAGE_CACHE_BYTES 0`), where every request makes its page.
`distinct` counts the different pages a row asked for (per load thread, added up), so that repeats are
in plain view.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEARCHES = ["hyvinvointi", "opintopolku", "mielenterveys", "huoltaja", "digitaalinen", "osallisuus", "liikunta", "kulttuuri"]
WRK_SCRIPT = """
local paths = {}
local seen = {}
distinct = 0
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads_list, thread)
end
threads_list = {}
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  math.randomseed(tonumber(args[2]) * 1000 + tid)
  if args[3] then wrk.headers["Accept"] = args[3] end
end
function request()
  local path = paths[math.random(#paths)]
  if not seen[path] then seen[path] = true; distinct = distinct + 1 end
  return wrk.format("GET", path)
end
function done(summary, latency, requests)
  local d = 0
  for _, thread in ipairs(threads_list) do d = d + (thread:get("distinct") or 0) end
  io.write(string.format('RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, "distinct": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout, d))
end
"""


def _load_script():
    """scripts/load.py, the load test's client, for its memory readings and its client threads."""
    spec = importlib.util.spec_from_file_location("kasograph_load_script", ROOT / "scripts" / "load.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


LOAD = _load_script()


# The store --------------------------------------------------------------------------------------
def store_paths(store: Path, base: str | None = None) -> dict[str, list[str]]:
    """Every goal page and every person page of the store, as paths of the viewer."""
    from kasograph.namespaces import DEFAULT_BASE
    from kasograph.store.directory import StoreDirectory
    from kasograph.store.engine import GoalStore

    base = base or DEFAULT_BASE
    directory = StoreDirectory(store)
    _, oxigraph = directory.open()
    goal_store = GoalStore(oxigraph)
    found = {}
    for kind, sparql in (("goal", "SELECT ?s WHERE { ?s a kg:Goal }"), ("person", "SELECT ?s WHERE { ?s a foaf:Person }")):
        found[kind] = sorted("/" + row[0].value[len(base):] + ".html" for row in goal_store.query(sparql)
                             if row[0].value.startswith(base))
    del goal_store, oxigraph
    return found


def store_triples(store: Path) -> int:
    from kasograph.store.directory import StoreDirectory

    return sum(d.triples for d in StoreDirectory(store).manifest().documents.values())


# The server -------------------------------------------------------------------------------------
class Server:
    """`kasograph serve` on a free port of 127.0.0.1, its output to a log file."""

    def __init__(self, store: Path, processes: int | None = None, log: Path | None = None, options: tuple[str, ...] = ()):
        self.port = LOAD.free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log or Path(tempfile.mkdtemp(prefix="kasograph-pages-")) / "serve.log"
        command = [sys.executable, "-m", "kasograph", "--store", str(store), "serve", "--host", "127.0.0.1",
                   "--port", str(self.port)]
        if processes:
            command += ["--processes", str(processes)]
        command += list(options)
        self.started = time.perf_counter()
        with self.log.open("w", encoding="utf-8") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)

    def wait_for(self, path: str, timeout: float = 120.0) -> float:
        """Seconds from the start of the command until `path` is answered with 200."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"kasograph serve exited with {self.process.returncode}: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.base + path, timeout=timeout) as response:
                    if response.status == 200 and response.headers.get("Server") == "kasograph":
                        response.read()
                        return time.perf_counter() - self.started
            except OSError:
                time.sleep(0.01)
        raise RuntimeError(f"kasograph serve did not answer {path} within {timeout} s")

    def get(self, path: str, timeout: float = 600.0) -> float:
        started = time.perf_counter()
        with urllib.request.urlopen(self.base + path, timeout=timeout) as response:
            response.read()
        return time.perf_counter() - started

    def warm(self, paths: list[str], fast: float = 1.0, in_a_row: int = 12, timeout: float = 900.0) -> float:
        """Ask for `paths` on new connections (so that every server process gets some) until `in_a_row`
        answers in a row take less than `fast` seconds; the seconds that took."""
        started = time.perf_counter()
        streak = 0
        for i in range(100_000):
            if streak >= in_a_row or time.perf_counter() - started > timeout:
                break
            streak = streak + 1 if self.get(paths[i % len(paths)]) < fast else 0
        return time.perf_counter() - started

    def cpu_seconds(self) -> float:
        """User + system CPU seconds of the server's processes and their query workers so far (/proc)."""
        total = 0.0
        pending = [self.process.pid]
        while pending:
            pid = pending.pop()
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            except (OSError, ValueError, IndexError):
                pass
            pending.extend(LOAD.children(pid))
        return total

    def memory(self) -> dict:
        """Memory of the server's processes (the command and the server processes it forked) and of the
        query workers (multiprocessing's resource tracker counted with them), in MiB: PSS, which shares
        the pages that forked processes hold in common out among them (RSS would count them in each),
        and RSS beside it."""
        web, workers = [], []
        pending = [self.process.pid]
        while pending:
            pid = pending.pop()
            smaps = _smaps(pid)
            rss = LOAD.rss_kib(pid) or 0
            # (PSS, its anonymous part: the heap; RSS). The rest of PSS is files mapped: the store's, the libraries'.
            figures = (smaps.get("Pss", rss), smaps.get("Pss_Anon", smaps.get("Pss", rss)), rss)
            (workers if "multiprocessing" in _command_line(pid) else web).append(figures)
            pending.extend(LOAD.children(pid))
        mib = lambda values, i: round(sum(v[i] for v in values) / 1024, 1)  # noqa: E731
        return {"server_mib": mib(web, 0), "server_processes": len(web), "workers_mib": mib(workers, 0),
                "worker_processes": len(workers), "total_mib": mib(web + workers, 0), "total_anon_mib": mib(web + workers, 1),
                "server_anon_mib": mib(web, 1), "total_rss_mib": mib(web + workers, 2)}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def _smaps(pid: int) -> dict[str, int]:
    """Linux's /proc/PID/smaps_rollup in KiB ({} elsewhere)."""
    try:
        return {line.split(":")[0]: int(line.split()[1]) for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
                if line.endswith(" kB")}
    except (OSError, ValueError, IndexError):
        return {}


def _serve_has(option: str) -> bool:
    done = subprocess.run([sys.executable, "-m", "kasograph", "serve", "--help"], capture_output=True, text=True)
    return option in done.stdout


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


# Measurements -----------------------------------------------------------------------------------
def measure_cold_start(store: Path, processes: int | None = None) -> dict:
    """Seconds from `kasograph serve` to its first goal page and then its first home page, and the
    memory of its processes and query workers, in all and per million triples of the store."""
    store = Path(store)
    paths = store_paths(store)
    triples = store_triples(store)
    first = random.Random(1).choice(paths["goal"]) if paths["goal"] else "/"
    load_before = os.getloadavg()[0]
    server = Server(store, processes)
    try:
        ready = server.wait_for(first)
        home = server.get("/")
        memory_ready = server.memory()
        refused = 0
        for _ in range(8):  # start the query workers (each server process starts its own on its first query)
            try:
                server.get("/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}))
            except urllib.error.HTTPError:  # 503 when the workers are busy (only another client could keep them so)
                refused += 1
        memory = server.memory()
    finally:
        server.stop()
    millions = triples / 1e6 if triples else 1.0
    return {"triples": triples, "first_page": first, "ready_s": round(ready, 2), "first_home_s": round(home, 2),
            "memory_at_ready": memory_ready, "memory": memory,
            "mib_per_million_triples": round(memory["total_mib"] / millions, 1),
            "anon_mib_per_million_triples": round(memory["total_anon_mib"] / millions, 1),
            "server_mib_per_million_triples": round(memory["server_mib"] / millions, 1),
            "load_average": round(load_before, 2), "queries_refused": refused}


def ensure_wrk() -> str | None:
    """The wrk command, installed with apt-get when missing and this runs as root; None if it cannot be."""
    found = shutil.which("wrk")
    if found or not shutil.which("apt-get") or os.geteuid() != 0:
        return found
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    if subprocess.run(["apt-get", "install", "-y", "wrk"], **quiet).returncode != 0:
        subprocess.run(["apt-get", "update"], **quiet)
        subprocess.run(["apt-get", "install", "-y", "wrk"], **quiet)
    return shutil.which("wrk")


def _run_client(command: list[str]) -> tuple[str, float]:
    """Run a load generator; its output and the CPU seconds it used (user + system, its threads included)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return output, usage.ru_utime + usage.ru_stime


def load_row(base: str, name: str, paths: list[str], clients: int, seconds: float, client: str, folder: Path,
             server: "Server | None" = None, accept: str | None = None) -> dict:
    """`clients` closed-loop clients on `paths` (drawn at random per request) for `seconds`; with `server`,
    also the server's own CPU time per request (which other work on the machine changes little)."""
    server_cpu = server.cpu_seconds() if server else None
    listing = folder / f"{name.split()[0]}.txt"
    listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
    load_before = os.getloadavg()[0]
    if client == "wrk":
        script = folder / "random.lua"
        script.write_text(WRK_SCRIPT, encoding="utf-8")
        output, cpu = _run_client(["wrk", f"-t{min(2, clients)}", f"-c{clients}", f"-d{seconds:g}s", "--timeout", "30s",
                                   "-s", str(script), base, "--", str(listing), "1", *([accept] if accept else [])])
        line = next((line for line in output.splitlines() if line.startswith("RESULT ")), None)
        if line is None:
            raise RuntimeError(f"wrk gave no result: {output[-1000:]}")
        figures = json.loads(line[len("RESULT "):])
        errors = sum(figures[k] for k in ("connect", "read", "write", "status", "timeout"))
        row = {"requests": figures["requests"], "seconds": round(figures["duration_us"] / 1e6, 1),
               "p50_ms": round(figures["p50_us"] / 1000, 1), "p99_ms": round(figures["p99_us"] / 1000, 1),
               "max_ms": round(figures["max_us"] / 1000, 1), "errors": errors, "distinct": figures["distinct"]}
    else:
        output, cpu = _run_client([sys.executable, "-m", "benchmarks.pages", "--python-client", base, str(listing),
                                   str(clients), str(seconds)])
        line = next((line for line in output.splitlines() if line.startswith("RESULT ")), None)
        if line is None:
            raise RuntimeError(f"the Python client gave no result: {output[-1000:]}")
        row = json.loads(line[len("RESULT "):])
    row["requests_per_second"] = round(row["requests"] / row["seconds"], 1) if row["seconds"] else 0.0
    row["client_cpu_ms_per_request"] = round(cpu * 1000 / row["requests"], 3) if row["requests"] else None
    if server is not None and row["requests"]:
        row["server_cpu_ms_per_request"] = round((server.cpu_seconds() - server_cpu) * 1000 / row["requests"], 2)
    row.update(page=name, paths=len(paths), load_average_before=round(load_before, 2),
               load_average_after=round(os.getloadavg()[0], 2))
    return row


def python_client(base: str, listing: Path, clients: int, seconds: float) -> dict:
    """scripts/load.py's client threads, each on its own kept-alive connection, on the listed paths."""
    import threading

    paths = [line for line in listing.read_text(encoding="utf-8").splitlines() if line]
    results: list = []
    lock = threading.Lock()
    until = time.monotonic() + seconds
    threads = [LOAD.Client(base, {"page": paths, "question": [], "sparql": []}, until, seed, results, lock) for seed in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    times = [t for _, _, t, *_ in results]
    errors = sum(1 for _, status, *_ in results if not str(status).isdigit() or int(status) >= 400)
    from collections import Counter

    return {"statuses": dict(Counter(str(status) for _, status, *_ in results)), "requests": len(results), "seconds": round(elapsed, 1), "p50_ms": round(LOAD.percentile(times, 0.5) * 1000, 1),
            "p99_ms": round(LOAD.percentile(times, 0.99) * 1000, 1), "max_ms": round(max(times, default=0) * 1000, 1),
            "errors": errors, "distinct": len({path for *_, path, _ in results})}


def measure_pages(store: Path, clients: int = 32, seconds: float = 60, *, processes: int | None = None,
                  client: str | None = None, extra_seconds: float | None = None) -> dict:
    """Goal and person pages (and the baseline, home and search) under `clients` concurrent clients."""
    store = Path(store)
    paths = store_paths(store)
    client = client or ("wrk" if ensure_wrk() else "python")
    extra = extra_seconds if extra_seconds is not None else max(5.0, seconds / 4)
    folder = Path(tempfile.mkdtemp(prefix="kasograph-pages-"))
    # Without the saved questions' warm-up: it is the first process's background work for the first seconds
    # (or minutes, at millions of triples), which would fall on the first rows and not on the others.
    options = ("--no-warm-up",) if _serve_has("--no-warm-up") else ()
    server = Server(store, processes, folder / "serve.log", options)
    rows = []
    try:
        server.wait_for(paths["goal"][0] if paths["goal"] else "/")
        # The home page and the search index are made once per server process and version of the data (seconds
        # at millions of triples): those rows start once every process has made them (warm_up_s, not counted).
        plan = [("favicon (baseline)", ["/favicon.ico"], extra, False), ("goal", paths["goal"], seconds, False),
                ("person", paths["person"], seconds, False),
                ("goal .ttl", [p.removesuffix(".html") + ".ttl" for p in paths["goal"]], extra, False),
                ("person .ttl", [p.removesuffix(".html") + ".ttl" for p in paths["person"]], extra, False),
                ("home", ["/"], extra, True),
                ("search", ["/search.html?" + urllib.parse.urlencode({"q": q}) for q in SEARCHES], extra, True)]
        for name, listed, duration, warm in plan:
            if listed:
                warm_up = server.warm(listed) if warm else 0.0
                rows.append(load_row(server.base, name, listed, clients, duration, client, folder, server))
                rows[-1]["warm_up_s"] = round(warm_up, 1)
        memory = server.memory()
    finally:
        server.stop()
    rows += made_rows(store, paths, processes, options, clients, seconds, extra, client, folder)
    if client == "wrk":
        rows += describe_rows(store, paths, clients, seconds, folder)
    triples = store_triples(store)
    return {"triples": triples, "goals": len(paths["goal"]), "persons": len(paths["person"]), "clients": clients,
            "seconds": seconds, "client": client, "processes": processes, "serve_options": list(options), "rows": rows, "memory_after_load": memory,
            "mib_per_million_triples_after_load": round(memory["total_mib"] / (triples / 1e6), 1) if triples else None,
            "machine": machine()}


def made_rows(store: Path, paths: dict[str, list[str]], processes: int | None, options: tuple[str, ...], clients: int,
              seconds: float, extra: float, client: str, folder: Path) -> list[dict]:
    """Goal, person and search pages from a server that keeps no page: what every page costs to make."""
    if not _has_setting("PAGE_CACHE_BYTES"):
        return []
    server = Server(store, processes, folder / "serve-made.log", (*options, "--setting", "PAGE_CACHE_BYTES", "0"))
    rows = []
    try:
        server.wait_for(paths["goal"][0] if paths["goal"] else "/")
        searches = ["/search.html?" + urllib.parse.urlencode({"q": q}) for q in SEARCHES]
        for name, listed, duration, warm in (("goal (made)", paths["goal"], seconds, False),
                                             ("person (made)", paths["person"], seconds, False),
                                             ("search (made)", searches, extra, True)):
            if listed:
                warm_up = server.warm(listed) if warm else 0.0
                rows.append(load_row(server.base, name, listed, clients, duration, client, folder, server))
                rows[-1]["warm_up_s"] = round(warm_up, 1)
    finally:
        server.stop()
    return rows


def _has_setting(name: str) -> bool:
    try:
        from kasograph_web.settings import SETTINGS
    except ImportError:
        return False
    return name in SETTINGS


def describe_rows(store: Path, paths: dict[str, list[str]], clients: int, seconds: float, folder: Path) -> list[dict]:
    """What a user could run instead, under the same load: the same goals and persons as `DESCRIBE` (Turtle)
    from an Oxigraph server holding the same quads (oxigraph serve, loaded by one bulk POST to its /store)."""
    from kasograph.namespaces import DEFAULT_BASE

    from .importing import dump_quads
    from .remote import OxigraphServer

    nquads = folder / "store.nq"
    dump_quads(store, nquads)
    oxigraph = OxigraphServer(folder / "oxigraph")
    try:
        request = urllib.request.Request(f"{oxigraph.url}/store", data=nquads.read_bytes(), method="POST",
                                         headers={"Content-Type": "application/n-quads"})
        urllib.request.urlopen(request, timeout=3600).read()
        rows = []
        for kind in ("goal", "person"):
            queries = ["/query?" + urllib.parse.urlencode({"query": f"DESCRIBE <{DEFAULT_BASE}{p[1:].removesuffix('.html')}>"})
                       for p in paths[kind]]
            rows.append(load_row(oxigraph.url, f"{kind} DESCRIBE (oxigraph)", queries, clients, seconds, "wrk", folder,
                                 accept="text/turtle"))
        return rows
    finally:
        oxigraph.stop()
        nquads.unlink(missing_ok=True)


def anchors(rows: list[dict]) -> list[str]:
    """Each page's and Turtle's p99 ÷ the engine's DESCRIBE p99 of the same resources (the Turtle's target: ≤ 3×)."""
    by_name = {row["page"]: row for row in rows}
    lines = []
    for kind in ("goal", "person"):
        engine = by_name.get(f"{kind} DESCRIBE (oxigraph)")
        if not engine or not engine["p99_ms"]:
            continue
        for name in (kind, f"{kind} .ttl"):
            if name in by_name:
                lines.append(f"{name}: p99 {by_name[name]['p99_ms']} ms = {by_name[name]['p99_ms'] / engine['p99_ms']:.1f}× "
                             f"Oxigraph server's DESCRIBE ({engine['p99_ms']} ms)")
    return lines


def machine() -> dict:
    import pyoxigraph

    return {"machine": platform.machine(), "cores": os.cpu_count(), "python": platform.python_version(),
            "pyoxigraph": pyoxigraph.__version__, "load_average": [round(x, 2) for x in os.getloadavg()]}


# Report -----------------------------------------------------------------------------------------
def report(cold: dict | None, pages: dict | None) -> str:
    lines = []
    if cold:
        m = cold["memory"]
        lines += [f"store: {cold['triples']:,} triples",
                  f"cold start: first goal page after {cold['ready_s']} s, then the home page in {cold['first_home_s']} s "
                  f"(load average {cold['load_average']})",
                  f"memory (PSS): {m['server_processes']} server process(es) {m['server_mib']} MiB + {m['worker_processes']} "
                  f"query worker process(es) {m['workers_mib']} MiB = {m['total_mib']} MiB, of it {m['total_anon_mib']} MiB "
                  f"the processes' own (the rest is the store's files and libraries mapped; RSS {m['total_rss_mib']} MiB); "
                  f"{cold['mib_per_million_triples']} MiB ({cold['anon_mib_per_million_triples']} MiB own) per million triples; "
                  f"at the first page, before any query: {cold['memory_at_ready']['total_mib']} MiB"]
    if pages:
        lines.append(f"\n{pages['clients']} clients (closed loop, one kept-alive connection each), {pages['client']}; "
                     f"pages drawn at random from {pages['goals']:,} goals and {pages['persons']:,} persons")
        lines.append(f"{'page':20} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7} "
                     f"{'distinct':>9} {'server CPU ms/req':>18} {'client CPU ms/req':>18} {'load avg':>9}")
        for row in pages["rows"]:
            shown = {k: ("-" if v is None else v) for k, v in row.items()}
            lines.append(f"{row['page']:20} {row['requests']:>9,} {shown['requests_per_second']:>8} {shown['p50_ms']:>8} "
                         f"{shown['p99_ms']:>8} {shown['max_ms']:>8} {row['errors']:>7} {row['distinct']:>9,} "
                         f"{shown.get('server_cpu_ms_per_request', '-'):>18} {shown['client_cpu_ms_per_request']:>18} "
                         f"{row['load_average_before']:>9}")
        lines += anchors(pages["rows"])
        m = pages["memory_after_load"]
        lines.append(f"memory (PSS) after the load: {m['total_mib']} MiB in {m['server_processes']} server process(es), "
                     f"{m['total_anon_mib']} MiB their own (no query workers: pages ask none; RSS {m['total_rss_mib']} MiB), "
                     f"{pages['mib_per_million_triples_after_load']} MiB per million triples")
        lines.append(f"machine: {pages['machine']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--python-client"]:  # the load generator's own process (see load_row)
        base, listing, clients, seconds = argv[1], Path(argv[2]), int(argv[3]), float(argv[4])
        print("RESULT " + json.dumps(python_client(base, listing, clients, seconds)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True, type=Path, help="a store directory (kasograph --store DIR import …)")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60, help="seconds of load for goal and for person pages")
    parser.add_argument("--extra-seconds", type=float, help="seconds for the baseline, home and search rows [default: a quarter]")
    parser.add_argument("--processes", type=int, help="kasograph serve --processes [default: serve's own]")
    parser.add_argument("--client", choices=["wrk", "python"], help="load generator [default: wrk, installed if missing]")
    parser.add_argument("--no-load", action="store_true", help="cold start and memory only")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    cold = measure_cold_start(args.store, args.processes)
    print(report(cold, None), flush=True)
    pages = None if args.no_load else measure_pages(args.store, args.clients, args.seconds, processes=args.processes,
                                                     client=args.client, extra_seconds=args.extra_seconds)
    if args.json:  # before the report, so that the figures survive whatever the report does
        args.json.write_text(json.dumps({"cold_start": cold, "pages": pages}, indent=2) + "\n", encoding="utf-8")
    if pages:
        print(report(None, pages))
    failed = pages is not None and any(row["errors"] or not row["requests"] for row in pages["rows"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""The suite against a SPARQL server as the store: a real Oxigraph server (`oxigraph serve`).

    python -m benchmarks --size 100k --remote            # starts a server on a fresh folder
    python -m benchmarks --size 100k --store http://127.0.0.1:7878   # an existing server

Import: `kasograph --store URL import TABLES` (read, build and validate on this machine, then
each document stored with one PUT and one SPARQL update: see kasograph.store.remote), timed with the
CPU time of the kasograph command and of the server; the baseline is the same quads (the local
store of the size, dumped as N-Quads: the documents' graphs, the vocabulary and the union) POSTed
to the /store of a second, empty Oxigraph server in one request, the server's bulk path.
Questions: `benchmarks.sparql.measure_questions` on the URL, whose baseline is the same query
sent straight to the server's /query.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from .common import rounded, store_triples
from .importing import dump_quads

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def oxigraph_binary() -> str | None:
    """The server of the `oxigraph` package (beside this Python), or one on the PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def process_cpu_s(pid: int) -> float | None:
    """User + system CPU seconds a running process has used (Linux /proc), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    except (OSError, IndexError, ValueError):
        return None


class OxigraphServer:
    """`oxigraph serve` on a free port with its data in a folder of its own; stopped by `stop`."""

    def __init__(self, folder: Path, startup_limit: float = 60):
        from .sparql import free_port

        binary = oxigraph_binary()
        if binary is None:
            raise RuntimeError("the Oxigraph server is not installed (pip install oxigraph)")
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.log = (folder / "log.txt").open("w", encoding="utf-8")
        self.process = subprocess.Popen([binary, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self._wait(startup_limit)

    def _wait(self, seconds: float) -> None:
        ready = f"{self.url}/query?{urllib.parse.urlencode({'query': 'ASK {}'})}"
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(ready, timeout=2) as response:
                    if response.headers.get("Server", "").startswith("Oxigraph"):
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"oxigraph serve did not answer within {seconds:g} s")

    def cpu_s(self) -> float | None:
        return process_cpu_s(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()


def run_timed(command: list[str], limit: float) -> dict:
    """Run a command to its end (killed at `limit` seconds): wall seconds, its CPU seconds, its exit code."""
    import threading

    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            process.kill()

        timer = threading.Timer(limit, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)  # the child's own CPU time comes with it
        finally:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "exit_code": process.returncode,
            "killed_at_limit": killed.is_set(), "output": text[-2000:]}


def server_documents(url: str) -> int:
    """How many documents the server's catalogue lists (0 for an empty server)."""
    from kasograph.store.remote import open_remote

    return len(open_remote(url).manifest().documents)


def measure_remote_import(url: str, server_pid_cpu, tables: Path, local_store: Path, scratch: Path, limit: float) -> dict:
    """`kasograph --store URL import TABLES` into the server, and the baseline bulk POST into an empty one."""
    triples = store_triples(local_store)
    before = server_pid_cpu()
    imported = run_timed([sys.executable, "-m", "kasograph", "--store", url, "import", str(tables), "-q"], limit)
    after = server_pid_cpu()
    documents = server_documents(url)
    nquads = scratch / "remote-baseline.nq"
    quads = dump_quads(local_store, nquads)
    baseline = OxigraphServer(scratch / "baseline-server")
    try:
        cpu = baseline.cpu_s()
        started = time.perf_counter()
        request = urllib.request.Request(f"{baseline.url}/store", data=nquads.read_bytes(), method="POST",
                                         headers={"Content-Type": "application/n-quads"})
        with urllib.request.urlopen(request, timeout=max(600, limit)) as response:
            response.read()
        baseline_s = time.perf_counter() - started
        baseline_cpu = (baseline.cpu_s() or 0) - (cpu or 0)
    finally:
        baseline.stop()
        nquads.unlink(missing_ok=True)
    wall = imported["wall_s"]
    return {"documents_stored": documents, "triples": triples, "quads_loaded_by_baseline": quads,
            "wall_s": rounded(wall), "kasograph_cpu_s": rounded(imported["cpu_s"]),
            "server_cpu_s": rounded(after - before) if before is not None and after is not None else None,
            "exit_code": imported["exit_code"], "killed_at_limit": imported["killed_at_limit"],
            "output_tail": imported["output"] if imported["exit_code"] else "",
            "triples_per_s": round(triples / wall) if not imported["killed_at_limit"] else None,
            "baseline_wall_s": rounded(baseline_s), "baseline_server_cpu_s": rounded(baseline_cpu),
            "ratio_wall": rounded(wall / baseline_s, 2) if baseline_s else None}


def print_remote_import(row: dict) -> None:
    status = (f"killed at the limit after {row['wall_s']:.0f} s with {row['documents_stored']:,} documents stored"
              if row["killed_at_limit"] else f"{row['wall_s']:.2f} s, {row['triples_per_s']:,} triples/s")
    server = f", server CPU {row['server_cpu_s']} s" if row["server_cpu_s"] is not None else ""
    print(f"    kasograph import into the server: {status} (kasograph CPU {row['kasograph_cpu_s']} s{server}); baseline: the same {row['quads_loaded_by_baseline']:,} quads POSTed to "
          f"an empty server's /store in {row['baseline_wall_s']:.2f} s; ratio {row['ratio_wall']}×", flush=True)


def scratch_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="kasograph-remote-bench-"))

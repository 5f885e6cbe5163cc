"""Starting real servers for integration tests: on a free port of 127.0.0.1, stopped afterwards."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(url: str, ready: Callable, process: subprocess.Popen, log: Path, seconds: float = 20) -> None:
    """Poll `url` until `ready(response)` holds — so that another program on the port cannot pass for ours."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{process.args[:4]} exited with {process.returncode}:\n{log.read_text(encoding='utf-8')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if ready(response):
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    pytest.fail(f"{process.args[:4]} did not answer at {url} within {seconds} s:\n{log.read_text(encoding='utf-8')}")


def wait_for_kasograph(url: str, process: subprocess.Popen, log: Path, seconds: float = 20) -> None:
    """Wait until our own server answers (waitress says `Server: kasograph`)."""
    wait_until(url, lambda response: response.headers.get("Server") == "kasograph", process, log, seconds)


@contextlib.contextmanager
def running(command: list[str], log: Path, ready_url: str, ready: Callable):
    """Run `command` (its output to `log`) until the block ends; yield once `ready_url` is ready."""
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until(ready_url, ready, process, log)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextlib.contextmanager
def kasograph_server(log: Path, *options: str):
    """`kasograph serve OPTIONS` on a free port; yields its base URL (no trailing slash)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "kasograph", "serve", "--host", "127.0.0.1", "--port", str(port), *options]
    with running(command, log, base + "/", lambda response: response.headers.get("Server") == "kasograph"):
        yield base


class Listener:
    """A TCP listener on 127.0.0.1 that counts every connection made to it, whatever is sent.

    The witness of the no-fetch tests: point IRIs, contexts and SERVICE calls at `url` and
    assert that `connections` stays empty. It answers nothing (it closes each connection
    after reading what arrives), so a client that did connect gets an error, never data."""

    def __init__(self) -> None:
        import threading

        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(128)
        self.socket.settimeout(0.05)
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections: list[bytes] = []  # the first bytes each connection sent
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            with connection:
                connection.settimeout(1)
                try:
                    self.connections.append(connection.recv(4096))
                except OSError:
                    self.connections.append(b"")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.socket.close()


@pytest.fixture
def listener():
    """A fresh counting Listener for one test."""
    witness = Listener()
    yield witness
    witness.close()


VIRTUOSO_FILES = Path(__file__).parent / "fixtures" / "virtuoso"
ENGINES = ("oxigraph", "virtuoso")


def oxigraph_binary() -> str | None:
    """The `oxigraph` command of the test extra (PyPI's oxigraph package), beside this Python or on PATH."""
    import shutil

    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def virtuoso_binary() -> str | None:
    """Debian's Virtuoso (package virtuoso-opensource-7-bin, which scripts/test installs)."""
    import shutil

    return shutil.which("virtuoso-t")


class SparqlServer:
    """A real SPARQL server for the remote-store tests, with its database in `folder` on fixed free ports of
    127.0.0.1, so that it can be stopped (or killed) and started again on the same data: `oxigraph serve`
    (kasograph's location for it is its bare URL) or Debian's Virtuoso (a settings file,
    tests/fixtures/virtuoso, its anonymous SPARQL user allowed to write by grants.sql)."""

    def __init__(self, engine: str, folder: Path, timeout: int = 5):
        binary = oxigraph_binary() if engine == "oxigraph" else virtuoso_binary()
        if binary is None:
            pytest.fail(f"{engine} is not installed: scripts/test installs it (oxigraph from PyPI, virtuoso-opensource-7-bin)")
        self.engine, self.folder, self.binary = engine, folder, binary
        self.port, self.sql_port = free_port(), free_port()
        folder.mkdir(parents=True, exist_ok=True)
        self.process: subprocess.Popen | None = None
        if engine == "oxigraph":
            self.location = f"http://127.0.0.1:{self.port}"
            self.command = [binary, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{self.port}",
                            "--timeout-s", str(timeout)]
            self.ready = (f"{self.location}/query?query=ASK%7B%7D", lambda r: r.headers.get("Server", "").startswith("Oxigraph"))
        else:
            for name in ("virtuoso.ini", "store.toml"):
                text = (VIRTUOSO_FILES / name).read_text(encoding="utf-8")
                text = text.replace("{sql_port}", str(self.sql_port)).replace("{http_port}", str(self.port))
                (folder / name).write_text(text.replace("{timeout}", str(timeout)), encoding="utf-8")
            self.location = str(folder / "store.toml")
            self.command = [binary, "-f", "-c", "virtuoso.ini"]
            self.ready = (f"http://127.0.0.1:{self.port}/sparql?query=ASK%7B%7D", lambda r: r.status == 200)
        self.granted = False

    def start(self) -> None:
        log = self.folder / "server.log"
        with log.open("a", encoding="utf-8") as out:
            self.process = subprocess.Popen(self.command, cwd=self.folder, stdout=out, stderr=subprocess.STDOUT)
        url, ready = self.ready
        wait_until(url, ready, self.process, log, seconds=60)
        if self.engine == "virtuoso" and not self.granted:
            subprocess.run(["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", str(VIRTUOSO_FILES / "grants.sql")],
                           check=True, capture_output=True, timeout=60)
            self.granted = True

    def stop(self, *, kill: bool = False) -> None:
        """Stop the server: politely, or with SIGKILL (as a crash or the power going would)."""
        if self.process is None:
            return
        if kill:
            self.process.kill()
        else:
            self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


@contextlib.contextmanager
def sparql_server(engine: str, folder: Path, timeout: int = 5):
    """A started SparqlServer, stopped at the end."""
    server = SparqlServer(engine, folder, timeout)
    server.start()
    try:
        yield server
    finally:
        server.stop()

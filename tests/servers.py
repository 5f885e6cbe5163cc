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

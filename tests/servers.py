"""Starting real servers for integration tests: on a free port of 127.0.0.1, stopped afterwards."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_kasograph(url: str, process: subprocess.Popen, log: Path, seconds: float = 20) -> None:
    """Poll `url` until our own server answers (waitress says `Server: kasograph`), or fail with its log."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"kasograph serve exited with {process.returncode}:\n{log.read_text(encoding='utf-8')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.headers.get("Server") == "kasograph":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    pytest.fail(f"kasograph serve did not answer at {url} within {seconds} s:\n{log.read_text(encoding='utf-8')}")


@contextlib.contextmanager
def kasograph_server(log: Path, *options: str):
    """`kasograph serve OPTIONS` on a free port; yields its base URL (no trailing slash)."""
    port = free_port()
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen([sys.executable, "-m", "kasograph", "serve", "--host", "127.0.0.1", "--port", str(port), *options],
                                   stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_kasograph(base + "/", process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

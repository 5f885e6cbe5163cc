"""`kasograph serve` in several processes: they share the port, one that dies is replaced, all stop together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from kasograph_web.serving import default_processes

from .servers import free_port, wait_for_kasograph

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="several processes need fork (POSIX)")


def server_processes(pid: int) -> list[int]:
    """The processes `pid` forked that serve (not the query workers multiprocessing spawns)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                command = (entry / "cmdline").read_bytes()
            except (OSError, IndexError, ValueError):
                continue
            if parent == pid and b"multiprocessing" not in command:
                found.append(int(entry.name))
    return sorted(found)


def wait_for(condition, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail("the condition did not come true in time")


def test_one_process_per_core_at_most_four():
    assert 1 <= default_processes() <= 4


def test_processes_share_the_port_are_replaced_and_stop_together(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen([sys.executable, "-m", "kasograph", "serve", "--host", "127.0.0.1", "--port", str(port),
                                    "--processes", "2"], stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_kasograph(base + "/", process, log)
        first = wait_for(lambda: (found := server_processes(process.pid)) and len(found) == 2 and found)
        for _ in range(20):  # whichever process takes a connection, the answer is the same
            with urllib.request.urlopen(base + "/goal/vantaa-kaso-2021/mielenterveysosaaminen.html", timeout=10) as response:
                assert response.status == 200 and response.headers["Server"] == "kasograph"
        os.kill(first[0], signal.SIGKILL)
        replaced = wait_for(lambda: (found := server_processes(process.pid)) and len(found) == 2 and first[0] not in found and found)
        assert first[1] in replaced
        with urllib.request.urlopen(base + "/", timeout=10) as response:
            assert response.status == 200
        assert "starting another" in log.read_text(encoding="utf-8")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
        assert not any(Path(f"/proc/{pid}").exists() for pid in replaced)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def test_data_that_cannot_be_served_stops_every_process(tmp_path):
    done = subprocess.run([sys.executable, "-m", "kasograph", "serve", "--port", str(free_port()), "--processes", "2",
                           "--data", str(tmp_path / "missing.ttl")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "error:" in done.stderr and "missing.ttl" in done.stderr

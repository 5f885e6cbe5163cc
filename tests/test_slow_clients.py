"""`kasograph serve` against one hostile client holding 1,000 connections that send little or nothing.

The attacker connects from 127.0.0.2 (Linux routes all of 127/8 to the loopback), the honest client
from 127.0.0.1, to a real server. With waitress's defaults (100 connections per process, no deadline
before its 120 s of silence, a byte now and then keeping a connection forever) no page was answered
while the attacker held ~200 connections; each test here failed so."""

from __future__ import annotations

import contextlib
import resource
import selectors
import socket
import time
import urllib.request
from collections.abc import Iterator

import pytest
from kasograph_web.serving import Limits, default_processes

from kasograph.cli import main

from .servers import kasograph_server

ATTACKER = "127.0.0.2"
CONNECTIONS = 1000
PAST_SELECT = 1100  # more files than select() can watch (1024) in one process
GOAL = "/goal/vantaa-kaso-2021/mielenterveysosaaminen.html"
HALF_HEADER = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow\r\n"
UNSENT_BODY = (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
               b"Content-Length: 100000\r\n\r\nSELECT")


def _can_be_attacker() -> bool:
    with socket.socket() as s:
        try:
            s.bind((ATTACKER, 0))
        except OSError:
            return False
    return True


def _enough_files(wanted: int = PAST_SELECT + 256) -> bool:
    """Raise this process's soft open-files limit so that it can hold the attacker's connections."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted and (hard == resource.RLIM_INFINITY or hard >= wanted):
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
        soft = wanted
    return soft >= wanted


pytestmark = [pytest.mark.skipif(not _can_be_attacker(), reason=f"needs {ATTACKER} on the loopback (Linux)"),
              pytest.mark.skipif(not _enough_files(), reason=f"the open-files hard limit is below {PAST_SELECT + 256}")]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """`kasograph serve` with its default limits."""
    with kasograph_server(tmp_path_factory.mktemp("slow") / "serve.log") as base:
        yield base


@pytest.fixture(scope="module")
def proxied(tmp_path_factory) -> Iterator[str]:
    """One server process as behind a reverse proxy: no per-client cap, as every connection comes from the proxy."""
    options = ("--max-client-connections", "0", "--processes", "1")
    with kasograph_server(tmp_path_factory.mktemp("proxied") / "serve.log", *options) as base:
        yield base


def answered_in(url: str) -> float:
    """Seconds until the page has been read whole (a timeout fails the test)."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=3) as response:
        response.read()
        assert response.status == 200 and response.headers["Server"] == "kasograph"
    return time.perf_counter() - started


def assert_pages_answered(base: str) -> None:
    for path in ("/", GOAL):
        assert answered_in(base + path) < 1.0, path


@contextlib.contextmanager
def hostile(base: str, first: bytes, count: int = CONNECTIONS, source: str = ATTACKER) -> Iterator[list[socket.socket]]:
    """`count` connections from `source` that each send `first`, then nothing; closed afterwards."""
    port = int(base.rsplit(":", 1)[1])
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            s = socket.socket()
            sockets.append(s)
            s.setblocking(False)
            s.bind((source, 0))
            s.connect_ex(("127.0.0.1", port))
        _wait_connected(sockets)
        for s in sockets:
            send(s, first)
        time.sleep(0.5)  # the server takes them in
        yield sockets
    finally:
        for s in sockets:
            s.close()


def _wait_connected(sockets: list[socket.socket], seconds: float = 10.0) -> None:
    with selectors.DefaultSelector() as waiting:  # select() cannot watch past 1024 files
        for s in sockets:
            waiting.register(s, selectors.EVENT_WRITE)
        deadline = time.monotonic() + seconds
        while waiting.get_map() and time.monotonic() < deadline:
            for key, _ in waiting.select(0.2):
                waiting.unregister(key.fileobj)


def send(s: socket.socket, data: bytes) -> None:
    try:
        s.send(data)
    except OSError:
        pass  # the server closed it: over the client's share, or late


def closed_by_server(s: socket.socket) -> bool:
    try:
        return s.recv(1, socket.MSG_PEEK) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def test_pages_are_answered_while_one_client_holds_1000_half_sent_requests(server):
    answered_in(server + "/")  # the page is warm: what is measured is the wait
    with hostile(server, HALF_HEADER):
        assert_pages_answered(server)


def test_pages_are_answered_while_1000_connections_trickle_their_headers(server):
    with hostile(server, b"GET / HTTP/1.1\r\n") as sockets:
        for _ in range(3):  # a byte on every connection, each round: waitress's own timeout never comes
            for s in sockets:
                send(s, b"X")
            assert_pages_answered(server)
            time.sleep(0.3)


def test_pages_are_answered_while_1000_bodies_are_announced_and_never_sent(server):
    with hostile(server, UNSENT_BODY):
        assert_pages_answered(server)


def test_one_address_holds_at_most_its_share(server):
    share = Limits().per_client * default_processes()
    with hostile(server, HALF_HEADER) as sockets:
        time.sleep(0.5)
        held = sum(not closed_by_server(s) for s in sockets)
    assert 0 < held <= share


def test_behind_a_proxy_1100_connections_from_its_own_address_leave_room(proxied):
    """Past select()'s 1,024 files in one process, which select() would have stopped with a ValueError."""
    with hostile(proxied, HALF_HEADER, count=PAST_SELECT, source="127.0.0.1") as sockets:
        assert_pages_answered(proxied)
        assert not any(closed_by_server(s) for s in sockets)  # no cap: all of them held


def test_requests_that_do_not_arrive_in_time_are_closed(tmp_path):
    options = ("--header-timeout", "1", "--body-timeout", "1", "--idle-timeout", "1")
    with kasograph_server(tmp_path / "serve.log", *options) as base:
        kinds = {"silent": b"", "half header": HALF_HEADER, "trickled header": b"GET / HTTP/1.1\r\n",
                 "unsent body": UNSENT_BODY, "trickled body": UNSENT_BODY}
        with hostile(base, b"", count=len(kinds)) as sockets:
            connections = dict(zip(kinds, sockets))
            for name, data in kinds.items():
                send(connections[name], data)
            deadline = time.monotonic() + 8
            while time.monotonic() < deadline and not all(closed_by_server(s) for s in sockets):
                for name in ("trickled header", "trickled body"):  # a byte every 0.2 s: never quiet
                    send(connections[name], b"X")
                time.sleep(0.2)
            assert [name for name, s in connections.items() if not closed_by_server(s)] == []
        assert_pages_answered(base)


def test_the_options_defaults_are_the_limits_defaults():
    defaults = {param.name: param.default for param in main.commands["serve"].params}
    limits = Limits()
    assert (defaults["max_connections"], defaults["max_client_connections"], defaults["header_timeout"],
            defaults["body_timeout"], defaults["idle_timeout"]) == (
        limits.connections, limits.per_client, limits.header_seconds, limits.body_seconds, limits.idle_seconds)

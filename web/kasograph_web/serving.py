"""Serving the viewer with waitress: in this process, or in several processes that share one socket.

A page is Python from end to end (Flask, the page's queries and their results, Jinja), and
Python runs one thread at a time per process: one process keeps one core busy, however many
threads it has. On POSIX `serve` therefore forks `processes` copies of the server after binding
the socket; the kernel hands each new connection to whichever process accepts it first, so a
busy process takes fewer. Each process opens the store itself, read-only (a generation is never
written after it is published, so they can share it), and the parent only watches: a process that
dies is started again. Windows has no fork: one process there.

waitress in every case, so that every process answers alike (same limits, same headers) and GET
queries keep waitress's large request lines, which a SPARQL query in the address may need.

waitress keeps a connection for as long as its client sends a byte now and then, and by default
takes 100 per process: one client holding that many half-sent requests stopped the site for
everyone. `Limits` therefore lets each process hold thousands (poll(), not select(), which stops at
1024 files), caps what one client address may take, and closes requests whose headers or body
do not arrive in time (SECURITY.md: slow clients).
"""

from __future__ import annotations

import dataclasses
import ipaddress
import logging
import os
import select
import signal
import socket
import sys
import time
from collections import Counter
from collections.abc import Callable

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import MultiSocketServer, TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher

#: A process that exits with this status could not build the app (bad data, a store it cannot
#: open): starting it again would fail again, so the server stops with it.
CANNOT_START = 3
#: A process that dies sooner than this after it started counts as failing to start.
QUICK_DEATH_S = 2.0
MAX_QUICK_DEATHS = 5
#: Files a process keeps open besides its connections (the store, query workers' pipes, logs, temp files).
SPARE_FILES = 256
#: Sockets select() can watch on Windows, which has no poll().
SELECT_LIMIT = 500
#: Connections accepted at most in one turn of waitress's loop.
ACCEPT_BATCH = 64


@dataclasses.dataclass(frozen=True)
class Limits:
    """What clients may hold of each server process; `kasograph serve` has an option for each."""

    connections: int = 4000  # open connections (waitress's connection_limit: 100); more wait in the kernel's queue
    per_client: int = 200  # of those, from one address (an IPv6 /64); 0: no cap (behind a proxy all are its own)
    header_seconds: float = 20.0  # for a request line and headers to arrive, from their first byte
    body_seconds: float = 60.0  # for a body to arrive, from the end of its headers
    idle_seconds: int = 60  # a connection with no request under way is closed after this (channel_timeout)

    def adjustments(self) -> dict[str, object]:
        """waitress's settings for these limits."""
        return {"connection_limit": self.connections, "channel_timeout": self.idle_seconds,
                "cleanup_interval": 1,  # deadlines are checked when waitress cleans up: every second
                "asyncore_use_poll": hasattr(select, "poll")}  # select() watches at most 1024 files


class CannotStart(Exception):
    """`make_app` could not build the app (it has said why): the server does not start."""


def default_processes() -> int:
    """One per core this process may run on, at most 4 (each holds its own caches); 1 without fork."""
    if not hasattr(os, "fork"):
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


def bind(host: str, port: int, backlog: int = 1024) -> socket.socket:
    """A listening TCP socket for `host`, as waitress itself would bind it."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6 and hasattr(socket, "IPPROTO_IPV6"):
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    sock.bind(address)
    sock.listen(backlog)
    return sock


def fit_open_files(limits: Limits, say: Callable[[str], None] = lambda _: None) -> Limits:
    """`limits` with as many connections as this process may open files for, after raising its soft
    RLIMIT_NOFILE (up to the hard one): past the limit accept() fails and waitress stops accepting."""
    try:
        import resource
    except ImportError:  # Windows: no such limit, but select() instead of poll()
        return dataclasses.replace(limits, connections=min(limits.connections, SELECT_LIMIT))
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = limits.connections + SPARE_FILES
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if wanted > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):  # macOS refuses more than its own OPEN_MAX
            pass
    connections = max(1, min(limits.connections, soft - SPARE_FILES))
    if connections < limits.connections:
        say(f"{soft} open files allowed: at most {connections} connections per process")
    return dataclasses.replace(limits, connections=connections)


def client_of(address: tuple) -> str:
    """Whose connection it is: the client's IP address; for IPv6 its /64, as one host is often given a whole /64."""
    ip = ipaddress.ip_address(address[0].split("%")[0])
    return str(ipaddress.ip_network(f"{ip}/64", strict=False) if ip.version == 6 else ip)


class _Request(HTTPRequestParser):
    """waitress's request parser, which also notes when the request began and when its headers ended."""

    def __init__(self, adj: Adjustments) -> None:
        super().__init__(adj)
        self.began = time.monotonic()  # a parser is made when the request's first bytes arrive
        self.headers_ended: float | None = None

    def received(self, data: bytes) -> int:
        consumed = super().received(data)
        if self.headers_ended is None and self.headers_finished:
            self.headers_ended = time.monotonic()
        return consumed

    def postpone(self, now: float) -> None:
        """Its client waits for the answer to an earlier request (pipelining): that time is not its own."""
        if self.headers_ended is None:
            self.began = now
        else:
            self.headers_ended = now

    def late(self, now: float, limits: Limits) -> bool:
        """Still arriving after its deadline (waitress's own timeout counts from the last byte, not the first)."""
        if self.completed:
            return False
        if self.headers_ended is None:
            return now - self.began > limits.header_seconds
        return now - self.headers_ended > limits.body_seconds


class _Channel(HTTPChannel):
    """A connection, counted against its client's share of the process's connections."""

    parser_class = _Request
    client: str | None = None

    def __init__(self, server: _Server, sock: socket.socket, addr: tuple, adj: Adjustments, map=None) -> None:
        super().__init__(server, sock, addr, adj, map)
        self.client = client_of(addr)
        if not server.admit(self.client):
            self.handle_close()  # closed before a byte is read: the client keeps the connections it has

    def del_channel(self, map=None) -> None:
        super().del_channel(map)
        if self.client is not None:
            self.server.leave(self.client)
            self.client = None


class _Server(TcpWSGIServer):
    """waitress's TCP server, with a cap per client and deadlines for requests."""

    channel_class = _Channel

    def __init__(self, *args, limits: Limits, **kwargs) -> None:
        self.limits = limits
        self.clients: Counter[str] = Counter()  # open connections per client
        self.refused = 0  # connections closed over the per-client cap since the last cleanup
        self.accepted = False  # whether the last accept() found a connection
        super().__init__(*args, **kwargs)

    def handle_accept(self) -> None:
        """Accept up to ACCEPT_BATCH waiting connections, not one: every turn of waitress's loop polls
        every open connection, so one a turn made a burst of N connections cost N² (3,000: 2.6 s)."""
        for _ in range(ACCEPT_BATCH):
            self.accepted = False
            super().handle_accept()
            if not self.accepted or len(self._map) >= self.adj.connection_limit:
                break

    def accept(self) -> tuple[socket.socket, tuple] | None:
        pair = super().accept()
        self.accepted = pair is not None  # None: no connection waiting
        return pair

    def admit(self, client: str) -> bool:
        """Count a new connection of `client`; False if it is over the client's share."""
        self.clients[client] += 1
        if self.limits.per_client and self.clients[client] > self.limits.per_client:
            self.refused += 1
            return False
        return True

    def leave(self, client: str) -> None:
        self.clients[client] -= 1
        if self.clients[client] <= 0:
            del self.clients[client]

    def maintenance(self, now: float) -> None:
        super().maintenance(now)  # waitress closes connections idle for channel_timeout
        clock = time.monotonic()
        for channel in self.active_channels.values():
            request = channel.request  # the request being received, if any
            if not isinstance(request, _Request):
                continue
            if channel.requests:
                request.postpone(clock)
            elif request.late(clock, self.limits):
                channel.will_close = True  # closed without an answer, as when its client goes away
        if self.refused:
            self.logger.warning(f"closed {self.refused} new connections of clients that had {self.limits.per_client} "
                                f"open in this process already")
            self.refused = 0


def run(app: object, limits: Limits, threads: int, **where: object) -> None:
    """waitress.serve(app, **where) with our server class: the same settings, log line and loop."""
    adj = Adjustments(threads=threads, ident="kasograph", **limits.adjustments(), **where)
    sockets: dict = {}
    dispatcher = ThreadedTaskDispatcher()
    dispatcher.set_thread_count(adj.threads)
    common = {"map": sockets, "dispatcher": dispatcher, "adj": adj, "limits": limits}
    servers = ([_Server(app, _sock=s, bind_socket=False, sockinfo=(s.family, s.type, s.proto, s.getsockname()), **common)
                for s in adj.sockets]
               or [_Server(app, sockinfo=info, **common) for info in adj.listen])
    server = servers[0] if len(servers) == 1 else MultiSocketServer(
        sockets, adj, [(s.effective_host, s.effective_port) for s in servers], dispatcher, servers[0].log_info)
    logging.basicConfig()
    server.print_listen("Serving on http://{}:{}")
    server.run()


def serve(make_app: Callable[[int], object], host: str, port: int, *, threads: int = 8, processes: int = 1,
          limits: Limits = Limits(), say: Callable[[str], None] = lambda _: None,
          ready: Callable[[], None] = lambda: None) -> None:
    """Serve `make_app(index)`'s WSGI app on host:port with waitress, in `processes` processes.

    `make_app` is called in each process (index 0, 1, …) and raises CannotStart to refuse; with one
    process it is called here, so that the error reaches the caller. `ready` is called once the app is
    built (one process) or the socket bound (several); `say` tells what the parent process does."""
    limits = fit_open_files(limits, say)  # before fork: the processes inherit the raised limit
    if processes <= 1 or not hasattr(os, "fork"):
        app = make_app(0)
        ready()
        run(app, limits, threads, host=host, port=port)
        return
    sock = bind(host, port)  # bound once, before fork: every process accepts on the same socket
    ready()
    _Processes(make_app, sock, limits, threads, say).run(processes)


class _Processes:
    """The parent of several server processes: it starts them, starts again one that dies (unless it
    could not start at all, or they keep dying at start), and stops them all together."""

    def __init__(self, make_app: Callable[[int], object], sock: socket.socket, limits: Limits, threads: int,
                 say: Callable[[str], None]) -> None:
        self.make_app, self.sock, self.limits, self.threads, self.say = make_app, sock, limits, threads, say
        self.children: dict[int, tuple[int, float]] = {}  # pid → (index, started)
        self.stopping = False
        self.quick_deaths = 0

    def run(self, processes: int) -> None:
        previous = {s: signal.signal(s, self.stop) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            for index in range(processes):
                self.start(index)
            self.say(f"{processes} processes ({', '.join(str(p) for p in self.children)})")
            self.watch()
        finally:
            _reap(self.children)
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            self.sock.close()

    def start(self, index: int) -> None:
        pid = os.fork()
        if pid == 0:
            _child(self.make_app, index, self.sock, self.limits, self.threads)  # never returns
        self.children[pid] = (index, time.monotonic())

    def stop(self, signum, _frame) -> None:
        self.stopping = True
        for pid in list(self.children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def watch(self) -> None:
        """Until every process has ended: wait for one to end, and start another in its place."""
        while self.children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            if pid in self.children:  # not the app's own helpers, which are its children, not ours
                self.ended(pid, os.waitstatus_to_exitcode(status))

    def ended(self, pid: int, code: int) -> None:
        index, started = self.children.pop(pid)
        if self.stopping:
            return
        if code == CANNOT_START:
            self.give_up("a server process could not start: stopping")
        self.quick_deaths = self.quick_deaths + 1 if time.monotonic() - started < QUICK_DEATH_S else 0
        if self.quick_deaths >= MAX_QUICK_DEATHS:
            self.give_up(f"server processes keep dying at start (last status {code}): stopping")
        self.say(f"server process {pid} ended with status {code}: starting another")
        self.start(index)

    def give_up(self, message: str) -> None:
        self.say(message)
        self.stop(signal.SIGTERM, None)
        raise SystemExit(1)


def _child(make_app: Callable[[int], object], index: int, sock: socket.socket, limits: Limits, threads: int) -> None:
    """A forked server process: serve until told to stop, then exit with its status (never returns)."""
    code = 0
    try:
        signal.signal(signal.SIGTERM, _exit_on_signal)
        signal.signal(signal.SIGINT, _exit_on_signal)
        code = _build_and_run(make_app, index, sock, limits, threads)
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 0
    finally:
        import atexit

        atexit._run_exitfuncs()  # the query workers this process started (os._exit skips atexit)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _build_and_run(make_app: Callable[[int], object], index: int, sock: socket.socket, limits: Limits, threads: int) -> int:
    """Build the app and serve it; CANNOT_START if it cannot be built (starting it again would not help)."""
    try:
        app = make_app(index)
    except CannotStart:
        return CANNOT_START
    except Exception:  # noqa: BLE001 - any failure to build the app stops the server
        import traceback

        traceback.print_exc()
        return CANNOT_START
    run(app, limits, threads, sockets=[sock])
    return 0


def _exit_on_signal(signum, _frame) -> None:
    raise SystemExit(0)  # unwinds waitress, so that atexit stops the process's query workers


def _reap(children: dict[int, tuple[int, float]], seconds: float = 10.0) -> None:
    """Wait for the processes told to stop; kill those that have not after `seconds`."""
    deadline = time.monotonic() + seconds
    while children and time.monotonic() < deadline:
        for pid in list(children):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done:
                children.pop(pid, None)
        time.sleep(0.05)
    for pid in list(children):
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        children.pop(pid, None)

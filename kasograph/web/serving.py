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
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
from collections.abc import Callable

#: A process that exits with this status could not build the app (bad data, a store it cannot
#: open): starting it again would fail again, so the server stops with it.
CANNOT_START = 3
#: A process that dies sooner than this after it started counts as failing to start.
QUICK_DEATH_S = 2.0
MAX_QUICK_DEATHS = 5


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


def serve(make_app: Callable[[int], object], host: str, port: int, *, threads: int = 8, processes: int = 1,
          say: Callable[[str], None] = lambda _: None, ready: Callable[[], None] = lambda: None) -> None:
    """Serve `make_app(index)`'s WSGI app on host:port with waitress, in `processes` processes.

    `make_app` is called in each process (index 0, 1, …) and raises CannotStart to refuse; with one
    process it is called here, so that the error reaches the caller. `ready` is called once the app is
    built (one process) or the socket bound (several); `say` tells what the parent process does."""
    import waitress

    if processes <= 1 or not hasattr(os, "fork"):
        app = make_app(0)
        ready()
        waitress.serve(app, host=host, port=port, threads=threads, ident="kasograph")
        return
    sock = bind(host, port)
    ready()
    children: dict[int, tuple[int, float]] = {}  # pid → (index, started)
    stopping = False

    def start(index: int) -> None:
        pid = os.fork()
        if pid == 0:  # the child: build the app, then serve until told to stop
            code = 0
            try:
                signal.signal(signal.SIGTERM, _exit_on_signal)
                signal.signal(signal.SIGINT, _exit_on_signal)
                try:
                    app = make_app(index)
                except CannotStart:
                    code = CANNOT_START
                except Exception:  # noqa: BLE001 - any failure to build the app stops the server
                    import traceback

                    traceback.print_exc()
                    code = CANNOT_START
                else:
                    waitress.serve(app, sockets=[sock], threads=threads, ident="kasograph")
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else 0
            finally:
                import atexit

                atexit._run_exitfuncs()  # the query workers this process started (os._exit skips atexit)
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        children[pid] = (index, time.monotonic())

    def stop(signum, _frame) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    quick_deaths = 0
    try:
        for index in range(processes):
            start(index)
        say(f"{processes} processes ({', '.join(str(p) for p in children)})")
        while children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            if pid not in children:
                continue  # not a server process (the app's own helpers are its children, not ours)
            index, started = children.pop(pid)
            if stopping:
                continue
            code = os.waitstatus_to_exitcode(status)
            if code == CANNOT_START:
                say("a server process could not start: stopping")
                stop(signal.SIGTERM, None)
                raise SystemExit(1)
            quick_deaths = quick_deaths + 1 if time.monotonic() - started < QUICK_DEATH_S else 0
            if quick_deaths >= MAX_QUICK_DEATHS:
                say(f"server processes keep dying at start (last status {code}): stopping")
                stop(signal.SIGTERM, None)
                raise SystemExit(1)
            say(f"server process {pid} ended with status {code}: starting another")
            start(index)
    finally:
        _reap(children)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        sock.close()


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

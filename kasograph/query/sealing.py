"""Query workers that cannot open a network connection, whatever a query says.

Oxigraph runs `SERVICE` calls itself, with no option to turn them off, so a query that the
endpoint's check misread would make the server fetch an address of the sender's choosing.
The workers that run visitors' queries therefore seal themselves before their first query
with a seccomp filter (built by libseccomp, the library Docker and systemd use, through
pyseccomp): from then on `socket()` and `socketpair()` for any family but AF_UNIX (the
worker's pipe to the web process is one) fail with EACCES, and io_uring, which can open
sockets without `socket()`, is refused too. The kernel applies the filter to every thread
and child of the worker, and nothing can lift it (no_new_privs). No root is needed.

Where the platform has no seccomp (macOS, Windows, a Linux without libseccomp), workers run
unsealed and `kasograph serve` says so when it starts: the check is then the only guard.
"""

from __future__ import annotations

import errno
import socket
import sys

MECHANISM = "seccomp via libseccomp: no socket but AF_UNIX, no io_uring"


class SealingFailed(Exception):
    """The filter could not be applied, or did not hold when tried."""


def unavailable() -> str | None:
    """Why query workers cannot be sealed on this machine, or None when they can."""
    if not sys.platform.startswith("linux"):
        return f"{sys.platform} has no seccomp"
    try:
        import pyseccomp  # noqa: F401 - loads libseccomp
    except (ImportError, RuntimeError, OSError) as error:
        return f"libseccomp cannot be loaded ({error})"
    return None


def describe(remote_store: bool = False) -> str:
    """What `serve` says at start-up: whether visitors' queries run sealed, and if not, why and what guards."""
    if remote_store:
        return ("the store is a SPARQL server, which runs queries (and their SERVICE calls) itself: "
                "kasograph's check is the only guard there")
    reason = unavailable()
    if reason is None:
        return f"query workers are sealed from the network ({MECHANISM})"
    return f"query workers are NOT sealed from the network here ({reason}): the check is the only guard against SERVICE"


def seal() -> None:
    """Make this process, its threads and its children unable to open network sockets, for good."""
    try:
        import pyseccomp as seccomp

        refuse = seccomp.ERRNO(errno.EACCES)
        rules = seccomp.SyscallFilter(seccomp.ALLOW)
        for call in ("socket", "socketpair"):
            rules.add_rule(refuse, call, seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
        for call in ("io_uring_setup", "io_uring_enter", "io_uring_register"):
            rules.add_rule(seccomp.ERRNO(errno.ENOSYS), call)
        rules.set_attr(seccomp.Attr.CTL_TSYNC, 1)  # every thread of the process, not only this one
        rules.load()
    except (ImportError, RuntimeError, OSError) as error:
        raise SealingFailed(f"the seccomp filter could not be applied: {error}") from None
    _prove()


def _prove() -> None:
    """Try what the filter forbids: a filter that did not take is a failure, not a comfort."""
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.socket(family, socket.SOCK_STREAM).close()
        except PermissionError:
            continue
        except OSError as error:
            if error.errno in (errno.EAFNOSUPPORT, errno.EACCES):
                continue
            raise SealingFailed(f"opening a socket failed otherwise than refused: {error}") from None
        raise SealingFailed(f"a socket of family {family.name} could still be opened after sealing")

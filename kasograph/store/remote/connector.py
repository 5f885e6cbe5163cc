"""HTTP to a SPARQL server: a kept-alive connection per thread and server, whole answers read with a
size limit, and the errors a server's answer or silence becomes."""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
from collections.abc import Mapping
from urllib.parse import urlsplit

from kasograph.errors import InputError, Problem

# Virtuoso echoes each named-graph-uri of a query as an X-SPARQL-named-graph header, so a query naming the
# graphs of more than a hundred documents gets more headers than http.client reads by default (100).
http.client._MAXHEADERS = max(http.client._MAXHEADERS, 1_000_000)

RESULTS = "application/sparql-results+json"
ANY_ANSWER = f"{RESULTS}, application/n-triples;q=0.9, text/turtle;q=0.8"


class RemoteError(InputError):
    """The SPARQL server could not be reached or refused a request (with the server's words)."""

    def __init__(self, location: str, message: str, status: int | None = None):
        super().__init__([Problem(location, message, message)])
        self.status = status


class RemoteTimeout(RemoteError):
    """The server did not answer in time."""


class Reply:
    def __init__(self, status: int, media_type: str, body: bytes, headers: Mapping[str, str] | None = None):
        self.status, self.media_type, self.body = status, media_type, body
        self.headers = headers or {}

    def text(self) -> str:
        return self.body.decode("utf-8", "replace").strip()


class Connector:
    """Requests to one server's URLs; `location` is what errors name, `headers` go with every request
    (authentication, never printed)."""

    def __init__(self, location: str, headers: dict[str, str]):
        self.location, self.headers = location, headers
        self._local = threading.local()

    def _pool(self) -> dict:
        if not hasattr(self._local, "pool"):
            self._local.pool = {}
        return self._local.pool

    def open(self, method: str, url: str, *, body: bytes | None = None, headers: dict | None = None,
             timeout: float, reuse: bool = True) -> tuple[http.client.HTTPResponse, http.client.HTTPConnection, tuple]:
        """Send a request; returns the response (not yet read), its connection and the pool key.
        A kept-alive connection the server has closed meanwhile is replaced once, for requests
        that may be sent twice (`reuse`); the others always get a fresh connection."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise RemoteError(self.location, f"not an http(s) URL: {url}")
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        key = (parts.scheme, parts.netloc)
        sent = {"User-Agent": "kasograph", **self.headers, **(headers or {})}
        for attempt in (0, 1):
            connection = self._pool().pop(key, None) if reuse else None
            kept = connection is not None
            if connection is None:
                kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
                connection = kind(parts.netloc, timeout=timeout)
            else:
                connection.timeout = timeout
                if connection.sock is not None:
                    connection.sock.settimeout(timeout)
            try:
                connection.request(method, target, body=body, headers=sent)
                return connection.getresponse(), connection, key
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                connection.close()
                if kept and attempt == 0:
                    continue  # the server closed an idle connection: once more on a new one
                raise
            except BaseException:
                connection.close()
                raise
        raise AssertionError("unreachable")

    def fetch(self, method: str, url: str, *, body: bytes | None = None, headers: dict | None = None,
              timeout: float, reuse: bool = True, limit: int | None = None) -> Reply:
        """A whole answer, read within `timeout` seconds in all and at most `limit` bytes."""
        deadline = time.monotonic() + timeout
        with self.reading(url, timeout):
            response, connection, key = self.open(method, url, body=body, headers=headers, timeout=timeout, reuse=reuse)
            try:
                parts, size = [], 0
                while chunk := response.read(65536):
                    size += len(chunk)
                    if limit is not None and size > limit:
                        raise AnswerTooLarge(limit)
                    if time.monotonic() > deadline:
                        raise TimeoutError()
                    parts.append(chunk)
            except BaseException:
                connection.close()
                raise
        self.done(response, connection, key, reuse)
        return Reply(response.status, media_type(response), b"".join(parts), response.headers)

    def done(self, response: http.client.HTTPResponse, connection: http.client.HTTPConnection, key: tuple, reuse: bool = True) -> None:
        """A response read to its end: keep its connection for the thread's next request, if the server allows."""
        if response.will_close or not reuse:
            connection.close()
        else:
            self._pool()[key] = connection

    @contextlib.contextmanager
    def reading(self, url: str, timeout: float):
        """Network failures as RemoteError, and running out of time as RemoteTimeout."""
        try:
            yield
        except (TimeoutError, socket.timeout):
            raise RemoteTimeout(self.location, f"{url} did not answer within {timeout:g} s") from None
        except http.client.IncompleteRead as error:  # the server stopped midway (its time limit, a crash)
            raise RemoteTimeout(self.location, f"{url} broke its answer off after {len(error.partial):,} bytes: "
                                               "it stopped midway (a time limit of its own?)") from None
        except (OSError, http.client.HTTPException) as error:
            raise RemoteError(self.location, f"cannot reach the SPARQL server at {url}: {error}") from None


def media_type(response: http.client.HTTPResponse) -> str:
    return (response.getheader("Content-Type") or "").split(";")[0].strip().lower()


class AnswerTooLarge(Exception):
    def __init__(self, limit: int):
        super().__init__(f"the answer is larger than {limit:,} bytes; narrow the query (LIMIT, more specific patterns), "
                         "or download the whole dataset")

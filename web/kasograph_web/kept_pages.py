"""Pages kept for the state of the data they were made from: the next visitor who asks for the very
same page gets it without its queries, pictures and templates.

A page is kept under its entity tag (`responses.etag`: the data's version, this kasograph, the address,
and the Accept and Accept-Language headers that negotiate it) and the address the visitor used to reach
the server (links to the endpoint name it): the same reasoning that lets a browser keep it behind the tag.
Only the pages a view declares to depend on nothing else are kept (`serve_page(keep=True)`, the default):
never an answer to a visitor's own query, which runs under time limits, nor the static site's pages.

The pages are kept compressed, at most `PAGE_CACHE_BYTES` of them in each server process; the page
asked for least recently goes first. A new generation of the data drops them all.
"""

from __future__ import annotations

import threading
import zlib
from collections import OrderedDict
from dataclasses import dataclass

from flask import Response

#: A larger answer (a download) is not kept: it would push out hundreds of pages.
LARGEST = 2 * 1024 * 1024


@dataclass(frozen=True)
class KeptPage:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes  # zlib-compressed

    def response(self) -> Response:
        return Response(zlib.decompress(self.body), status=self.status, headers=list(self.headers))

    def size(self) -> int:
        return len(self.body) + sum(len(name) + len(value) for name, value in self.headers) + 200


class KeptPages:
    """At most `limit` bytes of pages, for one version of the data at a time; safe across threads."""

    def __init__(self, limit: int):
        self.limit = limit
        self._lock = threading.Lock()
        self._version: str | None = None
        self._pages: OrderedDict[tuple, KeptPage] = OrderedDict()
        self._bytes = 0
        self.hits = 0  # pages given as kept (what the tests watch)

    def get(self, version: str, key: tuple) -> Response | None:
        with self._lock:
            kept = self._pages.get(key) if version == self._version else None
            if kept is None:
                return None
            self._pages.move_to_end(key)
            self.hits += 1
        return kept.response()

    def keep(self, version: str, key: tuple, response: Response) -> None:
        body = response.get_data()
        if len(body) > LARGEST or self.limit <= 0:
            return
        kept = KeptPage(response.status_code, tuple(response.headers.items()), zlib.compress(body, 1))
        with self._lock:
            if version != self._version:  # a new generation: nothing kept of the old one is true of it
                self._version, self._pages, self._bytes = version, OrderedDict(), 0
            if key in self._pages:
                return
            self._pages[key] = kept
            self._bytes += kept.size()
            while self._bytes > self.limit and self._pages:
                _, dropped = self._pages.popitem(last=False)
                self._bytes -= dropped.size()

    def __len__(self) -> int:
        return len(self._pages)

    @property
    def bytes(self) -> int:
        return self._bytes

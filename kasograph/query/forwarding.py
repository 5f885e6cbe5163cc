"""Visitors' queries forwarded to a remote store's server: what the endpoint runs them on when the store
is a SPARQL server (no worker processes)."""

from __future__ import annotations

import json
import time

import pyoxigraph

from kasograph.formats import GRAPHS, RESULTS
from kasograph.query.sparql import (
    Answer,
    QueryFailed,
    QuerySyntaxError,
    QueryTimeout,
    QueryWorkerLost,
    check,
    page_of,
)
from kasograph.store.remote.connector import AnswerTooLarge, RemoteError, RemoteTimeout, Reply
from kasograph.store.remote.store import RemoteGoalStore


class RemoteQueryPool:
    """What the /sparql endpoint and the query pages run queries on when the store is remote: the
    server answers (no worker processes), within SPARQL_TIMEOUT seconds of HTTP (the server's own
    limit applies too). The server runs SERVICE calls itself, out of kasograph's reach: the check
    (kasograph.query.sparql.check) is the only guard here, and every query passes it before it is sent."""

    def __init__(self, store: RemoteGoalStore, timeout: float = 10.0, max_result_bytes: int | None = None,
                 allowed_services: tuple[str, ...] = ()):
        self.remote = store.remote
        self.timeout = timeout
        self.max_result_bytes = max_result_bytes
        self.allowed_services = allowed_services

    def run(self, sparql: str, *, select_format: str = "json", graph_format: str = "ttl", row_limit: int | None = None,
            default_graph: list[str] | None = None, named_graphs: list[str] | None = None, timeout: float | None = None,
            max_bytes: int | None = -1):

        check(sparql, self.allowed_services)
        started = time.perf_counter()
        limit = self.timeout if timeout is None else timeout
        largest = self.max_result_bytes if max_bytes == -1 else max_bytes
        try:
            if row_limit is None:
                accept = f"{RESULTS[select_format].media_type}, {GRAPHS[graph_format].media_type};q=0.9"
                answer = self.remote.post_query(sparql, accept=accept, default_graph=default_graph, named_graphs=named_graphs,
                                                timeout=limit, limit=largest)
                truncated = False
            else:
                answer, truncated = self.remote.first_rows(sparql, row_limit, timeout=limit, graph_accept=GRAPHS[graph_format].media_type,
                                                           limit=largest, default_graph=default_graph,
                                                           named_graphs=named_graphs)
        except SyntaxError as error:
            raise QuerySyntaxError(str(error)) from None
        except AnswerTooLarge as error:
            raise QueryFailed(str(error)) from None
        except RemoteTimeout as error:
            raise QueryTimeout(error.problems[0].message) from None
        except RemoteError as error:
            if error.status is None:  # the server could not be reached: not the query's fault (503)
                raise QueryWorkerLost(error.problems[0].message, crashed=False) from None
            raise QueryFailed(error.problems[0].message) from None
        seconds = time.perf_counter() - started
        if answer.media_type and pyoxigraph.RdfFormat.from_media_type(answer.media_type) is not None:
            return Answer("graph", answer.media_type, answer.body, seconds=seconds)
        if row_limit is None:
            head = answer.body[:400]
            boolean = answer.body.strip() in (b"true", b"false") or b'"boolean"' in head or b"<boolean>" in head
            return Answer("boolean" if boolean else "solutions", answer.media_type, answer.body, seconds=seconds)
        return self._page(answer, truncated, seconds)

    @staticmethod
    def _page(answer: Reply, truncated: bool, seconds: float):
        """A results page (the first rows, as SPARQL TSV) as SPARQL JSON, which the query page reads."""
        results_format = pyoxigraph.QueryResultsFormat.from_media_type(answer.media_type)
        if results_format is None:
            raise QueryFailed(f"the server answered in a format kasograph cannot read: {answer.media_type!r}")
        try:
            results = pyoxigraph.parse_query_results(answer.body, format=results_format)
            if isinstance(results, pyoxigraph.QueryBoolean):
                body = json.dumps({"head": {}, "boolean": bool(results)}).encode("utf-8")
                return Answer("boolean", RESULTS["json"].media_type, body, seconds=seconds)
            return page_of(results.variables, list(results), truncated, seconds)
        except SyntaxError as error:  # the server broke off its answer (an error while it streamed rows)
            raise QueryFailed(f"the server's answer could not be read: {error}") from None

    def close(self) -> None:
        pass

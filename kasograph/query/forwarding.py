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
from kasograph.store.remote.connector import ANY_ANSWER, AnswerTooLarge, RemoteError, RemoteTimeout, Reply
from kasograph.store.remote.store import RemoteGoalStore, portable_blank_nodes


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
            max_bytes: int | None = -1, row_offset: int = 0):
        """Check a query and send it to the server; raise as QueryPool.run does. A page (`row_limit`, `row_offset`)
        is read from the first rows of the answer; the server gives no count of the rest (Answer.total is None)."""
        check(sparql, self.allowed_services)
        started = time.perf_counter()
        limit = self.timeout if timeout is None else timeout
        largest = self.max_result_bytes if max_bytes == -1 else max_bytes
        try:
            if row_limit is None:
                answer = self.remote.post_query(sparql, accept=ANY_ANSWER, default_graph=default_graph, named_graphs=named_graphs,
                                                timeout=limit, limit=largest, data=True)
                seconds = time.perf_counter() - started
                return self._whole(sparql, answer, select_format, graph_format, seconds)
            answer, truncated = self.remote.first_rows(sparql, row_offset + row_limit, timeout=limit, graph_accept=GRAPHS[graph_format].media_type,
                                                       limit=largest, default_graph=default_graph, named_graphs=named_graphs)
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
        boolean = self.remote.boolean_of(sparql, answer)
        if boolean is not None:  # an ASK the server answered as a table
            return Answer("boolean", RESULTS["json"].media_type, _boolean(boolean).serialize(format=RESULTS["json"].engine), seconds=seconds)
        if answer.media_type and pyoxigraph.RdfFormat.from_media_type(answer.media_type) is not None:
            try:
                triples = self.remote.results(answer)
            except RemoteTimeout as error:
                raise QueryTimeout(error.problems[0].message) from None
            return Answer("graph", answer.media_type, triples.serialize(format=pyoxigraph.RdfFormat.from_media_type(answer.media_type)),
                          seconds=seconds)
        return self._page(answer, truncated, seconds, row_offset, row_limit)

    def _whole(self, sparql: str, answer: Reply, select_format: str, graph_format: str, seconds: float) -> Answer:
        """The whole answer read to its end (one that breaks off is a RemoteTimeout), in the format asked: the
        server is asked for SPARQL JSON or N-Triples, which kasograph can check, and pyoxigraph writes the rest."""
        boolean = self.remote.boolean_of(sparql, answer)
        results = _boolean(boolean) if boolean is not None else self.remote.results(answer)
        if isinstance(results, pyoxigraph.QueryTriples):
            return Answer("graph", GRAPHS[graph_format].media_type, results.serialize(format=GRAPHS[graph_format].engine), seconds=seconds)
        kind = "boolean" if isinstance(results, pyoxigraph.QueryBoolean) else "solutions"
        return Answer(kind, RESULTS[select_format].media_type, results.serialize(format=RESULTS[select_format].engine), seconds=seconds)

    @staticmethod
    def _page(answer: Reply, truncated: bool, seconds: float, offset: int, rows: int):
        """A results page (the first rows, as SPARQL TSV; or the whole answer, as JSON, where the server's TSV
        is not SPARQL's) as SPARQL JSON, which the query page reads."""
        results_format = pyoxigraph.QueryResultsFormat.from_media_type(answer.media_type)
        if results_format is None:
            raise QueryFailed(f"the server answered in a format kasograph cannot read: {answer.media_type!r}")
        try:
            body = portable_blank_nodes(answer.body) if answer.media_type == RESULTS["json"].media_type else answer.body
            results = pyoxigraph.parse_query_results(body, format=results_format)
            if isinstance(results, pyoxigraph.QueryBoolean):
                body = json.dumps({"head": {}, "boolean": bool(results)}).encode("utf-8")
                return Answer("boolean", RESULTS["json"].media_type, body, seconds=seconds)
            solutions = list(results)
            return page_of(results.variables, solutions[offset:offset + rows], truncated or len(solutions) > offset + rows, seconds)
        except SyntaxError as error:  # the server broke off its answer (a time limit hit while it sent rows)
            raise QueryTimeout(f"the server's answer breaks off ({error}): it stopped midway, most likely at a time limit of its own") from None

    def close(self) -> None:
        pass


def _boolean(value: bool) -> pyoxigraph.QueryBoolean:
    return pyoxigraph.parse_query_results(b'{"head":{},"boolean":%s}' % str(value).lower().encode(), format=pyoxigraph.QueryResultsFormat.JSON)

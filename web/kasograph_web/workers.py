"""The app's query workers: started on the first query, shared by the endpoint and the query pages,
replaced when an import publishes new data, and held to SPARQL_MAX_PENDING queries at once."""

from __future__ import annotations

import atexit
import threading

from flask import Flask, current_app

from kasograph.query.sparql import Answer, QueryPool, QueryTimeout

#: How long a query waits for a place among the SPARQL_MAX_PENDING before it is turned away.
PENDING_WAIT = 0.25


class QueryBusy(QueryTimeout):
    """More queries are being answered or waiting than the server holds at once: HTTP 503, try again."""


def pool_lock(app: Flask) -> threading.Lock:
    """Held while the workers are started or replaced (with the data they answer on)."""
    return app.extensions.setdefault("kasograph_pool_lock", threading.Lock())


def pool() -> QueryPool:
    """The app's query workers (or the store's server), started on the first query: pages that never
    query never pay for them."""
    app = current_app
    with pool_lock(app):
        if "kasograph_pool" not in app.extensions:
            data, kept = app.extensions["kasograph"], app.config["SPARQL_ANSWERS_MIN_SECONDS"]
            answers = data.answer_cache(min_seconds=kept, max_bytes=app.config["SPARQL_ANSWERS_MAX_BYTES"]) if kept is not None else None
            workers = data.query_pool(workers=app.config["SPARQL_WORKERS"], timeout=app.config["SPARQL_TIMEOUT"],
                                      max_result_bytes=app.config["SPARQL_MAX_RESULT_BYTES"], answers=answers,
                                      allowed_services=tuple(app.config["SPARQL_SERVICE_ALLOWLIST"]))
            atexit.register(workers.close)
            app.extensions["kasograph_pool"] = workers
            if app.config["SPARQL_WARM_UP"] and answers is not None:
                from kasograph.query.answers import warm

                threading.Thread(target=warm, args=(workers.run,), kwargs={"stop": workers.closed},
                                 name="kasograph-warm-up", daemon=True).start()
    return app.extensions["kasograph_pool"]


def warm_up(app: Flask) -> None:
    """Start the query workers in the background, which then answer the saved questions one after
    another (kasograph.query.answers.warm): the first visitor of a question finds its answer kept."""

    def start() -> None:
        with app.app_context():
            pool()

    threading.Thread(target=start, name="kasograph-pool-start", daemon=True).start()


def retire(app: Flask, old: QueryPool | None) -> None:
    """The workers of data no longer served finish what they run, then stop; the new data's are warmed."""
    if old is not None:
        threading.Timer(app.config["SPARQL_TIMEOUT"] + 1, old.close).start()
    if app.config["SPARQL_WARM_UP"]:
        warm_up(app)


def run_query(query: str, **options) -> Answer:
    """Run a query on the app's workers, holding one of its SPARQL_MAX_PENDING places meanwhile.

    Each query being answered or waiting for a worker holds one of the web server's threads; the
    places keep some threads free for pages, however many slow queries arrive at once."""
    app = current_app
    with pool_lock(app):
        places = app.extensions.setdefault("kasograph_places", threading.BoundedSemaphore(max(1, app.config["SPARQL_MAX_PENDING"])))
    if not places.acquire(timeout=PENDING_WAIT):
        raise QueryBusy(f"the server is answering {app.config['SPARQL_MAX_PENDING']} queries already; try again in a moment")
    try:
        return pool().run(query, **options)
    finally:
        places.release()

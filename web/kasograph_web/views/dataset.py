"""The dataset as a whole: downloads, and the VoID/DCAT description of the publication — at /void and at
the IRIs it mints under the base (the catalogue, each distribution), which dereference like any resource."""

from __future__ import annotations

import threading
import weakref

from flask import Blueprint, Response, abort, current_app, g, request, send_file
from rdflib import Graph

from kasograph import formats
from kasograph.errors import InputError, Problem
from kasograph.goaldata import GoalData
from kasograph.publish.dumps import DUMP_NAME, Dumps
from kasograph.publish.linked_data import (
    CATALOG_PATH,
    DISTRIBUTION_PATH,
    contact_point,
    import_dates,
    publication_description,
    serialize_graph,
)
from kasograph.publish.publication import distribution, publication, resource_description
from kasograph.version import __version__
from kasograph_web.context import goal_data, iri_of
from kasograph_web.documents import alternates, serve_page, split_variant

bp = Blueprint("dataset", __name__)


@bp.record_once
def check_contact(state) -> None:
    """A contact point that is no address stops the app at start-up, not a visitor's page later."""
    text = state.app.config.get("CONTACT_POINT")
    try:
        contact_point(text) if text else None
    except ValueError as error:
        raise InputError([Problem("CONTACT_POINT", str(error), f"ei sähköpostiosoite eikä verkkosivu: {text!r}")]) from None


@bp.get("/download/<iri_path:name>")
def download(name: str) -> Response:
    stem, _, ext = name.rpartition(".")
    if stem != DUMP_NAME or ext not in formats.DUMPS:
        abort(404)
    fmt = formats.DUMPS[ext]
    content = dumps_of(goal_data()).content(fmt)
    if isinstance(content, bytes):
        return Response(content, mimetype=fmt.media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})
    return send_file(content, mimetype=fmt.media_type, as_attachment=True, download_name=name, conditional=False, etag=False)


@bp.get("/void<variant:as_>")
def void_document(as_: str) -> Response:
    return serve_page("void", as_, catalog_page, description_rdf)


@bp.get(f"/{CATALOG_PATH}<variant:as_>")
def catalog_document(as_: str) -> Response:
    """The catalogue's IRI: the same page and description as /void."""
    return serve_page(CATALOG_PATH, as_, catalog_page, lambda fmt: description_rdf(fmt, CATALOG_PATH))


@bp.get(f"/{DISTRIBUTION_PATH}<iri_path:name>")
def distribution_document(name: str) -> Response:
    stem, variant = split_variant(name)
    path = DISTRIBUTION_PATH + stem
    if stem not in formats.DUMPS:
        abort(404)
    return serve_page(path, variant, lambda: distribution_page(path), lambda fmt: distribution_rdf(path, fmt))


# What is made once per state of the data --------------------------------------------------------------
class _Made:
    """The downloads of one state of the data, and its descriptions by what they depend on besides it."""

    def __init__(self, data: GoalData):
        self.dumps = Dumps(data.store, _dumps_folder(data))
        self.descriptions: dict[tuple, Graph] = {}


_made: weakref.WeakKeyDictionary[GoalData, _Made] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def made_for(data: GoalData) -> _Made:
    with _lock:
        if data not in _made:
            _made[data] = _Made(data)
        return _made[data]


def dumps_of(data: GoalData) -> Dumps:
    return made_for(data).dumps


def _dumps_folder(data: GoalData):
    """A store generation's downloads are kept beside it (shared by every process, made once); other data's in memory."""
    folder = data.directory.kept_answers_path(data.generation) if data.directory is not None and data.generation else None
    return folder / f"downloads-{__version__}" if folder is not None else None


def site_url() -> str:
    return current_app.config["SITE_URL"] or request.host_url


def description_graph() -> Graph:
    """The publication's VoID/DCAT description, as this site serves it."""
    data, config = goal_data(), current_app.config
    endpoint = config["SPARQL_ENDPOINT_URL"]
    if endpoint is None:
        endpoint = site_url().rstrip("/") + "/sparql"
    key = (site_url(), endpoint, config.get("CONTACT_POINT"))
    made = made_for(data)
    if key not in made.descriptions:
        contact = contact_point(key[2]) if key[2] else None
        manifest = data.directory.manifest() if data.directory is not None else None
        made.descriptions[key] = publication_description(
            data.store, data.base, key[0], sparql_endpoint=endpoint or None, contact=contact,
            imported=import_dates(manifest), sizes=made.dumps.sizes())
    return made.descriptions[key]


# The pages ------------------------------------------------------------------------------------------
def catalog_page() -> tuple[str, dict]:
    graph = description_graph()
    turtle = serialize_graph(graph, formats.GRAPHS["ttl"]).decode("utf-8")
    return "void.html", {"publication": publication(graph, iri_of(CATALOG_PATH), g.lang), "turtle": turtle,
                         "jsonld": serialize_graph(graph, formats.GRAPHS["jsonld"])}


def description_rdf(fmt, path: str = "void") -> Response:
    return Response(serialize_graph(description_graph(), fmt), mimetype=fmt.media_type, headers=alternates(path))


def distribution_page(path: str) -> tuple[str, dict]:
    graph = description_graph()
    found = distribution(graph, iri_of(path), g.lang)
    if found is None:
        abort(404)
    own = resource_description(graph, iri_of(path))
    return "distribution.html", {"distribution": found, "catalog": iri_of(CATALOG_PATH),
                                 "jsonld": serialize_graph(own, formats.GRAPHS["jsonld"])}


def distribution_rdf(path: str, fmt) -> Response:
    own = resource_description(description_graph(), iri_of(path))
    return Response(serialize_graph(own, fmt), mimetype=fmt.media_type, headers=alternates(path))

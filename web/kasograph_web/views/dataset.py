"""The dataset as a whole: downloads and the VoID/DCAT description of the publication."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, g, request
from rdflib import Graph

from kasograph import formats
from kasograph.publish.dumps import dump
from kasograph.publish.linked_data import DUMP_NAME, publication_description, serialize_graph
from kasograph_web.context import goal_data
from kasograph_web.documents import serve_page

bp = Blueprint("dataset", __name__)


@bp.get("/download/<iri_path:name>")
def download(name: str) -> Response:
    stem, _, ext = name.rpartition(".")
    if stem != DUMP_NAME or ext not in formats.DUMPS:
        abort(404)
    fmt = formats.DUMPS[ext]
    return Response(dump(goal_data().store, fmt), mimetype=fmt.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/void<variant:as_>")
def void_document(as_: str) -> Response:
    return serve_page("void", as_, void_page, void_rdf)


def site_url() -> str:
    return current_app.config["SITE_URL"] or request.host_url


def description_graph() -> Graph:
    data = goal_data()
    endpoint = current_app.config["SPARQL_ENDPOINT_URL"]
    if endpoint is None:
        endpoint = site_url().rstrip("/") + "/sparql"
    return publication_description(data.store, data.base, site_url(), sparql_endpoint=endpoint or None)


def void_page() -> tuple[str, dict]:
    turtle = description_graph().serialize(format="turtle")
    return "void.html", {"turtle": turtle, "dumps": list(formats.DUMPS.values()), "dump_name": DUMP_NAME, "jsonld": None, "lang": g.lang}


def void_rdf(fmt) -> Response:
    return Response(serialize_graph(description_graph(), fmt), mimetype=fmt.media_type, headers={"Vary": "Accept"})

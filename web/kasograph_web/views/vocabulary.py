"""The vocabulary and the shapes: readable documentation and RDF at their own URLs."""

from __future__ import annotations

from flask import Blueprint, Response

from kasograph import resources
from kasograph.publish.linked_data import serialize_graph
from kasograph.vocabulary import ontology, shapes, terms
from kasograph_web.documents import serve_page

bp = Blueprint("vocabulary", __name__)


@bp.get("/def<variant:as_>")
def vocabulary_document(as_: str) -> Response:
    return serve_page("def", as_, page, rdf)


@bp.get("/shapes<variant:as_>")
def shapes_document(as_: str) -> Response:
    return serve_page("shapes", as_, shapes_page, shapes_rdf)


def page() -> tuple[str, dict]:
    return "vocabulary.html", {"terms": terms(), "jsonld": None}


def shapes_page() -> tuple[str, dict]:
    return "shapes.html", {"turtle": resources.shapes_path().read_text(encoding="utf-8"), "jsonld": None}


def rdf(fmt) -> Response:
    if fmt.name == "ttl":  # the file as written, with its comments
        return Response(resources.ontology_path().read_bytes(), mimetype=fmt.media_type, headers={"Vary": "Accept"})
    return Response(serialize_graph(ontology(), fmt), mimetype=fmt.media_type, headers={"Vary": "Accept"})


def shapes_rdf(fmt) -> Response:
    if fmt.name == "ttl":
        return Response(resources.shapes_path().read_bytes(), mimetype=fmt.media_type, headers={"Vary": "Accept"})
    return Response(serialize_graph(shapes(), fmt), mimetype=fmt.media_type, headers={"Vary": "Accept"})

"""The vocabulary and the shapes: readable documentation and RDF at their own URLs."""

from __future__ import annotations

from flask import Response

from kasograph import resources
from kasograph.publish.linked_data import serialize_graph
from kasograph.vocabulary import ontology, shapes, terms


def page():
    return "vocabulary.html", {"terms": terms(), "jsonld": None}


def shapes_page():
    return "shapes.html", {"turtle": resources.shapes_path().read_text(encoding="utf-8"), "jsonld": None}


def rdf(fmt):
    if fmt.name == "ttl":  # the file as written, with its comments
        return Response(resources.ontology_path().read_bytes(), mimetype=fmt.media_type, headers={"Vary": "Accept"})
    return Response(serialize_graph(ontology(), fmt), mimetype=fmt.media_type, headers={"Vary": "Accept"})


def shapes_rdf(fmt):
    if fmt.name == "ttl":
        return Response(resources.shapes_path().read_bytes(), mimetype=fmt.media_type, headers={"Vary": "Accept"})
    return Response(serialize_graph(shapes(), fmt), mimetype=fmt.media_type, headers={"Vary": "Accept"})

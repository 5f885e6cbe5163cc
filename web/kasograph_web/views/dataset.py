"""The dataset as a whole: downloads and the VoID/DCAT description of the publication."""

from __future__ import annotations

from flask import Response, abort, current_app, g, request

from kasograph.goaldata import GoalData
from kasograph.publish.linked_data import DUMP_BY_SUFFIX, DUMP_FORMATS, DUMP_NAME, dump, publication_description, serialize_graph


def site_url() -> str:
    return current_app.config["SITE_URL"] or request.host_url


def download(name: str):
    from kasograph_web.app import goal_data

    stem, _, ext = name.rpartition(".")
    if stem != DUMP_NAME or ext not in DUMP_BY_SUFFIX:
        abort(404)
    fmt = DUMP_BY_SUFFIX[ext]
    return Response(dump(goal_data().store, fmt), mimetype=fmt.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def description_graph(data: GoalData):
    endpoint = current_app.config["SPARQL_ENDPOINT_URL"]
    if endpoint is None:
        endpoint = site_url().rstrip("/") + "/sparql"
    return publication_description(data.store, data.base, site_url(), sparql_endpoint=endpoint or None)


def void_page(data: GoalData):
    graph = description_graph(data)
    turtle = graph.serialize(format="turtle")
    return "void.html", {"turtle": turtle, "dumps": DUMP_FORMATS, "dump_name": DUMP_NAME, "jsonld": None, "lang": g.lang}


def void_rdf(data: GoalData, fmt):
    return Response(serialize_graph(description_graph(data), fmt), mimetype=fmt.media_type,
                    headers={"Vary": "Accept"})

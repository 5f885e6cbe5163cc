"""The data's pages: home, search, and every resource the data describes (goal, person/post/group,
theme, status, any other) at the path of its IRI, with the documents' verbatim source texts."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, current_app, g, request

from kasograph.model.iris import local_path
from kasograph.query.explore import AGENT_KINDS
from kasograph.vocabulary import status_names
from kasograph_web.context import goal_data, iri_of, rendered
from kasograph_web.documents import embedded_jsonld, page, resource_rdf, serve_page, split_variant
from kasograph_web.views.graphs import ego_svg

bp = Blueprint("pages", __name__)


@bp.get("/")
def home_page() -> Response:
    return page("index", home, request.args.get("lang"), same_for_everyone=True)


@bp.get("/index<variant:as_>")
def index_document(as_: str) -> Response:
    return serve_page("index", as_, home, same_for_everyone=True)


@bp.get("/search<variant:as_>")
def search_document(as_: str) -> Response:
    return serve_page("search", as_, lambda: search(request.args.get("q", "")))


@bp.get("/search-index.json")
def search_index_file() -> Response:
    """The same for everyone, and it reads every label: made once per version of the data."""
    return Response(rendered(("search-index.json",), lambda: json.dumps(search_index(), ensure_ascii=False)),
                    mimetype="application/json")


@bp.get("/favicon.ico")
def favicon() -> Response:
    return current_app.send_static_file("favicon.svg")


@bp.get("/<iri_path:path>")
def resource_document(path: str) -> Response:
    """Any other path: a resource of the data (or a document's verbatim text) at the path of its IRI."""
    stem, variant = split_variant(path)
    if not variant and path in goal_data().source_texts_paths():
        return Response(goal_data().source_text_at(path), mimetype="text/plain", headers={"Content-Language": "fi"})
    if not known(stem):
        abort(404)
    return serve_page(stem, variant, lambda: resource(stem), lambda fmt: resource_rdf(stem, fmt))


def known(path: str) -> bool:
    """Whether the data describes what `path` names (the vocabulary's statuses always have a page)."""
    if path.startswith("status/") and path[len("status/"):] in status_names():
        return True
    return goal_data().explorer().kind(iri_of(path)) is not None


# The pages: (template, context) ----------------------------------------------------------------------
def home() -> tuple[str, dict]:
    return "home.html", {"home": goal_data().home(g.lang), "jsonld": None}


def resource(path: str) -> tuple[str, dict]:
    """The page for any IRI the data describes, by its kind."""
    iri = iri_of(path)
    explorer = goal_data().explorer(g.lang)
    kind = explorer.kind(iri)
    if kind == "goal":
        page = explorer.goal(iri)
        return "goal.html", {"page": page, "jsonld": embedded_jsonld(path, page.description)}
    if kind in AGENT_KINDS:
        page = explorer.agent(iri)
        return "agent.html", {"page": page, "kind": kind, "jsonld": embedded_jsonld(path, page.description),
                              "ego": ego_svg(iri, page.attributions)}
    jsonld = embedded_jsonld(path)
    if kind == "theme":
        return "goals.html", {"page": explorer.theme(iri), "kind": kind, "jsonld": jsonld}
    if kind == "status":
        return "goals.html", {"page": explorer.status(iri), "kind": kind, "jsonld": jsonld}
    return "resource.html", {"page": explorer.resource(iri), "kind": kind, "jsonld": jsonld}


def search(query: str) -> tuple[str, dict]:
    data = goal_data()
    hits = data.search_index.search(query) if query.strip() else []
    explorer = data.explorer(g.lang)
    items = explorer.items([h.iri for h in hits])
    results = list(zip(items, hits))
    explorer.with_status([i for i in items if i.kind == "goal"])  # adds status badges in place
    return "search.html", {"query": query, "results": results, "jsonld": None}


def search_index() -> list[dict]:
    """The search index as JSON for the static site, where no server answers queries."""
    data = goal_data()
    texts = data.search_index.texts()
    iris = sorted(texts)
    fi, en = data.explorer("fi"), data.explorer("en")
    labels_fi, labels_en, kinds = fi.labels(iris), en.labels(iris), fi.kinds(iris)
    return [{"path": local_path(iri, data.base), "kind": kinds[iri], "fi": labels_fi[iri].value, "en": labels_en[iri].value,
             "text": " ".join(text for _, text in texts[iri])} for iri in iris if local_path(iri, data.base)]

"""The data's pages: home, search, and every resource the data describes (goal, person/post/group,
theme, status, any other) at the path of its IRI, with the documents' verbatim source texts."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, current_app, g, request
from markupsafe import Markup, escape

from kasograph.model.iris import local_path
from kasograph.query.explore import AGENT_KINDS
from kasograph.vocabulary import status_names
from kasograph_web import i18n
from kasograph_web.context import goal_data, iri_of, language, link, link_to, rendered, status_badge, text
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


@bp.get("/search/suggest.json")
def search_suggestions() -> Response:
    """What the header's search box offers while a visitor types (static/suggest.js), from the search
    page's index: labels in the page's language (?lang=), links relative to the site's root."""
    g.lang, g.request_dir = language(), ""
    query = request.args.get("q", "")
    data = goal_data()
    items = data.explorer(g.lang).items([hit.iri for hit in data.search_index.suggest(query)])
    found = [{"label": item.label.value, "lang": item.label.lang, "kind": text("kind_" + item.kind), "href": href}
             for item in items if (href := link_to(item.iri))]
    return Response(json.dumps({"query": query, "suggestions": found}, ensure_ascii=False), mimetype="application/json")


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
    near = [(item, hit) for item, hit in results if hit.near]  # a word matched only as if mistyped: after the others
    return "search.html", {"query": query, "results": [r for r in results if not r[1].near], "near": near, "jsonld": None}


@bp.app_template_global()
def search_result(item, hit) -> Markup:
    """A result of the search page, as its `<li>`: made here, not in the template, because a page lists fifty
    and Jinja's four calls a result cost more than the functions they call."""
    snippet = f'<br><small lang="fi">{escape(hit.snippet)}</small>' if hit.snippet and hit.snippet != item.label.value else ""
    return Markup(f'<li>{status_badge(item.status)} {link(item)} <span class="kind">{escape(text("kind_" + item.kind))}</span>\n'
                  f'      {snippet}</li>')


def search_index() -> list[dict]:
    """The search index as JSON for the static site, where no server answers queries: each resource's
    labels and texts, and the stems of their words (the browser has no Finnish stemmer)."""
    data = goal_data()
    index = data.search_index
    texts = index.texts()
    iris = sorted(texts)
    fi, en = data.explorer("fi"), data.explorer("en")
    labels_fi, labels_en, kinds = fi.labels(iris), en.labels(iris), fi.kinds(iris)
    kind_names = {kind: {lang: i18n.TEXTS[lang].get(f"kind_{kind}", "") for lang in i18n.LANGUAGES} for kind in set(kinds.values())}
    return [{"path": local_path(iri, data.base), "kind": kinds[iri], "kind_name": kind_names[kinds[iri]], "fi": labels_fi[iri].value,
             "en": labels_en[iri].value, "text": " ".join(said for _, said in texts[iri]),
             "stems": index.stems_in(said for _, said in texts[iri])} for iri in iris if local_path(iri, data.base)]

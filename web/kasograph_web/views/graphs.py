"""The graph pages: responsibility and collaboration pictures with filters, analytics, and graph downloads."""

from __future__ import annotations

from flask import Blueprint, Response, abort, g
from markupsafe import Markup

from kasograph.analysis import analytics
from kasograph.analysis.exports import FORMATS, export
from kasograph.analysis.graphs import collaboration_graph, ego_graph, goal_themes, organisation_graph, responsibility_graph
from kasograph.analysis.report import analyses, goals_by_theme
from kasograph.model.iris import local_path
from kasograph.vocabulary import status_names
from kasograph_web import pictures
from kasograph_web.context import goal_data, iri_of, link_to
from kasograph_web.documents import serve_page, split_variant

bp = Blueprint("graphs", __name__)

COLLABORATION = {"": "all", "person": "person", "group": "group"}
DOWNLOADS = {"responsibility": ("responsibility", "all"), "collaboration": ("collaboration", "all"),
             "collaboration-person": ("collaboration", "person"), "collaboration-group": ("collaboration", "group"),
             "organisation": ("organisation", "all")}
EXTENSIONS = {"graphml": "graphml", "gexf": "gexf", "json": "json", "cytoscape.json": "cytoscape", "dot": "dot"}
RESPONSIBILITY = "graphs/responsibility"
# Every graph page but the theme filters (those depend on the data): path → what it shows.
PAGES = {"analytics": ("analytics", None), RESPONSIBILITY: ("responsibility", None),
         **{f"{RESPONSIBILITY}/status/{status}": ("status", status) for status in status_names()},
         **{"graphs/collaboration" + (f"/{variant}" if variant else ""): ("collaboration", variant) for variant in COLLABORATION}}


@bp.get("/analytics<variant:as_>")
def analytics_document(as_: str) -> Response:
    return serve_page("analytics", as_, analytics_page)


@bp.get("/graphs/<iri_path:rest>")
def graph_document(rest: str) -> Response:
    """A graph page (`graphs/responsibility.html`, …) or a graph as a file (`graphs/responsibility.graphml`)."""
    path = f"graphs/{rest}"
    if not path.endswith(".html") and "." in path.rsplit("/", 1)[-1]:
        return download(path)
    stem, variant = split_variant(path)
    if _parse(stem) is None:
        abort(404)
    return serve_page(stem, variant, lambda: page(stem))


def _theme_pages() -> dict[str, str]:
    """Path → theme IRI of every theme filter: one per theme that has goals and a page of its own (an IRI under the base)."""
    data = goal_data()
    return {f"{RESPONSIBILITY}/{local_path(theme, data.base)}": theme for theme in goal_themes(data.store)
            if theme.startswith(data.base) and len(theme) > len(data.base)}


def _parse(path: str) -> tuple[str, str | None] | None:
    """What the graph page at `path` (without suffix) shows, or None if there is no such page.

    (kind, which): which collaboration variant, status name or theme IRI. Exact: only the
    paths the pages link to, nothing that merely starts or ends like one of them.
    """
    if path in PAGES:
        return PAGES[path]
    if path.startswith(RESPONSIBILITY + "/") and path in (themes := _theme_pages()):
        return "theme", themes[path]
    return None


def _filters() -> dict:
    home = goal_data().home(g.lang)
    pages = {iri: path for path, iri in _theme_pages().items()}
    themes = [(theme, pages[theme.iri]) for theme, _ in home.themes if theme.iri in pages]
    statuses = [(status, f"{RESPONSIBILITY}/{local_path(status.iri, goal_data().base)}") for status, _ in home.statuses]
    return {"themes": themes, "statuses": statuses}


def page(path: str) -> tuple[str, dict]:
    data = goal_data()
    kind, which = _parse(path)
    if kind == "analytics":
        return analytics_page()
    if kind == "collaboration":
        graph = collaboration_graph(data.store, data.base, g.lang, kind=COLLABORATION[which])
        name = "collaboration" + (f"-{which}" if which else "")
        return "graph_collaboration.html", {"svg": pictures.collaboration_svg(graph, link_to), "variant": which,
                                            "downloads": _downloads(name), "nodes": graph.number_of_nodes(),
                                            "edges": graph.number_of_edges(), "jsonld": None}
    theme = status = selected = None
    if kind == "status":
        status = iri_of(f"status/{which}")
        selected = data.explorer(g.lang).item(status)
    elif kind == "theme":
        theme = which
        selected = data.explorer(g.lang).item(theme)
    graph = responsibility_graph(data.store, data.base, g.lang, theme=theme, status=status)
    goals = sum(1 for _, d in graph.nodes(data=True) if d["type"] == "goal")
    return "graph_responsibility.html", {"svg": pictures.responsibility_svg(graph, link_to), "selected": selected, "goals": goals,
                                         "downloads": _downloads("responsibility"), **_filters(), "jsonld": None}


def _downloads(name: str) -> list[tuple[str, str]]:
    return [(label, f"graphs/{name}.{ext}") for ext, label in
            (("graphml", "GraphML"), ("gexf", "GEXF"), ("json", "node-link JSON"), ("cytoscape.json", "Cytoscape.js JSON"), ("dot", "DOT"))]


def analytics_page() -> tuple[str, dict]:
    data = goal_data()
    responsibility = responsibility_graph(data.store, data.base, g.lang)
    results = analyses(data.store, data.base, g.lang, responsibility=responsibility)
    colours = {name: pictures.STATUS_COLOURS[name] for name in status_names()}
    workload_rows = [(r["party"], link_to(r["iri"]), {name: r[analytics.status_key(name)] for name in status_names()})
                     for r in results["workload"]]
    by_theme = [(label, link_to(theme), counts) for theme, label, counts in goals_by_theme(responsibility)]
    explorer = data.explorer(g.lang)
    status_labels = {name: explorer.item(iri_of(f"status/{name}")).label.value for name in status_names()}
    return "analytics.html", {
        "results": results, "workload_chart": pictures.bar_chart(workload_rows, colours),
        "theme_chart": pictures.bar_chart(by_theme, colours), "status_labels": status_labels, "colours": colours,
        "risk": analytics.key_person_risk(responsibility), "jsonld": None,
    }


def ego_svg(iri: str, attributions: dict[str, set[str]] | None = None) -> Markup | None:
    """The ego picture of an agent page: the agent and everyone they share goals with."""
    data = goal_data()
    ego = ego_graph(data.store, data.base, iri, g.lang, attributions=attributions, cache=data.facts)
    if ego.number_of_nodes() < 2:
        return None
    return pictures.collaboration_svg(ego, link_to, width=720, height=420, highlight=iri)


def download(path: str) -> Response:
    name, _, ext = path[len("graphs/"):].partition(".")
    if name not in DOWNLOADS or ext not in EXTENSIONS:
        abort(404)
    data = goal_data()
    kind, only = DOWNLOADS[name]
    if kind == "responsibility":
        graph = responsibility_graph(data.store, data.base, g.lang)
    elif kind == "collaboration":
        graph = collaboration_graph(data.store, data.base, g.lang, kind=only)
    else:
        graph = organisation_graph(data.store, data.base, g.lang)
    fmt = EXTENSIONS[ext]
    return Response(export(graph, fmt), mimetype=FORMATS[fmt], headers={"Content-Disposition": f'attachment; filename="{name}.{ext}"'})

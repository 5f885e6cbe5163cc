"""The graph pages: responsibility and collaboration pictures with filters, analytics, and graph downloads."""

from __future__ import annotations

from functools import cache

from flask import Blueprint, Response, abort, g, render_template
from markupsafe import Markup

from kasograph.analysis import analytics
from kasograph.analysis.exports import FORMATS, export
from kasograph.analysis.graphs import (
    collaboration_graph,
    ego_graph,
    goal_themes,
    organisation_graph,
    partner_lists,
    responsibility_graph,
    responsibility_outline,
)
from kasograph.analysis.report import analyses, goals_by_theme
from kasograph.model.iris import local_path
from kasograph.vocabulary import status_names
from kasograph_web import pictures
from kasograph_web.context import goal_data, iri_of, link_to, plural, text
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
    kind, which = _parse(path)
    if kind == "analytics":
        return analytics_page()
    if kind == "collaboration":
        return collaboration_page(which)
    return responsibility_page(kind, which)


def responsibility_page(kind: str, which: str | None) -> tuple[str, dict]:
    """The responsibility picture, whole or of one status or theme, with the same as a nested list."""
    data = goal_data()
    theme = status = selected = None
    if kind == "status":
        status = iri_of(f"status/{which}")
        selected = data.explorer(g.lang).item(status)
    elif kind == "theme":
        theme = which
        selected = data.explorer(g.lang).item(theme)
    graph = responsibility_graph(data.store, data.base, g.lang, theme=theme, status=status)
    kinds = [d["type"] for _, d in graph.nodes(data=True)]
    svg = pictures.responsibility_svg(graph, link_to, title=text("responsibility_graph"), ident="responsibility",
                                      words=text)
    goals, parties = kinds.count("goal"), len(kinds) - kinds.count("goal") - kinds.count("theme")
    caption = f'{plural("goals_count", goals)}, {plural("parties_count", parties)}'
    figure = picture_figure("responsibility", [svg], pictures.legend(graph, text, "responsibility"), list_id="responsibility-list",
                            caption=caption)
    return "graph_responsibility.html", {"figure": figure, "outline": _with_urls(responsibility_outline(graph)), "selected": selected,
                                         "downloads": _downloads("responsibility"), **_filters(), "jsonld": None}


def _with_urls(items: list[dict], known: dict[str, str | None] | None = None) -> list[dict]:
    """The items of a nested list with the `url` of their pages (each page looked up once: the same parties recur)."""
    known = {} if known is None else known
    for item in items:
        if item["iri"] not in known:
            known[item["iri"]] = link_to(item["iri"])
        item["url"] = known[item["iri"]]
        for key in ("goals", "parties", "partners"):
            if isinstance(item.get(key), list):
                _with_urls(item[key], known)
    return items


def collaboration_page(which: str | None) -> tuple[str, dict]:
    data = goal_data()
    graph = collaboration_graph(data.store, data.base, g.lang, kind=COLLABORATION[which])
    name = "collaboration" + (f"-{which}" if which else "")
    title = text("collaboration_graph")
    svgs = [pictures.collaboration_svg(graph, link_to, title=title, ident="collaboration", words=text),
            pictures.collaboration_svg(graph, link_to, title=title, ident="collaboration-narrow", narrow=True,
                                        words=text)]
    caption = f'{plural("nodes", graph.number_of_nodes())}, {plural("edges", graph.number_of_edges())}'
    figure = picture_figure("collaboration", svgs, pictures.legend(graph, text, "collaboration"), list_id="collaboration-list",
                            caption=caption)
    return "graph_collaboration.html", {"figure": figure, "partners": _with_urls(partner_lists(graph)), "variant": which,
                                        "downloads": _downloads(name), "jsonld": None}


def picture_figure(ident: str, svgs: list[Markup], legend: list[tuple[str, str]], *, list_id: str, caption: str,
                   chart: bool = False) -> Markup:
    """A picture as a figure: its caption with a link to the same as a list (`list_id`), its legend, the picture and
    a phone's own drawing of it (shown instead on a narrow screen; with none, a phone is shown the list alone), and
    room for what static/pictures.js says of a node."""
    return Markup(render_template("_partials/picture.html", ident=ident, svgs=svgs, legend=legend, list_id=list_id, caption=caption,
                                  chart=chart))


def _downloads(name: str) -> list[tuple[str, str]]:
    return [(label, f"graphs/{name}.{ext}") for ext, label in
            (("graphml", "GraphML"), ("gexf", "GEXF"), ("json", "node-link JSON"), ("cytoscape.json", "Cytoscape.js JSON"), ("dot", "DOT"))]


def analytics_page() -> tuple[str, dict]:
    data = goal_data()
    responsibility = responsibility_graph(data.store, data.base, g.lang)
    results = analyses(data.store, data.base, g.lang, responsibility=responsibility)
    explorer = data.explorer(g.lang)
    status_labels = {name: explorer.item(iri_of(f"status/{name}")).label.value for name in status_names()}
    workload_rows = [(r["party"], link_to(r["iri"]), {name: r[analytics.status_key(name)] for name in status_names()})
                     for r in results["workload"]]
    by_theme = [(label, link_to(theme), counts) for theme, label, counts in goals_by_theme(responsibility)]
    return "analytics.html", {
        "results": results, "workload": workload_rows, "by_theme": by_theme, "status_labels": status_labels,
        "workload_chart": _chart("workload", workload_rows, status_labels, text("workload")),
        "theme_chart": _chart("by-theme", by_theme, status_labels, text("status_by_theme")),
        "risk": analytics.key_person_risk(responsibility), "jsonld": None,
    }


def _chart(ident: str, rows: list, names: dict[str, str], title: str) -> Markup:
    """A bar chart of goals by status as a figure, drawn twice: beside its labels, and for a phone under them."""
    colours = {name: pictures.STATUS_COLOURS[name] for name in names}
    svgs = [pictures.bar_chart(rows, colours, names=names, title=title, ident=ident),
            pictures.bar_chart(rows, colours, names=names, title=title, ident=f"{ident}-narrow", narrow=True)]
    return picture_figure(ident, svgs, pictures.bar_legend(names), list_id=f"{ident}-table", caption=text("chart_caption"),
                          chart=True)


def ego_svg(iri: str, attributions: dict[str, set[str]] | None = None) -> Markup | None:
    """The ego picture of an agent page as a figure: the agent and everyone they share goals with."""
    data = goal_data()
    ego = ego_graph(data.store, data.base, iri, g.lang, attributions=attributions, cache=data.facts)
    if ego.number_of_nodes() < 2:
        return None
    title = text("ego")
    caption = text("ego_caption").replace("{name}", ego.nodes[iri]["label"])
    height = 160 + 28 * min(ego.number_of_nodes() - 1, 10)  # a circle of one or two partners needs no more room
    link, words = cache(link_to), cache(text)  # the two drawings link and name the same nodes
    svgs = [pictures.collaboration_svg(ego, link, height=height, highlight=iri, title=title, ident="ego", words=words),
            pictures.collaboration_svg(ego, link, height=height + 80, highlight=iri, title=title, ident="ego-narrow",
                                        narrow=True, words=words)]
    return picture_figure("ego", svgs, pictures.legend(ego, text, "ego"), list_id="shares", caption=caption)


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

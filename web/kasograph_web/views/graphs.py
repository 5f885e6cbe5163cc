"""The graph pages: responsibility and collaboration pictures with filters, analytics, and graph downloads."""

from __future__ import annotations

from flask import Response, abort, current_app, g

from kasograph.analysis import analytics
from kasograph.analysis.exports import FORMATS, export
from kasograph.analysis.graphs import collaboration_graph, ego_graph, organisation_graph, responsibility_graph
from kasograph.analysis.report import analyses
from kasograph.namespaces import KG
from kasograph.publish.linked_data import local_path
from kasograph_web import pictures

STATUSES = ("FullyAchieved", "PartiallyAchieved", "NotAchieved")
COLLABORATION = {"": "all", "person": "person", "group": "group"}
DOWNLOADS = {"responsibility": ("responsibility", "all"), "collaboration": ("collaboration", "all"),
             "collaboration-person": ("collaboration", "person"), "collaboration-group": ("collaboration", "group"),
             "organisation": ("organisation", "all")}
EXTENSIONS = {"graphml": "graphml", "gexf": "gexf", "json": "json", "cytoscape.json": "cytoscape", "dot": "dot"}


def _data():
    return current_app.extensions["kasograph"]


RESPONSIBILITY = "graphs/responsibility"
# Every graph page but the theme filters (those depend on the data): path → what it shows.
PAGES = {"analytics": ("analytics", None), RESPONSIBILITY: ("responsibility", None),
         **{f"{RESPONSIBILITY}/status/{status}": ("status", status) for status in STATUSES},
         **{"graphs/collaboration" + (f"/{variant}" if variant else ""): ("collaboration", variant) for variant in COLLABORATION}}
_THEMES = "SELECT DISTINCT ?theme WHERE { ?goal a kg:Goal ; kg:theme ?theme }"


def _theme_pages() -> dict[str, str]:
    """Path → theme IRI of every theme filter: one per theme that has goals and a page of its own (an IRI under the base)."""
    data = _data()
    themes = (row["theme"].value for row in data.store.query(_THEMES))
    return {f"{RESPONSIBILITY}/{local_path(theme, data.base)}": theme for theme in themes
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


def known(path: str) -> bool:
    """Whether `path` (without suffix) is a graph page."""
    return _parse(path) is not None


def _link(iri: str) -> str | None:
    from kasograph_web.app import link_to

    return link_to(iri)


def _filters() -> dict:
    data = _data()
    home = data.home(g.lang)
    pages = {iri: path for path, iri in _theme_pages().items()}
    themes = [(theme, pages[theme.iri]) for theme, _ in home.themes if theme.iri in pages]
    statuses = [(status, f"{RESPONSIBILITY}/status/{status.iri.rsplit('#', 1)[1]}") for status, _ in home.statuses]
    return {"themes": themes, "statuses": statuses}


def page(path: str):
    data = _data()
    shown = _parse(path)
    if shown is None:
        abort(404)
    kind, which = shown
    if kind == "analytics":
        return analytics_page()
    if kind == "collaboration":
        graph = collaboration_graph(data.store, data.base, g.lang, kind=COLLABORATION[which])
        name = "collaboration" + (f"-{which}" if which else "")
        return "graph_collaboration.html", {"svg": pictures.collaboration_svg(graph, _link), "variant": which,
                                            "downloads": _downloads(name), "nodes": graph.number_of_nodes(),
                                            "edges": graph.number_of_edges(), "jsonld": None}
    theme = status = None
    selected = None
    if kind == "status":
        status = str(KG) + which
        selected = data.explorer(g.lang).item(status)
    elif kind == "theme":
        theme = which
        selected = data.explorer(g.lang).item(theme)
    graph = responsibility_graph(data.store, data.base, g.lang, theme=theme, status=status)
    goals = sum(1 for _, d in graph.nodes(data=True) if d["type"] == "goal")
    return "graph_responsibility.html", {"svg": pictures.responsibility_svg(graph, _link), "selected": selected, "goals": goals,
                                         "downloads": _downloads("responsibility"), **_filters(), "jsonld": None}


def _downloads(name: str) -> list[tuple[str, str]]:
    return [(label, f"graphs/{name}.{ext}") for ext, label in
            (("graphml", "GraphML"), ("gexf", "GEXF"), ("json", "node-link JSON"), ("cytoscape.json", "Cytoscape.js JSON"), ("dot", "DOT"))]


def analytics_page():
    data = _data()
    responsibility = responsibility_graph(data.store, data.base, g.lang)
    results = analyses(data.store, data.base, g.lang, responsibility=responsibility)
    colours = {"FullyAchieved": pictures.STATUS_COLOURS["FullyAchieved"], "PartiallyAchieved": pictures.STATUS_COLOURS["PartiallyAchieved"],
               "NotAchieved": pictures.STATUS_COLOURS["NotAchieved"]}
    workload_rows = [(r["party"], _link(r["iri"]), {"FullyAchieved": r["fully_achieved"], "PartiallyAchieved": r["partially_achieved"],
                                                     "NotAchieved": r["not_achieved"]}) for r in results["workload"]]
    by_theme = []
    for theme, d in sorted(((n, d) for n, d in responsibility.nodes(data=True) if d["type"] == "theme"), key=lambda x: x[1]["label"]):
        counts = {s: 0 for s in STATUSES}
        for goal in responsibility.successors(theme):
            counts[responsibility.nodes[goal].get("status", "")] = counts.get(responsibility.nodes[goal].get("status", ""), 0) + 1
        by_theme.append((d["label"], _link(theme), counts))
    status_labels = {s: data.explorer(g.lang).item(str(KG) + s).label.value for s in STATUSES}
    return "analytics.html", {
        "results": results, "workload_chart": pictures.bar_chart(workload_rows, colours),
        "theme_chart": pictures.bar_chart(by_theme, colours), "status_labels": status_labels, "colours": colours,
        "risk": analytics.key_person_risk(responsibility), "jsonld": None,
    }


def ego_svg(iri: str, attributions: dict[str, set[str]] | None = None):
    """The ego picture of an agent page: the agent and everyone they share goals with."""
    data = _data()
    ego = ego_graph(data.store, data.base, iri, g.lang, attributions=attributions, cache=data.facts)
    if ego.number_of_nodes() < 2:
        return None
    return pictures.collaboration_svg(ego, _link, width=720, height=420, highlight=iri)


def download(path: str):
    name, _, ext = path[len("graphs/"):].partition(".")
    if name not in DOWNLOADS or ext not in EXTENSIONS:
        abort(404)
    data = _data()
    kind, only = DOWNLOADS[name]
    if kind == "responsibility":
        graph = responsibility_graph(data.store, data.base, g.lang)
    elif kind == "collaboration":
        graph = collaboration_graph(data.store, data.base, g.lang, kind=only)
    else:
        graph = organisation_graph(data.store, data.base, g.lang)
    fmt = EXTENSIONS[ext]
    return Response(export(graph, fmt), mimetype=FORMATS[fmt], headers={"Content-Disposition": f'attachment; filename="{name}.{ext}"'})

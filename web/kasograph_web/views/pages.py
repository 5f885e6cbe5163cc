"""The data's pages: home, goal, person/post/group, theme, status, search, any other resource."""

from __future__ import annotations

from flask import g

from kasograph.goaldata import GoalData
from kasograph.query.explore import AGENT_KINDS


def home(data: GoalData):
    return "home.html", {"home": data.home(g.lang), "jsonld": None}


def resource(data: GoalData, iri: str):
    """The page for any IRI the data describes, by its kind."""
    from kasograph_web.app import embedded_jsonld

    explorer = data.explorer(g.lang)
    kind = explorer.kind(iri)
    if kind == "goal":
        page = explorer.goal(iri)
        return "goal.html", {"page": page, "jsonld": embedded_jsonld(g.page_path, page.description)}
    if kind in AGENT_KINDS:
        from kasograph_web.views.graphs import ego_svg

        page = explorer.agent(iri)
        return "agent.html", {"page": page, "kind": kind, "jsonld": embedded_jsonld(g.page_path, page.description),
                              "ego": ego_svg(iri, page.attributions)}
    jsonld = embedded_jsonld(g.page_path)
    if kind == "theme":
        return "goals.html", {"page": explorer.theme(iri), "kind": kind, "jsonld": jsonld}
    if kind == "status":
        return "goals.html", {"page": explorer.status(iri), "kind": kind, "jsonld": jsonld}
    return "resource.html", {"page": explorer.resource(iri), "kind": kind, "jsonld": jsonld}


def search(data: GoalData, query: str):
    hits = data.search_index.search(query) if query.strip() else []
    explorer = data.explorer(g.lang)
    items = explorer.items([h.iri for h in hits])
    results = list(zip(items, hits))
    goals = explorer.with_status([i for i in items if i.kind == "goal"])  # noqa: SLF001 - adds status badges in place
    del goals
    return "search.html", {"query": query, "results": results, "jsonld": None}


def search_index(data: GoalData) -> list[dict]:
    """The search index as JSON for the static site, where no server answers queries."""
    from kasograph.publish.linked_data import local_path

    texts = data.search_index.texts()
    iris = sorted(texts)
    fi, en = data.explorer("fi"), data.explorer("en")
    labels_fi, labels_en, kinds = fi.labels(iris), en.labels(iris), fi.kinds(iris)
    return [{"path": local_path(iri, data.base), "kind": kinds[iri], "fi": labels_fi[iri].value, "en": labels_en[iri].value,
             "text": " ".join(text for _, text in texts[iri])} for iri in iris if local_path(iri, data.base)]

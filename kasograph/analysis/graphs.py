"""Who carries which goals, as networkx graphs built from the store with SPARQL.

* `responsibility_graph`: themes → goals → responsible parties (persons, posts,
  groups); goal → party edges carry the role (responsible person or body).
* `collaboration_graph`: parties linked when they share goals, weighted by the
  number of goals they share, the goals listed on the edge; `kind="person"` or
  `kind="group"` keeps only people or only groups.
* `organisation_graph`: city → division → units, groups and posts.

Every node carries `type`, `label`, `iri` and `path` (its viewer page, relative to
the site root); goals also `status` and `source`. Labels follow the language
fallback of the viewer.
"""

from __future__ import annotations

from itertools import combinations

import networkx as nx

from kasograph.model.iris import local_path
from kasograph.namespaces import KG
from kasograph.query.explore import Explorer, FactCache
from kasograph.store.engine import GoalStore

GROUP_KINDS = ("group", "unit", "division", "organisation")
ROLE_NAMES = {str(KG.ResponsiblePerson): "responsible person", str(KG.ResponsibleBody): "responsible body"}

_RESPONSIBILITY = """
SELECT ?theme ?goal ?status ?agent ?role ?source WHERE {
  ?goal a kg:Goal ; kg:theme ?theme ; kg:status ?status ;
        prov:qualifiedAttribution [ prov:agent ?agent ; dcat:hadRole ?role ] .
  OPTIONAL { ?goal prov:wasDerivedFrom ?source }
}
"""
_GOALS = "SELECT ?theme ?goal ?status ?source WHERE { ?goal a kg:Goal ; kg:theme ?theme ; kg:status ?status . OPTIONAL { ?goal prov:wasDerivedFrom ?source } }"
_ORGANISATION = """
SELECT DISTINCT ?child ?parent ?relation WHERE {
  { ?child org:unitOf ?parent BIND ("unit of" AS ?relation) }
  UNION { ?parent org:hasUnit ?child BIND ("unit of" AS ?relation) }
  UNION { ?child org:postIn ?parent BIND ("post in" AS ?relation) }
}
"""


class _Nodes:
    """Adds nodes with their kind, label and viewer path, looked up in bulk."""

    def __init__(self, store: GoalStore, base: str, lang: str, cache: FactCache | None = None):
        self.explorer = Explorer(store, lang, cache)
        self.base = base

    def add(self, graph: nx.Graph, iris: set[str], **fixed) -> None:
        iris = sorted(iris)
        labels, kinds = self.explorer.labels(iris), self.explorer.kinds(iris)
        for iri in iris:
            graph.add_node(iri, iri=iri, label=labels[iri].value, type=fixed.get("type", kinds.get(iri, "resource")),
                           path=local_path(iri, self.base) or "")


def _rows(store: GoalStore, sparql: str) -> list[dict[str, str]]:
    results = store.query(sparql)
    names = [v.value for v in results.variables]
    # A solution iterates its values in the order of the variables: twice as fast as row[name]. Sorted, so
    # that nodes and edges come in the same order from every engine (exports and pictures alike).
    rows = sorted(tuple(term.value if term is not None else "" for term in row) for row in results)
    return [dict(zip(names, row)) for row in rows]


def responsibility_graph(store: GoalStore, base: str, lang: str = "fi", *, theme: str | None = None,
                         status: str | None = None) -> nx.DiGraph:
    """Themes → goals → responsible parties; filtered to one theme or status (IRIs) when given."""
    rows = [r for r in _rows(store, _RESPONSIBILITY)
            if (theme is None or r["theme"] == theme) and (status is None or r["status"] == status)]
    goals = [r for r in _rows(store, _GOALS) if (theme is None or r["theme"] == theme) and (status is None or r["status"] == status)]
    graph = nx.DiGraph(name="responsibility")
    nodes = _Nodes(store, base, lang)
    nodes.add(graph, {r["theme"] for r in goals}, type="theme")
    nodes.add(graph, {r["goal"] for r in goals}, type="goal")
    nodes.add(graph, {r["agent"] for r in rows})
    status_labels = nodes.explorer.labels(sorted({r["status"] for r in goals}))
    for row in goals:
        graph.nodes[row["goal"]].update(status=row["status"].rsplit("#", 1)[-1], status_label=status_labels[row["status"]].value,
                                        source=row["source"])
        graph.add_edge(row["theme"], row["goal"], relation="theme")
    for row in rows:
        graph.add_edge(row["goal"], row["agent"], relation="responsible", role=ROLE_NAMES.get(row["role"], row["role"]))
    return graph


def collaboration_graph(store: GoalStore, base: str, lang: str = "fi", *, kind: str = "all",
                        responsibility: nx.DiGraph | None = None) -> nx.Graph:
    """Parties linked by the goals they share: `weight` = shared goals, `goals` = their IRIs.

    `kind`: "all", "person" (people only) or "group" (groups and units only). Pass the
    `responsibility` graph when you have it already: it is what this one is made from.
    """
    if responsibility is None:
        responsibility = responsibility_graph(store, base, lang)
    graph = nx.Graph(name=f"collaboration ({kind})")

    def keep(node: str) -> bool:
        node_type = responsibility.nodes[node]["type"]
        return kind == "all" or (kind == "person" and node_type == "person") or (kind == "group" and node_type in GROUP_KINDS)

    for node, data in responsibility.nodes(data=True):
        if data["type"] not in ("theme", "goal") and keep(node):
            graph.add_node(node, **{k: v for k, v in data.items()})
    for goal, data in responsibility.nodes(data=True):
        if data["type"] != "goal":
            continue
        parties = sorted(a for a in responsibility.successors(goal) if a in graph)
        for a, b in combinations(parties, 2):
            if graph.has_edge(a, b):
                graph[a][b]["weight"] += 1
                graph[a][b]["goals"].append(goal)
            else:
                graph.add_edge(a, b, weight=1, goals=[goal])
    for node in graph.nodes:
        graph.nodes[node]["goals"] = responsibility.in_degree(node) if node in responsibility else 0
    return graph


#: The party's goals and every party of each (the shapes hold prov:wasAttributedTo and the qualified
#: attributions in step; the first is one lookup where the second takes two).
_EGO_GOALS = "SELECT ?goal ?agent WHERE { ?goal prov:wasAttributedTo <%s> . ?goal prov:wasAttributedTo ?agent }"
_GOAL_COUNTS = "SELECT ?party (COUNT(DISTINCT ?goal) AS ?goals) WHERE { VALUES ?party { %s } ?goal prov:wasAttributedTo ?party } GROUP BY ?party"
#: Partners an ego picture shows at most (those who share the most goals): a force layout of hundreds
#: of parties costs seconds and draws a blot.
EGO_PARTNERS = 40


def ego_graph(store: GoalStore, base: str, party: str, lang: str = "fi", *, partners: int | None = EGO_PARTNERS,
              attributions: dict[str, set[str]] | None = None, cache: FactCache | None = None) -> nx.Graph:
    """The party, everyone it shares goals with, and how they are linked through the party's goals.

    Read from the party outwards, so it costs the same at any size of store (the whole collaboration
    graph takes seconds at a million triples). Unlike `analytics.ego_network` of the collaboration
    graph, two partners are linked only by the goals they share with the party: the goals they share
    elsewhere would mean reading every partner's goals, and a partner may be a management team with
    hundreds. `weight` and `goals` on a link as in the collaboration graph; `goals` on a node is all the
    party's goals. `partners` keeps only those who share the most goals with the party (None: all).
    `attributions` (the party's goals → all their parties, as `AgentPage.attributions` has them) saves
    reading them again; `cache` shares the labels and kinds a page has read already.
    """
    graph = nx.Graph(name="ego")
    if not party or party.startswith("_:"):
        return graph
    agents_of: dict[str, set[str]] = {}
    if attributions is not None:
        agents_of = {goal: set(parties) for goal, parties in attributions.items()}
    else:
        for row in _rows(store, _EGO_GOALS % party):
            agents_of.setdefault(row["goal"], set()).add(row["agent"])
    shared: dict[str, int] = {}
    for agents in agents_of.values():
        for agent in agents - {party}:
            shared[agent] = shared.get(agent, 0) + 1
    if not agents_of:
        return graph
    chosen = sorted(shared, key=lambda a: (-shared[a], a))[:partners] if partners is not None else list(shared)
    members = {party, *chosen}
    _Nodes(store, base, lang, cache).add(graph, members)  # in IRI order, so that the layout does not depend on the query
    for goal in sorted(agents_of):
        for a, b in combinations(sorted(agents_of[goal] & members), 2):
            if graph.has_edge(a, b):
                graph[a][b]["weight"] += 1
                graph[a][b]["goals"].append(goal)
            else:
                graph.add_edge(a, b, weight=1, goals=[goal])
    # How many goals each party has: a group may have hundreds to count, and the same groups are partners on many pages.
    counts = cache.goal_counts if cache is not None else {}
    missing = sorted(m for m in members if m not in counts)
    if missing:
        found = {r["party"]: int(r["goals"]) for r in _rows(store, _GOAL_COUNTS % " ".join(f"<{m}>" for m in missing))}
        counts.update({m: found.get(m, 0) for m in missing})
    for member in members:
        graph.nodes[member]["goals"] = counts[member]
    return graph


def organisation_graph(store: GoalStore, base: str, lang: str = "fi") -> nx.DiGraph:
    """City → division → units, groups and posts (edges point from the whole to its part)."""
    rows = _rows(store, _ORGANISATION)
    graph = nx.DiGraph(name="organisation")
    _Nodes(store, base, lang).add(graph, {r["child"] for r in rows} | {r["parent"] for r in rows})
    for row in rows:
        graph.add_edge(row["parent"], row["child"], relation=row["relation"])
    return graph


_THEMES = "SELECT DISTINCT ?theme WHERE { ?goal a kg:Goal ; kg:theme ?theme }"


def goal_themes(store: GoalStore) -> list[str]:
    """The themes that have goals (IRIs): what `responsibility_graph(theme=…)` can show."""
    return [row["theme"].value for row in store.query(_THEMES)]


def _summary(graph: nx.Graph, node: str) -> dict:
    data = graph.nodes[node]
    return {"iri": node, "label": data["label"], "type": data["type"], "path": data.get("path", "")}


def _by_label(graph: nx.Graph, nodes) -> list[str]:
    return sorted(nodes, key=lambda n: (graph.nodes[n]["label"].casefold(), n))


def responsibility_outline(graph: nx.DiGraph) -> list[dict]:
    """The responsibility graph as a nested list, to read without its picture: themes → goals → parties.

    Each level by label; a goal carries its `status` and `status_label`, a party its `role` for that goal
    (as on the edge). Every item has `iri`, `label`, `type` and `path`, as the graph's nodes do.
    """
    themes = _by_label(graph, (n for n, d in graph.nodes(data=True) if d["type"] == "theme"))
    return [{**_summary(graph, theme), "goals": [_outline_goal(graph, goal) for goal in _by_label(graph, graph.successors(theme))]}
            for theme in themes]


def _outline_goal(graph: nx.DiGraph, goal: str) -> dict:
    data = graph.nodes[goal]
    parties = [{**_summary(graph, party), "role": graph[goal][party].get("role", "")} for party in _by_label(graph, graph.successors(goal))]
    return {**_summary(graph, goal), "status": data.get("status", ""), "status_label": data.get("status_label", ""), "parties": parties}


def partner_lists(graph: nx.Graph) -> list[dict]:
    """Each party of a collaboration (or ego) graph by label, with its `partners`: those it shares goals with,
    the most shared first, each with `shared` (the number of goals). Parties who share none have no partners."""
    def partner(node: str, other: str) -> dict:
        return {**_summary(graph, other), "shared": graph[node][other].get("weight", 1)}

    return [{**_summary(graph, node), "goals": graph.nodes[node].get("goals", 0),
             "partners": sorted((partner(node, other) for other in graph[node]), key=lambda p: (-p["shared"], p["label"].casefold()))}
            for node in _by_label(graph, graph.nodes)]

"""All analytics at once, as JSON-ready rows: what `kasograph analyse` and the analytics page show."""

from __future__ import annotations

import networkx as nx

from kasograph.analysis import analytics
from kasograph.analysis.graphs import collaboration_graph, responsibility_graph
from kasograph.store.engine import GoalStore
from kasograph.vocabulary import status_names


def analyses(store: GoalStore, base: str, lang: str = "fi", only: str | None = None,
             responsibility: nx.DiGraph | None = None) -> dict[str, list[dict]]:
    """Every analysis (or `only` one) of the store; pass a responsibility graph already built to reuse it."""
    if responsibility is None:
        responsibility = responsibility_graph(store, base, lang)
    collaboration = collaboration_graph(store, base, lang, responsibility=responsibility)
    risk = analytics.key_person_risk(responsibility)
    everything = {
        "workload": lambda: analytics.workload(responsibility),
        "centrality": lambda: analytics.centrality(collaboration),
        "key-person-risk": lambda: [{"kind": "only party", "person": r["person"], "goals": 1, "goal_labels": [r["goal"]],
                                     "iri": r["person_iri"], "goal_iris": [r["goal_iri"]]} for r in risk["single_party_goals"]]
        + [{"kind": "only named person", **r} for r in risk["sole_named_person"]],
        "theme-coverage": lambda: analytics.theme_coverage(responsibility),
        "communities": lambda: analytics.communities(collaboration),
    }
    return {name: compute() for name, compute in everything.items() if only in (None, name)}


def goals_by_theme(responsibility: nx.DiGraph) -> list[tuple[str, str, dict[str, int]]]:
    """(theme IRI, label, goals by status name) for each theme of a responsibility graph, by label; every
    status of the vocabulary is counted, in its order (a goal without one under "")."""
    themes = sorted(((n, d) for n, d in responsibility.nodes(data=True) if d["type"] == "theme"), key=lambda x: x[1]["label"])
    rows = []
    for theme, data in themes:
        counts = {name: 0 for name in status_names()}
        for goal in responsibility.successors(theme):
            status = responsibility.nodes[goal].get("status", "")
            counts[status] = counts.get(status, 0) + 1
        rows.append((theme, data["label"], counts))
    return rows

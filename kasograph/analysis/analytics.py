"""What the responsibility and collaboration graphs say about the organisation.

Each function takes graphs from `kasograph.analysis.graphs` and returns plain rows
(lists of dicts), so that the command line, the viewer and a notebook show the
same numbers.
"""

from __future__ import annotations

import re
from collections import Counter

import networkx as nx

from kasograph.analysis.graphs import GROUP_KINDS
from kasograph.vocabulary import status_names


def _parties(responsibility: nx.DiGraph) -> list[str]:
    return [n for n, d in responsibility.nodes(data=True) if d["type"] not in ("theme", "goal")]


def _goals_of(responsibility: nx.DiGraph, party: str) -> list[str]:
    return sorted(responsibility.predecessors(party))


def workload(responsibility: nx.DiGraph) -> list[dict]:
    """How many goals each party carries, and how they went.

    A party with many goals, or with many goals only partly achieved, may be
    overloaded; one with few may have room. Counted as responsible person and as
    responsible body separately, because being named and being the body differ.
    """
    rows = []
    for party in _parties(responsibility):
        goals = _goals_of(responsibility, party)
        statuses = Counter(responsibility.nodes[g].get("status", "") for g in goals)
        roles = Counter(responsibility.edges[g, party].get("role", "") for g in goals)
        data = responsibility.nodes[party]
        rows.append({"party": data["label"], "type": data["type"], "iri": party, "goals": len(goals),
                     **{status_key(name): statuses.get(name, 0) for name in status_names()},
                     "as_person": roles.get("responsible person", 0), "as_body": roles.get("responsible body", 0)})
    return sorted(rows, key=lambda r: (-r["goals"], r["party"].casefold()))


def centrality(collaboration: nx.Graph) -> list[dict]:
    """Degree and betweenness centrality in the collaboration graph.

    Degree: with how many other parties one shares goals (and, weighted, how many
    shared goals). Betweenness: how often one stands on the shortest path between
    two others — the people and groups through whom the organisation's joint work
    connects, whose absence would split it. Above 2,000 parties it is estimated
    from 500 sampled sources.
    """
    # Exact betweenness costs O(nodes × edges): beyond a few thousand parties, estimate it
    # from a seeded sample of 500 sources (networkx's standard approximation).
    sample = min(500, collaboration.number_of_nodes()) if collaboration.number_of_nodes() > 2000 else None
    betweenness = nx.betweenness_centrality(collaboration, normalized=True, k=sample, seed=1 if sample else None)
    rows = [{"party": collaboration.nodes[n]["label"], "type": collaboration.nodes[n]["type"], "iri": n,
             "partners": collaboration.degree(n), "shared_goals": collaboration.degree(n, weight="weight"),
             "betweenness": round(betweenness[n], 4)} for n in collaboration.nodes]
    return sorted(rows, key=lambda r: (-r["betweenness"], -r["partners"], r["party"].casefold()))


def key_person_risk(responsibility: nx.DiGraph) -> dict[str, list[dict]]:
    """Where goals hang on one person.

    `single_party_goals`: goals whose only responsible party is one person — no
    other person, post or group shares them. `sole_named_person`: people whose
    absence would leave goals with no named person at all (posts and groups may
    still be responsible, but nobody by name).
    """
    single, sole = [], {}
    for goal, data in responsibility.nodes(data=True):
        if data["type"] != "goal":
            continue
        parties = list(responsibility.successors(goal))
        persons = [p for p in parties if responsibility.nodes[p]["type"] == "person"]
        if len(parties) == 1 and len(persons) == 1:
            single.append({"goal": data["label"], "goal_iri": goal, "person": responsibility.nodes[persons[0]]["label"],
                           "person_iri": persons[0]})
        if len(persons) == 1:
            sole.setdefault(persons[0], []).append(goal)
    people = [{"person": responsibility.nodes[p]["label"], "iri": p, "goals": len(goals),
               "goal_labels": [responsibility.nodes[g]["label"] for g in sorted(goals)], "goal_iris": sorted(goals)}
              for p, goals in sole.items()]
    return {"single_party_goals": sorted(single, key=lambda r: r["person"]),
            "sole_named_person": sorted(people, key=lambda r: (-r["goals"], r["person"]))}


def theme_coverage(responsibility: nx.DiGraph) -> list[dict]:
    """Which strategy themes each group works on, and what share of all themes that is.

    A group that covers many themes works across the strategy; one that covers a
    single theme is specialised.
    """
    themes = [n for n, d in responsibility.nodes(data=True) if d["type"] == "theme"]
    theme_of = {g: t for t in themes for g in responsibility.successors(t)}
    rows = []
    for party in _parties(responsibility):
        if responsibility.nodes[party]["type"] not in GROUP_KINDS + ("post",):
            continue
        covered = Counter(theme_of[g] for g in _goals_of(responsibility, party) if g in theme_of)
        rows.append({"group": responsibility.nodes[party]["label"], "type": responsibility.nodes[party]["type"], "iri": party,
                     "themes": len(covered), "share": round(len(covered) / len(themes), 3) if themes else 0.0,
                     "goals_by_theme": {responsibility.nodes[t]["label"]: n for t, n in sorted(covered.items())}})
    return sorted(rows, key=lambda r: (-r["themes"], r["group"].casefold()))


def communities(collaboration: nx.Graph, seed: int = 1) -> list[dict]:
    """Groups of parties that work together more with each other than with the rest (Louvain, seeded)."""
    found = nx.community.louvain_communities(collaboration, weight="weight", seed=seed) if collaboration.number_of_edges() else [
        {n} for n in collaboration.nodes]
    rows = [{"community": i + 1, "size": len(members),
             "members": sorted(collaboration.nodes[m]["label"] for m in members), "iris": sorted(members)}
            for i, members in enumerate(sorted(found, key=lambda c: (-len(c), sorted(c))))]
    return rows


def ego_network(collaboration: nx.Graph, party: str, radius: int = 1) -> nx.Graph:
    """The party and everyone within `radius` shared-goal steps: whom they work with."""
    if party not in collaboration:
        return nx.Graph()
    return nx.ego_graph(collaboration, party, radius=radius)


def status_key(name: str) -> str:
    """A status's column in the rows: "FullyAchieved" → "fully_achieved"."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()

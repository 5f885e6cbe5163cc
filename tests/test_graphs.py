"""The graphs of who carries which goals: their shapes, analytics, exports, pictures and a 500-goal store.

The expected numbers are counted by hand from `data/vantaa-kaso-2021/goals.csv`
(how, in the comment beside each), not from the code under test.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from itertools import combinations
from urllib.parse import urljoin, urlsplit

import networkx as nx
import pytest
from kasograph_web import pictures

from kasograph.analysis import analytics
from kasograph.analysis.exports import export
from kasograph.analysis.graphs import collaboration_graph, ego_graph, organisation_graph, responsibility_graph
from kasograph.analysis.report import analyses
from kasograph.cli import main
from kasograph.namespaces import DEFAULT_BASE

SVG_NS = "{http://www.w3.org/2000/svg}"
GOAL = DEFAULT_BASE + "goal/vantaa-kaso-2021/"
DOCUMENT = DEFAULT_BASE + "document/vantaa-kaso-2021"

# Hand counts from goals.csv ------------------------------------------------------------------------------
# Row by row: the names in column "Vastuuhenkilö(t)" (split at "," and "&") are the responsible persons, the names
# in column "Vastuutaho" the responsible bodies. Written as the graph labels them ("Palvelualuejohtajat" is
# capitalised once in the table; the post is one and the same).
RESPONSIBLE = {
    "oppimiskampus": (["Ari Ranki"], []),
    "oppivelvollisuus": (["Ari Ranki"], ["Opintopolut ja ohjaus kehittämisryhmä"]),
    "perhekeskus": (["Sole Askola-Vehviläinen", "Ilkka Kalo", "Anders Vikström"], ["Opiskeluhuolto ja hyvinvointi kehittämisryhmä"]),
    "huoltajien-osallisuus": (["Ilkka Kalo", "Sole Askola-Vehviläinen", "Anders Vikström", "Tuija Harakka", "osallisuusasiantuntija"], []),
    "mielenterveysosaaminen": (["Tuija Harakka"], ["Opiskeluhuolto ja hyvinvointi kehittämisryhmä"]),
    "monikieliset-opintopolut": (["Ilkka Kalo", "Sole Askola-Vehviläinen", "Anders Vikström"], ["Monikulttuurisuus kehittämisryhmä"]),
    "yhteisollinen-hyvinvointi": (["palvelualuejohtajat"], []),
    "etaopetus": (["Sole Askola-Vehviläinen", "Ilkka Kalo", "Ari Ranki", "Anders Vikström"], ["tvt-kehittämisryhmä"]),
    "tiedolla-johtaminen": (["Eila Tanninen", "Tuija Harakka", "palvelualuejohtajat"], ["tvt-kehittämisryhmä", "Osaaminen-kehittämisryhmä"]),
    "kehittamisryhmat": (["Katri Kalske", "KASOn johtoryhmä"], []),
}
# Column "Teema": 1 + 1 + 5 + 1 + 2 rows.
THEMES = {
    "Tiivistämme kaupunkia lähiluontoa vaalien": {"oppimiskampus"},
    "Lisäämme kaupungin elinvoimaa ja vetovoimaa": {"oppivelvollisuus"},
    "Edistämme asukkaiden hyvinvointia": {"perhekeskus", "huoltajien-osallisuus", "mielenterveysosaaminen",
                                          "monikieliset-opintopolut", "yhteisollinen-hyvinvointi"},
    "Olemme edelläkävijöitä palvelujen kehittämisessä": {"etaopetus"},
    "Johdamme uudistuen ja osallistuen": {"tiedolla-johtaminen", "kehittamisryhmat"},
}
# Column "Tila": "Toteutuu osittain" in these two rows, "Toteutuu täysin" in the other eight.
PARTIAL = {"mielenterveysosaaminen", "yhteisollinen-hyvinvointi"}
PERSONS = {"Anders Vikström", "Ilkka Kalo", "Sole Askola-Vehviläinen", "Ari Ranki", "Tuija Harakka", "Eila Tanninen", "Katri Kalske"}
POSTS = {"palvelualuejohtajat", "osallisuusasiantuntija"}
GROUPS = {"Opintopolut ja ohjaus kehittämisryhmä", "Opiskeluhuolto ja hyvinvointi kehittämisryhmä", "Monikulttuurisuus kehittämisryhmä",
          "tvt-kehittämisryhmä", "Osaaminen-kehittämisryhmä", "KASOn johtoryhmä"}
# Rows in which each name appears (either column); in brackets how many of those rows are "Toteutuu osittain".
# Anders, Ilkka, Sole: perhekeskus, huoltajien-osallisuus, monikieliset-opintopolut, etaopetus = 4 (0).
# Ari: oppimiskampus, oppivelvollisuus, etaopetus = 3 (0). Tuija: huoltajien-osallisuus, mielenterveysosaaminen,
# tiedolla-johtaminen = 3 (1: mielenterveysosaaminen). Eila: tiedolla-johtaminen = 1. Katri: kehittamisryhmat = 1.
WORKLOAD_PERSONS = {"Anders Vikström": (4, 0), "Ilkka Kalo": (4, 0), "Sole Askola-Vehviläinen": (4, 0), "Ari Ranki": (3, 0),
                    "Tuija Harakka": (3, 1), "Eila Tanninen": (1, 0), "Katri Kalske": (1, 0)}
# The same for posts and groups: palvelualuejohtajat yhteisollinen-hyvinvointi (osittain) + tiedolla-johtaminen;
# Opiskeluhuolto perhekeskus + mielenterveysosaaminen (osittain); tvt etaopetus + tiedolla-johtaminen; the rest one row.
WORKLOAD_OTHERS = {"palvelualuejohtajat": (2, 1), "Opiskeluhuolto ja hyvinvointi kehittämisryhmä": (2, 1), "tvt-kehittämisryhmä": (2, 0),
                   "osallisuusasiantuntija": (1, 0), "KASOn johtoryhmä": (1, 0), "Monikulttuurisuus kehittämisryhmä": (1, 0),
                   "Opintopolut ja ohjaus kehittämisryhmä": (1, 0), "Osaaminen-kehittämisryhmä": (1, 0)}
# People sharing rows: perhekeskus {S, I, A}, huoltajien {I, S, A, T}, monikieliset {I, S, A}, etaopetus {S, I, R, A},
# tiedolla-johtaminen {E, T}. Pairs: AI AS IS (in all four rows of A, I, S), AT IT ST, AR IR SR, ET = 10.
PERSON_PAIRS = {
    frozenset(p): w for p, w in [
        (("Anders Vikström", "Ilkka Kalo"), 4), (("Anders Vikström", "Sole Askola-Vehviläinen"), 4),
        (("Ilkka Kalo", "Sole Askola-Vehviläinen"), 4), (("Anders Vikström", "Tuija Harakka"), 1), (("Ilkka Kalo", "Tuija Harakka"), 1),
        (("Sole Askola-Vehviläinen", "Tuija Harakka"), 1), (("Anders Vikström", "Ari Ranki"), 1), (("Ilkka Kalo", "Ari Ranki"), 1),
        (("Sole Askola-Vehviläinen", "Ari Ranki"), 1), (("Eila Tanninen", "Tuija Harakka"), 1)]
}


def by_label(graph: nx.Graph) -> dict[str, str]:
    return {data["label"]: node for node, data in graph.nodes(data=True)}


def label_of(graph: nx.Graph, node: str) -> str:
    return graph.nodes[node]["label"]


@pytest.fixture(scope="module")
def responsibility(store):
    return responsibility_graph(store, DEFAULT_BASE)


@pytest.fixture(scope="module")
def collaboration(store, responsibility):
    return collaboration_graph(store, DEFAULT_BASE, responsibility=responsibility)


@pytest.fixture(scope="module")
def graphs(store, responsibility, collaboration):
    return {"responsibility": responsibility, "collaboration": collaboration,
            "organisation": organisation_graph(store, DEFAULT_BASE)}


def test_the_hand_counts_agree_with_each_other():
    """31 responsibility cells = the sum of the workloads; 10 rows in 5 themes."""
    assert sum(len(p) + len(b) for p, b in RESPONSIBLE.values()) == 31
    assert sum(n for n, _ in (WORKLOAD_PERSONS | WORKLOAD_OTHERS).values()) == 31
    assert set().union(*THEMES.values()) == set(RESPONSIBLE) and sum(map(len, THEMES.values())) == 10


# Graph shapes ----------------------------------------------------------------------------------------------
def test_responsibility_graph_has_themes_goals_and_parties(responsibility):
    types = [d["type"] for _, d in responsibility.nodes(data=True)]
    assert (types.count("theme"), types.count("goal")) == (5, 10)
    assert len(types) - types.count("theme") - types.count("goal") == 15
    labels = by_label(responsibility)
    assert {label for label, node in labels.items() if responsibility.nodes[node]["type"] == "person"} == PERSONS
    assert {label for label, node in labels.items() if responsibility.nodes[node]["type"] == "post"} == POSTS
    assert {label for label, node in labels.items() if responsibility.nodes[node]["type"] == "group"} == GROUPS
    relations = [d["relation"] for _, _, d in responsibility.edges(data=True)]
    assert (relations.count("theme"), relations.count("responsible"), len(relations)) == (10, 31, 41)
    themed = {(label_of(responsibility, a), b.removeprefix(GOAL)) for a, b, d in responsibility.edges(data=True) if d["relation"] == "theme"}
    assert themed == {(theme, goal) for theme, goals in THEMES.items() for goal in goals}


def test_responsibility_edges_carry_the_column_as_role(responsibility):
    found = {(a.removeprefix(GOAL), label_of(responsibility, b), d["role"])
             for a, b, d in responsibility.edges(data=True) if d["relation"] == "responsible"}
    expected = {(goal, name, "responsible person") for goal, (persons, _) in RESPONSIBLE.items() for name in persons}
    expected |= {(goal, name, "responsible body") for goal, (_, bodies) in RESPONSIBLE.items() for name in bodies}
    assert found == expected
    body = DEFAULT_BASE + "group/vantaa/kaso/opintopolut-ja-ohjaus-kehittamisryhma"
    assert responsibility.edges[GOAL + "oppivelvollisuus", body]["role"] == "responsible body"
    assert label_of(responsibility, body) == "Opintopolut ja ohjaus kehittämisryhmä"
    assert responsibility.edges[GOAL + "oppivelvollisuus", DEFAULT_BASE + "person/vantaa/ari-ranki"]["role"] == "responsible person"


def test_nodes_carry_type_label_path_and_goals_status_and_source(responsibility, client):
    for node, data in responsibility.nodes(data=True):
        assert data["iri"] == node and data["label"] and data["type"]
        assert data["path"] == node.removeprefix(DEFAULT_BASE) and client.get(f"/{data['path']}.html").status_code == 200
        if data["type"] == "goal":
            assert data["status"] == ("PartiallyAchieved" if node.removeprefix(GOAL) in PARTIAL else "FullyAchieved")
            assert data["status_label"] == ("Toteutuu osittain" if data["status"] == "PartiallyAchieved" else "Toteutuu täysin")
            assert data["source"] == DOCUMENT
    assert label_of(responsibility, GOAL + "oppimiskampus") == (
        "Tehdään oppimiskampuksen esiselvitys toimialan osalta ja kartoitetaan yhteistyökumppanit")


def test_filtered_responsibility_graphs(store):
    partial = responsibility_graph(store, DEFAULT_BASE, status="https://w3id.org/kasograph/def#PartiallyAchieved")
    goals = {n.removeprefix(GOAL) for n, d in partial.nodes(data=True) if d["type"] == "goal"}
    assert goals == PARTIAL
    parties = {d["label"] for _, d in partial.nodes(data=True) if d["type"] not in ("theme", "goal")}
    assert parties == {name for g in PARTIAL for column in RESPONSIBLE[g] for name in column}
    theme = DEFAULT_BASE + "theme/vantaa/edistamme-asukkaiden-hyvinvointia"
    wellbeing = responsibility_graph(store, DEFAULT_BASE, theme=theme)
    assert {n.removeprefix(GOAL) for n, d in wellbeing.nodes(data=True) if d["type"] == "goal"} == THEMES["Edistämme asukkaiden hyvinvointia"]
    assert [n for n, d in wellbeing.nodes(data=True) if d["type"] == "theme"] == [theme]


def test_collaboration_graph_of_everyone(collaboration):
    assert set(by_label(collaboration)) == PERSONS | POSTS | GROUPS
    # Per row C(parties, 2): 0+1+6+10+1+6+0+10+10+1 = 45, less 3 × 3 repeats of the pairs of Anders, Ilkka and Sole.
    assert collaboration.number_of_edges() == 36
    goals = {d["label"]: d["goals"] for _, d in collaboration.nodes(data=True)}
    assert goals == {name: n for name, (n, _) in (WORKLOAD_PERSONS | WORKLOAD_OTHERS).items()}
    for a, b, data in collaboration.edges(data=True):
        assert data["weight"] == len(data["goals"]) == len(set(data["goals"]))


def test_collaboration_of_people_only(store):
    people = collaboration_graph(store, DEFAULT_BASE, kind="person")
    assert set(by_label(people)) == PERSONS and people.number_of_edges() == 10
    pairs = {frozenset((label_of(people, a), label_of(people, b))): d["weight"] for a, b, d in people.edges(data=True)}
    assert pairs == PERSON_PAIRS
    anders, ilkka = DEFAULT_BASE + "person/vantaa/anders-vikstrom", DEFAULT_BASE + "person/vantaa/ilkka-kalo"
    edge = people.edges[anders, ilkka]
    assert edge["weight"] == 4
    assert sorted(edge["goals"]) == [GOAL + g for g in ("etaopetus", "huoltajien-osallisuus", "monikieliset-opintopolut", "perhekeskus")]


def test_collaboration_of_groups_only(store):
    groups = collaboration_graph(store, DEFAULT_BASE, kind="group")
    # Posts are not groups; the only row naming two groups is tiedolla-johtaminen (tvt + Osaaminen).
    assert set(by_label(groups)) == GROUPS
    assert [(frozenset((label_of(groups, a), label_of(groups, b))), d["weight"], d["goals"]) for a, b, d in groups.edges(data=True)] == [
        (frozenset({"tvt-kehittämisryhmä", "Osaaminen-kehittämisryhmä"}), 1, [GOAL + "tiedolla-johtaminen"])]


def test_organisation_graph(graphs):
    organisation = graphs["organisation"]
    edges = {(label_of(organisation, a), label_of(organisation, b)) for a, b in organisation.edges}
    assert edges == {("Vantaa", "Kasvatus ja oppiminen")} | {("Kasvatus ja oppiminen", part) for part in GROUPS | POSTS}
    assert organisation.nodes[DEFAULT_BASE + "org/vantaa"]["type"] == "organisation"
    assert organisation.nodes[DEFAULT_BASE + "org/vantaa/kaso"]["type"] == "division"
    relations = {label_of(organisation, b): d["relation"] for _, b, d in organisation.edges(data=True)}
    assert {name for name, r in relations.items() if r == "post in"} == POSTS


# Analytics against the table ------------------------------------------------------------------------------
def test_workload(responsibility):
    rows = {r["party"]: r for r in analytics.workload(responsibility)}
    assert len(rows) == 15
    assert {name: (rows[name]["goals"], rows[name]["partially_achieved"]) for name in PERSONS} == WORKLOAD_PERSONS
    assert {name: (rows[name]["goals"], rows[name]["partially_achieved"]) for name in POSTS | GROUPS} == WORKLOAD_OTHERS
    assert rows["Tuija Harakka"]["fully_achieved"] == 2 and rows["Tuija Harakka"]["not_achieved"] == 0
    # Column "Vastuutaho" names tvt-kehittämisryhmä twice; KASOn johtoryhmä stands in "Vastuuhenkilö(t)".
    assert (rows["tvt-kehittämisryhmä"]["as_body"], rows["tvt-kehittämisryhmä"]["as_person"]) == (2, 0)
    assert (rows["KASOn johtoryhmä"]["as_body"], rows["KASOn johtoryhmä"]["as_person"]) == (0, 1)
    ordered = [r["goals"] for r in analytics.workload(responsibility)]
    assert ordered == sorted(ordered, reverse=True)


def test_goals_without_a_named_person(responsibility):
    # Only yhteisollinen-hyvinvointi names no person: its one cell says "Palvelualuejohtajat", a post.
    nameless = {g.removeprefix(GOAL) for g, d in responsibility.nodes(data=True)
                if d["type"] == "goal" and not any(responsibility.nodes[p]["type"] == "person" for p in responsibility.successors(g))}
    assert nameless == {"yhteisollinen-hyvinvointi"}
    assert [label_of(responsibility, p) for p in responsibility.successors(GOAL + "yhteisollinen-hyvinvointi")] == ["palvelualuejohtajat"]


def test_pairs_sharing_the_most_goals(store):
    people = collaboration_graph(store, DEFAULT_BASE, kind="person")
    most = max(w for _, _, w in people.edges(data="weight"))
    top = {frozenset((label_of(people, a), label_of(people, b))) for a, b, w in people.edges(data="weight") if w == most}
    assert most == 4
    assert top == {frozenset(p) for p in combinations(["Anders Vikström", "Ilkka Kalo", "Sole Askola-Vehviläinen"], 2)}


def test_key_person_risk(responsibility):
    risk = analytics.key_person_risk(responsibility)
    # oppimiskampus: Ari Ranki and an empty "Vastuutaho" — the only row with a single name at all, and that a person.
    assert [(r["goal_iri"], r["person"]) for r in risk["single_party_goals"]] == [(GOAL + "oppimiskampus", "Ari Ranki")]
    # Rows whose only person is one name: oppimiskampus, oppivelvollisuus (Ari), kehittamisryhmat (Katri, with
    # KASOn johtoryhmä), mielenterveysosaaminen (Tuija, with a group). tiedolla-johtaminen has Eila and Tuija.
    sole = {r["person"]: [g.removeprefix(GOAL) for g in r["goal_iris"]] for r in risk["sole_named_person"]}
    assert sole == {"Ari Ranki": ["oppimiskampus", "oppivelvollisuus"], "Katri Kalske": ["kehittamisryhmat"],
                    "Tuija Harakka": ["mielenterveysosaaminen"]}
    assert [r["person"] for r in risk["sole_named_person"]][0] == "Ari Ranki"
    assert all(r["goals"] == len(r["goal_iris"]) == len(r["goal_labels"]) for r in risk["sole_named_person"])


def test_theme_coverage(responsibility):
    rows = {r["group"]: r for r in analytics.theme_coverage(responsibility)}
    assert set(rows) == GROUPS | POSTS
    # tvt: etaopetus (Olemme edelläkävijöitä…) and tiedolla-johtaminen (Johdamme…) = 2 of 5 themes.
    tvt = rows["tvt-kehittämisryhmä"]
    assert (tvt["themes"], tvt["share"]) == (2, 0.4)
    assert tvt["goals_by_theme"] == {"Olemme edelläkävijöitä palvelujen kehittämisessä": 1, "Johdamme uudistuen ja osallistuen": 1}
    # palvelualuejohtajat: yhteisollinen-hyvinvointi (Edistämme…) and tiedolla-johtaminen (Johdamme…) = 2.
    assert rows["palvelualuejohtajat"]["themes"] == 2
    # Opiskeluhuolto: perhekeskus and mielenterveysosaaminen, both Edistämme… = 1 theme, 2 goals.
    assert rows["Opiskeluhuolto ja hyvinvointi kehittämisryhmä"]["goals_by_theme"] == {"Edistämme asukkaiden hyvinvointia": 2}
    assert all(r["themes"] == 1 for name, r in rows.items() if name not in ("tvt-kehittämisryhmä", "palvelualuejohtajat"))


def test_communities_partition_every_party_once(collaboration):
    found = analytics.communities(collaboration)
    members = [iri for community in found for iri in community["iris"]]
    assert len(members) == len(set(members)) == 15 and set(members) == set(collaboration)
    assert sorted(name for c in found for name in c["members"]) == sorted(PERSONS | POSTS | GROUPS)
    assert all(c["size"] == len(c["iris"]) for c in found)
    assert analytics.communities(collaboration) == found  # seeded: the same every time


def test_centrality_rows_for_every_party(collaboration):
    rows = {r["party"]: r for r in analytics.centrality(collaboration)}
    assert set(rows) == PERSONS | POSTS | GROUPS
    assert all(0.0 <= r["betweenness"] <= 1.0 for r in rows.values())
    # Tuija: huoltajien (I, S, A, osallisuusasiantuntija) + mielenterveys (Opiskeluhuolto) + tiedolla (E, palvelualuejohtajat,
    # tvt, Osaaminen) = 9 partners, one shared goal each. Anders: S, I, Opiskeluhuolto | I, S, T, osallisuusasiantuntija |
    # I, S, Monikulttuurisuus | S, I, R, tvt = 8 partners, 3 + 4 + 3 + 4 = 14 shared goals.
    assert (rows["Tuija Harakka"]["partners"], rows["Tuija Harakka"]["shared_goals"]) == (9, 9)
    assert (rows["Anders Vikström"]["partners"], rows["Anders Vikström"]["shared_goals"]) == (8, 14)
    # Katri and KASOn johtoryhmä only have each other: nobody's shortest path runs through them.
    assert (rows["Katri Kalske"]["partners"], rows["Katri Kalske"]["betweenness"]) == (1, 0.0)


def test_ego_network(collaboration):
    ego = analytics.ego_network(collaboration, DEFAULT_BASE + "person/vantaa/katri-kalske")
    assert {label_of(ego, n) for n in ego} == {"Katri Kalske", "KASOn johtoryhmä"}
    assert analytics.ego_network(collaboration, DEFAULT_BASE + "person/vantaa/nobody").number_of_nodes() == 0


def test_ego_graph_is_read_from_the_party_outwards(store, collaboration):
    """Tuija's goals, by hand from RESPONSIBLE: huoltajien-osallisuus (with Ilkka, Sole, Anders and the
    osallisuusasiantuntija), mielenterveysosaaminen (with Opiskeluhuolto) and tiedolla-johtaminen (with Eila,
    palvelualuejohtajat, tvt and Osaaminen): 9 partners; partners are linked by the goal they share with her."""
    tuija = DEFAULT_BASE + "person/vantaa/tuija-harakka"
    ego = ego_graph(store, DEFAULT_BASE, tuija)
    labels = {label_of(ego, n) for n in ego}
    mine = [goal for goal, (persons, bodies) in RESPONSIBLE.items() if "Tuija Harakka" in persons]
    assert labels == {name for goal in mine for name in (*RESPONSIBLE[goal][0], *RESPONSIBLE[goal][1])}
    assert len(labels) == 10 and ego.nodes[tuija]["type"] == "person" and ego.nodes[tuija]["path"] == "person/vantaa/tuija-harakka"
    # Every pair within each of her three goals, once: C(5,2) + C(2,2) + C(5,2) links of one goal each.
    assert ego.number_of_edges() == 10 + 1 + 10 and {d["weight"] for *_, d in ego.edges(data=True)} == {1}
    # A node's size is all the party's goals, as in the collaboration graph.
    assert all(ego.nodes[n]["goals"] == collaboration.nodes[n]["goals"] for n in ego)
    assert set(ego) <= set(collaboration) and set(ego.edges) <= set(collaboration.edges)
    # At most `partners` partners: those who share the most goals (here all share one; the first by IRI).
    assert ego_graph(store, DEFAULT_BASE, tuija, partners=2).number_of_nodes() == 3
    assert ego_graph(store, DEFAULT_BASE, DEFAULT_BASE + "person/vantaa/nobody").number_of_nodes() == 0


def test_all_analyses_at_once(store):
    results = analyses(store, DEFAULT_BASE)
    assert list(results) == ["workload", "centrality", "key-person-risk", "theme-coverage", "communities"]
    assert [(r["kind"], r["person"]) for r in results["key-person-risk"]] == [
        ("only party", "Ari Ranki"), ("only named person", "Ari Ranki"), ("only named person", "Katri Kalske"),
        ("only named person", "Tuija Harakka")]
    assert list(analyses(store, DEFAULT_BASE, only="communities")) == ["communities"]


# Exports ----------------------------------------------------------------------------------------------------
def _same_edge_attributes(original: nx.Graph, back: nx.Graph) -> None:
    for a, b, data in original.edges(data=True):
        read = back.edges[a, b]
        for key, value in data.items():
            if key == "weight":
                assert float(read["weight"]) == value
            elif isinstance(value, list):
                assert read[key] == "; ".join(value)
            else:
                assert read[key] == value


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
@pytest.mark.parametrize("name", ["responsibility", "collaboration", "organisation"])
def test_graphml_and_gexf_keep_attributes(graphs, name, fmt, read):
    graph = graphs[name]
    back = read(io.BytesIO(export(graph, fmt)))
    assert back.is_directed() == graph.is_directed()
    assert set(back.nodes) == set(graph.nodes) and back.number_of_edges() == graph.number_of_edges()
    for node, data in graph.nodes(data=True):
        assert (back.nodes[node]["label"], back.nodes[node]["type"]) == (data["label"], data["type"])
        if "status" in data:
            assert back.nodes[node]["status"] == data["status"]
    _same_edge_attributes(graph, back)
    carried = {"responsibility": {"relation", "role"}, "collaboration": {"weight", "goals"}, "organisation": {"relation"}}[name]
    assert {k for _, _, d in graph.edges(data=True) for k in d} == carried


@pytest.mark.parametrize("name", ["responsibility", "collaboration", "organisation"])
def test_json_formats_round_trip(graphs, name):
    graph = graphs[name]
    linked = nx.node_link_graph(json.loads(export(graph, "json")), edges="links")
    assert (linked.number_of_nodes(), linked.number_of_edges(), linked.is_directed()) == (
        graph.number_of_nodes(), graph.number_of_edges(), graph.is_directed())
    assert dict(linked.nodes(data=True)) == dict(graph.nodes(data=True))
    cytoscape = nx.cytoscape_graph(json.loads(export(graph, "cytoscape")))
    assert (cytoscape.number_of_nodes(), cytoscape.number_of_edges(), cytoscape.is_directed()) == (
        graph.number_of_nodes(), graph.number_of_edges(), graph.is_directed())
    assert set(cytoscape.nodes) == set(graph.nodes)


@pytest.mark.parametrize("name", ["responsibility", "collaboration", "organisation"])
def test_dot_names_every_node(graphs, name):
    graph = graphs[name]
    dot = export(graph, "dot").decode("utf-8")
    assert dot.startswith("digraph " if graph.is_directed() else "graph ") and dot.rstrip().endswith("}")
    for node in graph.nodes:
        assert f'"{node}" [' in dot
    assert dot.count(" -> " if graph.is_directed() else " -- ") == graph.number_of_edges()


def test_unknown_export_format(graphs):
    with pytest.raises(ValueError, match="unknown graph format"):
        export(graphs["organisation"], "pajek")


def test_cli_exports_people_only_collaboration(runner, tmp_path):
    out = tmp_path / "people.graphml"
    result = runner.invoke(main, ["graph", "collaboration", "--only", "person", "--format", "graphml", "-o", str(out)])
    assert result.exit_code == 0, result.output
    people = nx.read_graphml(out)
    assert {d["label"] for _, d in people.nodes(data=True)} == PERSONS and people.number_of_edges() == 10
    pairs = {frozenset((people.nodes[a]["label"], people.nodes[b]["label"])): d["weight"] for a, b, d in people.edges(data=True)}
    assert pairs == PERSON_PAIRS


def test_cli_analyse_json_and_csv(runner):
    result = runner.invoke(main, ["analyse", "--format", "json"])
    assert result.exit_code == 0, result.output
    sections = json.loads(result.output)
    assert set(sections) == {"workload", "centrality", "key-person-risk", "theme-coverage", "communities"}
    assert {r["party"]: (r["goals"], r["partially_achieved"]) for r in sections["workload"] if r["party"] in PERSONS} == WORKLOAD_PERSONS
    assert len(sections["centrality"]) == 15
    result = runner.invoke(main, ["analyse", "--format", "csv", "--section", "workload"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 15
    assert {r["party"]: (int(r["goals"]), int(r["partially_achieved"])) for r in rows} == WORKLOAD_PERSONS | WORKLOAD_OTHERS


# Pictures ---------------------------------------------------------------------------------------------------
PICTURE_PAGES = ["/graphs/responsibility.html", "/graphs/responsibility/status/PartiallyAchieved.html",
                 "/graphs/responsibility/theme/vantaa/edistamme-asukkaiden-hyvinvointia.html", "/graphs/collaboration.html",
                 "/graphs/collaboration/person.html", "/graphs/collaboration/group.html", "/analytics.html",
                 "/person/vantaa/tuija-harakka.html"]
_STATUS: dict[str, int] = {}  # link target → status, so that a target shared by many pages is fetched once


def svgs(html: str, *, narrow: bool = False) -> list[ET.Element]:
    """Every <svg>…</svg> of a page, parsed as XML (fails on a picture that is not well-formed); a phone's own
    drawing of a picture (class "narrow", shown instead of the other on a narrow screen) only when `narrow`."""
    found = [ET.fromstring(svg) for svg in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]
    return [svg for svg in found if narrow or "narrow" not in svg.get("class", "").split()]


def links(page: str, svg: ET.Element) -> list[tuple[str, ET.Element]]:
    """(absolute path the href resolves to, the <a> element) for every link of a picture."""
    return [(urlsplit(urljoin(page, a.get("href"))).path, a) for a in svg.iter(f"{SVG_NS}a")]


def status_of(client, path: str) -> int:
    if path not in _STATUS:
        _STATUS[path] = client.get(path).status_code
    return _STATUS[path]


@pytest.mark.parametrize("page", PICTURE_PAGES)
def test_pictures_are_well_formed_and_their_links_work(client, page):
    response = client.get(page)
    assert response.status_code == 200
    pictures_found = svgs(response.text, narrow=True)
    assert pictures_found and all(svg.tag == f"{SVG_NS}svg" for svg in pictures_found)
    for svg in pictures_found:
        for target, a in links(page, svg):
            assert status_of(client, target) == 200, (page, a.get("href"), target)
    if page.startswith("/person/"):
        # The ego picture: Tuija and the nine parties she shares goals with, her own node marked.
        ego = [svg for svg in pictures_found if "collaboration" in svg.get("class", "").split()]
        assert len(ego) == 1 and len(links(page, ego[0])) == 10
        assert [g.find(f"{SVG_NS}title").text for g in ego[0].iter(f"{SVG_NS}g") if "ego" in g.get("class", "").split()] == [
            "Tuija Harakka (3)"]


def test_full_responsibility_picture_links_and_names_every_node(client, responsibility):
    page = "/graphs/responsibility.html"
    [svg] = svgs(client.get(page).text)
    titles = {}
    for target, a in links(page, svg):
        group = a.find(f"{SVG_NS}g")
        titles[target] = (group.find(f"{SVG_NS}title").text, [line.text for line in group.find(f"{SVG_NS}text")])
    assert len(titles) == responsibility.number_of_nodes() == 30
    for node, data in responsibility.nodes(data=True):
        title, lines = titles[f"/{data['path']}.html"]
        assert title == (f"{data['label']} — {data['status_label']}" if data["type"] == "goal" else data["label"])
        assert "".join(lines).replace(" ", "") == data["label"].replace(" ", "")  # whole, over lines: never cut
    # The longest goal label is whole in the picture too, over several lines.
    longest = GOAL + "etaopetus"
    assert len(titles[f"/{responsibility.nodes[longest]['path']}.html"][1]) >= 3


def _goal_titles(svg: ET.Element) -> list[str]:
    return [g.find(f"{SVG_NS}title").text for g in svg.iter(f"{SVG_NS}g") if "goal" in g.get("class", "").split()]


def test_filtered_pictures_show_only_their_goals(client, responsibility):
    [svg] = svgs(client.get("/graphs/responsibility/status/PartiallyAchieved.html").text)
    titles = _goal_titles(svg)
    assert sorted(titles) == sorted(f"{label_of(responsibility, GOAL + g)} — Toteutuu osittain" for g in PARTIAL)
    [svg] = svgs(client.get("/graphs/responsibility/theme/vantaa/edistamme-asukkaiden-hyvinvointia.html").text)
    assert sorted(t.split(" — ")[0] for t in _goal_titles(svg)) == sorted(
        label_of(responsibility, GOAL + g) for g in THEMES["Edistämme asukkaiden hyvinvointia"])


@pytest.mark.parametrize("variant, names", [("", PERSONS | POSTS | GROUPS), ("/person", PERSONS), ("/group", GROUPS)])
def test_collaboration_pictures_show_their_parties(client, variant, names):
    [svg] = svgs(client.get(f"/graphs/collaboration{variant}.html").text)
    shown = {g.find(f"{SVG_NS}title").text.rsplit(" (", 1)[0] for g in svg.iter(f"{SVG_NS}g") if "node" in g.get("class", "").split()}
    assert shown == names


@pytest.mark.parametrize("path, parse", [
    ("/graphs/collaboration.graphml", lambda body: nx.read_graphml(io.BytesIO(body))),
    ("/graphs/collaboration.gexf", lambda body: nx.read_gexf(io.BytesIO(body))),
    ("/graphs/collaboration.json", lambda body: nx.node_link_graph(json.loads(body), edges="links")),
    ("/graphs/collaboration.cytoscape.json", lambda body: nx.cytoscape_graph(json.loads(body))),
    ("/graphs/collaboration.dot", lambda body: body.decode("utf-8")),
    ("/graphs/responsibility.graphml", lambda body: nx.read_graphml(io.BytesIO(body))),
    ("/graphs/organisation.dot", lambda body: body.decode("utf-8")),
])
def test_downloads(client, path, parse):
    response = client.get(path)
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    parsed = parse(response.data)
    if isinstance(parsed, str):
        assert parsed.startswith("digraph " if "organisation" in path else "graph ")
        lines = parsed.splitlines()[1:-1]
        edges = [line for line in lines if re.match(r'  "[^"]+" (->|--) "', line)]
        assert (len(lines) - len(edges), len(edges)) == ((15, 36) if "collaboration" in path else (10, 9))
    else:
        assert parsed.number_of_nodes() == (30 if "responsibility" in path else 15)
        assert parsed.number_of_edges() == (41 if "responsibility" in path else 36)


def test_download_links_of_graph_pages_work(client):
    for page in ("/graphs/responsibility.html", "/graphs/collaboration/person.html"):
        hrefs = re.findall(r'<p class="formats">.*?</p>', client.get(page).text, flags=re.S)[0]
        targets = [urlsplit(urljoin(page, h)).path for h in re.findall(r'href="([^"]+)"', hrefs)]
        assert len(targets) == 5
        assert all(client.get(t).status_code == 200 for t in targets), targets


# A generated store of 500 goals ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def big_client():
    from kasograph_web import create_app

    from kasograph.goaldata import GoalData
    from kasograph.model.build import build_dataset
    from kasograph.model.sources import bundled_documents
    from kasograph.store.engine import GoalStore

    original = bundled_documents()[0]
    documents = []
    for i in range(50):
        document = copy.deepcopy(original)
        document.info.id = f"test-{i:02d}-2021"
        for goal in document.goals:
            goal.text = f"{goal.text} {i:02d}"
        documents.append(document)
    started = time.perf_counter()
    app = create_app(data=GoalData(GoalStore.from_dataset(build_dataset(documents))))
    print(f"\n500 goals: dataset and store built in {time.perf_counter() - started:.2f} s")
    app.config["TESTING"] = True
    return app.test_client()


# The pages that draw 500 goals (how fast they are made is measured by the benchmarks' graphs stage,
# benchmarks/graphs.py `measure_pictures`, not here: a timed test fails on a busy machine).
BIG_PAGES = {"/graphs/responsibility.html": 500,
             "/graphs/responsibility/status/PartiallyAchieved.html": 50 * len(PARTIAL),
             "/graphs/responsibility/theme/vantaa/edistamme-asukkaiden-hyvinvointia.html": 50 * 5,
             "/graphs/collaboration.html": 0}


@pytest.mark.parametrize("page, goals", BIG_PAGES.items())
def test_pictures_of_500_goals_draw_every_goal_of_the_page(big_client, page, goals):
    response = big_client.get(page)
    assert response.status_code == 200
    [svg] = svgs(response.text)
    assert len(_goal_titles(svg)) == goals
    if goals:
        assert len({t.split(" — ")[0] for t in _goal_titles(svg)}) == goals  # each copy's goals are their own
    else:
        # The people, posts and groups are the same in every copy: still 15 parties, sharing 50 times as much.
        assert len(links(page, svg)) == 15
        assert "Anders Vikström – Ilkka Kalo: 200" in ET.tostring(svg, encoding="unicode")


def _node_count(svg: ET.Element) -> int:
    return sum(1 for g in svg.iter(f"{SVG_NS}g") if "node" in g.get("class", "").split())


def _with_class(svg: ET.Element, name: str) -> int:
    return sum(1 for element in svg.iter() if name in element.get("class", "").split())


def test_filters_make_the_500_goal_picture_smaller(big_client):
    # Every goal is a node and every node has a shape: the whole picture has 5 themes, 500 goals and 15 parties.
    [everything] = svgs(big_client.get("/graphs/responsibility.html").text)
    assert _node_count(everything) == _with_class(everything, "shape") == 5 + 500 + 15
    for page in BIG_PAGES:
        if page.startswith("/graphs/responsibility/"):
            [filtered] = svgs(big_client.get(page).text)
            assert 0 < _node_count(filtered) < _node_count(everything), page
            assert 0 < _with_class(filtered, "edge") < _with_class(everything, "edge"), page


# Larger and stranger graphs, and paths that are not pages -----------------------------------------------------
def _parties(graph: nx.Graph) -> nx.Graph:
    graph = nx.relabel_nodes(graph, {node: f"party-{node}" for node in graph})
    for node in graph:
        graph.nodes[node].update(label=node, type="person", goals=1)
    nx.set_edge_attributes(graph, 1, "weight")
    return graph


def _centres(svg: ET.Element) -> list[tuple[str, str]]:
    return [(c.get("cx"), c.get("cy")) for c in svg.iter(f"{SVG_NS}circle")]


def test_collaboration_picture_of_a_500_party_component():
    graph = _parties(nx.path_graph(500))
    picture = str(pictures.collaboration_svg(graph, lambda node: None))
    svg = ET.fromstring(picture)
    centres = _centres(svg)
    assert len(centres) == 500 and len(list(svg.iter(f"{SVG_NS}line"))) == 499
    assert len(set(centres)) > 450  # spread out, not piled up
    assert str(pictures.collaboration_svg(graph, lambda node: None)) == picture  # seeded: the same picture every time


def test_pictures_need_neither_numpy_nor_scipy():
    """numpy comes only with the optional pandas extra, scipy not at all: the pictures must do without both."""
    script = """
import sys
sys.modules["numpy"] = sys.modules["scipy"] = None  # importing either now fails
import networkx as nx
from kasograph_web import pictures
graph = nx.relabel_nodes(nx.barabasi_albert_graph(600, 2, seed=1), str)
graph.add_edge("a", "b")
for node in graph:
    graph.nodes[node].update(label=node, type="group", goals=2)
nx.set_edge_attributes(graph, 2, "weight")
print(str(pictures.collaboration_svg(graph, lambda node: None)).count('class="node '))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["602"]


def test_the_layout_does_not_depend_on_the_hash_seed():
    """Components are sets; the picture must not follow their (hash-seeded) order from one process to the next."""
    script = """
import networkx as nx
from kasograph_web import pictures
graph = nx.Graph()
for a, b in [("anna", "bo"), ("bo", "cai"), ("cai", "anna"), ("dan", "eve"), ("fay", "gus"), ("gus", "hal"), ("ivy", "jo")]:
    graph.add_edge(a, b, weight=1)
for node in graph:
    graph.nodes[node].update(label=node, type="person", goals=1)
print(pictures.collaboration_svg(graph, lambda node: None))
"""
    outputs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                              env={**os.environ, "PYTHONHASHSEED": seed}, check=True).stdout for seed in ("1", "2", "3")}
    assert len(outputs) == 1


@pytest.mark.parametrize("page", ["/graphs/collaborationperson.html", "/graphs/collaboration/.html",
                                  "/graphs/responsibility/status/x/PartiallyAchieved.html",
                                  "/graphs/responsibility/status/.html", "/graphs/responsibility/status/Postponed.html",
                                  "/graphs/responsibility/.html", "/graphs/responsibility/theme/vantaa.html",
                                  "/graphs/responsibility/theme/vantaa/edistamme-asukkaiden-hyvinvointia/x.html",
                                  "/graphs/responsibility/person/vantaa/tuija-harakka.html",
                                  "/graphs/responsibility/goal/vantaa-kaso-2021/etaopetus.html",
                                  "/graphs/collaboration/person/group.html", "/graphs/collaboration/people.html",
                                  "/graphs/analytics.html", "/analytics/.html", "/graphs.html", "/graphs/.html",
                                  "/graphs/responsibility/theme/vantaa/edistamme-asukkaiden-hyvinvointia>.html"])
def test_malformed_graph_paths_are_404(client, page):
    assert client.get(page).status_code == 404


def test_every_filter_link_is_a_page(client):
    page = "/graphs/responsibility.html"
    nav = re.findall(r'<nav class="filters">.*?</nav>', client.get(page).text, flags=re.S)[0]
    filters = {urlsplit(urljoin(page, href)).path for href in re.findall(r'href="([^"]+)"', nav)} - {page}
    # A link per theme (5) and per status that goals have (2: none is "Ei toteudu").
    assert len(filters) == 5 + 2 and all(f.startswith("/graphs/responsibility/") for f in filters)
    assert all(client.get(target).status_code == 200 for target in filters), filters

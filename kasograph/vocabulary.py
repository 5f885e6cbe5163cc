"""The kasograph vocabulary and shapes, loaded once from the ontology folder."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import SKOS

from . import resources
from .namespaces import KG, bind_prefixes


@lru_cache(maxsize=1)
def ontology() -> Graph:
    """The OWL vocabulary with its concept schemes (statuses, roles, comparators)."""
    parsed = Graph().parse(resources.ontology_path(), format="turtle")
    # Canonical blank-node labels keep dumps byte-identical from run to run.
    graph = Graph(identifier=URIRef("https://w3id.org/kasograph/def"))
    for triple in to_canonical_graph(parsed):
        graph.add(triple)
    bind_prefixes(graph)
    return graph


@lru_cache(maxsize=1)
def shapes() -> Graph:
    """The SHACL shapes: the contract every document's graph must meet."""
    graph = Graph(identifier=URIRef("https://w3id.org/kasograph/shapes"))
    graph.parse(resources.shapes_path(), format="turtle")
    return graph


def concepts(scheme: URIRef) -> dict[str, URIRef]:
    """Every label (any language, case folded) of the scheme's concepts → concept IRI."""
    graph = ontology()
    found: dict[str, URIRef] = {}
    for concept in graph.subjects(SKOS.inScheme, scheme):
        for label in graph.objects(concept, SKOS.prefLabel):
            found[" ".join(str(label).split()).casefold()] = concept
    return found


def statuses() -> dict[str, URIRef]:
    """Status labels as tables write them ("Toteutuu täysin", "Fully achieved", …) → concept."""
    return concepts(KG.GoalStatusScheme)


def status_labels(lang: str = "fi") -> list[str]:
    graph = ontology()
    return sorted(
        str(label)
        for concept in graph.subjects(SKOS.inScheme, KG.GoalStatusScheme)
        for label in graph.objects(concept, SKOS.prefLabel)
        if label.language == lang
    )


COMPARATORS = {
    "exactly": KG.Exactly,
    "at-least": KG.AtLeast,
    "at-most": KG.AtMost,
    "approximately": KG.Approximately,
}

COLUMN_PROPERTIES = {
    "metric": KG.metric,
    "baseline": KG.baseline,
    "target": KG.target,
    "outcome": KG.outcome,
}

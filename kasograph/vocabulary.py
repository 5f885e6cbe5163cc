"""The kasograph vocabulary and shapes, loaded once from the ontology folder."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import SKOS

from kasograph import resources
from kasograph.namespaces import KG, bind_prefixes


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
def ontology_ntriples() -> bytes:
    """The vocabulary as N-Triples (UTF-8): stored by every import, validated beside every document."""
    return ontology().serialize(format="nt", encoding="utf-8")


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
    return dict(_statuses())  # a copy: asked for every goal read, the vocabulary walked once


@lru_cache(maxsize=1)
def _statuses() -> dict[str, URIRef]:
    return concepts(KG.GoalStatusScheme)


@lru_cache(maxsize=1)
def status_concepts() -> tuple[URIRef, ...]:
    """The goal statuses of the vocabulary, in their order (skos:notation): fully, partially, not achieved."""
    graph = ontology()
    found = [(str(graph.value(concept, SKOS.notation) or ""), concept) for concept in graph.subjects(SKOS.inScheme, KG.GoalStatusScheme)]
    return tuple(concept for _, concept in sorted(found))


@lru_cache(maxsize=1)
def status_names() -> tuple[str, ...]:
    """The statuses' local names ("FullyAchieved", …), in order: what paths and keys are made of (asked at every
    link a page makes to a status: made once)."""
    return tuple(str(concept).rsplit("#", 1)[-1] for concept in status_concepts())


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


def terms(lang: str = "en") -> dict[str, list[dict]]:
    """The minted classes, properties and concept schemes, for the vocabulary's documentation page.

    Each term: its IRI, local name, labels and comments by language, and (for
    properties) domain and range; concepts are listed under their scheme.
    """
    from rdflib.namespace import OWL, RDF, RDFS, SKOS

    graph = ontology()

    def texts(node, prop) -> dict[str, str]:
        return {o.language or "": str(o) for o in graph.objects(node, prop)}

    def entry(node) -> dict:
        return {
            "iri": str(node), "name": str(node)[len(str(KG)):],
            "label": texts(node, RDFS.label) or texts(node, SKOS.prefLabel),
            "comment": texts(node, RDFS.comment) or texts(node, SKOS.definition),
            "domain": [str(o) for o in graph.objects(node, RDFS.domain)],
            "range": [str(o) for o in graph.objects(node, RDFS.range)],
            "super": [str(o) for o in graph.objects(node, RDFS.subClassOf)] + [str(o) for o in graph.objects(node, RDFS.subPropertyOf)],
        }

    def minted(type_) -> list[dict]:
        return sorted((entry(n) for n in set(graph.subjects(RDF.type, type_)) if str(n).startswith(str(KG))), key=lambda e: e["name"])

    schemes = []
    for scheme in minted(SKOS.ConceptScheme):
        concepts = sorted((entry(c) for c in graph.subjects(SKOS.inScheme, URIRef(scheme["iri"]))), key=lambda e: e["name"])
        for concept in concepts:
            concept["label"] = {o.language or "": str(o) for o in graph.objects(URIRef(concept["iri"]), SKOS.prefLabel)}
        schemes.append({**scheme, "concepts": concepts})
    return {
        "classes": minted(OWL.Class),
        "object_properties": minted(OWL.ObjectProperty),
        "datatype_properties": minted(OWL.DatatypeProperty),
        "schemes": schemes,
    }

"""What the query editor completes: the prefixes the endpoint knows, and the terms of the data's vocabulary.

The terms come from the ontology (kasograph's own classes, properties, concept schemes and concepts,
with their labels) and from the shapes (the classes and properties of other vocabularies that the
data is held to: foaf:name, prov:wasAttributedTo, …). Nothing is added that those files do not say.
"""

from __future__ import annotations

from functools import lru_cache

from rdflib import OWL, RDF, RDFS, SKOS, URIRef
from rdflib.namespace import SH

from kasograph import vocabulary
from kasograph.namespaces import PREFIXES

#: The kinds of term, in the order the editor offers them.
KINDS = ("class", "property", "scheme", "concept")
_ONTOLOGY_KINDS = {OWL.Class: "class", OWL.ObjectProperty: "property", OWL.DatatypeProperty: "property",
                   RDF.Property: "property", SKOS.ConceptScheme: "scheme", SKOS.Concept: "concept"}


@lru_cache(maxsize=1)
def editor_terms() -> dict:
    """{"prefixes": {prefix: namespace}, "terms": [{"name": "kg:Goal", "kind": "class", "fi": …, "en": …}]},
    sorted by kind, then name; labels only where the vocabulary gives them."""
    kinds: dict[URIRef, str] = {}
    ontology, shapes = vocabulary.ontology(), vocabulary.shapes()
    for rdf_type, kind in _ONTOLOGY_KINDS.items():
        for term in ontology.subjects(RDF.type, rdf_type):
            kinds.setdefault(term, kind)
    for predicate, kind in ((SH.targetClass, "class"), (SH["class"], "class"), (SH.path, "property")):
        for term in shapes.objects(None, predicate):
            kinds.setdefault(term, kind)
    terms = []
    for term, kind in kinds.items():
        name = prefixed(term)
        if name is not None:
            terms.append({"name": name, "kind": kind, **_labels(ontology, term)})
    terms.sort(key=lambda t: (KINDS.index(t["kind"]), t["name"].lower()))
    return {"prefixes": {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}, "terms": terms}


def prefixed(term) -> str | None:
    """A term as prefix:name with the endpoint's prefixes; None for a blank node, a path or an unknown namespace."""
    if not isinstance(term, URIRef):
        return None
    for prefix, namespace in PREFIXES.items():
        local = str(term)[len(str(namespace)):]
        if str(term).startswith(str(namespace)) and local and all(c.isalnum() or c in "_-" for c in local):
            return f"{prefix}:{local}"
    return None


def _labels(graph, term: URIRef) -> dict[str, str]:
    labels: dict[str, str] = {}
    for predicate in (RDFS.label, SKOS.prefLabel):
        for label in graph.objects(term, predicate):
            if getattr(label, "language", None) in ("fi", "en"):
                labels.setdefault(label.language, str(label))
    return labels

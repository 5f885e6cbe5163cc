"""Linked-data publication: resource descriptions, dumps and the dataset's VoID/DCAT description.

A resource's description is its own triples plus those of its blank nodes (its
concise bounded description); the engine serialises it. IRIs under the data
base map to paths of the viewer (`{base}goal/x` ↔ `goal/x`), so the same pages
work for any base, live or as a static site.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, VOID, XSD

from kasograph.model.iris import local_path  # noqa: F401 - the viewer's paths, public here too
from kasograph.namespaces import (
    ONTOLOGY_IRI,
    PREFIXES,
    SHAPES_IRI,
    VOCABULARY_GRAPH,
    bind_prefixes,
)
from kasograph.query.explore import description  # noqa: F401 - public here too
from kasograph.store.engine import GoalStore


@dataclass(frozen=True)
class RdfFormat:
    name: str  # the suffix of explicit URLs and of dump files
    media_type: str
    engine: pyoxigraph.RdfFormat
    label: str


#: Formats of single resources, in the order content negotiation prefers them.
RESOURCE_FORMATS = [
    RdfFormat("ttl", "text/turtle", pyoxigraph.RdfFormat.TURTLE, "Turtle"),
    RdfFormat("jsonld", "application/ld+json", pyoxigraph.RdfFormat.JSON_LD, "JSON-LD"),
    RdfFormat("nt", "application/n-triples", pyoxigraph.RdfFormat.N_TRIPLES, "N-Triples"),
    RdfFormat("rdf", "application/rdf+xml", pyoxigraph.RdfFormat.RDF_XML, "RDF/XML"),
]
#: Formats of the whole dataset.
DUMP_FORMATS = [
    RdfFormat("ttl", "text/turtle", pyoxigraph.RdfFormat.TURTLE, "Turtle (all graphs merged)"),
    RdfFormat("trig", "application/trig", pyoxigraph.RdfFormat.TRIG, "TriG"),
    RdfFormat("nq", "application/n-quads", pyoxigraph.RdfFormat.N_QUADS, "N-Quads"),
    RdfFormat("jsonld", "application/ld+json", pyoxigraph.RdfFormat.JSON_LD, "JSON-LD"),
]
BY_SUFFIX = {f.name: f for f in RESOURCE_FORMATS}
BY_MEDIA_TYPE = {f.media_type: f for f in RESOURCE_FORMATS}
DUMP_BY_SUFFIX = {f.name: f for f in DUMP_FORMATS}
DUMP_NAME = "kasograph"
IANA = "https://www.iana.org/assignments/media-types/"

_PREFIX_MAP = {p: str(ns) for p, ns in PREFIXES.items()}


def serialize(triples, fmt: RdfFormat) -> bytes:
    """Triples in `fmt`, by the engine; Turtle and RDF/XML declare only the prefixes they use."""
    triples = list(triples)
    prefixes = None
    if fmt.engine in (pyoxigraph.RdfFormat.TURTLE, pyoxigraph.RdfFormat.RDF_XML):
        used = {t.value for triple in triples for t in (triple.subject, triple.predicate, triple.object)
                if isinstance(t, pyoxigraph.NamedNode)}
        used |= {triple.object.datatype.value for triple in triples if isinstance(triple.object, pyoxigraph.Literal)}
        prefixes = {p: ns for p, ns in _PREFIX_MAP.items() if any(iri.startswith(ns) for iri in used)}
    return pyoxigraph.serialize(triples, format=fmt.engine, prefixes=prefixes) or b""


def serialize_graph(graph: Graph, fmt: RdfFormat) -> bytes:
    """An rdflib graph in a resource format, serialised by the engine too."""
    data = graph.serialize(format="nt", encoding="utf-8")
    return serialize(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES), fmt)


def dump(store: GoalStore, fmt: RdfFormat) -> bytes:
    """The whole store: graph formats keep the named graphs; Turtle merges them."""
    if fmt.engine.supports_datasets:
        prefixes = _PREFIX_MAP if fmt.name == "trig" else None
        return pyoxigraph.serialize(store.quads(), format=fmt.engine, prefixes=prefixes) or b""
    return serialize(store.triples(), fmt)


def publication_description(store: GoalStore, base: str, site: str, *, sparql_endpoint: str | None = None) -> Graph:
    """VoID and DCAT-AP description of what is published at `site`: catalogue, datasets, dumps.

    `site` is where the viewer or the static site is reachable (dump URLs hang off it).
    """
    if not site.endswith("/"):
        site += "/"
    graph = Graph()
    bind_prefixes(graph)
    catalog = URIRef(base + "catalog")
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal("kasograph: goals of city divisions as linked data", lang="en")))
    graph.add((catalog, DCTERMS.conformsTo, URIRef(SHAPES_IRI)))
    graph.add((catalog, FOAF.homepage, URIRef(site)))
    rows = store.query("""
        SELECT ?d ?publisher ?license ?rights ?temporal ?spatial ?triples WHERE {
          ?d a dcat:Dataset .
          OPTIONAL { ?d dct:publisher ?publisher } OPTIONAL { ?d dct:license ?license }
          OPTIONAL { ?d dct:rights ?rights } OPTIONAL { ?d dct:spatial ?spatial }
          OPTIONAL { ?d void:triples ?triples }
        }""")
    for row in rows:
        dataset = URIRef(row["d"].value)
        graph.add((catalog, DCAT.dataset, dataset))
        graph.add((dataset, RDF.type, DCAT.Dataset))
        graph.add((dataset, RDF.type, VOID.Dataset))
        if row["publisher"] is not None:
            graph.add((dataset, DCTERMS.publisher, URIRef(row["publisher"].value)))
        if row["license"] is not None:
            graph.add((dataset, DCTERMS.license, URIRef(row["license"].value)))
        if row["spatial"] is not None:
            graph.add((dataset, DCTERMS.spatial, URIRef(row["spatial"].value)))
        graph.add((dataset, DCTERMS.conformsTo, URIRef(SHAPES_IRI)))
        graph.add((dataset, VOID.uriSpace, Literal(base)))
        if sparql_endpoint:
            graph.add((dataset, VOID.sparqlEndpoint, URIRef(sparql_endpoint)))
        for fmt in DUMP_FORMATS:
            url = URIRef(f"{site}download/{DUMP_NAME}.{fmt.name}")
            graph.add((dataset, VOID.dataDump, url))
            distribution = URIRef(f"{base}catalog/distribution/{fmt.name}")
            graph.add((dataset, DCAT.distribution, distribution))
            graph.add((distribution, RDF.type, DCAT.Distribution))
            graph.add((distribution, DCTERMS.title, Literal(f"kasograph dump, {fmt.label}", lang="en")))
            graph.add((distribution, DCAT.downloadURL, url))
            graph.add((distribution, DCAT.accessURL, url))
            graph.add((distribution, DCAT.mediaType, URIRef(IANA + fmt.media_type)))
            graph.add((distribution, DCTERMS.conformsTo, URIRef(SHAPES_IRI)))
    # The publisher, period and rights are the datasets' own: copy their descriptions.
    for row in store.query("""
        SELECT ?s ?p ?o WHERE {
          ?d a dcat:Dataset .
          { ?d dct:publisher ?s . ?s ?p ?o } UNION { ?d dct:temporal ?s . ?s ?p ?o } UNION
          { ?d dct:rights ?s . ?s ?p ?o } UNION { ?d dct:title ?o . BIND (?d AS ?s) BIND (dct:title AS ?p) } UNION
          { ?d dct:temporal ?o . BIND (?d AS ?s) BIND (dct:temporal AS ?p) } UNION
          { ?d dct:rights ?o . BIND (?d AS ?s) BIND (dct:rights AS ?p) } UNION
          { ?d dct:spatial ?s . ?s ?p ?o }
        }"""):
        graph.add(tuple(_to_rdflib(row[k]) for k in ("s", "p", "o")))
    total = len(store)
    graph.add((catalog, VOID.triples, Literal(total, datatype=XSD.integer)))
    graph.add((catalog, RDFS.seeAlso, URIRef(ONTOLOGY_IRI)))
    return graph


def _to_rdflib(term):
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def vocabulary_graph(store: GoalStore) -> list[pyoxigraph.Triple]:
    return store.graph_triples(VOCABULARY_GRAPH)

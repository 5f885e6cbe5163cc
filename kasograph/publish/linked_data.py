"""Linked-data publication: resource descriptions, dumps and the dataset's VoID/DCAT description.

A resource's description is its own triples plus those of its blank nodes (its
concise bounded description); the engine serialises it. IRIs under the data
base map to paths of the viewer (`{base}goal/x` ↔ `goal/x`), so the same pages
work for any base, live or as a static site.
"""

from __future__ import annotations

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, VOID, XSD

from kasograph import formats
from kasograph.formats import Format
from kasograph.namespaces import (
    ONTOLOGY_IRI,
    PREFIXES,
    SHAPES_IRI,
    VOCABULARY_GRAPH,
    bind_prefixes,
)
from kasograph.publish.dumps import serialize
from kasograph.store.engine import GoalStore

DUMP_NAME = "kasograph"
IANA = "https://www.iana.org/assignments/media-types/"

_PREFIX_MAP = {p: str(ns) for p, ns in PREFIXES.items()}


def serialize_graph(graph: Graph, fmt: Format) -> bytes:
    """An rdflib graph in a resource format, serialised by the engine too."""
    data = graph.serialize(format="nt", encoding="utf-8")
    return serialize(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES), fmt)


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
        for fmt in formats.DUMPS.values():
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

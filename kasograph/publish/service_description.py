"""A SPARQL 1.1 Service Description of the endpoint that serves a store (what `GET /sparql` answers
when asked for RDF): the query language, the result formats, and the dataset — the union of the
named graphs as the default graph, and each named graph by name."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kasograph.store.engine import GoalStore

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS_NS = "http://www.w3.org/ns/formats/"
#: The result formats the endpoint answers in, by their names in FORMATS_NS.
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


def service_description(store: GoalStore, endpoint_url: str) -> Graph:
    """The description of the read-only endpoint at `endpoint_url` that answers queries on `store`."""
    sd = lambda name: URIRef(SD + name)  # noqa: E731
    graph = Graph()
    graph.bind("sd", SD)
    service = URIRef(endpoint_url)
    graph.add((service, RDF.type, sd("Service")))
    graph.add((service, sd("endpoint"), service))
    graph.add((service, sd("supportedLanguage"), sd("SPARQL11Query")))
    graph.add((service, sd("feature"), sd("UnionDefaultGraph")))
    for name in RESULT_FORMATS:
        graph.add((service, sd("resultFormat"), URIRef(FORMATS_NS + name)))
    dataset = BNode()
    graph.add((service, sd("defaultDataset"), dataset))
    graph.add((dataset, RDF.type, sd("Dataset")))
    default = BNode()
    graph.add((dataset, sd("defaultGraph"), default))
    graph.add((default, RDF.type, sd("Graph")))
    for name in sorted(store.graphs()):
        named = BNode()
        graph.add((dataset, sd("namedGraph"), named))
        graph.add((named, sd("name"), URIRef(name)))
    graph.add((service, RDFS.comment, Literal("Read-only. Without GRAPH, a query sees the union of all named graphs.", lang="en")))
    return graph

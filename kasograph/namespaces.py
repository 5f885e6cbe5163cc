"""The vocabularies kasograph speaks, as rdflib namespaces and SPARQL prefixes."""

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, QB, RDF, RDFS, SKOS, VOID, XSD

KG = Namespace("https://w3id.org/kasograph/def#")
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
UNIT = Namespace("http://qudt.org/vocab/unit/")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")

ONTOLOGY_IRI = "https://w3id.org/kasograph/def"
SHAPES_IRI = "https://w3id.org/kasograph/shapes"
#: The named graph that holds the vocabulary in a store or a dump.
VOCABULARY_GRAPH = ONTOLOGY_IRI

#: The IRI base for data when none is configured.
DEFAULT_BASE = "https://w3id.org/kasograph/id/"

PREFIXES: dict[str, Namespace] = {
    "kg": KG,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "foaf": FOAF,
    "org": ORG,
    "prov": PROV,
    "dct": DCTERMS,
    "dcat": DCAT,
    "void": VOID,
    "qb": QB,
    "sdmx-dimension": SDMX_DIMENSION,
    "sdmx-measure": SDMX_MEASURE,
    "sdmx-attribute": SDMX_ATTRIBUTE,
    "unit": UNIT,
    "schema": SCHEMA,
}


def sparql_prefixes() -> str:
    """The PREFIX lines that analysts' queries may leave out."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def bind_prefixes(graph) -> None:
    """Bind the project's prefixes on an rdflib graph or dataset (for readable dumps)."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)

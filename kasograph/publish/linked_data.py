"""Linked-data publication: the dataset's VoID/DCAT description, and small graphs in a resource format.

The description names what is published at a site: the catalogue (`{base}catalog`), each dataset
the data holds (its own title, description, publisher, licence or rights, period, place and size,
and when it was imported, from the store's manifest), the downloads as distributions
(`{base}catalog/distribution/{format}`, with media type and size), the SPARQL endpoint, and a
contact point only when one was given. Every IRI it mints under the base is one the viewer serves
(`minted_paths`). IRIs under the data base map to paths of the viewer (`{base}goal/x` ↔ `goal/x`),
so the same pages work for any base, live or as a static site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, VOID, XSD

from kasograph import formats
from kasograph.formats import Format
from kasograph.namespaces import ONTOLOGY_IRI, SH, SHAPES_IRI, bind_prefixes
from kasograph.publish.dumps import DUMP_NAME, serialize
from kasograph.store.engine import GoalStore
from kasograph.store.manifest import Manifest

__all__ = ["DUMP_NAME", "CATALOG_PATH", "DISTRIBUTION_PATH", "Contact", "contact_point", "import_dates",
           "publication_description", "minted_paths", "serialize_graph"]

IANA = "https://www.iana.org/assignments/media-types/"
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
#: Where the description's own resources live, under the base (and so in the viewer).
CATALOG_PATH = "catalog"
DISTRIBUTION_PATH = "catalog/distribution/"
#: Namespaces of the graphs served besides the data's (shapes, vocabulary, this description, the
#: service description), declared where a document uses them.
EXTRA_PREFIXES = {"sh": str(SH), "kgsh": SHAPES_IRI + "#", "vann": "http://purl.org/vocab/vann/", "vcard": str(VCARD),
                  "sd": "http://www.w3.org/ns/sparql-service-description#"}
#: Our own words for the catalogue (the datasets' words are the data's).
CATALOG_TITLE = {"en": "kasograph: goals of city divisions as linked data",
                 "fi": "kasograph: kaupunkien toimialojen tavoitteet linkitettynä datana"}
CATALOG_DESCRIPTION = {
    "en": "The goals that city divisions set themselves in their yearly goal tables, as a validated RDF knowledge "
          "graph: goals, metrics, baselines, targets, outcomes, statuses and the parties responsible, one dataset "
          "per source document. The downloads hold every dataset of the catalogue.",
    "fi": "Kaupunkien toimialojen vuosittaisten tavoitetaulukoiden tavoitteet validoituna RDF-tietoverkkona: "
          "tavoitteet, mittarit, lähtötasot, tavoitetasot, toteumat, tilat ja vastuutahot, yksi aineisto kutakin "
          "lähdeasiakirjaa kohden. Ladattavat tiedostot sisältävät luettelon kaikki aineistot."}
_DISTRIBUTION_TITLE = {"en": "kasograph dump, {label}", "fi": "kasograph-aineisto, {label}"}
_DISTRIBUTION_DESCRIPTION = {
    True: {"en": "Every dataset in a named graph of its own (and the vocabulary in its own), as stored.",
           "fi": "Jokainen aineisto omana nimettynä graafinaan (ja sanasto omanaan), kuten tallennettu."},
    False: {"en": "The union of all the graphs: each statement once, without the names of its graphs.",
            "fi": "Kaikkien graafien yhdiste: jokainen lause kerran, ilman graafiensa nimiä."}}
#: What a dataset says of itself that the description repeats, and whose own description it copies.
DATASET_PROPERTIES = (DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCTERMS.license, DCTERMS.rights,
                      DCTERMS.temporal, DCTERMS.spatial, DCTERMS.language, DCTERMS.conformsTo, VOID.triples,
                      VOID.vocabulary)
_DESCRIBED = (DCTERMS.publisher, DCTERMS.rights, DCTERMS.temporal, DCTERMS.spatial)


def serialize_graph(graph: Graph, fmt: Format) -> bytes:
    """An rdflib graph in a resource format, serialised by the engine as every document is (sorted,
    canonical blank-node labels; JSON-LD compacted)."""
    data = graph.serialize(format="nt", encoding="utf-8")
    return serialize(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES), fmt, prefixes=EXTRA_PREFIXES)


# The contact point ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Contact:
    """Who answers questions about the publication: an address (mailto: or a web page) and a name, if given."""

    address: str
    name: str = ""

    @property
    def is_email(self) -> bool:
        return self.address.startswith("mailto:")


_CONTACT = re.compile(r"^\s*(?:(?P<name>[^<>]*?)\s*<(?P<inner>[^<>]+)>|(?P<bare>\S+))\s*$")
_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")
_WEB = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


def contact_point(text: str) -> Contact:
    """A contact as a person writes it: "opendata@example.org", "https://example.org/feedback", or either
    after a name, "Open data team <opendata@example.org>". ValueError for anything else."""
    found = _CONTACT.match(text or "")
    address = (found.group("inner") or found.group("bare")).strip() if found else ""
    address = address.removeprefix("mailto:")
    if _EMAIL.match(address):
        return Contact("mailto:" + address, (found.group("name") or "").strip())
    if _WEB.match(address):
        return Contact(address, (found.group("name") or "").strip())
    raise ValueError(f"not an e-mail address or a web page (http:// or https://), with a name before it in <…> "
                     f"if you like: {text!r}")


# The description -----------------------------------------------------------------------------------
def import_dates(manifest: Manifest | None) -> dict[str, str]:
    """When each document graph was imported (ISO 8601), by graph IRI; nothing without a manifest (the
    bundled tables or a file, built when they were opened: no date of theirs is known)."""
    if manifest is None:
        return {}
    return {d.graph: d.imported_at for d in manifest.documents.values() if d.imported_at}


def publication_description(store: GoalStore, base: str, site: str, *, sparql_endpoint: str | None = None,
                            contact: Contact | None = None, imported: dict[str, str] | None = None,
                            sizes: dict[str, int] | None = None) -> Graph:
    """VoID and DCAT description of what is published at `site` (where the downloads hang off): the
    catalogue, its datasets (with their dates from `imported`, by graph IRI), the downloads as
    distributions (with their `sizes` in bytes, by format name), and the contact point if given."""
    site = site if site.endswith("/") else site + "/"
    graph = Graph()
    bind_prefixes(graph)
    graph.bind("vcard", VCARD)
    catalog = URIRef(base + CATALOG_PATH)
    contact_node = _add_contact(graph, contact)
    distributions = _add_distributions(graph, base, site, sizes or {})
    datasets = _datasets(store)
    for dataset, named_graph in datasets.items():
        _add_dataset(graph, URIRef(dataset), distributions, base, sparql_endpoint, contact_node)
        if (imported or {}).get(named_graph):
            graph.add((URIRef(dataset), DCTERMS.modified, Literal(imported[named_graph], datatype=XSD.dateTime)))
    _copy_dataset_facts(graph, store)
    _add_catalog(graph, catalog, [URIRef(d) for d in datasets], site, contact_node, len(store))
    return graph


def _datasets(store: GoalStore) -> dict[str, str | None]:
    """The datasets the data holds → the named graph that describes each (None: a store without graphs)."""
    found: dict[str, str | None] = {}
    for row in store.query("SELECT ?d ?g WHERE { { GRAPH ?g { ?d a dcat:Dataset } } UNION { ?d a dcat:Dataset } }"):
        if row["d"] is not None and isinstance(row["d"], pyoxigraph.NamedNode):
            graph = row["g"].value if row["g"] is not None else None
            found[row["d"].value] = found.get(row["d"].value) or graph
    return dict(sorted(found.items()))


def _add_dataset(graph: Graph, dataset: URIRef, distributions: list[URIRef], base: str, endpoint: str | None,
                 contact: BNode | None) -> None:
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, VOID.uriSpace, Literal(base)))
    if endpoint:
        graph.add((dataset, VOID.sparqlEndpoint, URIRef(endpoint)))
    if contact is not None:
        graph.add((dataset, DCAT.contactPoint, contact))
    for distribution in distributions:
        graph.add((dataset, DCAT.distribution, distribution))
        graph.add((dataset, VOID.dataDump, graph.value(distribution, DCAT.downloadURL)))


def _add_distributions(graph: Graph, base: str, site: str, sizes: dict[str, int]) -> list[URIRef]:
    made = []
    for fmt in formats.DUMPS.values():
        distribution = URIRef(f"{base}{DISTRIBUTION_PATH}{fmt.name}")
        url = URIRef(f"{site}download/{DUMP_NAME}.{fmt.name}")
        graph.add((distribution, RDF.type, DCAT.Distribution))
        for lang, title in _DISTRIBUTION_TITLE.items():
            graph.add((distribution, DCTERMS.title, Literal(title.format(label=formats.RDF[fmt.name].label), lang=lang)))
            graph.add((distribution, DCTERMS.description, Literal(_DISTRIBUTION_DESCRIPTION[fmt.keeps_graphs][lang], lang=lang)))
        graph.add((distribution, DCAT.downloadURL, url))
        graph.add((distribution, DCAT.accessURL, url))
        graph.add((distribution, DCAT.mediaType, URIRef(IANA + fmt.media_type)))
        graph.add((distribution, DCTERMS.conformsTo, URIRef(SHAPES_IRI)))
        if fmt.name in sizes:
            graph.add((distribution, DCAT.byteSize, Literal(sizes[fmt.name], datatype=XSD.nonNegativeInteger)))
        made.append(distribution)
    return made


def _copy_dataset_facts(graph: Graph, store: GoalStore) -> None:
    """What each dataset says of itself, and the descriptions of its publisher, rights, period and place."""
    values = " ".join(f"<{p}>" for p in DATASET_PROPERTIES)
    described = ", ".join(f"<{p}>" for p in _DESCRIBED)
    for triple in store.query(f"""
        CONSTRUCT {{ ?d ?p ?o . ?o ?q ?v }} WHERE {{
          ?d a dcat:Dataset ; ?p ?o . VALUES ?p {{ {values} }}
          OPTIONAL {{ ?o ?q ?v . FILTER (?p IN ({described})) }}
        }}"""):
        graph.add(tuple(_to_rdflib(term) for term in (triple.subject, triple.predicate, triple.object)))


def _add_catalog(graph: Graph, catalog: URIRef, datasets: list[URIRef], site: str, contact: BNode | None,
                 triples: int) -> None:
    graph.add((catalog, RDF.type, DCAT.Catalog))
    for lang in ("fi", "en"):
        graph.add((catalog, DCTERMS.title, Literal(CATALOG_TITLE[lang], lang=lang)))
        graph.add((catalog, DCTERMS.description, Literal(CATALOG_DESCRIPTION[lang], lang=lang)))
    publishers = {graph.value(d, DCTERMS.publisher) for d in datasets} - {None}
    if len(publishers) == 1:  # the catalogue of datasets one agent publishes is that agent's
        graph.add((catalog, DCTERMS.publisher, publishers.pop()))
    modified = [graph.value(d, DCTERMS.modified) for d in datasets]
    if modified and None not in modified:  # known only when every dataset's date is
        graph.add((catalog, DCTERMS.modified, max(modified, key=str)))
    if contact is not None:
        graph.add((catalog, DCAT.contactPoint, contact))
    for dataset in datasets:
        graph.add((catalog, DCAT.dataset, dataset))
    graph.add((catalog, DCTERMS.conformsTo, URIRef(SHAPES_IRI)))
    graph.add((catalog, FOAF.homepage, URIRef(site)))
    graph.add((catalog, VOID.triples, Literal(triples, datatype=XSD.integer)))
    graph.add((catalog, RDFS.seeAlso, URIRef(ONTOLOGY_IRI)))


def _add_contact(graph: Graph, contact: Contact | None) -> BNode | None:
    if contact is None:
        return None
    node = BNode()
    graph.add((node, RDF.type, VCARD.Kind))
    if contact.name:
        graph.add((node, VCARD.fn, Literal(contact.name)))
    graph.add((node, VCARD.hasEmail if contact.is_email else VCARD.hasURL, URIRef(contact.address)))
    return node


def minted_paths() -> list[str]:
    """The viewer paths of what the description names under the base that is not in the data: the
    catalogue and its distributions (the viewer serves each, like any resource)."""
    return [CATALOG_PATH] + [DISTRIBUTION_PATH + name for name in formats.DUMPS]


def _to_rdflib(term):
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))

"""What the publication's pages show, read from its VoID/DCAT description (kasograph.publish.linked_data):
the catalogue, each dataset, the downloads and the endpoint, in plain words — so that the page says
exactly what the RDF says, and nothing the RDF does not."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDFS, SKOS, VOID

from kasograph import formats
from kasograph.publish.linked_data import IANA, VCARD, Contact
from kasograph.query.explore import Item, Text


@dataclass
class Distribution:
    """One download."""

    iri: str
    title: Text
    description: Text | None
    format: str  # the format's name for people ("Turtle")
    name: str  # its short name, the download's suffix ("ttl")
    media_type: str
    url: str
    size: int | None  # bytes (a page writes them as its language does)


@dataclass
class Dataset:
    iri: str
    title: Text
    description: Text | None
    publisher: Item | None
    licence: str | None  # the licence's IRI
    rights: Text | None
    period: tuple[str, str] | None
    place: Item | None
    triples: int | None
    modified: str | None  # when it was imported, as the description says it ("2021-06-01T12:00:00+00:00")

    @property
    def item(self) -> Item:
        """The dataset as a link to its page."""
        return Item(self.iri, self.title, "dataset")


@dataclass
class Publication:
    iri: str
    title: Text
    description: Text | None
    publisher: Item | None
    modified: str | None
    triples: int | None
    contact: Contact | None
    homepage: str | None
    sparql_endpoint: str | None
    datasets: list[Dataset] = field(default_factory=list)
    distributions: list[Distribution] = field(default_factory=list)


def publication(graph: Graph, catalog: str, lang: str) -> Publication:
    """The catalogue `catalog` as its description says it, texts in `lang` where the data has them."""
    node = URIRef(catalog)
    read = _Reader(graph, lang)
    datasets = [read.dataset(d) for d in sorted(graph.objects(node, DCAT.dataset))]
    endpoints = sorted(str(e) for d in graph.objects(node, DCAT.dataset) for e in graph.objects(d, VOID.sparqlEndpoint))
    return Publication(
        catalog, read.text(node, DCTERMS.title) or Text(catalog), read.text(node, DCTERMS.description),
        read.item(graph.value(node, DCTERMS.publisher), FOAF.name), read.when(node), read.integer(node, VOID.triples),
        read.contact(graph.value(node, DCAT.contactPoint)), _str(graph.value(node, FOAF.homepage)),
        endpoints[0] if endpoints else None, datasets, read.distributions())


def distribution(graph: Graph, iri: str, lang: str) -> Distribution | None:
    """One distribution of the description, or None if it names no such distribution."""
    return next((d for d in _Reader(graph, lang).distributions() if d.iri == iri), None)


def resource_description(graph: Graph, iri: str) -> Graph:
    """What the description says about one of its resources: its statements and those of its blank
    nodes (its concise bounded description), as a resource's document has it."""
    found = Graph()
    queue, seen = [URIRef(iri)], set()
    while queue:
        subject = queue.pop()
        seen.add(subject)
        for _, p, o in graph.triples((subject, None, None)):
            found.add((subject, p, o))
            if isinstance(o, BNode) and o not in seen:
                queue.append(o)
    return found


class _Reader:
    def __init__(self, graph: Graph, lang: str):
        self.graph, self.lang = graph, lang

    def text(self, node, prop) -> Text | None:
        """The value of `prop` in the page's language, else Finnish (the source's), untagged, any."""
        by_lang = {(o.language or ""): str(o) for o in sorted(self.graph.objects(node, prop)) if isinstance(o, Literal)}
        for lang in (self.lang, "fi", ""):
            if lang in by_lang:
                return Text(by_lang[lang], lang)
        return Text(by_lang[min(by_lang)], min(by_lang)) if by_lang else None

    def item(self, node, *label_props) -> Item | None:
        if node is None:
            return None
        label = next((t for t in (self.text(node, p) for p in label_props) if t), None)
        return Item(str(node), label or Text(str(node)))

    def integer(self, node, prop) -> int | None:
        value = self.graph.value(node, prop)
        return int(value) if value is not None else None

    def when(self, node) -> str | None:
        value = self.graph.value(node, DCTERMS.modified)
        return str(value) if value is not None else None

    def contact(self, node) -> Contact | None:
        if node is None:
            return None
        address = self.graph.value(node, VCARD.hasEmail) or self.graph.value(node, VCARD.hasURL)
        return Contact(str(address), str(self.graph.value(node, VCARD.fn) or "")) if address is not None else None

    def dataset(self, node) -> Dataset:
        period = self.graph.value(node, DCTERMS.temporal)
        start, end = (self.graph.value(period, DCAT.startDate), self.graph.value(period, DCAT.endDate)) if period else (None, None)
        rights = self.graph.value(node, DCTERMS.rights)
        triples = self.integer(node, VOID.triples)
        return Dataset(str(node), self.text(node, DCTERMS.title) or Text(str(node)), self.text(node, DCTERMS.description),
                       self.item(self.graph.value(node, DCTERMS.publisher), FOAF.name),
                       _str(self.graph.value(node, DCTERMS.license)), self.text(rights, RDFS.label) if rights else None,
                       (str(start), str(end)) if start and end else None,
                       self.item(self.graph.value(node, DCTERMS.spatial), SKOS.prefLabel), triples, self.when(node))

    def distributions(self) -> list[Distribution]:
        found = []
        for node in sorted(self.graph.subjects(DCAT.mediaType, None)):
            media_type = str(self.graph.value(node, DCAT.mediaType)).removeprefix(IANA)
            fmt = formats.by_media_type(media_type)
            size = self.integer(node, DCAT.byteSize)
            found.append(Distribution(str(node), self.text(node, DCTERMS.title) or Text(str(node)),
                                      self.text(node, DCTERMS.description), fmt.label if fmt else media_type,
                                      fmt.name if fmt else "", media_type, str(self.graph.value(node, DCAT.downloadURL)),
                                      size))
        order = {f.media_type: i for i, f in enumerate(formats.DUMPS.values())}  # as the downloads are offered
        return sorted(found, key=lambda d: (order.get(d.media_type, len(order)), d.iri))


def _str(value) -> str | None:
    return str(value) if value is not None else None

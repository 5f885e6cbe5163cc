"""Records → RDF: one named graph per source document.

Everything a document's graph states points back to the document
(`prov:wasDerivedFrom`); Finnish texts are the source's words, English labels
are the project's translations and the dataset says so.

The builder writes N-Triples text directly (`document_ntriples`), which is what
the import validates, loads and stores: no rdflib graph is made on that path
(an rdflib `Graph.add` cost 10 µs a triple; a document is now built in a sixth
of the time). `build_document` and `build_dataset` give the same triples as
rdflib graphs, for everything that reads a document in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import pyoxigraph
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib import namespace as rdflib_namespaces

from kasograph import namespaces
from kasograph.model.iris import Iris
from kasograph.namespaces import DEFAULT_BASE, SHAPES_IRI, VOCABULARY_GRAPH, bind_prefixes
from kasograph.source.names import name_key, post_label, unit_type
from kasograph.source.records import Document, Responsible
from kasograph.vocabulary import COLUMN_PROPERTIES as COLUMN_IRIS
from kasograph.vocabulary import COMPARATORS as COMPARATOR_IRIS
from kasograph.vocabulary import ontology


class _Terms:
    """A namespace's IRIs in N-Triples: `_Terms(RDF).type` is '<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>'."""

    def __init__(self, namespace: str):
        self._namespace = str(namespace)

    def __getattr__(self, name: str) -> str:
        term = f"<{self._namespace}{name}>"
        setattr(self, name, term)  # looked up once a name
        return term


def _iri(value: str) -> str:
    return f"<{value}>"


DCAT, DCTERMS, FOAF, ORG, PROV, QB, RDF, RDFS, SKOS, VOID = (_Terms(n) for n in (
    rdflib_namespaces.DCAT, rdflib_namespaces.DCTERMS, rdflib_namespaces.FOAF, rdflib_namespaces.ORG,
    rdflib_namespaces.PROV, rdflib_namespaces.QB, rdflib_namespaces.RDF, rdflib_namespaces.RDFS,
    rdflib_namespaces.SKOS, rdflib_namespaces.VOID))
KG, SCHEMA, SDMX_ATTRIBUTE, SDMX_DIMENSION, SDMX_MEASURE, UNIT = (_Terms(n) for n in (
    namespaces.KG, namespaces.SCHEMA, namespaces.SDMX_ATTRIBUTE, namespaces.SDMX_DIMENSION, namespaces.SDMX_MEASURE,
    namespaces.UNIT))
XSD = rdflib_namespaces.XSD  # datatypes stay rdflib IRIs: literals other than texts and integers are spelt by rdflib

EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
LANGUAGES = {"fi": "FIN", "sv": "SWE", "en": "ENG"}
MEDIA_TYPE_TEXT = _iri("https://www.iana.org/assignments/media-types/text/plain")
UNITS = {"count": UNIT.NUM, "percent": UNIT.PERCENT}
ENTITY_CLASSES = {
    "organisation": ORG.Organization,
    "network": ORG.Organization,
    "school": ORG.Organization,
    "working-group": ORG.Organization,
    "unit": ORG.Organization,
    "project": FOAF.Project,
    "programme": FOAF.Project,
    "system": SCHEMA.SoftwareApplication,
    "survey": KG.Survey,
}
TRANSLATION_NOTE = "English labels and titles are translations made by the kasograph project, not the source's words."
ROLES = {"person": KG.ResponsiblePerson, "body": KG.ResponsibleBody}
COLUMN_PROPERTIES = {column: _iri(iri) for column, iri in COLUMN_IRIS.items()}
COMPARATORS = {name: _iri(iri) for name, iri in COMPARATOR_IRIS.items()}


@dataclass(frozen=True)
class DocumentTriples:
    """One document's named graph as N-Triples: one triple a line, each line ending in " .\n"."""

    graph: str  # the graph's IRI
    ntriples: bytes  # UTF-8
    triples: int


def document_ntriples(document: Document, base: str = DEFAULT_BASE) -> DocumentTriples:
    """The named graph of one source document, as N-Triples (what the import validates and stores)."""
    return _DocumentBuilder(document, Iris.for_document(document.info, base)).build()


def build_document(document: Document, base: str = DEFAULT_BASE) -> Graph:
    """The named graph of one source document, as an rdflib graph."""
    return rdflib_graph(document_ntriples(document, base))


def rdflib_graph(built: DocumentTriples) -> Graph:
    """An rdflib graph of a document's N-Triples."""
    return ntriples_graph(built.graph, built.ntriples)


def ntriples_graph(identifier: str, ntriples: bytes) -> Graph:
    """An rdflib graph of N-Triples, blank-node labels kept (rdflib's parser renames them). Parsed by Oxigraph
    and each distinct term made once: rdflib's own N-Triples parser took six times as long as building
    the graph with rdflib did."""
    graph = Graph(store="SimpleMemory", identifier=URIRef(identifier))  # no contexts: half the cost of an add
    bind_prefixes(graph)
    made: dict = {}

    def term(node):
        found = made.get(node)
        if found is None:
            found = made[node] = _rdflib_term(node)
        return found

    add = graph.add
    for triple in pyoxigraph.parse(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES):
        add((term(triple.subject), term(triple.predicate), term(triple.object)))
    return graph


_XSD_STRING = str(XSD.string)


def _rdflib_term(node):
    if isinstance(node, pyoxigraph.NamedNode):
        return URIRef(node.value)
    if isinstance(node, pyoxigraph.BlankNode):
        return BNode(node.value)
    if node.language:
        return Literal(node.value, lang=node.language)
    datatype = node.datatype.value
    return Literal(node.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))


def build_dataset(documents: list[Document], base: str = DEFAULT_BASE, *, vocabulary: bool = True) -> Dataset:
    """A dataset with a named graph per document (and the vocabulary in a graph of its own)."""
    dataset = Dataset()
    bind_prefixes(dataset)
    for document in documents:
        graph = build_document(document, base)
        target = dataset.graph(graph.identifier)
        for triple in graph:
            target.add(triple)
    if vocabulary:
        target = dataset.graph(URIRef(VOCABULARY_GRAPH))
        for triple in ontology():
            target.add(triple)
    return dataset


# Literals in N-Triples -----------------------------------------------------------------------------------
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _quoted(text: str) -> str:
    """A string literal's quoted form (N-Triples escapes only these four; no raw line break is left)."""
    if "\\" in text or '"' in text or "\n" in text or "\r" in text:
        text = text.translate(_ESCAPES)
    return f'"{text}"'


def _integer(value: int) -> str:
    if type(value) is int:  # not a bool, nor a text rdflib would normalise ("012")
        return f'"{value}"^^<{XSD.integer}>'
    return _typed(value, XSD.integer)


def _typed(value, datatype: URIRef) -> str:
    """A typed literal spelt as rdflib spells it (its lexical form, normalised as rdflib normalises it):
    dates, periods and decimals, a few a document. Texts and dates, mostly repeated, are looked up;
    numbers are not (Decimal("2.50") == Decimal("2.5"), and so would share an entry)."""
    if isinstance(value, (str, date)):
        return _typed_once(value, datatype)
    return f"{_quoted(str(Literal(value, datatype=datatype)))}^^<{datatype}>"


@lru_cache(maxsize=4096)
def _typed_once(value: str | date, datatype: URIRef) -> str:
    return f"{_quoted(str(Literal(value, datatype=datatype)))}^^<{datatype}>"


class _DocumentBuilder:
    """Writes a document's triples as N-Triples lines; terms are N-Triples spellings ('<iri>', '_:label',
    '"text"@fi'). A triple stated twice is kept once, as a graph keeps it."""

    def __init__(self, document: Document, iris: Iris):
        self.doc = document
        self.info = document.info
        self.iris = iris
        self.lang = document.info.language
        self.lines: dict[str, None] = {}  # insertion-ordered and without repeats
        self.source = _iri(iris.document())
        self.division = _iri(iris.division_org())
        self.units: dict[str, str] = {}  # name key → IRI of every responsible party
        self.themes: dict[str, str] = {}  # label → IRI: a theme is named by every goal of it

    def build(self) -> DocumentTriples:
        self._document_and_dataset()
        self._organisation()
        for goal in self.doc.goals:
            self._goal(goal)
        self._numbers()
        self._mentions()
        self.add(_iri(self.iris.dataset()), VOID.triples, _integer(len(self.lines) + 1))
        return DocumentTriples(str(self.iris.graph()), "".join(self.lines).encode("utf-8"), len(self.lines))

    # helpers --------------------------------------------------------------------------
    def add(self, s: str, p: str, o: str) -> None:
        self.lines[f"{s} {p} {o} .\n"] = None

    def text(self, value: str) -> str:
        return f"{_quoted(value)}@{self.lang}"

    def label(self, node: str, value: str, prop: str = SKOS.prefLabel) -> None:
        """A source label in the document's language, plus our English translation if we have one."""
        self.add(node, prop, self.text(value))
        english = self.doc.translations_en.get(value)
        if english:
            self.add(node, prop, _english(english))

    def blank(self, name: str) -> str:
        """A blank node with a stable label, so that the same table gives byte-identical dumps."""
        return f"_:{self.info.id}-{name}"

    def theme(self, label: str) -> str:
        if label not in self.themes:
            self.themes[label] = _iri(self.iris.theme(label))
        return self.themes[label]

    def derived(self, node: str) -> None:
        self.add(node, PROV.wasDerivedFrom, self.source)

    # the document, the dataset ---------------------------------------------------------
    def _document_and_dataset(self) -> None:
        info, iris, doc = self.info, self.iris, self.source
        self.add(doc, RDF.type, FOAF.Document)
        self.add(doc, RDF.type, PROV.Entity)
        self.label(doc, info.title, DCTERMS.title)
        self.add(doc, DCTERMS.creator, self.division)
        if info.source_url:
            self.add(doc, FOAF.page, _iri(info.source_url))
        if info.language in LANGUAGES:
            self.add(doc, DCTERMS.language, _iri(EU_LANGUAGE + LANGUAGES[info.language]))
        if info.pages:
            self.add(doc, SCHEMA.numberOfPages, _integer(info.pages))
        if info.baseline_date:
            self.add(doc, KG.baselineDate, _typed(info.baseline_date, XSD.date))
        if info.target_period:
            self.add(doc, KG.targetPeriod, _typed(str(info.target_period), XSD.gYear))
        if info.outcome_month:
            year, month = info.outcome_month
            self.add(doc, KG.outcomeDate, _typed(f"{year:04d}-{month:02d}", XSD.gYearMonth))
        if self.doc.source_text is not None:
            source_text = _iri(iris.source_text())
            self.add(doc, DCTERMS.hasFormat, source_text)
            self.add(source_text, DCTERMS.format, MEDIA_TYPE_TEXT)
            self.add(source_text, RDFS.comment, _english("The text layer of the source document, verbatim."))

        dataset = _iri(iris.dataset())
        self.add(dataset, RDF.type, DCAT.Dataset)
        self.add(dataset, RDF.type, VOID.Dataset)
        self.label(dataset, info.title, DCTERMS.title)
        self.add(dataset, DCTERMS.description, _english(
            f"The goals of {self._english(info.division)} ({info.division_abbreviation or info.division}), {info.city}, "
            f"for {info.year}: metrics, baselines, targets, outcomes, statuses and the parties responsible, "
            f"built by kasograph from the division's goal table."))
        self.add(dataset, RDFS.comment, _english(TRANSLATION_NOTE))
        self.add(dataset, DCTERMS.source, doc)
        self.add(dataset, PROV.wasDerivedFrom, doc)
        publisher = _iri(iris.publisher(info.publisher))
        self.add(dataset, DCTERMS.publisher, publisher)
        self.add(publisher, RDF.type, FOAF.Agent)
        self.add(publisher, FOAF.name, _english(info.publisher))
        period = self.blank("period")
        self.add(dataset, DCTERMS.temporal, period)
        self.add(period, RDF.type, DCTERMS.PeriodOfTime)
        self.add(period, DCAT.startDate, _typed(date(info.year, 1, 1), XSD.date))
        self.add(period, DCAT.endDate, _typed(date(info.year, 12, 31), XSD.date))
        place = _iri(iris.place())
        self.add(dataset, DCTERMS.spatial, place)
        self.add(place, RDF.type, DCTERMS.Location)
        self.add(place, SKOS.prefLabel, self.text(info.city))
        if info.license:
            self.add(dataset, DCTERMS.license, _iri(info.license))
        if info.rights:
            rights = self.blank("rights")
            self.add(dataset, DCTERMS.rights, rights)
            self.add(rights, RDF.type, DCTERMS.RightsStatement)
            self.add(rights, RDFS.label, _english(info.rights))
        self.add(dataset, DCTERMS.conformsTo, _iri(SHAPES_IRI))
        if info.language in LANGUAGES:
            self.add(dataset, DCTERMS.language, _iri(EU_LANGUAGE + LANGUAGES[info.language]))
        self.add(dataset, VOID.vocabulary, _iri(str(namespaces.KG)))
        self.add(dataset, VOID.subset, _iri(iris.numbers_dataset()))

    def _english(self, finnish: str) -> str:
        return self.doc.translations_en.get(finnish, finnish)

    # the city, the division and its parties -----------------------------------------------
    def _organisation(self) -> None:
        info, iris = self.info, self.iris
        city, division = _iri(iris.city_org()), self.division
        self.add(city, RDF.type, ORG.Organization)
        self.label(city, info.city)
        self.add(city, ORG.hasUnit, division)
        self.derived(city)
        self.add(division, RDF.type, ORG.OrganizationalUnit)
        self.add(division, RDF.type, KG.Division)
        self.label(division, info.division)
        if info.division_abbreviation:
            self.add(division, SKOS.altLabel, self.text(info.division_abbreviation))
        self.add(division, ORG.unitOf, city)
        self.derived(division)

        scheme = _iri(iris.theme_scheme())
        self.add(scheme, RDF.type, SKOS.ConceptScheme)
        self.add(scheme, SKOS.prefLabel, _english(f"City strategy themes of {info.city}"))
        self.derived(scheme)
        for goal in self.doc.goals:
            theme = self.theme(goal.theme)
            self.add(theme, RDF.type, SKOS.Concept)
            self.label(theme, goal.theme)
            self.add(theme, SKOS.inScheme, scheme)
            self.add(theme, SKOS.topConceptOf, scheme)
            self.add(scheme, SKOS.hasTopConcept, theme)
            self.derived(theme)
            for party in goal.responsible:
                self._party(party)

    def _party(self, party: Responsible) -> str:
        key = name_key(party.name)
        if key in self.units:
            return self.units[key]
        iris = self.iris
        if party.kind == "person":
            node = _iri(iris.person(party.name))
            self.add(node, RDF.type, FOAF.Person)
            self.add(node, FOAF.name, _quoted(party.name))
        elif party.kind == "post":
            label = post_label(party.name)
            node = _iri(iris.post(label))
            self.add(node, RDF.type, ORG.Post)
            self.label(node, label)
            self.add(node, ORG.postIn, self.division)
            role = _iri(iris.role(label))
            self.add(node, ORG.role, role)
            self.add(role, RDF.type, ORG.Role)
            self.label(role, label)
            self.derived(role)
        else:
            node = _iri(iris.group(party.name))
            self.add(node, RDF.type, ORG.OrganizationalUnit)
            kind = unit_type(party.name)
            if kind == "development-group":
                self.add(node, RDF.type, KG.DevelopmentGroup)
            elif kind == "management-team":
                self.add(node, RDF.type, KG.ManagementTeam)
            self.label(node, party.name)
            self.add(node, ORG.unitOf, self.division)
            self.add(self.division, ORG.hasUnit, node)
        self.derived(node)
        self.units[key] = node
        return node

    # goals -----------------------------------------------------------------------------
    def _goal(self, goal) -> None:
        node = _iri(self.iris.goal(goal.key))
        self.add(node, RDF.type, KG.Goal)
        self.label(node, goal.text)
        self.add(node, KG.theme, self.theme(goal.theme))
        self.add(node, KG.status, _iri(goal.status))
        for column, text in goal.texts.items():
            self.add(node, COLUMN_PROPERTIES[column], self.text(text))
        for n, party in enumerate(goal.responsible, 1):
            agent = self._party(party)
            self.add(node, PROV.wasAttributedTo, agent)
            attribution = self.blank(f"{goal.key}-attribution-{n}")
            self.add(node, PROV.qualifiedAttribution, attribution)
            self.add(attribution, RDF.type, PROV.Attribution)
            self.add(attribution, PROV.agent, agent)
            self.add(attribution, DCAT.hadRole, ROLES[party.role])
        for page in goal.pages:
            self.add(node, KG.sourcePage, _integer(page))
        self.derived(node)

    # numbers that texts state (W3C Data Cube) ------------------------------------------------
    def _numbers(self) -> None:
        if not self.doc.numbers:
            return
        iris = self.iris
        dataset = _iri(iris.numbers_dataset())
        self.add(dataset, RDF.type, QB.DataSet)
        self.add(dataset, QB.structure, KG.NumbersStructure)
        self.add(dataset, RDFS.label, _english(f"Numbers stated in the goal texts of {self.info.title}"))
        self.derived(dataset)
        counter: dict[str, int] = {}
        for number in self.doc.numbers:
            counter[number.goal] = counter.get(number.goal, 0) + 1
            node = _iri(iris.number(number.goal, counter[number.goal]))
            self.add(node, RDF.type, QB.Observation)
            self.add(node, QB.dataSet, dataset)
            self.add(node, KG.goal, _iri(iris.goal(number.goal)))
            self.add(node, KG.column, COLUMN_PROPERTIES[number.column])
            measure = _iri(iris.measure(number.measure))
            self.add(node, KG.measure, measure)
            self.add(measure, RDF.type, SKOS.Concept)
            self.add(measure, SKOS.prefLabel, _english(number.measure_en))
            self.add(node, SDMX_DIMENSION.refPeriod, _period(number.period))
            if number.unit == "date":
                self.add(node, SDMX_MEASURE.obsValue, _period(str(number.value)))
            else:
                datatype = XSD.integer if isinstance(number.value, int) else XSD.decimal
                self.add(node, SDMX_MEASURE.obsValue, _typed(number.value, datatype))
                self.add(node, SDMX_ATTRIBUTE.unitMeasure, UNITS[number.unit])
            self.add(node, KG.comparator, COMPARATORS[number.comparator])
            self.add(node, KG.quote, self.text(number.quote))
            self.derived(node)

    # organisations, projects and systems that texts name ------------------------------------
    def _mentions(self) -> None:
        for mention in self.doc.mentions:
            goal = _iri(self.iris.goal(mention.goal))
            if mention.refers_to:
                node = self.units[name_key(mention.refers_to)]
            else:
                node = _iri(self.iris.entity(mention.kind, mention.name or mention.name_en))
                self.add(node, RDF.type, ENTITY_CLASSES[mention.kind])
                if mention.name:
                    self.add(node, SKOS.prefLabel, self.text(mention.name))
                if mention.name_en:
                    self.add(node, SKOS.prefLabel, _english(mention.name_en))
                self.derived(node)
            # The inflected form as written helps search ("MIELI ryn") without pretending to be a name.
            self.add(node, SKOS.hiddenLabel, self.text(mention.quote))
            self.add(goal, KG.mentions, node)


def _period(value: str) -> str:
    if len(value) == 4:
        return _typed(value, XSD.gYear)
    if len(value) == 7:
        return _typed(value, XSD.gYearMonth)
    return _typed(value, XSD.date)


def _english(text: str) -> str:
    return f"{_quoted(text)}@en"

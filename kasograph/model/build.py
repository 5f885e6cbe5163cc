"""Records → RDF: one named graph per source document.

Everything a document's graph states points back to the document
(`prov:wasDerivedFrom`); Finnish texts are the source's words, English labels
are the project's translations and the dataset says so.
"""

from __future__ import annotations

from datetime import date

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, PROV, QB, RDF, RDFS, SKOS, VOID, XSD

from kasograph.model.iris import Iris
from kasograph.namespaces import (
    DEFAULT_BASE,
    KG,
    SCHEMA,
    SDMX_ATTRIBUTE,
    SDMX_DIMENSION,
    SDMX_MEASURE,
    SHAPES_IRI,
    UNIT,
    VOCABULARY_GRAPH,
    bind_prefixes,
)
from kasograph.source.names import name_key, post_label, unit_type
from kasograph.source.records import Document, Responsible
from kasograph.vocabulary import COLUMN_PROPERTIES, COMPARATORS, ontology

EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
LANGUAGES = {"fi": "FIN", "sv": "SWE", "en": "ENG"}
MEDIA_TYPE_TEXT = URIRef("https://www.iana.org/assignments/media-types/text/plain")
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


def build_document(document: Document, base: str = DEFAULT_BASE) -> Graph:
    """The named graph of one source document."""
    return _DocumentBuilder(document, Iris.for_document(document.info, base)).build()


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


class _DocumentBuilder:
    def __init__(self, document: Document, iris: Iris):
        self.doc = document
        self.info = document.info
        self.iris = iris
        self.lang = document.info.language
        self.g = Graph(store="SimpleMemory", identifier=iris.graph())  # no contexts needed: half the cost of an add
        bind_prefixes(self.g)
        self.source = iris.document()
        self.units: dict[str, URIRef] = {}  # name key → IRI of every responsible party

    def build(self) -> Graph:
        self._document_and_dataset()
        self._organisation()
        for goal in self.doc.goals:
            self._goal(goal)
        self._numbers()
        self._mentions()
        self.g.add((self.iris.dataset(), VOID.triples, Literal(len(self.g) + 1)))
        return self.g

    # helpers --------------------------------------------------------------------------
    def add(self, s, p, o) -> None:
        self.g.add((s, p, o))

    def text(self, value: str) -> Literal:
        return Literal(value, lang=self.lang)

    def label(self, node: URIRef, value: str, prop: URIRef = SKOS.prefLabel) -> None:
        """A source label in the document's language, plus our English translation if we have one."""
        self.add(node, prop, self.text(value))
        english = self.doc.translations_en.get(value)
        if english:
            self.add(node, prop, Literal(english, lang="en"))

    def blank(self, name: str) -> BNode:
        """A blank node with a stable label, so that the same table gives byte-identical dumps."""
        return BNode(f"{self.info.id}-{name}")

    def derived(self, node: URIRef) -> None:
        self.add(node, PROV.wasDerivedFrom, self.source)

    # the document, the dataset ---------------------------------------------------------
    def _document_and_dataset(self) -> None:
        info, iris, doc = self.info, self.iris, self.source
        self.add(doc, RDF.type, FOAF.Document)
        self.add(doc, RDF.type, PROV.Entity)
        self.label(doc, info.title, DCTERMS.title)
        self.add(doc, DCTERMS.creator, iris.division_org())
        if info.source_url:
            self.add(doc, FOAF.page, URIRef(info.source_url))
        if info.language in LANGUAGES:
            self.add(doc, DCTERMS.language, URIRef(EU_LANGUAGE + LANGUAGES[info.language]))
        if info.pages:
            self.add(doc, SCHEMA.numberOfPages, Literal(info.pages, datatype=XSD.integer))
        if info.baseline_date:
            self.add(doc, KG.baselineDate, Literal(info.baseline_date, datatype=XSD.date))
        if info.target_period:
            self.add(doc, KG.targetPeriod, Literal(str(info.target_period), datatype=XSD.gYear))
        if info.outcome_month:
            year, month = info.outcome_month
            self.add(doc, KG.outcomeDate, Literal(f"{year:04d}-{month:02d}", datatype=XSD.gYearMonth))
        if self.doc.source_text is not None:
            self.add(doc, DCTERMS.hasFormat, iris.source_text())
            self.add(iris.source_text(), DCTERMS.format, MEDIA_TYPE_TEXT)
            self.add(iris.source_text(), RDFS.comment, Literal("The text layer of the source document, verbatim.", lang="en"))

        dataset = iris.dataset()
        self.add(dataset, RDF.type, DCAT.Dataset)
        self.add(dataset, RDF.type, VOID.Dataset)
        self.label(dataset, info.title, DCTERMS.title)
        self.add(dataset, DCTERMS.description, Literal(
            f"The goals of {self._english(info.division)} ({info.division_abbreviation or info.division}), {info.city}, "
            f"for {info.year}: metrics, baselines, targets, outcomes, statuses and the parties responsible, "
            f"built by kasograph from the division's goal table.", lang="en"))
        self.add(dataset, RDFS.comment, Literal(TRANSLATION_NOTE, lang="en"))
        self.add(dataset, DCTERMS.source, doc)
        self.add(dataset, PROV.wasDerivedFrom, doc)
        publisher = iris.publisher(info.publisher)
        self.add(dataset, DCTERMS.publisher, publisher)
        self.add(publisher, RDF.type, FOAF.Agent)
        self.add(publisher, FOAF.name, Literal(info.publisher, lang="en"))
        period = self.blank("period")
        self.add(dataset, DCTERMS.temporal, period)
        self.add(period, RDF.type, DCTERMS.PeriodOfTime)
        self.add(period, DCAT.startDate, Literal(date(info.year, 1, 1), datatype=XSD.date))
        self.add(period, DCAT.endDate, Literal(date(info.year, 12, 31), datatype=XSD.date))
        place = iris.place()
        self.add(dataset, DCTERMS.spatial, place)
        self.add(place, RDF.type, DCTERMS.Location)
        self.add(place, SKOS.prefLabel, self.text(info.city))
        if info.license:
            self.add(dataset, DCTERMS.license, URIRef(info.license))
        if info.rights:
            rights = self.blank("rights")
            self.add(dataset, DCTERMS.rights, rights)
            self.add(rights, RDF.type, DCTERMS.RightsStatement)
            self.add(rights, RDFS.label, Literal(info.rights, lang="en"))
        self.add(dataset, DCTERMS.conformsTo, URIRef(SHAPES_IRI))
        if info.language in LANGUAGES:
            self.add(dataset, DCTERMS.language, URIRef(EU_LANGUAGE + LANGUAGES[info.language]))
        self.add(dataset, VOID.vocabulary, URIRef(str(KG)))
        self.add(dataset, VOID.subset, iris.numbers_dataset())

    def _english(self, finnish: str) -> str:
        return self.doc.translations_en.get(finnish, finnish)

    # the city, the division and its parties -----------------------------------------------
    def _organisation(self) -> None:
        info, iris = self.info, self.iris
        city, division = iris.city_org(), iris.division_org()
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

        scheme = iris.theme_scheme()
        self.add(scheme, RDF.type, SKOS.ConceptScheme)
        self.add(scheme, SKOS.prefLabel, Literal(f"City strategy themes of {info.city}", lang="en"))
        self.derived(scheme)
        for goal in self.doc.goals:
            theme = iris.theme(goal.theme)
            self.add(theme, RDF.type, SKOS.Concept)
            self.label(theme, goal.theme)
            self.add(theme, SKOS.inScheme, scheme)
            self.add(theme, SKOS.topConceptOf, scheme)
            self.add(scheme, SKOS.hasTopConcept, theme)
            self.derived(theme)
            for party in goal.responsible:
                self._party(party)

    def _party(self, party: Responsible) -> URIRef:
        key = name_key(party.name)
        if key in self.units:
            return self.units[key]
        iris = self.iris
        if party.kind == "person":
            node = iris.person(party.name)
            self.add(node, RDF.type, FOAF.Person)
            self.add(node, FOAF.name, Literal(party.name))
        elif party.kind == "post":
            label = post_label(party.name)
            node = iris.post(label)
            self.add(node, RDF.type, ORG.Post)
            self.label(node, label)
            self.add(node, ORG.postIn, iris.division_org())
            role = iris.role(label)
            self.add(node, ORG.role, role)
            self.add(role, RDF.type, ORG.Role)
            self.label(role, label)
            self.derived(role)
        else:
            node = iris.group(party.name)
            self.add(node, RDF.type, ORG.OrganizationalUnit)
            kind = unit_type(party.name)
            if kind == "development-group":
                self.add(node, RDF.type, KG.DevelopmentGroup)
            elif kind == "management-team":
                self.add(node, RDF.type, KG.ManagementTeam)
            self.label(node, party.name)
            self.add(node, ORG.unitOf, iris.division_org())
            self.add(iris.division_org(), ORG.hasUnit, node)
        self.derived(node)
        self.units[key] = node
        return node

    # goals -----------------------------------------------------------------------------
    def _goal(self, goal) -> None:
        node = self.iris.goal(goal.key)
        self.add(node, RDF.type, KG.Goal)
        self.label(node, goal.text)
        self.add(node, KG.theme, self.iris.theme(goal.theme))
        self.add(node, KG.status, URIRef(goal.status))
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
            self.add(node, KG.sourcePage, Literal(page, datatype=XSD.integer))
        self.derived(node)

    # numbers that texts state (W3C Data Cube) ------------------------------------------------
    def _numbers(self) -> None:
        if not self.doc.numbers:
            return
        iris = self.iris
        dataset = iris.numbers_dataset()
        self.add(dataset, RDF.type, QB.DataSet)
        self.add(dataset, QB.structure, KG.NumbersStructure)
        self.add(dataset, RDFS.label, Literal(f"Numbers stated in the goal texts of {self.info.title}", lang="en"))
        self.derived(dataset)
        counter: dict[str, int] = {}
        for number in self.doc.numbers:
            counter[number.goal] = counter.get(number.goal, 0) + 1
            node = iris.number(number.goal, counter[number.goal])
            self.add(node, RDF.type, QB.Observation)
            self.add(node, QB.dataSet, dataset)
            self.add(node, KG.goal, iris.goal(number.goal))
            self.add(node, KG.column, COLUMN_PROPERTIES[number.column])
            measure = iris.measure(number.measure)
            self.add(node, KG.measure, measure)
            self.add(measure, RDF.type, SKOS.Concept)
            self.add(measure, SKOS.prefLabel, Literal(number.measure_en, lang="en"))
            self.add(node, SDMX_DIMENSION.refPeriod, _period(number.period))
            if number.unit == "date":
                self.add(node, SDMX_MEASURE.obsValue, _period(str(number.value)))
            else:
                datatype = XSD.integer if isinstance(number.value, int) else XSD.decimal
                self.add(node, SDMX_MEASURE.obsValue, Literal(number.value, datatype=datatype))
                self.add(node, SDMX_ATTRIBUTE.unitMeasure, UNITS[number.unit])
            self.add(node, KG.comparator, COMPARATORS[number.comparator])
            self.add(node, KG.quote, self.text(number.quote))
            self.derived(node)

    # organisations, projects and systems that texts name ------------------------------------
    def _mentions(self) -> None:
        for mention in self.doc.mentions:
            goal = self.iris.goal(mention.goal)
            if mention.refers_to:
                node = self.units[name_key(mention.refers_to)]
            else:
                node = self.iris.entity(mention.kind, mention.name or mention.name_en)
                self.add(node, RDF.type, ENTITY_CLASSES[mention.kind])
                if mention.name:
                    self.add(node, SKOS.prefLabel, self.text(mention.name))
                if mention.name_en:
                    self.add(node, SKOS.prefLabel, Literal(mention.name_en, lang="en"))
                self.derived(node)
            # The inflected form as written helps search ("MIELI ryn") without pretending to be a name.
            self.add(node, SKOS.hiddenLabel, self.text(mention.quote))
            self.add(goal, KG.mentions, node)


def _period(value: str) -> Literal:
    if len(value) == 4:
        return Literal(value, datatype=XSD.gYear)
    if len(value) == 7:
        return Literal(value, datatype=XSD.gYearMonth)
    return Literal(value, datatype=XSD.date)

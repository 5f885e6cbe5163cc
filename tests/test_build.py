"""The bundled graph states what the source states: texts, counts, parties, numbers."""

from __future__ import annotations

from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import FOAF, ORG, PROV, QB, RDF, SKOS, XSD

from kasograph.model.build import build_document
from kasograph.model.fidelity import is_quoted, source_literals, squeeze, unquoted_literals
from kasograph.namespaces import KG, SDMX_ATTRIBUTE, SDMX_DIMENSION, SDMX_MEASURE, UNIT

BASE = "https://w3id.org/kasograph/id/"
GOAL = BASE + "goal/vantaa-kaso-2021/"

# Counted by hand from the source document.
PERSONS = {
    "Ari Ranki", "Sole Askola-Vehviläinen", "Ilkka Kalo", "Anders Vikström",
    "Tuija Harakka", "Eila Tanninen", "Katri Kalske",
}
DEVELOPMENT_GROUPS = {
    "Opintopolut ja ohjaus kehittämisryhmä", "Opiskeluhuolto ja hyvinvointi kehittämisryhmä",
    "Monikulttuurisuus kehittämisryhmä", "tvt-kehittämisryhmä", "Osaaminen-kehittämisryhmä",
}
THEMES = {
    "Tiivistämme kaupunkia lähiluontoa vaalien", "Lisäämme kaupungin elinvoimaa ja vetovoimaa",
    "Edistämme asukkaiden hyvinvointia", "Olemme edelläkävijöitä palvelujen kehittämisessä",
    "Johdamme uudistuen ja osallistuen",
}
RESPONSIBLE = {  # goal key → names in the Vastuuhenkilö(t) cell and after "Vastuutaho:"
    "oppimiskampus": ({"Ari Ranki"}, set()),
    "oppivelvollisuus": ({"Ari Ranki"}, {"Opintopolut ja ohjaus kehittämisryhmä"}),
    "perhekeskus": ({"Sole Askola-Vehviläinen", "Ilkka Kalo", "Anders Vikström"}, {"Opiskeluhuolto ja hyvinvointi kehittämisryhmä"}),
    "huoltajien-osallisuus": ({"Ilkka Kalo", "Sole Askola-Vehviläinen", "Anders Vikström", "Tuija Harakka", "osallisuusasiantuntija"}, set()),
    "mielenterveysosaaminen": ({"Tuija Harakka"}, {"Opiskeluhuolto ja hyvinvointi kehittämisryhmä"}),
    "monikieliset-opintopolut": ({"Ilkka Kalo", "Sole Askola-Vehviläinen", "Anders Vikström"}, {"Monikulttuurisuus kehittämisryhmä"}),
    "yhteisollinen-hyvinvointi": ({"palvelualuejohtajat"}, set()),
    "etaopetus": ({"Sole Askola-Vehviläinen", "Ilkka Kalo", "Ari Ranki", "Anders Vikström"}, {"tvt-kehittämisryhmä"}),
    "tiedolla-johtaminen": ({"Eila Tanninen", "Tuija Harakka", "palvelualuejohtajat"}, {"tvt-kehittämisryhmä", "Osaaminen-kehittämisryhmä"}),
    "kehittamisryhmat": ({"Katri Kalske", "KASOn johtoryhmä"}, set()),
}
STATUS = {key: KG.FullyAchieved for key in RESPONSIBLE} | {
    "mielenterveysosaaminen": KG.PartiallyAchieved, "yhteisollinen-hyvinvointi": KG.PartiallyAchieved}


def names(graph, node):
    return {str(o) for o in graph.objects(node, FOAF.name)} | {
        str(o) for o in graph.objects(node, SKOS.prefLabel) if o.language == "fi"}


def test_every_source_language_text_appears_in_the_source(graph, source_text):
    assert sum(1 for _ in source_literals(graph)) > 100
    assert unquoted_literals(graph, source_text) == []


def test_fidelity_check_catches_a_changed_word(graph, source_text):
    source = squeeze(source_text)
    assert is_quoted(squeeze("Toteutetaan oppivelvollisuuden laajentamisen uudistus onnistuneesti"), source)
    assert not is_quoted(squeeze("Toteutetaan oppivelvollisuuden laajentamisen uudistus nopeasti"), source)
    # A cell interrupted by a page break (and the status printed beside it) still counts as quoted.
    assert is_quoted(squeeze("Perusopetuksen koulutuksia ei ole järjestetty johtuen pitkälti koronan "
                             "aiheuttamasta poikkeustilanteesta."), source)
    copy = graph.__class__()
    for triple in graph:
        copy.add(triple)
    copy.add((URIRef(GOAL + "oppimiskampus"), KG.outcome, Literal("Oppimiskampus valmistui.", lang="fi")))
    assert [u.literal for u in unquoted_literals(copy, source_text)] == [Literal("Oppimiskampus valmistui.", lang="fi")]


def test_counts_match_the_source(graph):
    assert len(set(graph.subjects(RDF.type, KG.Goal))) == 10
    themes = set(graph.objects(None, KG.theme))
    assert {str(l) for t in themes for l in graph.objects(t, SKOS.prefLabel) if l.language == "fi"} == THEMES
    groups = set(graph.subjects(RDF.type, KG.DevelopmentGroup))
    assert {n for g in groups for n in names(graph, g)} == DEVELOPMENT_GROUPS
    assert {n for p in graph.subjects(RDF.type, ORG.Post) for n in names(graph, p)} == {"palvelualuejohtajat", "osallisuusasiantuntija"}
    assert {n for m in graph.subjects(RDF.type, KG.ManagementTeam) for n in names(graph, m)} == {"KASOn johtoryhmä"}


def test_only_people_the_source_names_are_persons(graph, source_text):
    persons = set(graph.subjects(RDF.type, FOAF.Person))
    assert {n for p in persons for n in names(graph, p)} == PERSONS
    for person in persons:
        assert squeeze(str(graph.value(person, FOAF.name))) in squeeze(source_text)
        # A post held by unnamed people never gets a holder.
    assert not list(graph.subjects(ORG.holds, None))


def test_each_goal_names_its_responsible_parties_with_their_role(graph):
    for key, (persons_cell, bodies) in RESPONSIBLE.items():
        goal = URIRef(GOAL + key)
        attributed = {n for agent in graph.objects(goal, PROV.wasAttributedTo) for n in names(graph, agent)}
        assert attributed == persons_cell | bodies, key
        by_role = {}
        for attribution in graph.objects(goal, PROV.qualifiedAttribution):
            role = graph.value(attribution, URIRef("http://www.w3.org/ns/dcat#hadRole"))
            by_role.setdefault(role, set()).update(names(graph, graph.value(attribution, PROV.agent)))
        assert by_role.get(KG.ResponsiblePerson, set()) == persons_cell, key
        assert by_role.get(KG.ResponsibleBody, set()) == bodies, key


def test_statuses_and_pages(graph):
    for key, status in STATUS.items():
        assert graph.value(URIRef(GOAL + key), KG.status) == status
    pages = {int(p) for p in graph.objects(URIRef(GOAL + "mielenterveysosaaminen"), KG.sourcePage)}
    assert pages == {2, 3}


def test_numbers_are_typed_with_unit_date_and_quote(graph):
    observations = {}
    for obs in graph.subjects(RDF.type, QB.Observation):
        value = graph.value(obs, SDMX_MEASURE.obsValue)
        observations[(str(graph.value(obs, KG.goal)).rsplit("/", 1)[1], value.toPython())] = obs
    mental = "mielenterveysosaaminen"
    assert {(k, v) for (k, v) in observations if k == mental} >= {
        (mental, 664), (mental, 188), (mental, Decimal("28.4")), (mental, 10), (mental, 5), (mental, 90)}
    trained = observations[(mental, 664)]
    assert graph.value(trained, SDMX_ATTRIBUTE.unitMeasure) == UNIT.NUM
    assert graph.value(trained, SDMX_DIMENSION.refPeriod) == Literal("2020-12-31", datatype=XSD.date)
    growth = observations[(mental, Decimal("28.4"))]
    assert graph.value(growth, SDMX_ATTRIBUTE.unitMeasure) == UNIT.PERCENT
    assert graph.value(growth, SDMX_MEASURE.obsValue).datatype == XSD.decimal
    target = observations[(mental, 10)]
    assert graph.value(target, KG.comparator) == KG.AtLeast
    assert graph.value(target, KG.column) == KG.target
    # Target and outcome share a measure, so they can be compared.
    assert graph.value(target, KG.measure) == graph.value(growth, KG.measure)
    assert graph.value(observations[(mental, 90)], KG.comparator) == KG.Approximately


def test_mentioned_organisations_and_systems(graph):
    mentioned = {
        str(l)
        for goal in graph.subjects(RDF.type, KG.Goal)
        for thing in graph.objects(goal, KG.mentions)
        for l in graph.objects(thing, SKOS.prefLabel)
    }
    assert {"MIELI ry", "VaSa", "PowerBI", "Oppiva", "Kouluterveyskysely", "KASOn johtoryhmä"} <= mentioned


def test_iris_are_stable_and_follow_the_base(document, graph):
    again = build_document(document)
    iris = lambda g: {s for s in g.subjects() if isinstance(s, URIRef)}  # noqa: E731
    assert iris(again) == iris(graph)
    assert len(again) == len(graph)
    other = build_document(document, "http://example.org/kaso/")
    goals = {str(g) for g in other.subjects(RDF.type, KG.Goal)}
    assert "http://example.org/kaso/goal/vantaa-kaso-2021/oppimiskampus" in goals
    assert "http://example.org/kaso/person/vantaa/ari-ranki" in {str(p) for p in other.subjects(RDF.type, FOAF.Person)}


def test_dataset_describes_itself(graph):
    from rdflib.namespace import DCAT, DCTERMS

    dataset = URIRef(BASE + "dataset/vantaa-kaso-2021")
    assert (dataset, RDF.type, DCAT.Dataset) in graph
    assert graph.value(dataset, DCTERMS.conformsTo) == URIRef("https://w3id.org/kasograph/shapes")
    assert graph.value(dataset, DCTERMS.publisher) is not None
    assert graph.value(dataset, DCTERMS.spatial) is not None
    period = graph.value(dataset, DCTERMS.temporal)
    assert graph.value(period, DCAT.startDate) == Literal("2021-01-01", datatype=XSD.date)
    # No licence is claimed that the source does not state; a rights statement says so.
    assert graph.value(dataset, DCTERMS.license) is None
    assert graph.value(dataset, DCTERMS.rights) is not None
    # English texts are ours, and the dataset says so.
    assert any("translations" in str(c) for c in graph.objects(dataset, URIRef("http://www.w3.org/2000/01/rdf-schema#comment")))

"""The shapes accept the bundled graph and catch each kind of broken copy with the right message."""

from __future__ import annotations

import json

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import FOAF, PROV, QB, RDF, SKOS, XSD

from kasograph.model.validate import ENGINES, default_engine, validate_graph, validate_source
from kasograph.namespaces import KG, SDMX_ATTRIBUTE, SDMX_MEASURE

GOAL = URIRef("https://w3id.org/kasograph/id/goal/vantaa-kaso-2021/oppimiskampus")


def copy_of(graph: Graph) -> Graph:
    broken = Graph(identifier=graph.identifier)
    for triple in graph:
        broken.add(triple)
    return broken


def first_number(graph: Graph, unit=None) -> URIRef:
    for obs in sorted(graph.subjects(RDF.type, QB.Observation)):
        if unit is None or graph.value(obs, SDMX_ATTRIBUTE.unitMeasure) == unit:
            return obs
    raise AssertionError("no number")


@pytest.fixture(scope="module")
def bundled_report(graph):
    return validate_graph(graph)


def test_bundled_graph_conforms(bundled_report):
    assert bundled_report.conforms, bundled_report.text()
    assert bundled_report.findings == []


def test_bundled_source_conforms_including_quotes():
    report = validate_source()
    assert report.conforms, report.text()


def _break_missing_status(g):
    g.remove((GOAL, KG.status, None))


def _break_status_outside_scheme(g):
    g.set((GOAL, KG.status, URIRef("https://w3id.org/kasograph/def#Postponed")))


def _break_no_responsible(g):
    g.remove((GOAL, PROV.wasAttributedTo, None))
    g.remove((GOAL, PROV.qualifiedAttribution, None))


def _break_wrong_datatype(g):
    obs = first_number(g)
    value = g.value(obs, SDMX_MEASURE.obsValue)
    g.set((obs, SDMX_MEASURE.obsValue, Literal(str(value), datatype=XSD.string)))


def _break_unknown_language(g):
    g.add((GOAL, SKOS.prefLabel, Literal("Lernkampus-Vorstudie", lang="de")))


def _break_number_without_unit(g):
    obs = first_number(g)
    g.remove((obs, SDMX_ATTRIBUTE.unitMeasure, None))


def _break_missing_theme(g):
    g.remove((GOAL, KG.theme, None))


def _break_two_finnish_labels(g):
    g.add((GOAL, SKOS.prefLabel, Literal("Toinen teksti", lang="fi")))


def _break_attribution_without_role(g):
    attribution = next(g.objects(GOAL, PROV.qualifiedAttribution))
    g.remove((attribution, URIRef("http://www.w3.org/ns/dcat#hadRole"), None))


NOBODY = URIRef("https://w3id.org/kasograph/id/person/vantaa/nobody-known")  # made up for the tests


def _break_attributed_without_a_role(g):
    """A party named responsible with no qualified attribution saying in which role."""
    g.add((GOAL, PROV.wasAttributedTo, NOBODY))
    g.add((NOBODY, RDF.type, FOAF.Person))


def _break_role_of_someone_not_attributed(g):
    """A qualified attribution whose agent the goal does not name responsible."""
    attribution = BNode()
    g.add((GOAL, PROV.qualifiedAttribution, attribution))
    g.add((attribution, RDF.type, PROV.Attribution))
    g.add((attribution, PROV.agent, NOBODY))
    g.add((attribution, URIRef("http://www.w3.org/ns/dcat#hadRole"), KG.ResponsiblePerson))
    g.add((NOBODY, RDF.type, FOAF.Person))


BROKEN = [
    # (how it is broken, severity, path, words of the English message, words of the Finnish message)
    (_break_missing_status, "Violation", KG.status, "exactly one status", "täsmälleen yksi tila"),
    (_break_status_outside_scheme, "Violation", KG.status, "status from the status scheme", "tilaluokituksesta"),
    (_break_no_responsible, "Warning", PROV.wasAttributedTo, "names nobody responsible", "vastuutahoa"),
    (_break_wrong_datatype, "Violation", SDMX_MEASURE.obsValue, "typed xsd:integer or xsd:decimal", "tietotyyppi"),
    (_break_unknown_language, "Violation", SKOS.prefLabel, "languages fi, sv or en", "kielen on oltava"),
    (_break_number_without_unit, "Violation", None, "needs a unit", "yksikkö"),
    (_break_missing_theme, "Violation", KG.theme, "theme", "teema"),
    (_break_two_finnish_labels, "Violation", SKOS.prefLabel, "exactly one Finnish text", "suomenkielinen"),
    (_break_attribution_without_role, "Violation", PROV.qualifiedAttribution, "one agent and one role", "rooli"),
    (_break_attributed_without_a_role, "Violation", None, "needs a qualified attribution", "vastuun tarkennus"),
    (_break_role_of_someone_not_attributed, "Violation", None, "matching prov:wasAttributedTo", "päinvastoin"),
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("breaks, severity, path, english, finnish", BROKEN, ids=[b[0].__name__[7:] for b in BROKEN])
def test_broken_copy_is_caught_with_the_right_message(graph, breaks, severity, path, english, finnish, engine):
    broken = copy_of(graph)
    breaks(broken)
    report = validate_graph(broken, engine)
    matching = [f for f in report.findings if english in f.message("en")]
    assert matching, report.text()
    finding = matching[0]
    assert finding.severity == severity
    assert finnish in finding.message("fi")
    if path is not None:
        assert finding.path == str(path)
    assert report.conforms is (severity != "Violation")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("breaks", [_break_attributed_without_a_role, _break_role_of_someone_not_attributed])
def test_a_party_and_its_role_must_match_and_only_the_one_that_does_not_is_named(graph, breaks, engine):
    broken = copy_of(graph)
    breaks(broken)
    matching = [f for f in validate_graph(broken, engine).findings if "qualified attribution with its role" in f.message("en")]
    assert [(f.focus_node, f.value) for f in matching] == [(str(GOAL), str(NOBODY))]


def test_report_names_focus_node_path_and_value(graph):
    broken = copy_of(graph)
    _break_wrong_datatype(broken)
    finding = next(f for f in validate_graph(broken).findings if f.severity == "Violation")
    assert finding.focus_node.startswith("https://w3id.org/kasograph/id/number/")
    assert finding.value and "XMLSchema#string" in finding.value
    text = validate_graph(broken).text()
    assert "focus node:" in text and "path:" in text and "value:" in text


def test_every_typed_resource_is_checked_by_some_shape(graph):
    """A shape for every class the data uses: each typed node is the target of at least one shape."""
    from kasograph.namespaces import SH
    from kasograph.vocabulary import shapes

    target_classes = set(shapes().objects(None, SH.targetClass))
    target_properties = set(shapes().objects(None, SH.targetObjectsOf))
    unchecked = set()
    for node in set(graph.subjects(RDF.type, None)):
        by_class = set(graph.objects(node, RDF.type)) & target_classes
        by_use = {p for p in target_properties if (None, p, node) in graph}
        if not by_class and not by_use:
            unchecked.add((node, tuple(graph.objects(node, RDF.type))))
    assert unchecked == set()


def findings(report) -> list[tuple]:
    """A report's findings, but for the identifiers of blank-node shapes (each engine names them)."""
    return [(f.severity, f.focus_node, f.path, f.value, f.messages, f.shape if f.shape and f.shape.startswith("http") else None)
            for f in report.findings]


def test_both_engines_find_the_same_in_every_broken_copy(graph):
    """pyshacl-turbo, the default, is held to pyshacl, the reference, on all the breakages at once."""
    broken = copy_of(graph)
    for breaks, *_ in reversed(BROKEN):  # in this order no breakage undoes another
        breaks(broken)
    fast, reference = validate_graph(broken, "pyshacl-turbo"), validate_graph(broken, "pyshacl")
    assert len(reference.findings) >= len(BROKEN) - 2  # some breakages overlap
    assert findings(fast) == findings(reference)


def test_both_engines_accept_generated_documents(tmp_path):
    from benchmarks import generate
    from kasograph.model.build import build_document
    from kasograph.source.table import read_document

    out = tmp_path / "docs"
    assert generate.main([str(out), "--quiet", "--goals", "20", "--cities", "1", "--divisions", "1", "--years", "2"]) == 0
    for folder in sorted(p for p in out.iterdir() if p.is_dir()):
        built = build_document(read_document(folder))
        fast, reference = validate_graph(built, "pyshacl-turbo"), validate_graph(built, "pyshacl")
        assert fast.conforms and findings(fast) == findings(reference)


def test_the_engine_is_chosen_by_name_or_setting(graph, monkeypatch):
    assert default_engine() == "pyshacl-turbo"
    monkeypatch.setenv("KASOGRAPH_VALIDATOR", "pyshacl")
    assert default_engine() == "pyshacl"
    monkeypatch.setenv("KASOGRAPH_VALIDATOR", "topbraid")
    with pytest.raises(ValueError, match="pyshacl-turbo, pyshacl"):
        default_engine()
    with pytest.raises(ValueError, match="no SHACL engine 'jena'"):
        validate_graph(graph, "jena")


def test_what_the_store_holds_is_validated_as_stored(runner, tmp_path):
    from kasograph.cli import main
    from tests.conftest import KASO

    store = str(tmp_path / "store")
    empty = runner.invoke(main, ["--store", store, "validate", "--stored"])
    assert empty.exit_code == 1 and "holds no documents" in empty.output
    assert runner.invoke(main, ["--store", store, "import", str(KASO)]).exit_code == 0
    checked = runner.invoke(main, ["--store", store, "validate", "--stored", "--format", "json"])
    assert checked.exit_code == 0, checked.output
    report = json.loads(checked.output)
    assert report["conforms"] and report["graphs"] == ["https://w3id.org/kasograph/id/graph/vantaa-kaso-2021"]
    both = runner.invoke(main, ["--store", store, "validate", str(KASO), "--stored"])
    assert both.exit_code == 2


def test_a_large_store_is_validated_in_worker_processes(tmp_path):
    from benchmarks import generate
    from kasograph.store.directory import StoreDirectory
    from kasograph.store.importer import document_sources, import_documents
    from kasograph.store.validation import validate_stored

    out = tmp_path / "docs"
    assert generate.main([str(out), "--quiet", "--goals", "60", "--cities", "1", "--divisions", "2", "--years", "3"]) == 0
    directory = StoreDirectory(tmp_path / "store")
    imported = import_documents(document_sources([out]), directory)
    report = validate_stored(directory, jobs=2)
    assert report.conforms and report.graphs == sorted(d.graph for d in imported.documents)


def test_ntriples_are_validated_as_the_graph_is(graph):
    """What the import validates, N-Triples (pyshacl-turbo reads the text itself), gives the findings that
    pyshacl gives on a graph of the same triples, blank nodes named by their labels, with either engine;
    down to the report's text. The N-Triples are spelt as a store writes them (a string is "1", not
    "1"^^xsd:string: pyshacl-turbo would report a value as the text spells it)."""
    import pyoxigraph

    from kasograph.model.build import ntriples_graph
    from kasograph.model.validate import validate_ntriples

    broken = copy_of(graph)
    for breaks, *_ in reversed(BROKEN):
        breaks(broken)
    parsed = pyoxigraph.parse(broken.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    ntriples = pyoxigraph.serialize([q.triple for q in parsed], format=pyoxigraph.RdfFormat.N_TRIPLES)
    reference = validate_graph(ntriples_graph(str(graph.identifier), ntriples), "pyshacl")
    assert len(reference.findings) >= len(BROKEN) - 2
    assert any(f.focus_node.startswith("vantaa-kaso-2021-") for f in reference.findings)  # a blank node, by its label
    for engine in ENGINES:
        report = validate_ntriples(str(graph.identifier), ntriples, engine)
        assert findings(report) == findings(reference), engine
        assert report.text("fi") == reference.text("fi") and report.text("en") == reference.text("en")
        assert report.graphs == [str(graph.identifier)]


def test_validating_with_pyshacl_leaves_the_shapes_as_they_are():
    """pyshacl adds axioms of its own to the shapes graph it is given; the shapes kasograph serves stay ours."""
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from kasograph import resources
    from kasograph.model.validate import validate_source
    from kasograph.vocabulary import shapes

    validate_source(engine="pyshacl")
    assert isomorphic(shapes(), Graph().parse(resources.shapes_path(), format="turtle"))  # as the file says, not more


def test_beside_a_document_the_engine_reads_the_vocabulary_the_shapes_can_reach_and_finds_the_same(graph):
    """pyshacl-turbo is given only the vocabulary triples whose predicate some shape names (and the class
    hierarchy): on every broken copy, the findings of the whole vocabulary."""
    import pyoxigraph

    from kasograph.model import validate
    from kasograph.vocabulary import ontology_ntriples

    whole = ontology_ntriples().decode("utf-8")
    assert 100 < validate._ontology_text().count("\n") < whole.count("\n")
    for breaks, *_ in BROKEN:
        broken = copy_of(graph)
        breaks(broken)
        parsed = pyoxigraph.parse(broken.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
        ntriples = pyoxigraph.serialize([q.triple for q in parsed], format=pyoxigraph.RdfFormat.N_TRIPLES)
        with_whole = validate._report(validate._turbo_results(ntriples.decode("utf-8") + whole), str(graph.identifier))
        assert findings(validate.validate_ntriples(str(graph.identifier), ntriples)) == findings(with_whole), breaks.__name__

"""The builder writes N-Triples directly (kasograph.model.build.document_ntriples): exactly the triples
that the builder made with rdflib did, blank nodes and their labels included, on the bundled document
and on generated tables; and `build_document` gives the same triples as an rdflib graph.

The expected triples were written by the rdflib builder (kasograph 0.1.0 before the N-Triples builder):
tests/fixtures/vantaa-kaso-2021.nt in full; for generated tables, the count and SHA-256 of their sorted
lines. Sorted lines are Oxigraph's spelling of each triple, so that only the triples count, not how
they were escaped. A deliberate change of what the builder states changes these; a refactoring must not.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import BNode, Literal, URIRef

from benchmarks import generate
from kasograph import resources
from kasograph.model.build import build_document, document_ntriples
from kasograph.source.table import read_document

FIXTURE = Path(__file__).parent / "fixtures" / "vantaa-kaso-2021.nt"

# `benchmarks.generate --goals 80 --cities 2 --divisions 2 --years 3` (the default seed), built by the rdflib builder.
GENERATED = {
    "hallalampi-kaso-2016": (268, "5955f441713ff571272c700173bb1c91336e9920fd80f95ec66db3a0797a6bf5"),
    "kidemaki-kaso-2016": (625, "036aa61f68ef54950ce8ea7682aa4b30769b16126a245ce7b6ea09a2168dab66"),
    "kidemaki-kaso-2017": (878, "447774835a7229b651ee0188e25afd3d0ddbe56816e63057601096ea8cf5690b"),
    "kidemaki-kaso-2018": (659, "b47755a35a267a3367ad35baca09b0d61518bb0334c85f2f0efc63c7fb88c075"),
    "kidemaki-kaym-2016": (772, "c85ba0b7b2f93a58f5ebf1459860875f6e32f015249e4f8c79834eccef8f1f85"),
    "kidemaki-kaym-2017": (632, "8d7e3237e04f1e9d59f727d2bddd2c0b942804028d9535678d756fd039c2f1c4"),
    "kidemaki-kaym-2018": (583, "ac3b11541493c2fec3fff7387058844abf30c17683c22c0404e1273558ece625"),
}


def sorted_lines(ntriples: bytes) -> bytes:
    lines = sorted(str(t).encode("utf-8") for t in pyoxigraph.parse(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES))
    return b"".join(line + b" .\n" for line in lines)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("generated")
    assert generate.main([str(out), "--quiet", "--goals", "80", "--cities", "2", "--divisions", "2", "--years", "3"]) == 0
    return sorted(p for p in out.iterdir() if p.is_dir())


def test_the_bundled_document_has_the_triples_the_rdflib_builder_made():
    [folder] = resources.bundled_documents()
    built = document_ntriples(read_document(folder))
    assert sorted_lines(built.ntriples) == FIXTURE.read_bytes()
    assert built.triples == 672 and built.graph == "https://w3id.org/kasograph/id/graph/vantaa-kaso-2021"


def test_generated_tables_have_the_triples_the_rdflib_builder_made(generated):
    found = {}
    for folder in generated:
        lines = sorted_lines(document_ntriples(read_document(folder)).ntriples)
        found[folder.name] = (lines.count(b"\n"), hashlib.sha256(lines).hexdigest())
    assert found == GENERATED


def test_one_triple_a_line_each_once_and_the_count_stated(generated):
    """The spool relies on every line ending in " .\\n" and no raw line break elsewhere; void:triples
    counts the graph's triples, itself included."""
    for folder in [*resources.bundled_documents(), *generated]:
        built = document_ntriples(read_document(folder))
        lines = built.ntriples.split(b"\n")[:-1]
        assert len(lines) == len(set(lines)) == built.triples
        assert all(line.endswith(b" .") for line in lines)
        assert f'<http://rdfs.org/ns/void#triples> "{built.triples}"^^'.encode() in built.ntriples


def test_the_same_table_gives_the_same_bytes(generated):
    document = read_document(generated[1])
    assert document_ntriples(document).ntriples == document_ntriples(read_document(generated[1])).ntriples


def test_build_document_is_the_same_graph_in_rdflib():
    [folder] = resources.bundled_documents()
    document = read_document(folder)
    built = document_ntriples(document)
    graph = build_document(document)
    assert graph.identifier == URIRef(built.graph) and len(graph) == built.triples
    expected = {(_rdflib(t.subject), _rdflib(t.predicate), _rdflib(t.object))
                for t in pyoxigraph.parse(FIXTURE.read_bytes(), format=pyoxigraph.RdfFormat.N_TRIPLES)}
    assert set(graph) == expected
    # The literals are the ones the rdflib builder made: values typed as they were.
    assert any(isinstance(o, Literal) and o.datatype is None and o.language is None for o in graph.objects())
    assert any(isinstance(s, BNode) and str(s) == "vantaa-kaso-2021-period" for s in graph.subjects())


def _rdflib(term):
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype.endswith("#string") else URIRef(datatype))


def test_the_goal_states_an_import_reads_from_its_n_triples_are_those_of_the_whole_graph(generated):
    """states_in loads only the triples goal_states reads (STATE_PREDICATES): what pairing the years
    compares must not change, here nor where a graph is read back from a store (tabs between terms)."""
    from kasograph.store.engine import GoalStore
    from kasograph.store.revisions import goal_states, states_in

    for folder in [*resources.bundled_documents(), *generated]:
        built = document_ntriples(read_document(folder))
        whole = pyoxigraph.Store()
        whole.load(built.ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=pyoxigraph.NamedNode(built.graph))
        expected = goal_states(GoalStore(whole), built.graph)
        assert expected and any(state.parties for state in expected) and any(state.theme.label for state in expected)
        assert states_in(built.ntriples, built.graph) == expected
        assert states_in(built.ntriples.replace(b"> <", b">\t<"), built.graph) == expected

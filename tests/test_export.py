"""Dumps: every format parses back to the same dataset, with rdflib and with an independent parser."""

from __future__ import annotations

import pyoxigraph
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kasograph.formats import FILES
from kasograph.publish.dumps import dump
from kasograph.store.engine import quads_of

GRAPH_FORMATS = ["trig", "nq", "jsonld"]
RDFLIB = {"trig": "trig", "nq": "nquads", "jsonld": "json-ld", "ttl": "turtle", "nt": "nt"}


def serialize_dataset(dataset: Dataset, fmt: str) -> bytes:
    """What `kasograph build` and `export` write: the one dump path (kasograph.publish.dumps)."""
    return dump(quads_of(dataset), FILES[fmt], stable=True)
OXIGRAPH = {"trig": pyoxigraph.RdfFormat.TRIG, "nq": pyoxigraph.RdfFormat.N_QUADS, "jsonld": pyoxigraph.RdfFormat.JSON_LD,
            "ttl": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES}


def graphs_of(dataset: Dataset) -> dict[str, Graph]:
    found = {}
    for graph in dataset.graphs():
        if len(graph):
            copy = Graph()
            for triple in graph:
                copy.add(triple)
            found[str(graph.identifier)] = copy
    return found


def union_of(dataset: Dataset) -> Graph:
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
def test_dataset_formats_round_trip_graph_by_graph(dataset, fmt):
    parsed = Dataset()
    parsed.parse(data=serialize_dataset(dataset, fmt), format=RDFLIB[fmt])
    expected, actual = graphs_of(dataset), graphs_of(parsed)
    assert set(actual) == set(expected)
    for name, graph in expected.items():
        assert isomorphic(graph, actual[name]), name


@pytest.mark.parametrize("fmt", ["ttl", "nt"])
def test_triple_formats_round_trip_the_union(dataset, fmt):
    parsed = Graph().parse(data=serialize_dataset(dataset, fmt), format=RDFLIB[fmt])
    assert isomorphic(parsed, union_of(dataset))


@pytest.mark.parametrize("fmt", sorted(OXIGRAPH))
def test_an_independent_parser_reads_every_dump(dataset, fmt):
    quads = list(pyoxigraph.parse(serialize_dataset(dataset, fmt), format=OXIGRAPH[fmt]))
    assert len(quads) == len(dataset) if fmt in GRAPH_FORMATS else len(union_of(dataset))

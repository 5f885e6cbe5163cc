"""Linked data: every resource dereferences in every format, isomorphic to what the graph says about it."""

from __future__ import annotations

import json
import re

import pyoxigraph
import pytest
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from kasograph.formats import DUMPS, GRAPHS
from kasograph.model.iris import local_path
from kasograph.namespaces import DEFAULT_BASE, VOCABULARY_GRAPH

RESOURCE_FORMATS = list(GRAPHS.values())
DUMP_FORMATS = list(DUMPS.values())

RDFLIB = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "rdf": "xml", "trig": "trig", "nq": "nquads"}
GOAL = "goal/vantaa-kaso-2021/mielenterveysosaaminen"


def expected_description(dataset: Dataset, iri: str) -> Graph:
    """What the built graph says about a resource: its triples and those of its blank nodes."""
    graph = Graph()
    subject = URIRef(iri)
    for s, p, o, _ in dataset.quads((subject, None, None, None)):
        graph.add((s, p, o))
        if isinstance(o, BNode):
            for bs, bp, bo, _ in dataset.quads((o, None, None, None)):
                graph.add((bs, bp, bo))
    return graph


def data_resources(dataset: Dataset) -> list[str]:
    return sorted({str(s) for s, _, _, g in dataset.quads((None, None, None, None))
                   if isinstance(s, URIRef) and str(g) != VOCABULARY_GRAPH and str(s).startswith(DEFAULT_BASE)})


@pytest.mark.parametrize("fmt", RESOURCE_FORMATS, ids=lambda f: f.name)
def test_every_resource_negotiates_each_format_isomorphic_to_the_graph(client, dataset, fmt):
    resources = data_resources(dataset)
    assert len(resources) > 60
    for iri in resources:
        path = local_path(iri, DEFAULT_BASE)
        if path.endswith("source.txt"):
            continue
        negotiated = client.get(f"/{path}", headers={"Accept": fmt.media_type})
        assert negotiated.status_code == 200 and negotiated.mimetype == fmt.media_type, path
        assert "Accept" in negotiated.headers["Vary"]
        by_suffix = client.get(f"/{path}.{fmt.name}")
        assert by_suffix.data == negotiated.data
        parsed = Graph().parse(data=negotiated.data, format=RDFLIB[fmt.name])
        assert isomorphic(parsed, expected_description(dataset, iri)), path


def test_browsers_get_html_and_link_to_the_alternates(client):
    response = client.get(f"/{GOAL}", headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert response.mimetype == "text/html"
    assert response.headers["Vary"] == "Accept, Accept-Language"
    link = response.headers["Link"]
    for fmt in RESOURCE_FORMATS:
        assert f'<mielenterveysosaaminen.{fmt.name}>; rel="alternate"; type="{fmt.media_type}"' in link
        assert f'<link rel="alternate" type="{fmt.media_type}" href="mielenterveysosaaminen.{fmt.name}">' in response.text
    assert client.get(f"/{GOAL}", headers={"Accept": "*/*"}).mimetype == "text/html"
    assert client.get(f"/{GOAL}").mimetype == "text/html"


def test_html_embeds_the_description_as_jsonld(client, dataset):
    page = client.get(f"/{GOAL}.html").text
    embedded = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    parsed = Graph().parse(data=embedded.replace("<\\/", "</"), format="json-ld")
    assert isomorphic(parsed, expected_description(dataset, DEFAULT_BASE + GOAL))


def test_unsupported_types_are_406(client):
    response = client.get(f"/{GOAL}", headers={"Accept": "application/pdf"})
    assert response.status_code == 406
    assert "text/turtle" in response.text


def test_dumps_have_their_media_types_and_parse(client, dataset):
    for fmt in DUMP_FORMATS:
        response = client.get(f"/download/kasograph.{fmt.name}")
        assert response.status_code == 200 and response.mimetype == fmt.media_type
        quads = list(pyoxigraph.parse(response.data, format=fmt.engine))
        expected = len(dataset) if fmt.engine.supports_datasets else len({(s, p, o) for s, p, o, _ in dataset.quads()})
        assert len(quads) == expected, fmt.name


def test_void_and_dcat_description(client):
    from rdflib.namespace import DCAT, DCTERMS, RDF, VOID

    graph = Graph().parse(data=client.get("/void.ttl").data, format="turtle")
    [catalog] = graph.subjects(RDF.type, DCAT.Catalog)
    datasets = set(graph.objects(catalog, DCAT.dataset))
    assert datasets == {URIRef(DEFAULT_BASE + "dataset/vantaa-kaso-2021")}
    dataset = next(iter(datasets))
    dumps = {str(u).rsplit("/", 1)[1] for u in graph.objects(dataset, VOID.dataDump)}
    assert dumps == {"kasograph.ttl", "kasograph.trig", "kasograph.nq", "kasograph.jsonld"}
    assert (dataset, DCTERMS.conformsTo, URIRef("https://w3id.org/kasograph/shapes")) in graph
    for prop in (DCTERMS.publisher, DCTERMS.temporal, DCTERMS.spatial, DCTERMS.rights):
        assert graph.value(dataset, prop) is not None, prop
    assert str(graph.value(dataset, VOID.sparqlEndpoint)) == "http://localhost/sparql"
    media = {str(m) for d in graph.objects(dataset, DCAT.distribution) for m in graph.objects(d, DCAT.mediaType)}
    assert "https://www.iana.org/assignments/media-types/application/trig" in media
    negotiated = client.get("/void", headers={"Accept": "application/ld+json"})
    assert negotiated.mimetype == "application/ld+json" and json.loads(negotiated.data)


def test_vocabulary_and_shapes_are_served(client):
    from kasograph.vocabulary import terms

    page = client.get("/def.html").text
    every = terms()
    for section in ("classes", "object_properties", "datatype_properties", "schemes"):
        for term in every[section]:
            assert f'id="{term["name"]}"' in page, term["name"]
            assert term["label"]["fi"] in page and term["label"]["en"] in page
    turtle = client.get("/def", headers={"Accept": "text/turtle"})
    assert turtle.mimetype == "text/turtle" and len(Graph().parse(data=turtle.data, format="turtle")) > 300
    shapes = client.get("/shapes.jsonld")
    assert shapes.mimetype == "application/ld+json" and len(Graph().parse(data=shapes.data, format="json-ld")) > 300
    assert "kgsh:GoalShape" in client.get("/shapes.html").text


def test_source_text_is_served_verbatim(client):
    from kasograph import resources

    response = client.get("/document/vantaa-kaso-2021/source.txt")
    assert response.mimetype == "text/plain"
    assert response.data == (resources.bundled_documents()[0] / "source.txt").read_bytes()


def test_what_the_store_gives_back_still_conforms(client):
    """The engine may normalise literals (Oxigraph stores xsd:positiveInteger as xsd:integer); the dumps must still pass the shapes."""
    from kasograph.model.validate import validate_dataset

    dataset = Dataset()
    dataset.parse(data=client.get("/download/kasograph.trig").data, format="trig")
    report = validate_dataset(dataset)
    assert report.conforms, report.text()
    assert report.findings == []


def test_a_description_is_the_same_read_by_describe_or_by_a_query(app):
    """Oxigraph's DESCRIBE, which the viewer uses on its own store, gives the very statements the generic query
    gives (a SPARQL server's DESCRIBE may say more or less, so the query stays for those)."""
    from kasograph.query.explore import description
    from kasograph.store.engine import GoalStore

    class AnyStore(GoalStore):  # not Oxigraph's own type: the generic query
        pass

    data = app.extensions["kasograph"]
    assert type(data.store) is GoalStore  # DESCRIBE
    generic = AnyStore(data.store.store)
    generic.union = data.store.union
    iris = data.explorer().all_resources()
    assert len(iris) > 60
    for iri in iris:
        assert set(description(data.store, iri)) == set(description(generic, iri)), iri
        assert len(description(data.store, iri)) == len(description(generic, iri)), iri


@pytest.mark.parametrize("value", [{"@context": {"kg": "https://w3id.org/kasograph/def#"}, "@graph": [
    {"@id": "kg:x", "kg:a": ["ä\"\\\n</", {"@value": "1", "@type": "xsd:integer"}], "kg:b": {"@id": "_:c14n0"}}]},
    [], {}, "s", 3, 2.5, None, True, [[[]], {}], {"a": [1, {"b": []}, "c"]}, {1: "a number as a key"}])
def test_jsonld_is_written_byte_for_byte_as_json_writes_it(value):
    from kasograph.publish.jsonld import dump_json

    assert dump_json(value) == json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"

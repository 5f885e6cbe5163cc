"""The publication the open-data team hands over: the VoID/DCAT description has the fields (a contact
point only when given, a modified date only from the store's manifest), every IRI it mints under the base
dereferences, JSON-LD is compacted with a @context and reads back to the same quads, and the dumps are
byte-identical for the same data — twice from `kasograph export`, and across two server starts."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, VOID, XSD

from kasograph.cli import main
from kasograph.errors import InputError
from kasograph.formats import DUMPS, FILES, GRAPHS
from kasograph.model.iris import local_path
from kasograph.namespaces import DEFAULT_BASE, PREFIXES
from kasograph.publish.linked_data import Contact, contact_point

from .conftest import KASO
from .servers import kasograph_server
from .test_browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, browser, server  # noqa: F401 - fixtures

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
CATALOG = URIRef(DEFAULT_BASE + "catalog")
DATASET = URIRef(DEFAULT_BASE + "dataset/vantaa-kaso-2021")
GOAL = "goal/vantaa-kaso-2021/mielenterveysosaaminen"
RDFC = pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0
AXE = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"


def description(client) -> Graph:
    return Graph().parse(data=client.get("/void.ttl").data, format="turtle")


def app_with(**config):
    from kasograph_web import create_app

    app = create_app(config)
    app.config["TESTING"] = True
    return app


def canonical(data: bytes, fmt: pyoxigraph.RdfFormat) -> pyoxigraph.Dataset:
    dataset = pyoxigraph.Dataset(pyoxigraph.parse(data, format=fmt))
    dataset.canonicalize(RDFC)
    return dataset


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> Path:
    """A store directory that holds the bundled document, imported (so its manifest dates it)."""
    from click.testing import CliRunner

    store = tmp_path_factory.mktemp("publication") / "store"
    result = CliRunner().invoke(main, ["--store", str(store), "import", "--quiet", str(KASO)])
    assert result.exit_code == 0, result.output
    return store


# The description ------------------------------------------------------------------------------------
def test_the_description_names_catalogue_datasets_and_distributions(client):
    graph = description(client)
    assert (CATALOG, RDF.type, DCAT.Catalog) in graph
    for prop in (DCTERMS.title, DCTERMS.description):
        assert {o.language for o in graph.objects(CATALOG, prop)} == {"fi", "en"}, prop
    assert graph.value(CATALOG, DCTERMS.publisher) == URIRef(DEFAULT_BASE + "agent/kasograph-project")
    assert set(graph.objects(CATALOG, DCAT.dataset)) == {DATASET}
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCTERMS.temporal, DCTERMS.spatial, VOID.triples):
        assert graph.value(DATASET, prop) is not None, prop
    rights = graph.value(DATASET, DCTERMS.rights)  # the source states no licence: a rights statement says so
    assert graph.value(DATASET, DCTERMS.license) is None and "no licence" in str(graph.value(rights, RDFS.label))
    assert graph.value(graph.value(DATASET, DCTERMS.publisher), FOAF.name) == Literal("kasograph project", lang="en")
    assert str(graph.value(DATASET, VOID.sparqlEndpoint)) == "http://localhost/sparql"


def test_each_distribution_has_its_format_and_the_size_of_its_download(client):
    graph = description(client)
    distributions = set(graph.objects(DATASET, DCAT.distribution))
    assert distributions == {URIRef(f"{DEFAULT_BASE}catalog/distribution/{name}") for name in DUMPS}
    for distribution in distributions:
        fmt = DUMPS[str(distribution).rsplit("/", 1)[1]]
        assert str(graph.value(distribution, DCAT.mediaType)).endswith("/" + fmt.media_type)
        url = str(graph.value(distribution, DCAT.downloadURL))
        assert url == f"http://localhost/download/kasograph.{fmt.name}"
        size = graph.value(distribution, DCAT.byteSize)
        assert size.datatype == XSD.nonNegativeInteger
        assert int(size) == len(client.get(f"/download/kasograph.{fmt.name}").data) > 1000


def test_no_contact_point_and_no_date_are_invented(client):
    """The bundled document names no contact, and bundled tables are built, not imported: neither is stated."""
    graph = description(client)
    assert not list(graph.triples((None, DCAT.contactPoint, None)))
    assert not list(graph.triples((None, VCARD.hasEmail, None)))
    assert not list(graph.triples((None, DCTERMS.modified, None)))
    page = client.get("/void.en.html").text
    assert "None given" in page and "mailto:" not in page


def test_a_contact_point_given_appears_in_the_description_and_the_page():
    client = app_with(CONTACT_POINT="Avoin data -tiimi <avoindata@example.org>").test_client()
    graph = description(client)
    contact = graph.value(CATALOG, DCAT.contactPoint)
    assert graph.value(DATASET, DCAT.contactPoint) == contact
    assert (contact, RDF.type, VCARD.Kind) in graph
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:avoindata@example.org")
    assert str(graph.value(contact, VCARD.fn)) == "Avoin data -tiimi"
    assert 'href="mailto:avoindata@example.org"' in client.get("/void.html").text


@pytest.mark.parametrize("text, expected", [
    ("opendata@example.org", Contact("mailto:opendata@example.org")),
    ("mailto:opendata@example.org", Contact("mailto:opendata@example.org")),
    ("Open data <https://example.org/feedback>", Contact("https://example.org/feedback", "Open data")),
])
def test_contact_points_as_people_write_them(text, expected):
    assert contact_point(text) == expected


@pytest.mark.parametrize("text", ["nobody", "a b@c.d", "ftp://example.org/", "<javascript:alert(1)>", ""])
def test_anything_else_is_no_contact_point(text):
    with pytest.raises(ValueError):
        contact_point(text)
    if text:
        with pytest.raises(InputError):
            app_with(CONTACT_POINT=text)


def test_the_modified_date_is_the_import_date_from_the_manifest(stored):
    from kasograph.store.interface import open_store

    [document] = open_store(stored).manifest().documents.values()
    graph = description(app_with(STORE=str(stored)).test_client())
    expected = Literal(document.imported_at, datatype=XSD.dateTime)
    assert graph.value(DATASET, DCTERMS.modified) == expected == graph.value(CATALOG, DCTERMS.modified)


# Every IRI the description mints under the base dereferences ------------------------------------------------
def test_every_iri_under_the_base_dereferences_as_html_and_turtle(client):
    graph = description(client)
    iris = {str(t) for triple in graph for t in triple if isinstance(t, URIRef) and str(t).startswith(DEFAULT_BASE)}
    assert {str(CATALOG), f"{DEFAULT_BASE}catalog/distribution/ttl", str(DATASET)} <= iris
    for iri in sorted(iris):
        path = local_path(iri, DEFAULT_BASE)
        page = client.get(f"/{path}", headers={"Accept": "text/html"})
        assert page.status_code == 200 and page.mimetype == "text/html", iri
        turtle = client.get(f"/{path}", headers={"Accept": "text/turtle"})
        assert turtle.status_code == 200 and turtle.mimetype == "text/turtle", iri
        assert (URIRef(iri), None, None) in Graph().parse(data=turtle.data, format="turtle"), iri


def test_the_catalogue_and_a_distribution_have_pages_that_say_what_the_rdf_says(client):
    catalog = client.get("/catalog.en.html").text
    assert "kasograph: goals of city divisions as linked data" in catalog and "Goals of the division for 2021" in catalog
    page = client.get("/catalog/distribution/trig.en.html").text
    assert "application/trig" in page and 'href="../../download/kasograph.trig"' in page
    assert client.get("/catalog/distribution/nothing.html").status_code == 404


# JSON-LD with a @context ------------------------------------------------------------------------------
def test_the_jsonld_dump_is_compacted_and_holds_the_same_quads(client):
    data = client.get("/download/kasograph.jsonld").data
    document = json.loads(data)
    assert document["@context"] == {p: str(ns) for p, ns in sorted(PREFIXES.items())}
    assert any(node.get("@type") == "kg:Goal" for graph in document["@graph"] for node in graph.get("@graph", []))
    nquads = client.get("/download/kasograph.nq").data
    assert canonical(data, pyoxigraph.RdfFormat.JSON_LD) == canonical(nquads, pyoxigraph.RdfFormat.N_QUADS)


@pytest.mark.parametrize("path", [GOAL, "person/vantaa/tuija-harakka", "void", "catalog/distribution/nq", "def", "shapes"])
def test_jsonld_resources_are_compacted_and_read_as_their_ntriples(client, path):
    data = client.get(f"/{path}.jsonld").data
    assert json.loads(data)["@context"]
    expected = Graph().parse(data=client.get(f"/{path}.nt").data, format="nt")
    assert isomorphic(Graph().parse(data=data, format="json-ld"), expected)
    assert canonical(data, pyoxigraph.RdfFormat.JSON_LD) == canonical(client.get(f"/{path}.nt").data, pyoxigraph.RdfFormat.N_TRIPLES)


def test_a_page_embeds_its_description_as_compacted_jsonld(client):
    page = client.get(f"/{GOAL}.html").text
    embedded = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1).replace("<\\/", "</"))
    assert embedded["@context"]["kg"] == "https://w3id.org/kasograph/def#"


# Byte-identical dumps ------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", sorted(FILES))
def test_export_twice_gives_the_same_bytes(runner, tmp_path, fmt):
    outputs = []
    for name in ("first", "second"):
        result = runner.invoke(main, ["export", "--format", fmt, "-o", str(tmp_path / f"{name}.{fmt}")])
        assert result.exit_code == 0, result.output
        outputs.append((tmp_path / f"{name}.{fmt}").read_bytes())
    assert outputs[0] == outputs[1]
    assert b"_:c14n" in outputs[0]  # canonical labels, not the builder's or the engine's


def test_export_and_the_download_are_the_same_file(runner, client, tmp_path):
    result = runner.invoke(main, ["export", "--format", "nq", "-o", str(tmp_path / "kasograph.nq")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "kasograph.nq").read_bytes() == client.get("/download/kasograph.nq").data


def test_the_downloads_are_the_same_across_two_server_starts(tmp_path):
    downloads = []
    for start in ("first", "second"):
        with kasograph_server(tmp_path / f"{start}.log", "--processes", "1", "--workers", "1", "--no-warm-up") as url:
            downloads.append({fmt: urllib.request.urlopen(f"{url}/download/kasograph.{fmt}", timeout=30).read() for fmt in DUMPS}
                             | {"void": urllib.request.urlopen(f"{url}/void.ttl", timeout=30).read().replace(url.encode(), b"SITE"),
                                "goal": urllib.request.urlopen(f"{url}/{GOAL}.jsonld", timeout=30).read()})
    assert downloads[0] == downloads[1]


def test_the_formats_of_a_resource_are_sorted_and_stable(client):
    for fmt in GRAPHS.values():
        assert client.get(f"/{GOAL}.{fmt.name}").data == client.get(f"/{GOAL}.{fmt.name}").data


# Accessibility ------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["void.html", "void.en.html", "catalog/distribution/ttl.html", "shapes.en.html"])
@pytest.mark.parametrize("width", [1366, 390])
def test_the_publication_pages_pass_axe_with_their_code_open(server, browser, path, width):  # noqa: F811 - fixtures
    if not AXE.exists():
        pytest.fail("axe-core is not installed: scripts/test installs it (npm ci --prefix tests/browser)")
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(f"{server}/{path}")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        page.evaluate(AXE.read_text(encoding="utf-8"))
        found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
        code = page.locator("pre.source")
        if code.count():  # the scrollable code takes the keyboard's focus, with a name
            code.focus()
            assert page.evaluate("document.activeElement.tagName") == "PRE"
            assert code.get_attribute("aria-label")
    finally:
        context.close()
    assert [v["id"] for v in found if v["impact"] in ("serious", "critical")] == []

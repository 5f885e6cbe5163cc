"""Nothing a visitor or a file says makes kasograph open a connection (SECURITY.md, "Nothing is fetched").

Each hostile file points at `listener` (a real TCP listener on 127.0.0.1 that records every
connection) and goes through every entry point that reads such a file: the commands (as
tests/test_cli.py runs them) and the Python API. A refused file must fail with its name and the
reason, exit 1 and no traceback; an accepted one must be read without a connection. The positive
controls at the end make a fetch on purpose, with the same files and the same witness, so that a
test here fails when kasograph (or a library under it) starts fetching.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
import zipfile
from pathlib import Path

import pytest
from rdflib import Graph

import kasograph
from kasograph.cli import main
from kasograph.errors import InputError
from kasograph.model.validate import validate_source

from .conftest import KASO
from .test_spreadsheet import HEADER, ROWS, edit_member, save_xlsx

RDF_XML = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
           '<rdf:Description rdf:about="{about}"><ex:p>{text}</ex:p></rdf:Description></rdf:RDF>\n')
DOCUMENT = {"@id": "http://example.org/a", "http://example.org/name": "a"}


def rdf_xml(doctype: str, text: str = "v", about: str = "http://example.org/a") -> str:
    return f'<?xml version="1.0"?>\n{doctype}\n' + RDF_XML.format(about=about, text=text)


def nested_entities(levels: int = 3) -> str:
    """Each entity ten of the one before: harmless at 3 levels (1,000 characters), 1 GB at 9."""
    declared = '<!ENTITY e0 "ha">' + "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, levels + 1))
    return rdf_xml(f"<!DOCTYPE rdf:RDF [{declared}]>", f"&e{levels};")


#: name → (the file's text for a listener at URL, what the refusal says)
REFUSED = {
    "context-iri.jsonld": (lambda url: json.dumps({"@context": f"{url}/context.jsonld", **DOCUMENT}), "refers to a context elsewhere"),
    "context-array.jsonld": (lambda url: json.dumps({"@context": [{"ex": "http://example.org/"}, f"{url}/context.jsonld"], **DOCUMENT}),
                             "refers to a context elsewhere"),
    "context-import.jsonld": (lambda url: json.dumps({"@context": {"@version": 1.1, "@import": f"{url}/context.jsonld"}, **DOCUMENT}),
                              "refers to a context elsewhere"),
    "context-scoped.jsonld": (lambda url: json.dumps({"@context": {"p": {"@id": "http://example.org/p", "@context": f"{url}/scoped"}},
                                                      "@id": "http://example.org/a", "p": {"http://example.org/q": "x"}}),
                              "refers to a context elsewhere"),
    "context-in-node.jsonld": (lambda url: json.dumps({"@graph": [{"@id": "http://example.org/a", "http://example.org/k": {
                                   "@context": f"{url}/node", "http://example.org/q": "x"}}]}), "refers to a context elsewhere"),
    "entity-system.rdf": (lambda url: rdf_xml(f'<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "{url}/entity">]>', "&x;"), "external entity &x;"),
    "entity-public.rdf": (lambda url: rdf_xml(f'<!DOCTYPE rdf:RDF [<!ENTITY x PUBLIC "-//kasograph//test" "{url}/entity">]>', "&x;"),
                          "external entity &x;"),
    "entity-parameter.rdf": (lambda url: rdf_xml(f'<!DOCTYPE rdf:RDF [<!ENTITY % x SYSTEM "{url}/parameter"> %x;]>'), "parameter entity"),
    "dtd-external.rdf": (lambda url: rdf_xml(f'<!DOCTYPE rdf:RDF SYSTEM "{url}/rdf.dtd">'), "external DTD"),
    "dtd-external.owl": (lambda url: rdf_xml(f'<!DOCTYPE rdf:RDF PUBLIC "-//kasograph//test" "{url}/rdf.dtd">'), "external DTD"),
    "entities-nested.rdf": (lambda url: nested_entities(), "refers to another entity"),
    "entities-many.rdf": (lambda url: rdf_xml(f'<!DOCTYPE rdf:RDF [<!ENTITY big "{"x" * 100_000}">]>', "&big;" * 200),
                          "its entities expand to more than"),
}

#: Every command that reads an RDF file the user names, with the file in its place.
COMMANDS = {
    "validate": lambda file, out: ["validate", str(file)],
    "validate-pyshacl": lambda file, out: ["validate", str(file), "--engine", "pyshacl"],
    "build": lambda file, out: ["build", str(file), "-o", str(out / "built.trig")],
    "export": lambda file, out: ["export", "--data", str(file), "--format", "nq", "-o", str(out / "exported.nq")],
    "query": lambda file, out: ["query", "--data", str(file), "ASK { ?s ?p ?o }"],
    "stats": lambda file, out: ["stats", "--data", str(file)],
    "diff": lambda file, out: ["diff", "a", "b", "--data", str(file)],
    "reconcile": lambda file, out: ["reconcile", "--data", str(file)],
    "publish": lambda file, out: ["publish", "--out", str(out / "site"), "--data", str(file)],
}


def hostile(tmp_path: Path, name: str, url: str) -> Path:
    path = tmp_path / name
    text = REFUSED[name][0](url) if name in REFUSED else KEPT[name](url)
    path.write_text(text, encoding="utf-8")
    return path


def nothing_fetched(listener) -> None:
    time.sleep(0.05)  # a connection made at the very end is counted too
    assert listener.connections == []


def refused_cleanly(result, file: Path | None, reason: str | None) -> None:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and result.output.startswith("error: ")
    if file is not None:
        assert f"error: {file}" in result.output
    if reason:
        assert reason in result.output


# --- files that are refused ------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_file_that_would_fetch_is_refused_everywhere(runner, tmp_path, listener, name):
    """By every command that reads RDF, and by the Python API (kasograph.open, the viewer's create_app, …)."""
    from kasograph_web import create_app

    from kasograph.model.sources import load_dataset

    file = hostile(tmp_path, name, listener.url)
    reason = REFUSED[name][1]
    for command, arguments in COMMANDS.items():
        result = runner.invoke(main, arguments(file, tmp_path))
        try:
            refused_cleanly(result, file, reason)
        except AssertionError as failure:
            raise AssertionError(f"kasograph {command}: {failure}") from None
    assert not (tmp_path / "built.trig").exists() and not (tmp_path / "exported.nq").exists()
    for read in (kasograph.open, load_dataset, validate_source, lambda f: create_app({"DATA": str(f)})):
        with pytest.raises(InputError) as refused:
            read(file)
        [problem] = refused.value.problems
        assert problem.file == str(file) and reason in problem.message
    nothing_fetched(listener)


def test_the_refusals_say_what_to_do(tmp_path, listener):
    def message(name: str) -> str:
        with pytest.raises(InputError) as refused:
            kasograph.open(hostile(tmp_path, name, listener.url))
        return refused.value.problems[0].message

    context = message("context-iri.jsonld")
    assert f"'{listener.url}/context.jsonld'" in context and "inline the context" in context
    entity = message("entity-system.rdf")
    assert f"{listener.url}/entity" in entity and "never loads" in entity and "save the file as Turtle" in entity
    nothing_fetched(listener)


def test_import_of_a_file_that_would_fetch_stores_nothing(runner, tmp_path, listener):
    """`import` reads goal tables, not RDF: such a file fails as any other that is no table."""
    store = tmp_path / "store"
    for name in ("context-iri.jsonld", "entity-system.rdf", "dtd-external.rdf"):
        file = hostile(tmp_path, name, listener.url)
        result = runner.invoke(main, ["--store", str(store), "import", str(file), "--title", "T", "--city", "Vantaa",
                                      "--division", "Kasvatus ja oppiminen", "--year", "2021"])
        refused_cleanly(result, None, None)
    assert not (store / "current").exists()
    nothing_fetched(listener)


# --- files that are read, and fetch nothing ---------------------------------------------------

KEPT = {
    # owl:imports and SHACL's sh:shapesGraph name graphs to load: neither engine follows them.
    "imports.ttl": lambda url: (f"<{url}/ontology> a <http://www.w3.org/2002/07/owl#Ontology> ;\n"
                                f"  <http://www.w3.org/2002/07/owl#imports> <{url}/imported> ;\n"
                                f"  <http://www.w3.org/ns/shacl#shapesGraph> <{url}/shapes> .\n"),
    # Protégé writes namespaces as internal entities: kept (nothing to fetch, a bounded expansion).
    "internal-entities.owl": lambda url: rdf_xml('<!DOCTYPE rdf:RDF [<!ENTITY ex "http://example.org/">]>', "&ex;v", "&ex;a"),
    "inline-context.jsonld": lambda url: json.dumps({"@context": {"name": "http://example.org/name", "seeAlso": {
        "@id": "http://www.w3.org/2000/01/rdf-schema#seeAlso", "@type": "@id"}}, "@id": "http://example.org/a", "name": "a",
        "seeAlso": f"{url}/more"}),
}


@pytest.fixture
def goal_graph_with_imports(graph, tmp_path, listener) -> Path:
    """The bundled document's graph (so that every shape runs, SPARQL-based ones too) beside owl:imports."""
    path = tmp_path / "goals-with-imports.ttl"
    path.write_text(graph.serialize(format="turtle") + KEPT["imports.ttl"](listener.url), encoding="utf-8")
    return path


@pytest.mark.parametrize("engine", ["pyshacl-turbo", "pyshacl"])
def test_validation_follows_no_owl_imports(runner, goal_graph_with_imports, listener, engine):
    result = runner.invoke(main, ["validate", str(goal_graph_with_imports), "--engine", engine])
    assert result.exit_code == 0, result.output
    assert "conforms (0 violation(s)" in result.output
    report = validate_source(goal_graph_with_imports, engine=engine)
    assert report.conforms and report.graphs
    nothing_fetched(listener)


@pytest.mark.parametrize("name", sorted(KEPT))
def test_a_file_naming_urls_is_read_without_fetching_them(runner, tmp_path, listener, name):
    file = hostile(tmp_path, name, listener.url)
    for command in ("validate", "build", "export", "query", "stats"):
        result = runner.invoke(main, COMMANDS[command](file, tmp_path))
        assert result.exit_code == 0, (command, result.output)
    assert kasograph.open(file).query("ASK { <http://example.org/a> ?p ?o }")[0]["boolean"] is (name != "imports.ttl")
    nothing_fetched(listener)


# --- Excel: XML parts with a DTD -----------------------------------------------------------------

def write_sidecar(table: Path) -> None:
    """TABLE.toml beside a table: what names the document."""
    table.with_suffix(".toml").write_text('[document]\ntitle = "T"\nyear = 2021\n[organisation]\ncity = "Vantaa"\n'
                                          'division = "Kasvatus ja oppiminen"\n[dataset]\nrights = "Test data"\n', encoding="utf-8")


def _rename_part(path: Path, old: str, new: str) -> None:
    """Give a part another name, and the relationships and content types that point at it."""
    with zipfile.ZipFile(path) as archive:
        parts = [(p.filename, archive.read(p.filename)) for p in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts:
            if name.endswith((".rels", "[Content_Types].xml")):
                data = data.replace(old.rsplit("/", 1)[1].encode(), new.rsplit("/", 1)[1].encode())
            archive.writestr(new if name == old else name, data)


@pytest.mark.parametrize("part, renamed", [("xl/workbook.xml", None), ("xl/worksheets/sheet1.xml", None),
                                           ("xl/styles.xml", "xl/styles.dat")])
def test_a_workbook_with_an_external_entity_is_refused(runner, tmp_path, listener, part, renamed):
    path = save_xlsx(tmp_path / "goals.xlsx", [HEADER, *ROWS])
    if renamed:  # openpyxl finds parts by content type: a DTD in a part not named .xml is read as well
        _rename_part(path, part, renamed)
        part = renamed
    dtd = f'<!DOCTYPE x [<!ENTITY e SYSTEM "{listener.url}/entity">]>'
    edit_member(path, part, lambda xml: re.sub(r"(<\w+\b)", dtd + r"\1", re.sub(r"^<\?xml[^>]*\?>", "", xml), count=1))
    write_sidecar(path)
    for command in (["validate", str(path)], ["build", str(path), "-o", str(tmp_path / "x.trig")],
                    ["--store", str(tmp_path / "store"), "import", str(path)]):
        result = runner.invoke(main, command)
        refused_cleanly(result, path, f"part '{part}' has a document type declaration")
    nothing_fetched(listener)


def test_a_workbook_linking_to_external_files_is_read_without_fetching_them(runner, tmp_path, listener):
    """External links and linked pictures (relationships with TargetMode="External") are never followed."""
    path = save_xlsx(tmp_path / "goals.xlsx", [HEADER, *ROWS])
    kinds = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    links = "".join(f'<Relationship Id="rId9{n}" Type="{kinds}{kind}" Target="{listener.url}/{target}" TargetMode="External"/>'
                    for n, (kind, target) in enumerate([("externalLink", "book.xlsx"), ("image", "picture.png"), ("hyperlink", "page")]))
    edit_member(path, "xl/_rels/workbook.xml.rels", lambda xml: xml.replace("</Relationships>", links + "</Relationships>"))
    write_sidecar(path)
    for command in (["validate", str(path)], ["--store", str(tmp_path / "store"), "import", str(path)]):
        result = runner.invoke(main, command)
        assert result.exit_code == 0, result.output
    nothing_fetched(listener)


# --- a store directory's manifest ----------------------------------------------------------------

def _injected(url: str) -> str:
    """A 'graph IRI' that ends the IRI of kasograph's SPARQL update and adds a LOAD of its own."""
    return f"http://example.org/g> {{}} }} ; LOAD <{url}/loaded> ; DELETE WHERE {{ GRAPH <http://example.org/h"


def test_a_store_manifest_cannot_add_operations_to_an_update(runner, tmp_path, listener):
    store = tmp_path / "store"
    assert runner.invoke(main, ["--store", str(store), "import", str(KASO)]).exit_code == 0
    manifest_file = store / "generations" / f"{(store / 'current').read_text().strip()}.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    manifest["documents"][0]["graph"] = _injected(listener.url)
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
    for command in (["remove", "vantaa-kaso-2021"], ["import", str(KASO)], ["documents"], ["stats"], ["validate", "--stored"]):
        result = runner.invoke(main, ["--store", str(store), *command])
        refused_cleanly(result, manifest_file, "Invalid IRI")
    manifest["documents"][0]["graph"], manifest["documents"][0]["text_file"] = "http://example.org/g", "../../../secret.txt"
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
    refused_cleanly(runner.invoke(main, ["--store", str(store), "stats"]), manifest_file, "not a plain file name")
    nothing_fetched(listener)


# --- the viewer and the endpoint: what a visitor sends ----------------------------------------------

def test_no_request_makes_the_viewer_fetch(client, listener):
    url = listener.url
    service = f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}"
    refused = [
        ("GET", "/sparql", {"query": service}, None, {}),
        ("GET", "/sparql", {"query": f"SELECT * WHERE {{ SERVICE SILENT ?at {{ ?s ?p ?o }} VALUES ?at {{ <{url}/> }} }}"}, None, {}),
        ("GET", "/sparql", {"query": f"BASE <{url}/> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}"}, None, {}),
        ("GET", "/sparql", {"query": f"PREFIX r: <{url}/> SELECT * WHERE {{ SERVICE r:sparql {{ ?s ?p ?o }} }}"}, None, {}),
        ("POST", "/sparql", None, {"query": service}, {}),
        ("POST", "/sparql", None, service, {"Content-Type": "application/sparql-query"}),
        ("POST", "/sparql", None, {"update": f"LOAD <{url}/data.ttl>"}, {}),
        ("POST", "/sparql", None, f"LOAD <{url}/data.ttl>", {"Content-Type": "application/sparql-update"}),
        ("GET", "/sparql", {"query": f"LOAD <{url}/data.ttl>"}, None, {}),
    ]
    for method, path, args, data, headers in refused:
        response = client.open(path, method=method, query_string=args, data=data, headers=headers)
        assert response.status_code in (400, 403), (path, args, data, response.status_code)
    answered = [
        ("/sparql", {"query": f"SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }} LIMIT 1"}, {}),
        ("/sparql", {"query": f"SELECT * FROM NAMED <{url}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT 1"}, {}),
        ("/sparql", {"query": "ASK { ?s ?p ?o }", "default-graph-uri": f"{url}/data.ttl", "named-graph-uri": f"{url}/n.ttl"}, {}),
        ("/query", {"query": service}, {}),
        ("/questions/goals-of-person", {"person": f'x" }} SERVICE <{url}/sparql> {{ ?s ?p ?o }} #'}, {}),
        ("/questions/goals-of-person.csv", {"person": f"<{url}/sparql>"}, {}),
        ("/search", {"q": f"{url}/"}, {}),
        ("/compare", {"earlier": f"{url}/a", "later": f"{url}/b"}, {}),
        (f"/{url}/", {}, {}),
        ("/void", {}, {"Host": f"127.0.0.1:{listener.port}", "X-Forwarded-Host": f"127.0.0.1:{listener.port}"}),
        ("/", {"lang": url}, {"Referer": url, "Accept": "application/ld+json", "Accept-Language": url}),
        ("/goal/vantaa-kaso-2021/oppimiskampus", {}, {"Accept": "application/ld+json", "Host": f"127.0.0.1:{listener.port}"}),
    ]
    for path, args, headers in answered:
        response = client.get(path, query_string=args, headers=headers)
        assert response.status_code < 500, (path, args, response.status_code)
    nothing_fetched(listener)


def test_an_endpoint_url_is_opened_only_when_asked(listener):
    endpoint = kasograph.open(listener.url + "/sparql")  # the user's explicit choice: nothing is sent yet
    nothing_fetched(listener)
    with pytest.raises(Exception):  # noqa: B017 - the listener answers nothing
        endpoint.query("ASK {}")
    assert len(listener.connections) == 1 and listener.connections[0].startswith(b"POST /sparql ")


# --- positive controls: the witness sees a fetch made on purpose -----------------------------------
# (Each makes the connection a test above would see, had kasograph made it; the listener answers
# nothing, so the fetching call fails, which does not matter here.)

def test_control_rdflib_fetches_a_remote_json_ld_context(tmp_path, listener):
    """Why kasograph never hands a user's JSON-LD to rdflib: its parser fetches the context."""
    text = hostile(tmp_path, "context-iri.jsonld", listener.url).read_text(encoding="utf-8")
    with contextlib.suppress(Exception):
        Graph().parse(data=text, format="json-ld")
    assert listener.connections and listener.connections[0].startswith(b"GET /context.jsonld ")


def test_control_an_xml_parser_that_loads_entities_fetches(tmp_path, listener):
    """The same RDF/XML file, read by a parser told to load external entities (xml.sax can be)."""
    import xml.sax
    import xml.sax.handler

    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_external_ges, True)
    with contextlib.suppress(Exception):
        parser.parse(str(hostile(tmp_path, "entity-system.rdf", listener.url)))
    assert listener.connections and listener.connections[0].startswith(b"GET /entity ")


def test_control_pyshacl_fetches_owl_imports_when_told(listener):
    """The same owl:imports, with pyshacl's do_owl_imports (which kasograph never sets)."""
    import pyshacl

    shapes = Graph().parse(data=KEPT["imports.ttl"](listener.url), format="turtle")
    with contextlib.suppress(Exception):
        pyshacl.validate(Graph(), shacl_graph=shapes, do_owl_imports=True)
    assert listener.connections and listener.connections[0].startswith(b"GET /imported ")


def test_control_an_unchecked_manifest_makes_oxigraph_fetch(runner, tmp_path, listener, monkeypatch):
    """Without the manifest's check, `kasograph remove` runs the injected LOAD (as it did before the check)."""
    from kasograph.store import manifest as manifests

    store = tmp_path / "store"
    assert runner.invoke(main, ["--store", str(store), "import", str(KASO)]).exit_code == 0
    manifest_file = store / "generations" / f"{(store / 'current').read_text().strip()}.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    manifest["documents"][0]["graph"] = _injected(listener.url)
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
    monkeypatch.setattr(manifests, "check_stored", lambda document: None)
    runner.invoke(main, ["--store", str(store), "remove", "vantaa-kaso-2021"])
    assert listener.connections and listener.connections[0].startswith(b"GET /loaded ")


def test_control_the_endpoint_calls_a_service_the_operator_allowed(app, listener):
    """`serve --allow-service IRI` is the operator's explicit choice: then the same query does fetch."""
    from kasograph_web import create_app

    allowing = create_app({"SPARQL_SERVICE_ALLOWLIST": (f"{listener.url}/sparql",), "SPARQL_WORKERS": 1, "TESTING": True},
                          data=app.extensions["kasograph"])
    try:
        response = allowing.test_client().get("/sparql", query_string={
            "query": f"SELECT * WHERE {{ SERVICE <{listener.url}/sparql> {{ ?s ?p ?o }} }}"})
    finally:
        if "kasograph_pool" in allowing.extensions:
            allowing.extensions["kasograph_pool"].close()
    assert response.status_code == 400  # the listener answers nothing
    assert listener.connections and listener.connections[0].startswith(b"POST /sparql ")

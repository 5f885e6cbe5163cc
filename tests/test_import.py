"""The store directory: import, replace, list, remove; all or nothing; readers follow imports."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from kasograph.cli import main
from kasograph.store.directory import StoreDirectory
from kasograph.store.importer import ValidationFailed, import_document

from .conftest import KASO

PERSONS_NAMED = "SELECT (COUNT(*) AS ?n) WHERE { ?p a foaf:Person ; foaf:name ?name }"


def second_document(document, *, id="esimerkki-kaso-2022", year=2022):
    """The bundled document under another id and year (made up for tests, never published)."""
    info = dataclasses.replace(document.info, id=id, year=year, title=f"ESIMERKKI {year}")
    return dataclasses.replace(document, info=info)


def run(runner, store: Path, *args: str):
    return runner.invoke(main, ["--store", str(store), *args], catch_exceptions=False)


def state(store: Path) -> tuple[str | None, str]:
    """What a reader would see: the published generation and its manifest."""
    directory = StoreDirectory(store)
    return directory.current(), directory.manifest().to_json() if directory.current() else ""


def test_import_list_query_replace_remove(runner, tmp_path):
    store = tmp_path / "store"
    done = run(runner, store, "import", str(KASO))
    assert done.exit_code == 0, done.output
    assert "imported vantaa-kaso-2021" in done.output and "672 triples" in done.output

    listed = json.loads(run(runner, store, "documents", "--format", "json").output)
    assert [(d["id"], d["year"], d["triples"]) for d in listed] == [("vantaa-kaso-2021", 2021, 672)]
    assert listed[0]["title"] == "Toimialan tavoitteet vuodelle 2021" and listed[0]["imported_at"].startswith("20")

    counted = run(runner, store, "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv")
    assert counted.output.splitlines()[1] == "1023"  # the document's 672 triples and the vocabulary's 351

    again = run(runner, store, "import", str(KASO))
    assert "replaced vantaa-kaso-2021" in again.output
    assert run(runner, store, "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv").output.splitlines()[1] == "1023"

    removed = run(runner, store, "remove", "vantaa-kaso-2021")
    assert removed.exit_code == 0 and "removed vantaa-kaso-2021" in removed.output
    assert json.loads(run(runner, store, "documents", "--format", "json").output) == []
    missing = runner.invoke(main, ["--store", str(store), "remove", "vantaa-kaso-2021"])
    assert missing.exit_code == 1 and "no document 'vantaa-kaso-2021'" in missing.output


def test_documents_side_by_side_share_their_people(document, tmp_path):
    directory = StoreDirectory(tmp_path / "store")
    import_document(document, directory)
    import_document(second_document(document), directory)
    from kasograph.goaldata import GoalData

    data = GoalData.from_directory(directory)
    assert sorted(data.store.graphs()) == ["https://w3id.org/kasograph/def", "https://w3id.org/kasograph/id/graph/esimerkki-kaso-2022",
                                               "https://w3id.org/kasograph/id/graph/vantaa-kaso-2021"]
    # the same seven people in both documents: seven nodes, each name once in the union
    assert data.query(PERSONS_NAMED) == [{"n": 7}]
    goals = data.query("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { ?g a kg:Goal }")
    assert goals == [{"n": 20}]
    assert data.source_texts  # the verbatim text is kept beside the store for the viewer


def test_a_table_that_fails_to_read_changes_nothing(runner, tmp_path, document_copy):
    store = tmp_path / "store"
    run(runner, store, "import", str(KASO))
    before = state(store)
    goals = document_copy / "goals.csv"
    goals.write_text(goals.read_text(encoding="utf-8").replace("Toteutuu täysin", "Toteutu täysin", 1), encoding="utf-8")
    failed = runner.invoke(main, ["--store", str(store), "import", str(document_copy)])
    assert failed.exit_code == 1
    assert "goals.csv" in failed.output and "Toteutu täysin" in failed.output and "Toteutuu täysin" in failed.output
    assert state(store) == before


def test_a_graph_that_breaks_the_shapes_changes_nothing(document, tmp_path):
    directory = StoreDirectory(tmp_path / "store")
    import_document(document, directory)
    before = state(directory.path)
    goals = list(document.goals)
    goals[0] = dataclasses.replace(goals[0], status="https://example.org/not-a-status")
    with pytest.raises(ValidationFailed) as failure:
        import_document(dataclasses.replace(document, goals=goals), directory)
    assert failure.value.report.violations
    assert state(directory.path) == before


def test_a_writer_that_died_leaves_nothing_behind(document, tmp_path):
    directory = StoreDirectory(tmp_path / "store")
    import_document(document, directory)
    published = directory.current()
    # what a writer killed before publishing leaves: a newer, unpublished generation
    orphan = directory.generation_path(f"{int(published) + 1:08d}")
    orphan.mkdir()
    (orphan / "half-written").write_text("x")
    from kasograph.goaldata import GoalData

    assert GoalData.from_directory(directory).generation == published  # readers never see it
    import_document(second_document(document), directory)
    assert not (orphan / "half-written").exists()
    assert len(directory.manifest().documents) == 2


def test_old_generations_are_cleaned_up(document, tmp_path):
    directory = StoreDirectory(tmp_path / "store")
    for _ in range(5):
        import_document(document, directory)
    kept = sorted(p.name for p in (directory.path / "generations").iterdir() if p.is_dir())
    assert kept == ["00000003", "00000004", "00000005"]


def test_the_viewer_and_endpoint_follow_an_import(document, tmp_path):
    from kasograph_web import create_app

    directory = StoreDirectory(tmp_path / "store")
    import_document(document, directory)
    app = create_app({"STORE": str(directory.path), "SPARQL_WORKERS": 1})
    client = app.test_client()
    ask = "ASK { GRAPH <https://w3id.org/kasograph/id/graph/esimerkki-kaso-2022> { ?s ?p ?o } }"
    try:
        assert client.get("/goal/esimerkki-kaso-2022/oppimiskampus.html").status_code == 404
        assert client.get("/sparql", query_string={"query": ask}).json["boolean"] is False
        import_document(second_document(document), directory)
        assert client.get("/goal/esimerkki-kaso-2022/oppimiskampus.html").status_code == 200
        assert client.get("/sparql", query_string={"query": ask}).json["boolean"] is True
    finally:
        if "kasograph_pool" in app.extensions:
            app.extensions["kasograph_pool"].close()


def test_without_a_store_the_bundled_data_is_served(runner, tmp_path):
    empty = tmp_path / "nothing-here"
    listed = run(runner, empty, "documents")
    assert listed.exit_code == 0 and "bundled dataset" in listed.output
    counted = run(runner, empty, "query", "SELECT (COUNT(*) AS ?n) WHERE { ?g a kg:Goal }", "--format", "csv")
    assert counted.output.splitlines()[1] == "10"


EXAMPLE = Path(__file__).parent / "fixtures" / "example-2022"


@pytest.fixture(scope="module")
def two_years(tmp_path_factory) -> Path:
    """A store with the bundled 2021 document and the fictional 2022 one, imported later year first."""
    store = tmp_path_factory.mktemp("two-years") / "store"
    directory = StoreDirectory(store)
    import_document(EXAMPLE, directory)
    import_document(KASO, directory)
    return store


def test_diff_on_the_command_line(runner, two_years):
    text = run(runner, two_years, "diff", "vantaa-kaso-2021", "example-kaso-2022")
    assert text.exit_code == 0
    assert "1 added, 1 dropped" in text.output and "+ esimerkki-ulkoilupaivat" in text.output
    assert "yhteisollinen-hyvinvointi: Partially achieved → Fully achieved" in text.output
    finnish = run(runner, two_years, "diff", "vantaa-kaso-2021", "example-kaso-2022", "--lang", "fi")
    assert "Toteutuu osittain → Toteutuu täysin" in finnish.output
    summary = json.loads(run(runner, two_years, "diff", "vantaa-kaso-2021", "example-kaso-2022", "--format", "json").output)["summary"]
    assert summary == {"earlier_goals": 10, "later_goals": 10, "carried_over": 9, "added": 1, "dropped": 1, "reworded": 1,
                       "status_changed": 1, "theme_changed": 1, "responsibility_changed": 2}
    unknown = runner.invoke(main, ["--store", str(two_years), "diff", "vantaa-kaso-2021", "kaso-2099"])
    assert unknown.exit_code == 1 and "kaso-2099" in unknown.output


def test_carried_over_goals_are_linked_whatever_the_import_order(runner, two_years):
    links = run(runner, two_years, "query", "SELECT ?new ?old WHERE { ?new prov:wasRevisionOf ?old } ORDER BY ?new", "--format", "csv")
    rows = links.output.splitlines()[1:]
    assert len(rows) == 9  # every goal carried over; the added one links to nothing, the dropped one from nothing
    assert ("https://w3id.org/kasograph/id/goal/example-kaso-2022/monikielisyytta-hyodyntavat-opintopolut,"
            "https://w3id.org/kasograph/id/goal/vantaa-kaso-2021/monikieliset-opintopolut") in rows


def test_reconcile_lists_the_near_match_and_merges_nothing(runner, two_years):
    listed = run(runner, two_years, "reconcile")
    assert listed.exit_code == 0 and "Tuija Harakka ~ Tuija Harakkaa" in listed.output
    pairs = json.loads(run(runner, two_years, "reconcile", "--format", "json").output)
    assert [(c["a"]["name"], c["b"]["name"]) for c in pairs] == [("Tuija Harakka", "Tuija Harakkaa")]
    named = run(runner, two_years, "query", "SELECT (COUNT(*) AS ?n) WHERE { ?p a foaf:Person }", "--format", "csv")
    assert named.output.splitlines()[1] == "8"  # the seven people and the misspelt one, still apart


def test_the_viewer_compares_years(two_years):
    from kasograph_web import create_app

    client = create_app({"STORE": str(two_years)}).test_client()
    home = client.get("/index.en.html").get_data(as_text=True)
    assert "2 documents" in home and 'href="compare.en.html"' in home
    listing = client.get("/compare.en.html").get_data(as_text=True)
    assert 'href="compare/vantaa-kaso-2021/example-kaso-2022.en.html"' in listing
    page = client.get("/compare/vantaa-kaso-2021/example-kaso-2022.en.html")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for expected in ("Goals added (1)", "Goals dropped (1)", "Goals reworded (1)", "Status changed (1)", "Theme changed (1)",
                     "Responsibility changed (2)", "Tuija Harakkaa"):
        assert expected in text
    chosen = client.get("/compare.html", query_string={"earlier": "vantaa-kaso-2021", "later": "example-kaso-2022"})
    assert chosen.status_code == 303 and chosen.headers["Location"].endswith("compare/vantaa-kaso-2021/example-kaso-2022.html")
    assert client.get("/compare/vantaa-kaso-2021/nothing.html").status_code == 404
    goal = client.get("/goal/example-kaso-2022/perhekeskus.en.html").get_data(as_text=True)
    assert "Carries over" in goal and 'href="../vantaa-kaso-2021/perhekeskus.en.html"' in goal and "(2021)" in goal


METADATA = ["--title", "Toimialan tavoitteet vuodelle 2022 (testi)", "--city", "Vantaa", "--division", "Kasvatus ja oppiminen",
            "--abbreviation", "KASO", "--year", "2022", "--rights", "Testiaineisto, ei julkaistu."]


def filled_template(runner, path: Path, rows: list[dict]) -> Path:
    """`kasograph template`, filled in as a steward would (by header)."""
    import openpyxl

    assert runner.invoke(main, ["template", str(path), "--year", "2022"]).exit_code == 0
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    for number, row in enumerate(rows, start=2):
        for header, value in row.items():
            sheet.cell(number, headers.index(header) + 1, value)
    workbook.save(path)
    return path


GOAL = {"Teema": "Edistämme asukkaiden hyvinvointia",
        "Toimialan tavoite": "Lapsiperheiden tukemiseksi kehitetään ja laajennetaan perhekeskustoimintaa",
        "Vastuuhenkilö(t)": "Anders Vikström, Ilkka Kalo & Sole Askola-Vehviläinen", "Tila": "Toteutuu täysin"}


def test_a_steward_fills_the_template_imports_it_and_compares(runner, tmp_path):
    store = tmp_path / "store"
    run(runner, store, "import", str(KASO))
    table = filled_template(runner, tmp_path / "tavoitteet-2022.xlsx", [
        GOAL, {**GOAL, "Toimialan tavoite": "Tiedolla johtamisen työvälineet käytössä toimialan kaikessa johtamisessa",
               "Teema": "Johdamme uudistuen ja osallistuen", "Vastuuhenkilö(t)": "Tuija Harakka", "Tila": "Toteutuu osittain"}])
    done = run(runner, store, "import", str(table), *METADATA)
    assert done.exit_code == 0, done.output
    assert "imported vantaa-kaso-2022" in done.output
    assert [d["id"] for d in json.loads(run(runner, store, "documents", "--format", "json").output)] == ["vantaa-kaso-2021", "vantaa-kaso-2022"]
    summary = json.loads(run(runner, store, "diff", "vantaa-kaso-2021", "vantaa-kaso-2022", "--format", "json").output)["summary"]
    assert (summary["carried_over"], summary["dropped"], summary["added"]) == (2, 8, 0)
    assert summary["status_changed"] == 1  # tiedolla johtaminen: fully achieved in 2021, partially in the test table


@pytest.mark.parametrize("change, expected", [
    ({"Tila": "Toteutu täysin"}, "did you mean 'Toteutuu täysin'"),
    ({"Teema": None}, "theme"),
    ({"Toimialan tavoite": None}, "goal"),
])
def test_a_spreadsheet_with_an_error_changes_nothing(runner, tmp_path, change, expected):
    store = tmp_path / "store"
    run(runner, store, "import", str(KASO))
    before = state(store)
    table = filled_template(runner, tmp_path / "broken.xlsx", [{**GOAL, **change}])
    failed = runner.invoke(main, ["--store", str(store), "import", str(table), *METADATA])
    assert failed.exit_code == 1
    assert "broken.xlsx" in failed.output and "row 2" in failed.output and expected in failed.output
    assert state(store) == before


def test_a_goal_without_a_responsible_party_is_stored_with_a_warning(runner, tmp_path):
    store = tmp_path / "store"
    table = filled_template(runner, tmp_path / "nobody.xlsx", [{**GOAL, "Vastuuhenkilö(t)": None}])
    done = run(runner, store, "import", str(table), *METADATA)
    assert done.exit_code == 0 and "warning" in done.output and "row 2" in done.output
    assert json.loads(run(runner, store, "documents", "--format", "json").output)[0]["id"] == "vantaa-kaso-2022"


def test_not_a_spreadsheet_and_no_description(runner, tmp_path):
    store = tmp_path / "store"
    run(runner, store, "import", str(KASO))
    before = state(store)
    fake = tmp_path / "kuva.xlsx"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    refused = runner.invoke(main, ["--store", str(store), "import", str(fake), *METADATA])
    assert refused.exit_code == 1 and "kuva.xlsx" in refused.output
    graph = tmp_path / "goals.jsonld"  # not a table: said of the file, not of a goals.csv nobody named
    graph.write_text("{}", encoding="utf-8")
    refused = runner.invoke(main, ["--store", str(store), "import", str(graph), *METADATA])
    assert refused.exit_code == 1 and "goals.jsonld: not a goal table" in refused.output and "goals.csv" not in refused.output
    lone = filled_template(runner, tmp_path / "lone.xlsx", [GOAL])
    undescribed = runner.invoke(main, ["--store", str(store), "import", str(lone)])
    assert undescribed.exit_code == 1 and "document.toml" in undescribed.output and "--title" in undescribed.output
    assert state(store) == before


def test_a_year_imported_between_two_others_takes_its_place_in_the_links(document, tmp_path):
    from kasograph.goaldata import GoalData
    from kasograph.source.table import read_document
    from kasograph.store.importer import remove_document

    directory = StoreDirectory(tmp_path / "store")
    import_document(document, directory)  # 2021
    import_document(second_document(document, id="esimerkki-kaso-2023", year=2023), directory)
    links = "SELECT ?new ?old WHERE { ?new prov:wasRevisionOf ?old }"

    def pairs() -> set[tuple[str, str]]:
        return {(r["new"].split("/")[-2], r["old"].split("/")[-2]) for r in GoalData.from_directory(directory).query(links)}

    assert pairs() == {("esimerkki-kaso-2023", "vantaa-kaso-2021")}
    import_document(read_document(EXAMPLE), directory)  # 2022, in between
    assert pairs() == {("example-kaso-2022", "vantaa-kaso-2021"), ("esimerkki-kaso-2023", "example-kaso-2022")}
    remove_document(directory, "example-kaso-2022")
    assert pairs() == {("esimerkki-kaso-2023", "vantaa-kaso-2021")}


# --- many documents as one import ------------------------------------------------------------------

@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """Fictional goal tables from the benchmark generator: 2 cities × 2 divisions × 3 years."""
    from benchmarks import generate

    out = tmp_path_factory.mktemp("generated") / "docs"
    assert generate.main([str(out), "--quiet", "--goals", "96", "--cities", "2", "--divisions", "2", "--years", "3"]) == 0
    return out


def document_folders(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if p.is_dir())


def contents(store: Path) -> tuple[int, set[str]]:
    """How many quads the store holds, and those without blank nodes (whose labels differ from load to load)."""
    import pyoxigraph

    _, opened = StoreDirectory(store).open()
    plain = {str(q) for q in opened
             if not isinstance(q.subject, pyoxigraph.BlankNode) and not isinstance(q.object, pyoxigraph.BlankNode)}
    return len(opened), plain


def test_a_folder_of_documents_is_one_import_that_stores_what_one_at_a_time_would(runner, generated, tmp_path):
    at_once = tmp_path / "at-once"
    done = run(runner, at_once, "import", str(generated))
    assert done.exit_code == 0, done.output
    count = len(document_folders(generated))
    assert count >= 8
    assert f"imported {count} documents ({count} new, 0 replaced)" in done.output and "triples/s" in done.output
    assert StoreDirectory(at_once).current() == "00000001"  # one generation for the whole import
    one_by_one = tmp_path / "one-by-one"
    for folder in reversed(document_folders(generated)):  # the other way round: links must come out the same
        import_document(folder, StoreDirectory(one_by_one))
    assert contents(at_once) == contents(one_by_one)
    links = run(runner, at_once, "query", "--format", "csv", "SELECT (COUNT(*) AS ?n) WHERE { ?later prov:wasRevisionOf ?earlier }")
    assert int(links.output.splitlines()[1]) > 0


def test_worker_processes_prepare_the_same_documents(generated, tmp_path):
    from kasograph.store.importer import import_documents

    in_process, pooled = tmp_path / "one", tmp_path / "two"
    import_documents(document_folders(generated), StoreDirectory(in_process), jobs=1)
    result = import_documents(document_folders(generated), StoreDirectory(pooled), jobs=2)
    assert len(result.documents) == len(document_folders(generated)) and result.triples == sum(d.triples for d in result.documents) > 0
    assert {"prepare", "store"} <= set(result.steps)
    assert contents(in_process) == contents(pooled)


def test_a_second_import_replaces_some_and_adds_others(generated, tmp_path):
    """Importing a division's years again, with the rest stored, keeps the union and the links as a
    fresh import of everything would have them."""
    from kasograph.store.importer import import_documents

    folders = document_folders(generated)
    again = tmp_path / "again"
    import_documents(folders[:6], StoreDirectory(again))
    result = import_documents(folders[3:], StoreDirectory(again))
    assert sorted(result.replaced) == sorted(f.name for f in folders[3:6])
    fresh = tmp_path / "fresh"
    import_documents(folders, StoreDirectory(fresh))
    assert contents(again) == contents(fresh)


def test_one_bad_document_among_many_stores_none_and_names_it(runner, generated, tmp_path):
    import shutil

    copy = tmp_path / "docs"
    shutil.copytree(generated, copy)
    store = tmp_path / "store"
    run(runner, store, "import", str(document_folders(copy)[0]))
    before = state(store)
    broken = document_folders(copy)[5] / "goals.csv"
    lines = broken.read_text(encoding="utf-8").splitlines(keepends=True)
    broken.write_text(lines[0] + lines[1].replace("Toteutuu täysin", "Toteutu täysin").replace("Toteutuu osittain", "Toteutu osittain")
                      + "".join(lines[2:]), encoding="utf-8")
    failed = runner.invoke(main, ["--store", str(store), "import", str(copy)])
    assert failed.exit_code == 1
    assert "goals.csv" in failed.output and document_folders(copy)[5].name in failed.output
    assert f"1 of {len(document_folders(copy))} documents failed; nothing was stored" in failed.output
    assert state(store) == before
    assert not list(store.glob("import-*"))  # the import's scratch files are gone


def test_two_documents_with_one_id_are_refused(document, tmp_path):
    from kasograph.store.importer import ImportFailed, import_documents

    directory = StoreDirectory(tmp_path / "store")
    with pytest.raises(ImportFailed) as failed:
        import_documents([document, document], directory)
    assert "also the id of" in str(failed.value.failures[0].error)
    assert directory.current() is None


def test_options_that_describe_one_document_are_refused_for_many(runner, generated, tmp_path):
    refused = runner.invoke(main, ["--store", str(tmp_path / "store"), "import", str(generated), "--title", "X"])
    assert refused.exit_code == 2 and "apply to one document only" in refused.output


def test_a_large_import_compacts_the_generation_a_small_one_does_not(tmp_path):
    from benchmarks import generate
    from kasograph.store.importer import import_documents
    from kasograph.store.loader import worth_compacting

    assert worth_compacting(100, 100) and worth_compacting(10, 100) and not worth_compacting(9, 100)
    out = tmp_path / "docs"
    assert generate.main([str(out), "--quiet", "--goals", "240", "--cities", "2", "--divisions", "4", "--years", "3"]) == 0
    directory = StoreDirectory(tmp_path / "store")
    first = import_documents(document_folders(out), directory)
    assert "compact" in first.steps
    one_more = import_documents([KASO], directory)
    assert "compact" not in one_more.steps


# --- the bulk load ----------------------------------------------------------------------------------

def loaded_by(stream: bool, stored: list[tuple[str, bytes]], graphs: list[tuple[str, bytes, str | None]],
              folder: Path) -> tuple[int, set[str]]:
    """What a store that held `stored` holds once `graphs` (graph, N-Triples, the graph it replaces) are loaded."""
    import pyoxigraph

    from kasograph.store.loader import Loader

    store = pyoxigraph.Store()
    for ntriples_of in (lambda: [(g, nt, None) for g, nt in stored], lambda: graphs):
        loader = Loader(store, folder, stream=stream)
        for graph, ntriples, replaces in ntriples_of():
            loader.add(graph, ntriples, replaces=replaces)
        loader.finish()
    assert not list(folder.iterdir())  # nothing left of the pipe or the spool
    plain = {str(q) for q in store  # blank nodes get new labels in every load
             if not isinstance(q.subject, pyoxigraph.BlankNode) and not isinstance(q.object, pyoxigraph.BlankNode)}
    return len(store), plain


def test_streamed_and_spooled_loads_store_the_same(generated, tmp_path):
    """New documents stream into the load as they come; from the first that replaces a stored one,
    they are spooled and loaded after the old graphs are dropped. Either way the store holds the same."""
    from kasograph.model.build import document_ntriples
    from kasograph.source.table import read_document

    built = [document_ntriples(read_document(folder)) for folder in document_folders(generated)]
    stored = [(b.graph, b.ntriples) for b in built[:2]]
    graphs = [(b.graph, b.ntriples, None) for b in built[2:5]]
    graphs.append((built[1].graph, built[5].ntriples, built[1].graph))  # a new version of a stored graph
    graphs += [(b.graph, b.ntriples, None) for b in built[7:]]
    (tmp_path / "streamed").mkdir(), (tmp_path / "spooled").mkdir()
    streamed = loaded_by(True, stored, graphs, tmp_path / "streamed")
    assert streamed == loaded_by(False, stored, graphs, tmp_path / "spooled")
    assert streamed[0] > len(streamed[1]) > 1000
    first = [(built[0].graph, built[6].ntriples, built[0].graph), *graphs]  # replacing before anything streams
    assert loaded_by(True, stored, first, tmp_path / "streamed") == loaded_by(False, stored, first, tmp_path / "spooled")


def test_a_load_that_fails_midstream_fails_the_import_and_waits_for_nothing(tmp_path):
    import concurrent.futures

    import pyoxigraph

    from kasograph.store.loader import Loader

    triples = b"".join(b"<http://example.org/s%d> <http://example.org/p> \"%d\" .\n" % (i, i) for i in range(2000))

    def load() -> None:
        loader = Loader(pyoxigraph.Store(), tmp_path)
        loader.add("http://example.org/g0", triples)
        loader.add("http://example.org/g1", b"<http://example.org/s> not N-Triples .\n")
        for index in range(2, 200):  # far more than a pipe holds: the writer must notice that nobody reads
            loader.add(f"http://example.org/g{index}", triples)
        loader.finish()

    with concurrent.futures.ThreadPoolExecutor(1) as pool, pytest.raises(SyntaxError):
        pool.submit(load).result(timeout=120)

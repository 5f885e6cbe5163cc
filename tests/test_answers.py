"""Kept answers: an answer computed on a store generation is kept beside it and given again, in any
format, until an import makes a new generation; the saved questions are answered in the background."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pytest

from kasograph.query import saved
from kasograph.query.answers import AnswerCache, warm
from kasograph.query.sparql import Answer
from kasograph.store.directory import StoreDirectory
from kasograph.store.importer import import_document

from .conftest import KASO

GOALS = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { ?g a kg:Goal }"
NAMES = "SELECT ?name WHERE { ?p a foaf:Person ; foaf:name ?name } ORDER BY ?name"
EXAMPLE = Path(__file__).parent / "fixtures" / "example-2022"


def viewer(store: Path, **config):
    from kasograph_web import create_app

    app = create_app({"STORE": str(store), "SPARQL_ANSWERS_MIN_SECONDS": 0.0, "SPARQL_WORKERS": 1, **config})
    return app, app.test_client()


def ask(client, query: str, fmt: str = "json"):
    response = client.get("/sparql", query_string={"query": query, "format": fmt})
    assert response.status_code == 200, response.data
    return response


@pytest.fixture
def stored(tmp_path) -> Path:
    import_document(KASO, StoreDirectory(tmp_path / "store"))
    return tmp_path / "store"


def test_an_answer_is_kept_beside_its_generation_and_given_in_any_format(stored):
    app, client = viewer(stored)
    try:
        first = json.loads(ask(client, NAMES).data)
        kept = list((stored / "answers" / "00000001").glob("*.answer"))
        assert len(kept) == 1
        assert json.loads(ask(client, NAMES).data) == first  # from the kept answer
        names = [b["name"]["value"] for b in first["results"]["bindings"]]
        as_csv = list(csv.reader(io.StringIO(ask(client, NAMES, "csv").data.decode("utf-8"))))
        assert as_csv == [["name"], *[[n] for n in names]]
        as_xml = ask(client, NAMES, "xml").data.decode("utf-8")
        assert all(f"<literal>{n}</literal>" in as_xml for n in names)
        assert len(list((stored / "answers" / "00000001").glob("*.answer"))) == 3  # the JSON computed, the CSV and XML made from it
    finally:
        app.extensions["kasograph_pool"].close()


def test_a_page_with_a_row_limit_is_cut_from_the_kept_answer(stored):
    app, client = viewer(stored, SPARQL_HTML_ROW_LIMIT=3)
    try:
        ask(client, NAMES)
        page = client.get("/query.html", query_string={"query": NAMES})
        assert page.status_code == 200
        text = page.data.decode("utf-8")
        assert "Anders Vikström" in text and "Tuija Harakka" not in text  # the first three names only
    finally:
        app.extensions["kasograph_pool"].close()


def test_an_import_makes_a_new_generation_with_answers_of_its_own(stored):
    app, client = viewer(stored)
    try:
        before = json.loads(ask(client, GOALS).data)["results"]["bindings"][0]["n"]["value"]
        import_document(EXAMPLE, StoreDirectory(stored))
        after = json.loads(ask(client, GOALS).data)["results"]["bindings"][0]["n"]["value"]
        assert (before, after) == ("10", "20")
        assert (stored / "answers" / "00000002").is_dir()
    finally:
        app.extensions["kasograph_pool"].close()


def test_answers_go_with_their_generation(stored):
    from kasograph.store.directory import KEEP_GENERATIONS

    app, client = viewer(stored)
    try:
        ask(client, GOALS)
    finally:
        app.extensions["kasograph_pool"].close()
    for _ in range(KEEP_GENERATIONS):
        import_document(KASO, StoreDirectory(stored))
    assert not (stored / "answers" / "00000001").exists()


def test_fast_answers_and_answers_past_the_budget_are_not_kept(tmp_path):
    cache = AnswerCache(tmp_path / "answers", min_seconds=0.5, max_bytes=10)
    assert not cache.put("fast", Answer("solutions", "application/sparql-results+json", b"{}", seconds=0.1))
    assert cache.put("slow", Answer("solutions", "application/sparql-results+json", b"0123456789", seconds=0.6))
    assert not cache.put("more", Answer("solutions", "application/sparql-results+json", b"x", seconds=0.6))
    assert cache.get("fast") is None and cache.get("more") is None
    kept = cache.get("slow")
    assert kept.body == b"0123456789" and kept.cached and kept.seconds == 0.6
    in_memory = AnswerCache(None, min_seconds=0.0)
    assert in_memory.put("k", Answer("boolean", "application/sparql-results+json", b'{"boolean":true}', seconds=0.0))
    assert in_memory.get("k").body == b'{"boolean":true}'


def test_the_options_that_change_an_answer_are_part_of_its_key():
    plain = AnswerCache.key(GOALS, default_graph=[], named_graphs=[])
    assert plain == AnswerCache.key(GOALS, default_graph=[], named_graphs=[])
    assert plain != AnswerCache.key(GOALS, default_graph=["https://w3id.org/kasograph/id/graph/vantaa-kaso-2021"], named_graphs=[])
    assert plain != AnswerCache.key(GOALS + " ", default_graph=[], named_graphs=[])


def test_warming_answers_every_saved_question_once(stored):
    app, client = viewer(stored)
    try:
        pool = app.extensions.get("kasograph_pool") or _pool(app)
        took = warm(pool.run)
        assert set(took) == set(saved.catalogue())
        kept = len(list((stored / "answers" / "00000001").glob("*.answer")))
        assert kept == len(saved.catalogue())
        downloaded = client.get("/questions/workload-per-person.csv")
        assert downloaded.status_code == 200 and b"Anders Vikstr" in downloaded.data
        assert len(list((stored / "answers" / "00000001").glob("*.answer"))) == kept + 1  # the CSV, made from the kept JSON
    finally:
        app.extensions["kasograph_pool"].close()


def test_the_server_warms_up_in_the_background(stored):
    app, _ = viewer(stored, SPARQL_WARM_UP=True)
    folder = stored / "answers" / "00000001"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(list(folder.glob("*.answer"))) < len(saved.catalogue()):
            time.sleep(0.2)
        assert len(list(folder.glob("*.answer"))) == len(saved.catalogue())
    finally:
        app.extensions["kasograph_pool"].close()


def _pool(app):
    from kasograph_web.workers import pool

    with app.app_context():
        return pool()


def test_warming_keeps_answers_larger_than_a_visitor_may_ask_for(stored):
    """The endpoint's limit on an answer's size stops runaway queries; a saved question's whole answer,
    computed once in the background, is kept whatever its size (within the kept answers' own budget)."""
    from kasograph.query.sparql import QueryTooLarge

    app, client = viewer(stored, SPARQL_MAX_RESULT_BYTES=100)
    try:
        pool = _pool(app)
        question = saved.get("workload-per-person")
        with pytest.raises(QueryTooLarge):
            pool.run(question.sparql + " ")  # another text: not the kept answer
        warm(pool.run, [question])
        downloaded = client.get("/questions/workload-per-person.json")
        assert downloaded.status_code == 200 and len(downloaded.data) > 100
    finally:
        app.extensions["kasograph_pool"].close()


def test_a_saved_questions_file_is_its_whole_answer_however_large(stored):
    app, client = viewer(stored, SPARQL_MAX_RESULT_BYTES=100, SPARQL_ANSWERS_MIN_SECONDS=None)
    try:
        assert client.get("/sparql", query_string={"query": saved.get("workload-per-person").sparql}).status_code == 400
        downloaded = client.get("/questions/workload-per-person.csv")
        assert downloaded.status_code == 200 and len(downloaded.data) > 100
    finally:
        app.extensions["kasograph_pool"].close()


def test_an_import_answers_the_saved_questions_for_the_first_visitor(tmp_path):
    """`kasograph import` answers every saved question on the generation it published and keeps the slow
    answers, so that a question's first request is answered from them; --no-keep-answers leaves it."""
    from click.testing import CliRunner

    from kasograph.cli import main
    from kasograph.goaldata import GoalData

    store = tmp_path / "store"
    result = CliRunner().invoke(main, ["--store", str(store), "import", str(KASO), "--no-keep-answers"])
    assert result.exit_code == 0 and "saved questions" not in result.output and not (store / "answers").exists()
    result = CliRunner().invoke(main, ["--store", str(store), "import", str(EXAMPLE)])
    assert result.exit_code == 0 and f"answered the {len(saved.catalogue())} saved questions in" in result.output, result.output
    took = GoalData.from_directory(StoreDirectory(store)).keep_answers(min_seconds=0.0)  # every answer, however fast
    assert set(took) == set(saved.catalogue())
    assert len(list((store / "answers" / "00000002").glob("*.answer"))) == len(saved.catalogue())
    app, client = viewer(store)
    try:
        pool = _pool(app)
        question = saved.get("workload-per-person")
        assert pool.run(question.sparql, select_format="json", max_bytes=None).cached
    finally:
        app.extensions["kasograph_pool"].close()

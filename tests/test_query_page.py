"""The query page as an analyst uses it: the editor (highlighting, completion, Ctrl+Enter), errors in plain
words at their line and column, the answer's columns, its true row count and pages, sorting, the history
kept in the browser, the endpoint's address; and the library's parts of it (kasograph.query.syntax,
kasograph.query.completion, the counting and ordering in kasograph.query.sparql)."""

from __future__ import annotations

import csv
import io
import re
import time
from urllib.parse import quote

import pyoxigraph
import pytest
from playwright.sync_api import expect

from kasograph.query import sparql
from kasograph.query.completion import editor_terms
from kasograph.query.syntax import explain

from .test_browser import GOALS_AND_NAMES, Tab, browser, server, tab  # noqa: F401 - fixtures

CROSS = "SELECT * WHERE { ?s ?p ?o . ?a ?b ?c } LIMIT 1500"  # more rows than a page shows (1,000)


def open_query(page, server, query: str, suffix: str = ".en.html"):  # noqa: F811 - the fixture's value
    page.goto(f"{server}/query{suffix}?query={quote(query)}")


# The library ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("query", "line", "column", "words"), [
    ("SELECT ?x WHERE {\n  ?x a\n}", 2, 7, "has no object"),
    ("SELECT ?x WHERE {\n  ?s ?p ?o\n  ?a ?b ?c .\n}", 3, 3, "A . is missing before ?a"),
    ("SELECT * WHERE { ?s foo:x ?o }", 1, 21, "prefix foo: is not declared"),
    ("SELECT * WHERE { ?s ?p ?o ", 1, 16, "never closed"),
    ("ASK { ?x ?y ?z FILTER(?x > 3 }", 1, 30, "closes nothing"),
    ("SELECT ?x WHERE { ?x ?y \"a }", 1, 25, "string is never closed"),
    ("SELEC * {}", 1, 1, "no SPARQL keyword"),
])
def test_a_syntax_error_in_plain_words_at_its_line_and_column(query, line, column, words):
    message = _engine_message(query)
    problem = explain(query, message)
    assert (problem.line, problem.column) == (line, column), problem
    assert words in problem.message and problem.message_fi
    assert problem.text == query.split("\n")[line - 1]
    assert problem.marker == " " * (column - 1) + "^"
    assert "[" not in problem.message  # none of the engine's character ranges


def _engine_message(query: str) -> str:
    try:
        sparql.check(query)
        pyoxigraph.Store().query(query, prefixes={"kg": "https://w3id.org/kasograph/def#"})
    except (SyntaxError, sparql.QuerySyntaxError) as error:
        return str(error)
    raise AssertionError(f"{query!r} parsed")


def test_select_star_columns_in_the_order_the_query_names_them():
    assert sparql.columns_in_order("SELECT * WHERE { ?s ?p ?o }", ["o", "p", "s"]) == ["s", "p", "o"]
    assert sparql.columns_in_order("SELECT DISTINCT * { ?goal kg:status ?z . ?a ?b ?goal }", ["a", "b", "goal", "z"]) == \
        ["goal", "z", "a", "b"]
    assert sparql.columns_in_order("SELECT ?o ?s WHERE { ?s ?p ?o }", ["o", "s"]) == ["o", "s"]  # as written
    assert sparql.columns_in_order("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", ["n"]) == ["n"]


def test_a_page_of_rows_counts_all_of_them_or_says_at_least():
    store = pyoxigraph.Store()
    store.extend(pyoxigraph.Quad(pyoxigraph.NamedNode(f"http://x/{i}"), pyoxigraph.NamedNode("http://x/p"), pyoxigraph.Literal(i))
                 for i in range(25))
    query = "SELECT ?s WHERE { ?s ?p ?o }"
    media, fmt = "application/sparql-results+json", pyoxigraph.QueryResultsFormat.JSON
    page = sparql._solutions(store.query(query), media, fmt, 10, offset=10, count_until=time.perf_counter() + 5)
    assert (page.total, page.total_exact, page.truncated) == (25, True, True)
    assert page.body.count(b'"uri"') == 10
    last = sparql._solutions(store.query(query), media, fmt, 10, offset=20, count_until=time.perf_counter() + 5)
    assert (last.total, last.truncated) == (25, False) and last.body.count(b'"uri"') == 5
    hurried = sparql._solutions(store.query(query), media, fmt, 10, count_until=0.0)  # no time to count
    assert hurried.total_exact is False and hurried.total == 11 and hurried.truncated


def test_the_editor_completes_the_vocabulary_s_terms_from_the_ontology_and_shapes():
    terms = {t["name"]: t for t in editor_terms()["terms"]}
    assert terms["kg:Goal"]["kind"] == "class" and terms["kg:Goal"]["en"] == "Goal"
    assert terms["kg:status"]["kind"] == "property"
    assert terms["foaf:name"]["kind"] == "property" and "en" not in terms["foaf:name"]  # no label invented
    assert editor_terms()["prefixes"]["kg"] == "https://w3id.org/kasograph/def#"


def test_the_endpoint_says_a_syntax_error_in_plain_words_with_the_engine_s_message():
    from kasograph_web import create_app

    app = create_app()
    try:
        answer = app.test_client().get("/sparql", query_string={"query": "SELECT ?x WHERE {\n  ?x a\n}"})
        text = answer.get_data(as_text=True)
        assert answer.status_code == 400
        assert text.startswith("Syntax error at line 2, column 7: The triple pattern ?x a has no object")
        assert "\n  ?x a\n      ^\n" in text and "The engine's message: error at" in text
    finally:
        app.extensions.get("kasograph_pool") and app.extensions["kasograph_pool"].close()


def test_the_row_count_is_the_answer_s_whole_count():
    from kasograph_web import create_app

    app = create_app({"SPARQL_HTML_ROW_LIMIT": 3})
    client = app.test_client()
    try:
        everything = client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p ?o }", "format": "csv"}).text
        total = len(list(csv.reader(io.StringIO(everything)))) - 1
        page = client.get("/query.en.html", query_string={"query": "SELECT ?s WHERE { ?s ?p ?o }", "page": "2"}).text
        grouped = f"{total:,}"  # an English page groups digits with commas (Babel's en_GB); a Finnish one with spaces
        assert f'<p class="kind row-count">{grouped} rows, showing 4–6 · ' in page
        assert page.count("<tr>") == 1 + 3
        assert 'rel="prev"' in page and 'rel="next"' in page and f"page 2 of {-(-total // 3)}" in page
    finally:
        app.extensions["kasograph_pool"].close()


# The page in a browser ------------------------------------------------------------------------------------
def test_the_query_is_highlighted_and_the_header_search_stays_empty(server, tab):  # noqa: F811
    page = tab.page
    open_query(page, server, GOALS_AND_NAMES)
    layer = page.locator(".query-editor .query-highlight")
    expect(layer.locator(".cm-keyword").first).to_have_text("SELECT")
    expect(layer.locator(".cm-variable-2").first).to_have_text("?goal")
    expect(layer.locator(".cm-atom").first).to_have_text("kg:Goal")
    assert layer.get_attribute("aria-hidden") == "true"
    assert page.locator("#query-text").evaluate("e => getComputedStyle(e).color") == "rgba(0, 0, 0, 0)"
    expect(page.locator("form.search input[name=q]")).to_have_value("")  # the SPARQL is not a search
    assert "?q=" not in (page.locator(".languages a").first.get_attribute("href") or "")
    expect(page.locator("#endpoint-url")).to_have_text(f"{server}/sparql")
    assert tab.failures == []


def test_the_example_leaves_out_the_prefixes_the_endpoint_knows(server, tab):  # noqa: F811
    page = tab.page
    page.goto(server + "/query.en.html")
    value = page.locator("#query-text").input_value()
    assert value.count("PREFIX") == 1 and "skos:prefLabel" in value  # kg: alone, to say what it is
    prefixes = page.locator("details.prefixes")
    expect(prefixes.locator("summary")).to_contain_text("The endpoint knows kasograph's 18 prefixes")
    expect(prefixes.locator("pre")).not_to_be_visible()
    prefixes.locator("summary").click()  # the list, one click away
    expect(prefixes.locator("pre")).to_contain_text("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>")


def test_completion_offers_the_vocabulary_s_classes_after_kg_colon(server, tab):  # noqa: F811
    page = tab.page
    page.goto(server + "/query.en.html")
    editor = page.locator("#query-text")
    editor.fill("SELECT ?goal WHERE { ?goal a ")
    editor.press("End")
    editor.press_sequentially("kg:")
    options = page.get_by_role("listbox").get_by_role("option")
    goal = options.filter(has=page.locator(".name", has_text=re.compile("^kg:Goal$")))
    expect(goal).to_have_count(1)
    expect(goal).to_contain_text("class · Goal")  # its kind and label, from the ontology
    assert editor.get_attribute("aria-activedescendant") == "completion-0"
    editor.press_sequentially("Go")  # narrows the list (kg:Goal, kg:GoalStatusScheme, kg:goal)
    expect(options).to_have_count(3)
    editor.press("ArrowDown")
    editor.press("ArrowUp")
    expect(options.first).to_have_attribute("aria-selected", "true")
    editor.press("Enter")  # takes it
    expect(editor).to_have_value("SELECT ?goal WHERE { ?goal a kg:Goal")
    expect(page.get_by_role("listbox")).to_be_hidden()
    editor.press_sequentially(" }")
    editor.press("Control+Enter")
    page.wait_for_url(re.compile(r"/query\.en\.html\?query="))
    expect(page.locator("table.results tbody tr")).to_have_count(10)  # the bundled document's goals
    assert tab.failures == []


def test_an_error_shows_its_line_and_column_and_no_downloads(server, tab):  # noqa: F811
    page = tab.page
    broken = "SELECT ?goal ?name WHERE {\n  ?goal a kg:Goal ;\n     prov:wasAttributedTo ?p\n  ?p foaf:name ?name .\n}"
    open_query(page, server, broken)
    error = page.locator("p.error")
    expect(error).to_contain_text("Error: the query is not valid SPARQL, line 4, column 3: A . is missing before ?p")
    expect(page.locator("pre.error-line")).to_have_text("4    ?p foaf:name ?name .\n       ^")
    expect(page.locator("p.formats")).to_have_count(0)
    expect(page.locator("table.results")).to_have_count(0)
    expect(page.locator(".query-highlight .error-mark")).to_have_text("?p")
    error.get_by_role("link", name="line 4, column 3").click()
    assert page.locator("#query-text").evaluate("e => [document.activeElement === e, e.selectionStart]") == \
        [True, broken.index("  ?p foaf") + 2]
    assert tab.failures == []


def test_select_star_columns_come_in_the_query_s_order(server, tab):  # noqa: F811
    page = tab.page
    open_query(page, server, "SELECT * WHERE { ?s ?p ?o } LIMIT 5")
    expect(page.locator("table.results thead th")).to_have_text(["s", "p", "o"])


def test_more_rows_than_a_page_are_counted_and_paged(server, tab):  # noqa: F811
    page = tab.page
    open_query(page, server, CROSS)
    count = page.locator("p.row-count")
    expect(count).to_contain_text("1,500 rows, showing 1–1,000")
    expect(page.locator("table.results tbody tr")).to_have_count(1000)
    expect(page.locator("table.results thead th")).to_have_text(["s", "p", "o", "a", "b", "c"])
    pager = page.get_by_role("navigation", name="Pages of the answer")
    expect(pager).to_contain_text("page 1 of 2")
    pager.get_by_role("link", name="Next rows").click()
    page.wait_for_url(re.compile(r"page=2"))
    expect(count).to_contain_text("1,500 rows, showing 1,001–1,500")
    expect(page.locator("table.results tbody tr")).to_have_count(500)
    expect(page.locator("p.formats").get_by_role("link", name="csv", exact=True)).to_be_visible()
    pager.get_by_role("link", name="Previous rows").click()
    page.wait_for_url(re.compile(r"page=1"))
    expect(page.locator("table.results tbody tr")).to_have_count(1000)
    assert tab.failures == []


IN_ORDER = """([column, direction]) => {
  const texts = [...document.querySelectorAll(`table.results tbody tr td:nth-child(${column})`)].map(td => td.textContent.trim());
  const collator = new Intl.Collator(document.documentElement.lang, {numeric: true, sensitivity: "base"});
  return texts.every((text, i) => i === 0 || direction * collator.compare(texts[i - 1], text) <= 0);
}"""


def test_a_column_s_heading_sorts_the_rows(server, tab):  # noqa: F811
    page = tab.page
    open_query(page, server, GOALS_AND_NAMES)  # ORDER BY ?name
    headings = page.locator("table.results thead th")
    assert page.evaluate(IN_ORDER, [2, 1]) and not page.evaluate(IN_ORDER, [1, 1])
    headings.first.get_by_role("button", name="goal").click()
    expect(headings.first).to_have_attribute("aria-sort", "ascending")
    assert page.evaluate(IN_ORDER, [1, 1])
    headings.first.get_by_role("button", name="goal").click()
    expect(headings.first).to_have_attribute("aria-sort", "descending")
    assert page.evaluate(IN_ORDER, [1, -1])
    headings.nth(1).get_by_role("button", name="name").click()
    expect(headings.nth(1)).to_have_attribute("aria-sort", "ascending")
    assert headings.first.get_attribute("aria-sort") is None  # one column sorts at a time
    assert page.evaluate(IN_ORDER, [2, 1])
    expect(page.locator("table.results tbody tr")).to_have_count(20)
    assert tab.failures == []


def test_the_history_keeps_the_queries_run_in_this_browser(server, tab):  # noqa: F811
    page = tab.page
    first, second = "ASK { ?g a kg:Goal }", "SELECT * WHERE { ?s ?p ?o } LIMIT 3"
    open_query(page, server, first)
    open_query(page, server, second)
    toggle = page.get_by_role("button", name="History", exact=True)
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    items = page.locator("#query-history .history-item")
    expect(items).to_have_text([second, first])  # newest first
    items.nth(1).click()
    expect(page.locator("#query-text")).to_have_value(first)
    expect(page.locator(".query-highlight .cm-keyword").first).to_have_text("ASK")
    page.get_by_role("button", name="Clear the history").click()
    expect(items).to_have_count(0)
    page.reload()
    page.get_by_role("button", name="History", exact=True).click()
    expect(items).to_have_text([second])  # the page just loaded ran it again


def test_without_javascript_the_form_still_runs_queries(server, browser):  # noqa: F811
    plain = Tab(browser, locale="en-GB", java_script_enabled=False)
    try:
        page = plain.page
        page.goto(server + "/query.en.html")
        editor = page.locator("#query-text")
        expect(editor).to_be_visible()
        assert page.locator(".query-highlight").count() == 0
        expect(page.locator("#query-history-toggle")).to_be_hidden()
        editor.fill(GOALS_AND_NAMES)
        page.get_by_role("button", name="Run").click()
        page.wait_for_url(re.compile(r"/query\.en\.html\?query="))
        expect(page.locator("table.results tbody tr")).to_have_count(20)
        assert plain.failures == []
    finally:
        plain.close()


def test_no_horizontal_scrolling_of_the_query_page_on_a_phone(server, browser):  # noqa: F811
    phone = Tab(browser, locale="fi-FI", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        for path in ("/query.html", f"/query.html?query={quote(CROSS)}"):
            phone.page.goto(server + path)
            widths = phone.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1] + 1, f"{path}: {widths}"
    finally:
        phone.close()

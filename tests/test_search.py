"""Search that forgives: typos, ä/ö written or not, the words for a kind of party, suggestions while typing,
the same on the static site, and hostile queries that never break the server."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import rdflib
from playwright.sync_api import expect

from kasograph.query.search import SearchIndex, fold, near_prefixes, terms
from kasograph.store.engine import GoalStore

from .servers import free_port, running
from .test_browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, Tab, browser, server  # noqa: F401 - fixtures

ID = "https://w3id.org/kasograph/id/"
THEME = "theme/vantaa/edistamme-asukkaiden-hyvinvointia"
VEHVILAINEN = "person/vantaa/sole-askola-vehvilainen"
VIKSTROM = "person/vantaa/anders-vikstrom"
DEVELOPMENT_GROUPS = {f"group/vantaa/kaso/{name}-kehittamisryhma" for name in
                      ("monikulttuurisuus", "opintopolut-ja-ohjaus", "opiskeluhuolto-ja-hyvinvointi", "osaaminen", "tvt")}
POSTS = {"post/vantaa/kaso/osallisuusasiantuntija", "post/vantaa/kaso/palvelualuejohtajat"}
AXE = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def index(store) -> SearchIndex:
    return SearchIndex(store)


def found(index: SearchIndex, query: str) -> list[str]:
    return [hit.iri.removeprefix(ID) for hit in index.search(query)]


# The library -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("query, expected", [
    ("hyvinvionti", THEME),  # two letters swapped
    ("hyvinvoinit", THEME),
    ("mielentervyes", "goal/vantaa-kaso-2021/mielenterveysosaaminen"),
    ("opintoplku", "goal/vantaa-kaso-2021/monikieliset-opintopolut"),  # a letter left out
    ("harakak", "person/vantaa/tuija-harakka"),
    ("multiculturalsim", "group/vantaa/kaso/monikulttuurisuus-kehittamisryhma"),  # English
    ("wellfare", "group/vantaa/kaso/opiskeluhuolto-ja-hyvinvointi-kehittamisryhma"),  # a letter too many
    ("school helth survey", "survey/kouluterveyskysely"),
])
def test_a_misspelt_word_finds_what_it_meant(index, query, expected):
    assert expected in found(index, query)


@pytest.mark.parametrize("query, expected", [
    ("vehvilainen", VEHVILAINEN), ("Vehviläinen", VEHVILAINEN), ("VEHVILÄINEN", VEHVILAINEN),
    ("vikstrom", VIKSTROM), ("Vikström", VIKSTROM),
    ("etaopetus", "goal/vantaa-kaso-2021/etaopetus"), ("etäopetus", "goal/vantaa-kaso-2021/etaopetus"),
    ("etaopetuksen", "goal/vantaa-kaso-2021/etaopetus"),
    ("tiivistamme kaupunkia lahiluontoa", "theme/vantaa/tiivistamme-kaupunkia-lahiluontoa-vaalien"),
])
def test_a_word_is_found_with_or_without_its_dots(index, query, expected):
    assert expected in found(index, query)


def test_the_same_word_with_and_without_dots_finds_the_same():
    assert fold("äöå ÄÖÅ é") == "aoa AOA e"
    assert terms("Kehittämisryhmää") == terms("kehittamisryhmaa")


@pytest.mark.parametrize("query", ["kehittamisryhma", "kehittämisryhmä", "development group", "kehittamisryhmat"])
def test_development_groups_are_found_by_their_kind(index, query):
    assert DEVELOPMENT_GROUPS <= set(found(index, query))


@pytest.mark.parametrize("query", ["nimike", "post"])
def test_posts_are_found_by_their_kind(index, query):
    assert POSTS <= set(found(index, query))


def test_exact_matches_come_before_near_ones():
    """"Lindqvist" is an exact match of "lindqvist" and "Lindkvist" a near one, though Lindkvist's texts weigh more."""
    graph = rdflib.Graph()
    foaf, skos = rdflib.Namespace("http://xmlns.com/foaf/0.1/"), rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    for name, label, hidden in (("lindqvist", "Anna Mäkinen", "Lindqvistille"), ("lindkvist", "Anna Lindkvist", "Lindkvistin")):
        person = rdflib.URIRef(ID + "person/x/" + name)
        graph.add((person, rdflib.RDF.type, foaf.Person))
        graph.add((person, foaf.name, rdflib.Literal(label)))
        graph.add((person, skos.hiddenLabel, rdflib.Literal(hidden)))
    dataset = rdflib.Dataset()
    for triple in graph:
        dataset.graph(rdflib.URIRef(ID + "document/x")).add(triple)
    index = SearchIndex(GoalStore.from_dataset(dataset))
    exact, near = index.search("lindqvist")
    assert (exact.iri.rsplit("/", 1)[1], exact.near) == ("lindqvist", False)
    assert (near.iri.rsplit("/", 1)[1], near.near) == ("lindkvist", True)
    assert near.score > exact.score
    assert [hit.iri.rsplit("/", 1)[1] for hit in index.search("lindkvist")] == ["lindkvist", "lindqvist"]


def test_every_exact_hit_comes_before_every_near_one(index):
    for query in ("kulttuuri", "osallisuus", "hyvinvointi", "opintopolku", "kehittamisryhma"):
        flags = [hit.near for hit in index.search(query)]
        assert flags == sorted(flags), query
        assert flags and not flags[0], query


def test_a_typo_in_a_short_word_is_not_forgiven(index):
    assert found(index, "kalo") == ["person/vantaa/ilkka-kalo"]
    assert found(index, "kalp") == []  # four letters: exact only
    assert [t.edits for t in terms("talo kallio hyvinvointi")] == [0, 1, 2]


def test_near_words_are_those_within_the_edits_of_a_beginning():
    words = sorted(["hyvinvointi", "hyvinvointia", "hyvinvointityö", "hyvä", "hyvinkää", "tyvinvointi"])
    near = {w for first, end in near_prefixes(words, "hyvinviont", 2) for w in words[first:end]}
    assert near == {"hyvinvointi", "hyvinvointia", "hyvinvointityö"}  # not another first letter


@pytest.mark.parametrize("query, expected", [
    ("vehvil", VEHVILAINEN), ("kehit", "group/vantaa/kaso/tvt-kehittamisryhma"), ("hyvinvion", THEME),
    ("develop", "group/vantaa/kaso/osaaminen-kehittamisryhma"), ("tuija h", "person/vantaa/tuija-harakka"),
])
def test_suggestions_match_the_word_being_typed(index, query, expected):
    assert expected in [hit.iri.removeprefix(ID) for hit in index.suggest(query)]


def test_suggestions_are_few_and_need_two_letters(index):
    assert index.suggest("k") == []
    assert 0 < len(index.suggest("ke")) <= 8


def test_the_index_gives_a_browser_the_stems_of_its_words(index):
    assert index.stems_in(["Edistämme asukkaiden hyvinvointia"])["hyvinvointia"] == "hyvinvoint"
    assert "edistamme" in index.stems_in(["Edistämme"])


# The viewer ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def client():
    from kasograph_web import create_app

    return create_app({"TESTING": True}).test_client()


def test_the_search_page_lists_near_matches_after_the_others(client):
    page = client.get("/search.html", query_string={"q": "hyvinvionti"}).text
    assert page.index("<h2>Lähes samoin kirjoitetut</h2>") < page.index("edistamme-asukkaiden-hyvinvointia.html")
    english = client.get("/search.en.html", query_string={"q": "vehvilainen"}).text
    assert "sole-askola-vehvilainen.en.html" in english and "<h2>Spelt almost the same</h2>" not in english


def test_suggestions_answer_as_json_in_the_page_language(client):
    answer = client.get("/search/suggest.json", query_string={"q": "vehvil", "lang": "en"})
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    body = answer.get_json()
    assert body["query"] == "vehvil"
    first = body["suggestions"][0]
    assert (first["label"], first["kind"], first["href"]) == ("Sole Askola-Vehviläinen", "Person", f"{VEHVILAINEN}.en.html")
    groups = client.get("/search/suggest.json", query_string={"q": "kehittamisryhma", "lang": "fi"}).get_json()
    assert {s["kind"] for s in groups["suggestions"]} >= {"Ryhmä"}
    assert all(not s["href"].startswith(("/", "..")) for s in groups["suggestions"])  # from the site's root


HOSTILE = ["x" * 20_000, "kehittämisryhmä " * 400, "(.*+?[]{}\\^$|)" * 50, ".*", "a|b", "[", "\\", "%", "\x00", "\ud800",
           "hyvinvointi" * 300, "🙂 ∑ ‮rtl", "'; DROP TABLE goals; --", "<script>alert(1)</script>", " ", ""]


@pytest.mark.parametrize("path", ["/search.html", "/search.en.html", "/search/suggest.json"])
def test_hostile_queries_never_break_search(client, path):
    for query in HOSTILE:
        started = time.perf_counter()
        response = client.get(path, query_string={"q": query.encode("utf-8", "surrogatepass")})
        assert response.status_code < 500, (path, query[:40])
        assert time.perf_counter() - started < 3, (path, query[:40])
        if path.endswith(".json"):
            assert response.mimetype == "application/json" and isinstance(json.loads(response.data)["suggestions"], list)
        else:
            assert b"<script>alert" not in response.data
    for raw in ("q=%ff%fe", "q=%c3%28", "q=%e2%82", "q=%00%0a", "q=" + "%ff" * 3000):
        response = client.get(f"{path}?{raw}")
        assert response.status_code < 500, (path, raw[:40])
        if path.endswith(".json"):
            json.loads(response.data)


# In the browser --------------------------------------------------------------------------------------
@pytest.fixture
def tab(browser):  # noqa: F811 - the fixture's object
    opened = Tab(browser, locale="fi-FI")
    yield opened
    opened.close()


def type_in_search_box(page, text: str, first_option: str):
    box = page.locator("form.search input[name=q]")
    box.fill("")
    box.press_sequentially(text, delay=20)
    expect(page.locator("#search-suggestions [role=option]").first).to_contain_text(first_option)
    return box


def test_suggestions_are_a_keyboard_navigable_combobox(server, tab):  # noqa: F811 - fixtures
    page = tab.page
    page.goto(server + "/index.html")
    box = type_in_search_box(page, "vehvil", "Sole Askola-Vehviläinen")
    listbox = page.get_by_role("listbox")
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(box).to_have_attribute("aria-controls", "search-suggestions")
    expect(listbox).to_be_visible()
    expect(page.locator("[role=status]")).to_have_text("Ehdotuksia: 1")

    box.press("ArrowDown")
    option = page.get_by_role("option", name="Sole Askola-Vehviläinen")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    expect(box).to_be_focused()
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")

    box.press("ArrowDown")  # opens the list again, on its first option
    expect(option).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    page.wait_for_url(f"**/{VEHVILAINEN}.html")
    expect(page.locator("h1")).to_have_text("Sole Askola-Vehviläinen")
    assert tab.failures == []


def test_arrows_wrap_and_enter_without_a_choice_searches(server, tab):  # noqa: F811 - fixtures
    page = tab.page
    page.goto(server + "/index.en.html")
    box = type_in_search_box(page, "kehittamisryhma", "")
    options = page.locator("#search-suggestions [role=option]")
    count = options.count()
    assert count > 3
    box.press("ArrowUp")  # from the box, up goes to the last option
    expect(options.nth(count - 1)).to_have_attribute("aria-selected", "true")
    box.press("ArrowDown")  # and down from the last back to the first
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(options.nth(count - 1)).to_have_attribute("aria-selected", "false")
    box.press("Escape")
    box.press("Enter")
    page.wait_for_url("**/search.en.html?q=kehittamisryhma")
    links = page.locator("ol.results a:not(.status)").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert {f"{group}.en.html" for group in DEVELOPMENT_GROUPS} <= set(links)
    assert tab.failures == []


def test_a_suggestion_can_be_chosen_with_a_pointer(server, tab):  # noqa: F811 - fixtures
    page = tab.page
    page.goto(server + "/search.html?q=mielenterveys")
    type_in_search_box(page, "hyvinvion", "")
    page.get_by_role("option").filter(has_text="Edistämme asukkaiden hyvinvointia").click()
    page.wait_for_url(f"**/{THEME}.html")
    assert tab.failures == []


def test_without_javascript_the_search_box_is_a_plain_form(server, browser):  # noqa: F811 - fixtures
    plain = Tab(browser, locale="fi-FI", java_script_enabled=False)
    try:
        page = plain.page
        page.goto(server + "/index.html")
        box = page.locator("form.search input[name=q]")
        assert box.get_attribute("role") is None
        box.fill("vehvilainen")
        box.press("Enter")
        page.wait_for_url("**/search.html?q=vehvilainen")
        expect(page.locator("ol.results a", has_text="Sole Askola-Vehviläinen")).to_be_visible()
        assert plain.failures == []
    finally:
        plain.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_no_serious_accessibility_violation_with_the_suggestions_open(server, browser, width):  # noqa: F811
    if not AXE.exists():
        pytest.fail("axe-core is not installed: scripts/test installs it (npm ci --prefix tests/browser)")
    problems = {}
    for path in ("search.html?q=mielenterveys", "search.en.html?q=mielenterveys"):
        context = browser.new_context(viewport=WIDTHS[width], bypass_csp=True)
        context.set_default_timeout(TIMEOUT_MS)
        try:
            page = context.new_page()
            page.goto(f"{server}/{path}")
            box = type_in_search_box(page, "kehit", "")
            box.press("ArrowDown")
            expect(page.get_by_role("listbox")).to_be_visible()
            page.evaluate(AXE.read_text(encoding="utf-8"))
            found_problems = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
        finally:
            context.close()
        serious = [(v["id"], v["nodes"][0]["html"][:160]) for v in found_problems if v["impact"] in ("serious", "critical")]
        if serious:
            problems[path] = serious
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)


# The static site -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    """`kasograph publish` behind `python -m http.server`; yields its base URL (no trailing slash)."""
    out = tmp_path_factory.mktemp("publish") / "site"
    result = subprocess.run([sys.executable, "-m", "kasograph", "publish", "--out", str(out)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(out)]
    with running(command, tmp_path_factory.mktemp("http") / "http.log", base + "/search-index.json",
                 lambda response: response.status == 200):
        yield base


@pytest.mark.parametrize("query, expected", [
    ("hyvinvionti", "Edistämme asukkaiden hyvinvointia"), ("vehvilainen", "Sole Askola-Vehviläinen"),
    ("Vikstrom", "Anders Vikström"), ("etäopetus", "Kehitetään etäopetuksen"), ("kehittamisryhma", "tvt-kehittämisryhmä"),
    ("nimike", "palvelualuejohtajat"),
])
def test_the_static_site_searches_as_the_server_does(site_url, tab, query, expected):
    page = tab.page
    page.goto(f"{site_url}/search.html?q={query}")
    expect(page.locator("#search-results ol.results a", has_text=expected).first).to_be_visible()
    assert tab.failures == []


def test_the_static_site_lists_near_matches_after_the_others(site_url, tab):
    page = tab.page
    page.goto(f"{site_url}/search.en.html?q=hyvinvionti")
    expect(page.locator("#search-results h2")).to_have_text("Spelt almost the same")
    expect(page.locator("#search-results ol.results a", has_text="We promote residents' well-being")).to_be_visible()


def test_the_static_site_suggests_from_its_index(site_url, tab):
    page = tab.page
    page.goto(f"{site_url}/goal/vantaa-kaso-2021/etaopetus.html")
    box = type_in_search_box(page, "vehvil", "Sole Askola-Vehviläinen")
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url(f"**/{VEHVILAINEN}.html")
    assert tab.failures == []  # no request for suggestions that failed

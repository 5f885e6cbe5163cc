"""The viewer through Flask's test client: every page, languages, search, escaping."""

from __future__ import annotations

import re

import pytest

from kasograph.model.iris import local_path
from kasograph.namespaces import DEFAULT_BASE

GOAL = "goal/vantaa-kaso-2021/mielenterveysosaaminen"


def resource_paths(app) -> list[str]:
    data = app.extensions["kasograph"]
    return [p for p in (local_path(i, DEFAULT_BASE) for i in data.explorer().all_resources())
            if p and p not in data.source_texts_paths()]


def test_every_resource_has_a_page_in_both_languages(app, client):
    paths = resource_paths(app)
    assert len(paths) > 60
    for path in paths:
        for suffix, lang in ((".html", "fi"), (".en.html", "en")):
            response = client.get(f"/{path}{suffix}")
            assert response.status_code == 200, path + suffix
            assert f'<html lang="{lang}">' in response.text
            assert "Tietojen lähde" in response.text or "Where these facts come from" in response.text, path


@pytest.mark.parametrize("path", ["", "index.html", "index.en.html", "search.html?q=ranki", "def.html", "def.en.html",
                                  "shapes.html", "void.html", "status/FullyAchieved.html", "status/PartiallyAchieved.en.html",
                                  "status/NotAchieved.html"])
def test_special_pages_render(client, path):
    assert client.get("/" + path).status_code == 200


def test_home_shows_the_dataset_counts_and_goals_by_theme(client):
    page = client.get("/").text
    assert "Toimialan tavoitteet vuodelle 2021" in page
    assert "10 tavoitetta" in page and "7 henkilöä" in page and "5 kehittämisryhmää" in page
    assert page.count('class="status status-') == 10 + 2  # a badge per goal, and one per status in the counts
    assert "Lähde ei ilmoita lisenssiä." in page  # no licence is claimed
    assert 'name="q"' in page


def test_goal_page_shows_every_part_of_the_goal(client):
    page = client.get(f"/{GOAL}.html").text
    for text in ("Koulutuksiin osallistuneiden työntekijöiden määrä", "Osallistujien määrä nousee vähintään 10 prosentilla",
                 "Toteutuu osittain", "Tuija Harakka", "Opiskeluhuolto ja hyvinvointi kehittämisryhmä", "MIELI ry",
                 "yhteensä 664 työntekijää", "sivut 2, 3", "lähdeteksti"):
        assert text in page, text
    assert 'href="../../person/vantaa/tuija-harakka.html"' in page
    assert 'href="../../document/vantaa-kaso-2021/source.txt"' in page


def test_person_page_lists_goals_and_the_people_shared_with(client):
    page = client.get("/person/vantaa/ari-ranki.html").text
    for goal in ("oppimiskampus", "oppivelvollisuus", "etaopetus"):
        assert f"goal/vantaa-kaso-2021/{goal}.html" in page
    assert "Yhteiset tavoitteet" in page and "Anders Vikström" in page
    group = client.get("/group/vantaa/kaso/tvt-kehittamisryhma.en.html").text
    assert "ICT development group" in group and "responsible body" in group


def test_language_by_parameter_accept_language_and_suffix(client):
    assert '<html lang="en">' in client.get(f"/{GOAL}?lang=en").text
    assert '<html lang="en">' in client.get(f"/{GOAL}", headers={"Accept-Language": "en-GB,en;q=0.9"}).text
    assert '<html lang="fi">' in client.get(f"/{GOAL}", headers={"Accept-Language": "de"}).text
    english = client.get(f"/{GOAL}.en.html").text
    assert "Responsible" in english and "translation" in english
    # A label with no English text falls back to the Finnish one, marked as Finnish.
    assert '<span lang="fi">Koulutuksiin osallistuneiden työntekijöiden määrä</span>' in english or \
        '<p lang="fi">Koulutuksiin osallistuneiden työntekijöiden määrä</p>' in english
    # The switch is visible and points to the same page in the other language.
    assert 'href="mielenterveysosaaminen.html" hreflang="fi"' in english


@pytest.mark.parametrize("query, expected", [
    ("mielenterveys", "goal/vantaa-kaso-2021/mielenterveysosaaminen"),
    ("huoltaja", "goal/vantaa-kaso-2021/huoltajien-osallisuus"),
    ("opintopolku", "goal/vantaa-kaso-2021/monikieliset-opintopolut"),
    ("Harakka", "person/vantaa/tuija-harakka"),
    ("MIELI ry", "org/mieli-ry"),
])
def test_search_understands_inflected_finnish(client, query, expected):
    page = client.get("/search.html", query_string={"q": query}).text
    first = re.search(r'<ol class="results">.*?href="((?!status/)[^"]+)\.html"', page, re.S)
    assert first and first.group(1).endswith(expected), page


def test_search_with_no_match(client):
    assert "Ei osumia." in client.get("/search.html?q=zzzyyx").text


def test_unknown_resources_are_404(client):
    assert client.get("/goal/vantaa-kaso-2021/nothing").status_code == 404
    assert client.get("/goal/vantaa-kaso-2021/nothing.ttl").status_code == 404
    assert client.get("/status/Postponed.html").status_code == 404
    assert client.get("/download/other.ttl").status_code == 404


def test_settings_given_as_text_are_read_as_their_defaults_type():
    """`kasograph serve --setting NAME VALUE`: numbers, on/off, lists and `none` where it means something;
    anything else is refused with what was expected."""
    from kasograph_web.settings import setting_value

    assert setting_value("SPARQL_MAX_RESULT_BYTES", "200000000") == 200_000_000
    assert setting_value("SPARQL_TIMEOUT", "2.5") == 2.5
    assert setting_value("SPARQL_WARM_UP", "off") is False and setting_value("SPARQL_WARM_UP", "ON") is True
    assert setting_value("SPARQL_SERVICE_ALLOWLIST", "https://a.example/sparql https://b.example/sparql") == (
        "https://a.example/sparql", "https://b.example/sparql")
    assert setting_value("SPARQL_ANSWERS_MIN_SECONDS", "none") is None
    assert setting_value("SPARQL_ANSWERS_MAX_BYTES", "0") == 0  # keep nothing
    assert setting_value("SITE_URL", "https://tavoitteet.example.fi/") == "https://tavoitteet.example.fi/"
    for name, text, says in [("SPARQL_TIMOUT", "5", "unknown setting 'SPARQL_TIMOUT'; the settings are: SITE_URL"),
                             ("STORE", "elsewhere", "STORE is set with --store"),
                             ("SPARQL_WORKERS", "0", "SPARQL_WORKERS must be a number above 0, not '0'"),
                             ("SPARQL_TIMEOUT", "nan", "must be a number above 0"),
                             ("SPARQL_MAX_RESULT_BYTES", "50MB", "must be a number above 0, not '50MB'"),
                             ("SPARQL_WARM_UP", "maybe", "SPARQL_WARM_UP must be on or off"),
                             ("SPARQL_TIMEOUT", "none", "must be a number above 0")]:
        with pytest.raises(ValueError, match=re.escape(says)):
            setting_value(name, text)


def test_hostile_text_is_escaped(document_copy):
    import csv

    from kasograph_web import create_app

    goals = document_copy / "goals.csv"
    rows = list(csv.reader(goals.open(encoding="utf-8", newline="")))
    hostile = '<script>alert("x")</script> "quoted" & \'single\' ' + "pitkä " * 2000
    rows[1][rows[0].index("Mittari")] = hostile
    with goals.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    client = create_app({"DATA": str(document_copy)}).test_client()
    page = client.get("/goal/vantaa-kaso-2021/oppimiskampus.html").text
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    # Inside the embedded JSON-LD a closing tag cannot end the script element.
    embedded = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    assert "</script>" not in embedded and "<\\/script>" in embedded
    assert page.count("pitkä") >= 2000


def _ran(page: str) -> list[str]:
    """The traces a query run leaves on the query page: an answer, an error, a table of results or download links."""
    return re.findall(r'<p class="(?:answer|error|formats)"|<table class="results"', page)


def test_an_empty_or_blank_query_is_not_run():
    from kasograph_web import create_app

    app = create_app()
    client = app.test_client()
    try:
        for blank in ("", "   ", "\n\t \r\n"):
            response = client.get("/query.en.html", query_string={"query": blank})
            assert response.status_code == 200
            assert _ran(response.text) == [], repr(blank)  # no "Answer: no", no empty table, no downloads
            assert "kasograph_pool" not in app.extensions, "a blank query started the query workers"
            assert re.search(r"<textarea[^>]*>(.*?)</textarea>", response.text, flags=re.S).group(1) == blank  # kept as typed
        answered = client.get("/query.en.html", query_string={"query": "ASK { ?goal a kg:Goal }"}).text
        assert '<p class="answer">yes</p>' in answered and _ran(answered)  # what the blank ones must not show
    finally:
        if "kasograph_pool" in app.extensions:
            app.extensions["kasograph_pool"].close()


@pytest.mark.parametrize("path", ["/goal/a%20b.html", "/goal/a%3Eb", "/goal/a%22b.ttl", "/person/x%5C.html",
                                  "/goal/%7Bx%7D", "/theme/a%0Ab.en.html"])
def test_paths_that_cannot_be_iris_are_not_found(client, path):
    """Characters no IRI may hold get 404, never a query built from them (which answered 500)."""
    assert client.get(path).status_code == 404


def test_home_of_a_large_store_counts_instead_of_listing(monkeypatch):
    """Past HOME_GOALS goals the home page counts each theme's goals by status instead of listing them, and
    past HOME_DOCUMENTS documents it counts them by place: a country's home page would weigh megabytes."""
    from pathlib import Path

    from kasograph_web import create_app

    from kasograph.goaldata import GoalData
    from kasograph.model.sources import bundled_documents
    from kasograph.query import explore
    from kasograph.source.table import read_document

    monkeypatch.setattr(explore, "HOME_GOALS", 5)
    monkeypatch.setattr(explore, "HOME_DOCUMENTS", 1)
    documents = bundled_documents() + [read_document(Path(__file__).parent / "fixtures" / "example-2022")]
    data = GoalData.from_documents(documents)
    page = create_app(data=data).test_client().get("/").text
    assert 'href="goal/' not in page  # no goal listed
    home = data.home("fi")
    assert home.summary and all(goals == [] for _, goals in home.themes)
    # Every theme with its goals by status, adding up to all goals with a status; every theme linked.
    assert sum(n for counts in home.theme_statuses.values() for _, n in counts) == sum(n for _, n in home.statuses) == 20
    assert all(f'href="{theme.iri.removeprefix(data.base)}.html"' in page for theme, _ in home.themes)
    # Both documents are Vantaa's: one place, two documents, 2021–2022.
    [(place, documents_there, first, last)] = home.places
    assert (place.label.value, documents_there, first, last) == ("Vantaa", 2, "2021", "2022")
    assert '<span lang="fi">Vantaa</span></a> — 2 asiakirjaa' in page
    assert data.home("fi") is home  # made once per version of the data


def test_search_index_counts_a_theme_once_however_many_goals_it_has(app):
    """The theme that five goals serve is indexed by its own labels (fi, en), not once per goal: a join with
    the goals used to count it five times and rank it above the goals themselves."""
    from kasograph.namespaces import DEFAULT_BASE

    index = app.extensions["kasograph"].search_index
    theme = index.iris.index(DEFAULT_BASE + "theme/vantaa/edistamme-asukkaiden-hyvinvointia")
    assert list(index.entry_iri).count(theme) == 2
    [hit] = [h for h in index.search("asukkaiden") if h.iri.endswith("edistamme-asukkaiden-hyvinvointia")]
    assert "asukkaiden" in hit.snippet.casefold()  # the snippet's text comes back from the store


def test_searches_on_many_threads_at_once_get_the_same_stems():
    """A Snowball stemmer keeps its word in itself: one shared by the server's threads gave wrong stems and
    IndexErrors (500s) under concurrent searches. Each thread has its own."""
    import sys
    import threading

    from kasograph.query import search

    text = " ".join(["mielenterveysosaamista", "huoltajien", "opintopolkuja", "kehittämisryhmä", "oppivelvollisuuden"] * 40)
    expected = search.stems(text)
    failures = []

    def work():
        for _ in range(100):
            try:
                if search.stems(text) != expected:
                    failures.append("wrong stems")
            except Exception as error:  # noqa: BLE001 - any failure is the finding
                failures.append(type(error).__name__)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, as a busy server does
    try:
        threads = [threading.Thread(target=work) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert failures == []


def test_pages_carry_an_entity_tag_and_answer_304_when_it_still_holds(client):
    page = "/goal/vantaa-kaso-2021/oppimiskampus.html"
    first = client.get(page)
    tag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get(page, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == tag
    assert client.get(page, headers={"If-None-Match": tag, "Accept-Language": "en"}).status_code == 200
    assert client.get("/goal/vantaa-kaso-2021/oppimiskampus.ttl").headers["ETag"] != tag
    assert "ETag" not in client.get("/sparql", query_string={"query": "ASK {}"}).headers  # time limits: never the same answer for sure
    assert "ETag" not in client.get("/goal/vantaa-kaso-2021/nothing.html").headers


def test_an_import_changes_every_entity_tag(tmp_path):
    from kasograph_web import create_app

    from kasograph.store.directory import StoreDirectory
    from kasograph.store.importer import import_document

    from .conftest import KASO

    store = StoreDirectory(tmp_path / "store")
    import_document(KASO, store)
    viewer = create_app({"STORE": str(store.path)}).test_client()
    page = "/goal/vantaa-kaso-2021/oppimiskampus.html"
    tag = viewer.get(page).headers["ETag"]
    assert viewer.get(page, headers={"If-None-Match": tag}).status_code == 304
    import_document(KASO, store)  # the same document again: a new generation
    assert viewer.get(page, headers={"If-None-Match": tag}).status_code == 200


def test_the_header_and_footer_link_from_each_page_in_its_language(client):
    """They are made once per language and folder (context.KeptPartials): each page still gets its own."""
    for path, up, suffix in ((f"{GOAL}.html", "../../", ".html"), ("index.html", "", ".html"),
                             (f"{GOAL}.en.html", "../../", ".en.html"), ("index.en.html", "", ".en.html"),
                             (f"{GOAL}.html", "../../", ".html"), ("status/FullyAchieved.en.html", "../", ".en.html")):
        page = client.get("/" + path).text
        assert f'<a class="brand" href="{up}index{suffix}">' in page, path
        assert f'action="{up}search{suffix}"' in page, path
        assert f'<a href="{up}void{suffix}">' in page, path
        assert f'href="{up}download/kasograph.ttl"' in page, path
        assert ("Julkaisun kuvaus" if suffix == ".html" else "Publication description") + " (VoID/DCAT)</a>" in page, path
    searched = client.get("/search.html?q=ranki").text
    assert 'name="q" value="ranki"' in searched and '<a class="brand" href="index.html">' in searched

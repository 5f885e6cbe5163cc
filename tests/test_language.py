"""One language per page: a Finnish page speaks Finnish (its interface words, the saved questions, the
columns of an answer, the names of properties), numbers and dates are written as the page's language
writes them, counts take the right plural, and the language switch keeps what was asked.

Texts of the data that exist only in English are the data's, not the interface's: they stay, marked as
translations (`<span lang="en" class="translated">`), and are left out of what is checked here.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from kasograph.query.saved import catalogue

GOAL = "goal/vantaa-kaso-2021/mielenterveysosaaminen"
PERSON = "person/vantaa/tuija-harakka"
#: One Finnish page of every kind the viewer serves, and every saved question's page.
PAGES = [
    "index.html", f"{GOAL}.html", f"{PERSON}.html", "group/vantaa/kaso/opiskeluhuolto-ja-hyvinvointi-kehittamisryhma.html",
    "post/vantaa/kaso/palvelualuejohtajat.html", "theme/vantaa/edistamme-asukkaiden-hyvinvointia.html",
    "status/FullyAchieved.html", "document/vantaa-kaso-2021.html", "dataset/vantaa-kaso-2021.html",
    "number/vantaa-kaso-2021/mielenterveysosaaminen/1.html", "org/mieli-ry.html", "search.html?q=mielenterveys",
    "query.html", "query.html?query=SELECT%20%3Fperson%20%3Fgoals%20WHERE%20%7B%20%3Fx%20foaf%3Aname%20%3Fperson%20%7D%20LIMIT%203",
    "questions.html", "graphs/responsibility.html", "graphs/collaboration.html", "analytics.html", "compare.html",
    "goals.html", "people.html", "posts.html", "groups.html", "themes.html", "void.html", "catalog.html",
    "catalog/distribution/ttl.html", "def.html", "shapes.html", "goal/vantaa-kaso-2021/no-such-goal.html",
    *[f"questions/{name}.html" for name in catalogue()],
]
#: English interface words that Finnish pages showed: the variables of answers, the raw names of
#: properties and classes, and the words of English sentences (questions' descriptions, the home page's
#: introduction and licence note, the vocabulary's "domain:" and "range:").
ENGLISH = {
    "person", "goals", "fully_achieved", "partially_achieved", "shared_goals", "as_written", "things",
    "wasDerivedFrom", "wasAttributedTo", "qualifiedAttribution", "obsValue", "hasFormat", "unitMeasure", "refPeriod",
    "dataSet", "numberOfPages", "conformsTo", "creator", "publisher", "spatial", "temporal", "subset", "triples",
    "prefLabel", "altLabel", "inScheme", "topConceptOf", "hadRole", "startDate", "endDate", "hasUnit", "unitOf",
    "postIn", "Observation", "PeriodOfTime", "RightsStatement", "Entity", "Attribution", "ConceptScheme",
    "the", "The", "and", "of", "with", "for", "by", "How", "Each", "Every", "domain", "range", "rows",
}
#: Elements whose text is not the interface's words: code, queries, scripts.
SKIPPED = {"script", "style", "pre", "code", "textarea", "template"}


class Visible(HTMLParser):
    """The words a reader meets on a page: its text and the attributes read out or shown (titles,
    labels, placeholders), without code, queries and scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in SKIPPED:
            self.skipping += 1
        for name, value in attrs:
            if name in ("title", "aria-label", "placeholder", "alt") and value:
                self.words += re.findall(r"\w+", value)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:  # a term named in a sentence (qb:Observation) is a name, not an English word
            self.words += re.findall(r"\w+", re.sub(r"\b[a-z][\w-]*:\w+", "", data))


def visible_words(page: str) -> list[str]:
    # English texts of the data are marked by `show()` (and the vocabulary's English labels by its page):
    # they are the data's words, shown where the data has no Finnish, not the interface's.
    parser = Visible()
    parser.feed(re.sub(r'<span lang="en"[^>]*>[^<]*</span>', "", page))
    return parser.words


def test_the_list_of_pages_has_every_saved_question():
    assert sum(p.startswith("questions/") for p in PAGES) == len(catalogue()) >= 14


@pytest.mark.parametrize("path", PAGES)
def test_a_finnish_page_has_no_english_interface_words(client, path):
    response = client.get("/" + path)
    assert response.status_code in (200, 404), path
    assert '<html lang="fi">' in response.text
    found = sorted({word for word in visible_words(response.text) if word in ENGLISH})
    assert found == [], f"{path}: {found}"


def test_the_home_page_s_introduction_and_licence_note_are_finnish(client):
    page = client.get("/index.html").text
    assert "built by kasograph" not in page and "states no licence" not in page
    english = client.get("/index.en.html").text
    assert "built by kasograph from the division" in english and "states no licence" in english


def without_query(page: str) -> str:
    return html.unescape(re.sub(r"<pre\b.*?</pre>", "", page, flags=re.DOTALL))


def test_a_saved_question_has_a_finnish_title_and_description(client):
    for question in catalogue().values():
        assert question.title_fi and question.description_fi and question.description, question.name
        assert question.description_fi != question.description, question.name
        page = without_query(client.get(f"/questions/{question.name}.html").text)  # the query's comments are code
        assert question.description_fi in page and question.description not in page, question.name
        english = without_query(client.get(f"/questions/{question.name}.en.html").text)
        assert question.description in english and question.description_fi not in english, question.name


def test_an_answer_s_columns_are_labelled_on_pages_and_named_in_files(client):
    finnish = client.get("/questions/workload-per-person.html").text
    english = client.get("/questions/workload-per-person.en.html").text
    for page, words in ((finnish, ("Henkilö", "Tavoitteita", "Toteutuu täysin")), (english, ("Person", "Goals", "Fully achieved"))):
        headings = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', page)
        assert headings[:3] == list(words), headings
    assert 'data-variable="fully_achieved"' in finnish  # the variable, for a script that reads the table
    assert client.get("/questions/workload-per-person.csv").text.lstrip("\ufeff").startswith(
        "person,goals,fully_achieved,partially_achieved")


def test_property_names_come_from_the_vocabulary_and_the_library_s_table(client):
    from kasograph.texts import TERM_LABELS

    number = client.get("/number/vantaa-kaso-2021/mielenterveysosaaminen/1.html").text
    assert TERM_LABELS["http://purl.org/linked-data/sdmx/2009/measure#obsValue"]["fi"] in number
    assert "mittauskohde" in number  # kg:measure, from ontology/kasograph.ttl
    document = client.get("/document/vantaa-kaso-2021.en.html").text
    assert TERM_LABELS["http://www.w3.org/ns/prov#wasDerivedFrom"]["en"] in document
    assert "wasDerivedFrom" not in visible_words(document)
    # a title in Finnish and in English is one title, in the page's language
    finnish = re.sub(r"<script\b.*?</script>", "", client.get("/document/vantaa-kaso-2021.html").text, flags=re.DOTALL)
    assert "Goals of the division for 2021" in document and "Goals of the division" not in finnish


def test_the_library_s_names_are_for_terms_the_data_uses(store):
    from kasograph.texts import TERM_LABELS

    used = {term.value for row in store.query("SELECT ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }") for term in row
            if hasattr(term, "value") and not hasattr(term, "language")}
    assert set(TERM_LABELS) <= used, sorted(set(TERM_LABELS) - used)  # no IRI made up for a label
    assert all(set(names) == {"fi", "en"} and all(names.values()) for names in TERM_LABELS.values())


def test_the_catalogue_has_every_text_in_both_languages_and_every_count_in_both_forms():
    from kasograph_web.i18n import TEXTS

    assert set(TEXTS["fi"]) == set(TEXTS["en"])
    counts = {key.rpartition(".")[0] for key in TEXTS["fi"]
              if key.endswith((".one", ".other")) and not key.startswith("column.")}  # column.other: ?other
    assert counts and all({f"{key}.one", f"{key}.other"} <= set(TEXTS[lang]) for key in counts for lang in TEXTS)


# Plurals ------------------------------------------------------------------------------------------------------
def test_plurals_follow_babel_s_rules_in_both_languages(app):
    from kasograph_web.context import plural

    cases = {("fi", "documents", 1): "1 asiakirja", ("fi", "documents", 2): "2 asiakirjaa",
             ("en", "documents", 1): "1 document", ("en", "documents", 2): "2 documents",
             ("fi", "shared_goals", 1): "1 yhteinen tavoite", ("fi", "shared_goals", 3): "3 yhteistä tavoitetta",
             ("en", "shared_goals", 1): "1 shared goal", ("en", "shared_goals", 3): "3 shared goals",
             ("fi", "goals_count", 0): "0 tavoitetta", ("fi", "goals_count", 1200): "1\u00a0200 tavoitetta",
             ("en", "goals_count", 1200): "1,200 goals"}
    for (lang, key, n), expected in cases.items():
        with app.test_request_context(f"/?lang={lang}"):
            from flask import g

            g.lang = lang
            assert plural(key, n) == expected, (lang, key, n)


def test_counts_on_pages_take_the_right_form(client):
    person = client.get(f"/{PERSON}.html").text  # shares one goal with each partner
    assert "1 yhteinen tavoite" in person and "1 yhteistä tavoitetta" not in person
    assert "1 shared goal<" in client.get(f"/{PERSON}.en.html").text
    many = client.get("/person/vantaa/anders-vikstrom.html").text  # shares four with Ilkka Kalo
    assert "4 yhteistä tavoitetta" in many and "4 shared goals" in client.get("/person/vantaa/anders-vikstrom.en.html").text
    home = client.get("/index.html").text
    assert "1 asiakirja<" in home and "10 tavoitetta" in home and "1 asiakirjaa" not in home
    english = client.get("/index.en.html").text
    assert "1 document<" in english and "10 goals" in english
    assert "1 tavoitetta" not in client.get(f"/{PERSON}.html").text  # the picture's words too


# Numbers and dates ------------------------------------------------------------------------------------------
def test_a_finnish_page_writes_a_decimal_comma(client):
    finnish, english = client.get(f"/{GOAL}.html").text, client.get(f"/{GOAL}.en.html").text
    assert ">28,4<" in finnish and ">28.4<" not in finnish
    assert ">28.4<" in english
    answer = client.get("/questions/targets-met-or-missed.html").text
    assert ">28,4<" in answer and ">28.4<" not in answer
    assert 'data-value="28.4"' in answer  # what the table's sorting reads


def test_a_finnish_page_groups_digits_with_no_break_spaces(client):
    everything = {"query": "SELECT ?s WHERE { ?s ?p ?o }"}  # the data and the vocabulary: over a thousand rows
    finnish = client.get("/query.html", query_string=everything).text
    english = client.get("/query.en.html", query_string=everything).text
    assert re.search(r"\b1\u00a0\d{3} riviä\b", finnish) and re.search(r"\b1,\d{3} rows\b", english)


def test_a_number_too_long_to_write_out_is_shown_as_written():
    from kasograph_web import i18n

    assert i18n.number("1E999999999", "fi") == "1E999999999"  # not a billion digits on a results page
    assert i18n.number("0.1401", "fi") == "0,1401" and i18n.number(1234567.5, "en") == "1,234,567.5"


def test_dates_are_written_as_the_page_s_language_writes_them(client):
    finnish, english = client.get("/index.html").text, client.get("/index.en.html").text
    assert "1.1.2021" in finnish and "31.12.2021" in finnish and "2021-01-01" not in finnish
    assert "1/1/2021" in english or "01/01/2021" in english
    goal = client.get(f"/{GOAL}.html").text
    assert "31.12.2020" in goal and "2020-12-31" not in goal


# The language switch ----------------------------------------------------------------------------------------
def switch(page: str, lang: str) -> str:
    return re.search(rf'<a href="([^"]*)" hreflang="{lang}"', page).group(1).replace("&amp;", "&")


@pytest.mark.parametrize("path, other, query", [
    ("search.html?q=x", "search.en.html", {"q": ["x"]}),
    ("search.en.html?q=mielenterveys%20ja", "search.html", {"q": ["mielenterveys ja"]}),
    ("questions/goals-of-person.html?person=Ari%20Ranki", "goals-of-person.en.html", {"person": ["Ari Ranki"]}),
    ("goals.html?status=FullyAchieved&sort=-theme", "goals.en.html", {"status": ["FullyAchieved"], "sort": ["-theme"]}),
    ("query.html?query=ASK%20%7B%7D", "query.en.html", {"query": ["ASK {}"]}),
    (f"{GOAL}?lang=en", "mielenterveysosaaminen.html", {}),
])
def test_the_language_switch_keeps_what_was_asked(client, path, other, query):
    page = client.get("/" + path).text
    lang = "fi" if ".en.html" in path or "lang=en" in path else "en"
    url = urlsplit(switch(page, lang))
    assert url.path == other and parse_qs(url.query) == query

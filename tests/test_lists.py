"""The lists of goals, people, posts, groups and themes (kasograph.query.lists, views/lists.py): every page
answers, filters narrow, facet counts are what their filters leave, the order holds, the files hold the
page's rows, and no visitor's value changes what is asked of the store; the saved questions' known values."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest

from kasograph.errors import InputError
from kasograph.goaldata import GoalData
from kasograph.namespaces import DEFAULT_BASE
from kasograph.query import lists
from kasograph.store.engine import GoalStore

THEME = "vantaa/edistamme-asukkaiden-hyvinvointia"
KINDS = list(lists.LISTS)
#: What the home page counts, and the list each count links to (groups: the development groups).
HOME_COUNTS = {"goals.html": 10, "themes.html": 5, "people.html": 7, "posts.html": 2, "groups.html?type=DevelopmentGroup": 5}


def rows_of(client, kind: str, query: str = "") -> list[dict]:
    response = client.get(f"/{kind}.json{query}")
    assert response.status_code == 200, response.text
    body = response.get_json()
    assert body["count"] == len(body["rows"])
    return body["rows"]


def page_links(html: str) -> list[str]:
    """The rows' links of a list page, in order (the first cell of each row)."""
    return [unescape(m) for m in re.findall(r'<td class="column-label"><a href="([^"]+)"', html)]


def count_on(html: str) -> int:
    return int(re.search(r'class="list-count"[^>]*>[^:<]*: ([\d\u00a0,]+)', html).group(1).replace("\u00a0", "").replace(",", ""))


@pytest.mark.parametrize("suffix", [".html", ".en.html", ""])
@pytest.mark.parametrize("kind", KINDS)
def test_every_list_page_answers_in_both_languages(client, kind, suffix):
    response = client.get(f"/{kind}{suffix}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["Content-Language"] == ("en" if suffix == ".en.html" else "fi")
    assert 'class="list-count"' in response.text and "<table" in response.text


def test_the_home_pages_counts_link_to_the_lists_and_agree(client):
    home = client.get("/index.html").text
    for target, n in HOME_COUNTS.items():
        assert f'href="{target}"' in home, target
        assert count_on(client.get("/" + target).text) == n, target


@pytest.mark.parametrize("kind", KINDS)
def test_every_facet_count_is_what_its_filter_leaves(app, client, kind):
    data = app.extensions["kasograph"]
    page = lists.read_list(data.explorer("fi"), data.base, lists.list_request(kind, {}, data.base))
    assert page.count == len(rows_of(client, kind))
    for facet in page.facets:
        assert facet.values, facet.name
        for value in facet.values:
            assert len(rows_of(client, kind, f"?{facet.name}={value.value}")) == value.count, (facet.name, value.value)


def test_a_filter_narrows_the_rows_and_the_facets_agree_with_them(app, client):
    everything = rows_of(client, "goals")
    themed = rows_of(client, "goals", f"?theme={THEME}")
    assert 0 < len(themed) < len(everything)
    assert {r["theme"] for r in themed} == {DEFAULT_BASE + "theme/" + THEME}
    data = app.extensions["kasograph"]
    page = lists.read_list(data.explorer("fi"), data.base, lists.list_request("goals", {"theme": THEME}, data.base))
    statuses = {v.value: v.count for v in page.facets[[f.name for f in page.facets].index("status")].values}
    counted = {}
    for row in themed:
        name = row["status"].rsplit("#", 1)[-1]
        counted[name] = counted.get(name, 0) + 1
    assert statuses == counted
    both = rows_of(client, "goals", f"?theme={THEME}&status=PartiallyAchieved")
    assert len(both) == counted["PartiallyAchieved"] and all(r["status"].endswith("PartiallyAchieved") for r in both)


def test_a_partys_goals_count_links_to_those_goals(client):
    people = rows_of(client, "people", f"?theme={THEME}")
    html = client.get(f"/people.html?theme={THEME}").text
    for person in people:
        path = person["iri"][len(DEFAULT_BASE + "person/"):]
        link = f'goals.html?theme={THEME.replace("/", "%2F")}&amp;person={path.replace("/", "%2F")}'
        assert link in html, link
        assert len(rows_of(client, "goals", f"?theme={THEME}&person={path}")) == person["goals"]


def collated(text: str) -> str:
    return text.casefold().translate(str.maketrans({"å": "z\x01", "ä": "z\x02", "ö": "z\x03"}))


def test_the_rows_are_in_the_order_asked(client):
    labels = [r["label"] for r in rows_of(client, "goals")]
    assert labels == sorted(labels, key=collated)
    assert [r["label"] for r in rows_of(client, "goals", "?sort=-label")] == labels[::-1]
    statuses = [r["status"].rsplit("#", 1)[-1] for r in rows_of(client, "goals", "?sort=status")]
    order = ["FullyAchieved", "PartiallyAchieved", "NotAchieved"]
    assert statuses == sorted(statuses, key=order.index) and len(set(statuses)) > 1
    counts = [r["goals"] for r in rows_of(client, "people", "?sort=-goals")]
    assert counts == sorted(counts, reverse=True) and len(set(counts)) > 1
    english = [r["label"] for r in rows_of(client, "themes", "?lang=en")]
    assert english == sorted(english, key=collated) and english[0].startswith("We ")


@pytest.mark.parametrize("kind", KINDS)
def test_the_csv_and_the_json_hold_the_pages_rows(client, kind):
    query = "?sort=-label" + (f"&theme={THEME}" if kind != "themes" else "")
    html = client.get(f"/{kind}.html{query}").text
    records = rows_of(client, kind, query)
    assert [link.rsplit(".html", 1)[0].lstrip("./") for link in page_links(html)] == \
           [r["iri"][len(DEFAULT_BASE):] for r in records]
    text = client.get(f"/{kind}.csv{query}").data.decode("utf-8-sig")
    from_csv = list(csv.DictReader(io.StringIO(text)))
    assert [row["iri"] for row in from_csv] == [r["iri"] for r in records]
    assert [row["label"] for row in from_csv] == [r["label"] for r in records]
    assert re.search(r'href="' + kind + r'\.csv\?[^"]*theme=', html) or kind == "themes"


def test_pages_hold_every_row_once(client):
    every = [r["iri"] for r in rows_of(client, "goals")]
    seen = []
    for n in range(1, 5):
        html = client.get(f"/goals.html?size=3&page={n}").text
        seen += [DEFAULT_BASE + link.rsplit(".html", 1)[0] for link in page_links(html)]
        assert ("rel=\"next\"" in html) == (n < 4)
    assert seen == every
    assert page_links(client.get("/goals.html?size=3&page=9").text) == []


HOSTILE = ['"', "'", "{}", "x> SERVICE <http://127.0.0.1:9/> { ?s ?p ?o }", '") } SELECT * { ?s ?p ?o', "a b", "<script>x</script>",
           "vantaa/x#frag", "../../../etc/passwd", "x" * 5000, "%", "\\u003e", "\x00"]


@pytest.mark.parametrize("kind", KINDS)
def test_hostile_values_are_refused_or_find_nothing(client, kind):
    for name in [*lists.LISTS[kind].filters, "sort", "page", "size"]:
        for value in HOSTILE:
            for suffix in (".html", ".json", ".csv"):
                response = client.get(f"/{kind}{suffix}", query_string={name: value})
                assert response.status_code in (200, 400), (name, value, suffix)
                if response.status_code == 200 and suffix == ".json" and name not in ("sort", "page", "size"):
                    assert response.get_json()["rows"] == [], (name, value)
                if suffix == ".html":
                    assert "<script>x" not in response.text  # shown, if at all, escaped


@pytest.mark.parametrize("kind", KINDS)
def test_an_address_that_is_not_utf8_is_refused(client, kind):
    for suffix in (".html", ".json"):
        assert client.get(f"/{kind}{suffix}?{lists.LISTS[kind].filters[0]}=%FF%FE").status_code == 400


def test_no_visitors_value_reaches_a_query(store):
    """What the store is asked is the same whatever the address says: values are looked up, not queried."""
    asked: list[str] = []

    class Recording(GoalStore):
        def query(self, sparql, **kwargs):
            asked.append(sparql)
            return super().query(sparql, **kwargs)

    recording = Recording(store.store)
    recording.union = store.union
    data = GoalData(recording)
    for kind in KINDS:
        paths = [name for name in lists.LISTS[kind].filters if name in lists.PATH_FILTERS]
        with pytest.raises(InputError):  # refused before anything is asked
            lists.list_request(kind, {paths[0]: "vantaa/x> SERVICE <http://127.0.0.1:9/> {"}, data.base)
        request = lists.list_request(kind, {name: "vantaa/tuija-harakka" for name in paths}, data.base)
        lists.read_list(data.explorer("fi"), data.base, request)
        lists.read_records(data.explorer("en"), data.base, request)
    assert asked and not [q for q in asked if "tuija" in q or "SERVICE" in q]


def test_a_saved_question_offers_the_values_the_data_holds(client):
    html = client.get("/questions/goals-of-person.html").text
    assert 'list="choices-person"' in html and '<datalist id="choices-person">' in html
    for name in ("Tuija Harakka", "Ari Ranki", "Anders Vikström"):
        assert f'<option value="{name}">' in html
    theme = client.get("/questions/goals-of-theme.en.html").text
    assert "<option value=\"Edistämme asukkaiden hyvinvointia\">We promote residents&#39; well-being</option>" in theme
    statuses = client.get("/questions/goals-with-status.html").text
    assert re.findall(r'<datalist id="choices-status">(.*?)</datalist>', statuses)[0].count("<option") == 3
    group = client.get("/questions/goals-of-group.html").text
    assert '<option value="KASOn johtoryhmä">' in group and '<option value="palvelualuejohtajat">' in group
    typed = client.get("/questions/goals-of-person.html?person=Ari%20Ranki")
    assert typed.status_code == 200 and 'value="Ari Ranki"' in typed.text
    assert "Tehdään oppimiskampuksen esiselvitys" in typed.text  # one of his goals: the typed name still asks

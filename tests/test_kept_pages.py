"""Pages kept for the next visitor who asks for the same (kasograph_web.kept_pages): given again as they
were made, only to the same request, never an answer to a visitor's query, bounded, and dropped when the
data changes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from kasograph_web import create_app
from kasograph_web.context import STATIC_SITE

from kasograph.namespaces import DEFAULT_BASE

from .conftest import KASO
from .test_fuzz import FUZZ

GOAL = "/goal/vantaa-kaso-2021/oppimiskampus.html"


@pytest.fixture
def viewer():
    """A viewer of its own: its kept pages start empty."""
    return create_app({"TESTING": True})


def kept(app):
    return app.extensions["kasograph_kept_pages"]


def test_a_page_is_given_again_as_it_was_made(viewer):
    client = viewer.test_client()
    first = client.get(GOAL)
    assert (kept(viewer).hits, len(kept(viewer))) == (0, 1)
    again = client.get(GOAL)
    assert kept(viewer).hits == 1
    assert again.status_code == 200 and again.data == first.data
    assert sorted(again.headers.items()) == sorted(first.headers.items())
    ttl = client.get(GOAL.replace(".html", ".ttl"))
    assert client.get(GOAL.replace(".html", ".ttl")).data == ttl.data and kept(viewer).hits == 2


def test_only_the_same_request_gets_a_kept_page(viewer):
    client = viewer.test_client()
    negotiated = GOAL[: -len(".html")]
    finnish = client.get(negotiated, headers={"Accept-Language": "fi"}).data
    english = client.get(negotiated, headers={"Accept-Language": "en"})
    assert english.data != finnish and english.headers["Content-Language"] == "en" and kept(viewer).hits == 0
    turtle = client.get(GOAL[: -len(".html")], headers={"Accept": "text/turtle"})
    assert turtle.mimetype == "text/turtle" and kept(viewer).hits == 0
    # The address a visitor came by is part of a page (the catalogue names the server's URL).
    here = client.get("/void.html", base_url="http://one.example/")
    there = client.get("/void.html", base_url="http://other.example/")
    assert b"one.example" in here.data and b"one.example" not in there.data and b"other.example" in there.data


def test_answers_to_queries_are_never_kept(viewer):
    client = viewer.test_client()
    for _ in range(2):
        assert client.get("/query.html", query_string={"query": "ASK {}"}).status_code == 200
        assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    assert len(kept(viewer)) == 0 and kept(viewer).hits == 0


def test_the_static_sites_pages_are_not_kept(viewer):
    client = viewer.test_client()
    client.get(GOAL, environ_base={STATIC_SITE: True})
    assert len(kept(viewer)) == 0


def test_kept_pages_are_bounded_and_the_least_recently_asked_go_first(viewer):
    rows = viewer.test_client().get("/goals.json").get_json()["rows"]
    goals = ["/" + row["iri"][len(DEFAULT_BASE):] + ".html" for row in rows]
    assert len(goals) == 10
    small = create_app({"TESTING": True, "PAGE_CACHE_BYTES": 20_000})  # about half of the ten goal pages
    small_client = small.test_client()
    for page in goals:
        assert small_client.get(page).status_code == 200
    assert kept(small).bytes <= 20_000 and 0 < len(kept(small)) < 10
    small_client.get(goals[0])  # asked for longest ago: gone
    assert kept(small).hits == 0
    small_client.get(goals[-1])  # asked for last: kept
    assert kept(small).hits == 1


def test_nothing_is_kept_with_no_room():
    app = create_app({"TESTING": True, "PAGE_CACHE_BYTES": 0})
    client = app.test_client()
    client.get(GOAL)
    client.get(GOAL)
    assert len(kept(app)) == 0 and kept(app).hits == 0


def test_a_new_generation_drops_what_was_kept(tmp_path):
    from kasograph.store.directory import StoreDirectory
    from kasograph.store.importer import import_document

    store = StoreDirectory(tmp_path / "store")
    import_document(KASO, store)
    app = create_app({"TESTING": True, "STORE": str(store.path)})
    client = app.test_client()
    first = client.get(GOAL)
    client.get(GOAL)
    assert kept(app).hits == 1
    import_document(KASO, store)  # the same document again: a new generation
    again = client.get(GOAL)
    assert kept(app).hits == 1 and len(kept(app)) == 1  # made again, from the new generation
    assert again.headers["ETag"] != first.headers["ETag"]


# An attacker's view: whatever a visitor sends, a kept page is what the same request would have made -------------
PATHS = [GOAL, GOAL[: -len(".html")], GOAL.replace(".html", ".en.html"), GOAL.replace(".html", ".ttl"),
         "/person/vantaa/ari-ranki.html", "/search.html", "/goals.html", "/void.html", "/query.html", "/questions.html",
         "/", "/index.en.html", "/def.html", "/nothing.html"]
HOSTS = ["localhost", "one.example", "other.example:8080", "127.0.0.1", "[::1]:5000"]
ACCEPTS = ["", "text/html", "text/turtle", "application/ld+json", "application/n-triples;q=0.9, text/html;q=0.1",
           "image/png", "*/*"]
LANGUAGES = ["", "fi", "en", "en-GB, fi;q=0.5", "sv", "*"]
VISIT = st.tuples(st.sampled_from(PATHS), st.sampled_from(HOSTS), st.sampled_from(ACCEPTS), st.sampled_from(LANGUAGES),
                  st.sampled_from(["", "q=hyvinvointi", "q=x&lang=en", "lang=en", "year=2021", "q=%00%ff"]))


@pytest.fixture(scope="module")
def twins():
    """Two viewers of the same data: one keeps pages, the other none."""
    return create_app({"TESTING": True}).test_client(), create_app({"TESTING": True, "PAGE_CACHE_BYTES": 0}).test_client()


@FUZZ
@given(visits=st.lists(VISIT, min_size=2, max_size=12))
def test_whatever_is_asked_a_kept_page_is_the_page_the_request_would_get(twins, visits):
    keeping, making = twins
    hits = kept(keeping.application).hits
    for path, host, accept, lang, query in visits + visits:  # each request twice: the second may come from what was kept
        headers = {k: v for k, v in (("Accept", accept), ("Accept-Language", lang)) if v}
        kept_answer = keeping.get(path, query_string=query, headers=headers, base_url=f"http://{host}/")
        made_answer = making.get(path, query_string=query, headers=headers, base_url=f"http://{host}/")
        assert (kept_answer.status_code, kept_answer.mimetype) == (made_answer.status_code, made_answer.mimetype)
        assert kept_answer.headers.get("ETag") == made_answer.headers.get("ETag")
        if b"_:" not in made_answer.data:  # blank nodes are named afresh by each app's store
            assert kept_answer.data == made_answer.data, (path, host, accept, lang, query)
    if any(path in (GOAL, "/goals.html", "/def.html") for path, *_ in visits):
        assert kept(keeping.application).hits > hits  # pages were given as kept: the comparison meant something

"""The live viewer's error pages at any depth and under a path prefix (SCRIPT_NAME): their styles and links lead
from the app's root, so every link answers; a 404 speaks the language its address or its visitor asks for."""

from __future__ import annotations

import re

import pytest

from kasograph.store.remote import RemoteError

DEEP = "/goal/vantaa-kaso-2021/no-such-goal"
_TARGET = re.compile(r'(?:href|src|action)="([^"]*)"')


@pytest.fixture(scope="module")
def failing_app():
    """The viewer, with two pages deep down that fail as a view's bug (500) and a store that is down (503) do."""
    from kasograph_web import create_app

    app = create_app()

    def bug():
        raise RuntimeError("a view's bug")

    def store_down():
        raise RemoteError("http://store.invalid/sparql", "connection refused")

    app.add_url_rule("/goal/deep/bug.html", "bug", bug)
    app.add_url_rule("/goal/deep/down.html", "down", store_down)
    return app


ERRORS = [("GET", f"{DEEP}.html", 404), ("GET", f"{DEEP}.en.html", 404), ("GET", "/questions/goals-of-person/nobody.html", 404),
          ("GET", "/a/b/c/d/", 404), ("POST", "/goal/vantaa-kaso-2021/mielenterveysosaaminen.html", 405),
          ("GET", "/goal/deep/bug.html", 500), ("GET", "/goal/deep/down.html", 503)]


@pytest.mark.parametrize("prefix", ["", "/viewer"])
@pytest.mark.parametrize(("method", "path", "status"), ERRORS)
def test_an_error_page_links_from_the_apps_root(failing_app, prefix, method, path, status):
    client = failing_app.test_client()
    response = client.open(path, method=method, environ_overrides={"SCRIPT_NAME": prefix})
    assert response.status_code == status
    links = _TARGET.findall(response.text)
    assert f'href="{prefix}/static/style.css"' in response.text
    assert len(links) > 15
    for link in links:
        assert link.startswith(prefix + "/"), link
        assert client.get(link.removeprefix(prefix), environ_overrides={"SCRIPT_NAME": prefix}).status_code == 200, link


#: (address, headers, the 404's language): the address's suffix names a language; else ?lang=, else Accept-Language.
LANGUAGES = [(f"{DEEP}.en.html", {}, "en"), (f"{DEEP}.en.html", {"Accept-Language": "fi"}, "en"),
             (f"{DEEP}.html", {"Accept-Language": "en"}, "fi"), (DEEP, {"Accept-Language": "en-GB,en;q=0.9"}, "en"),
             (DEEP + "?lang=en", {}, "en"), (DEEP, {}, "fi")]


def test_a_404_speaks_the_language_asked_for(client):
    for path, headers, lang in LANGUAGES:
        response = client.get(path, headers=headers)
        assert response.status_code == 404
        assert f'<html lang="{lang}">' in response.text, (path, headers)
        assert ("<h1>Not found</h1>" if lang == "en" else "<h1>Sivua ei löydy</h1>") in response.text, (path, headers)
        assert '<div lang="en">' not in response.text  # only the static site's one 404.html says it in both

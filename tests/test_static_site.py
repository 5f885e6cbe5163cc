"""The static site (`kasograph publish`) in a real browser, served by a static host (Python's http.server, which
answers a missing file with the site's 404.html): saved questions answer every known value from published pages,
the query page says what needs the server, nothing links to an endpoint that is not there, 404.html works at any
depth, and `publish` warns when it does not know the site's address."""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from kasograph.query import saved

from .servers import free_port, running
from .test_accessibility import AXE, WIDTHS, violations
from .test_browser import Tab, browser, server  # noqa: F401 - the browser and `kasograph serve`, as fixtures
from .test_publish import fetch

DEEP_404 = "goal/vantaa-kaso-2021/no-such-goal.html"
#: The saved questions that take a parameter: the static site answers each of its known values.
QUESTIONS = [q for q in saved.catalogue().values() if q.parameters]
UNKNOWN = "Ei tällaista arvoa"
NO_SUCH_VALUE = {"fi": "Tällaista arvoa ei ole; valitse jokin luettelosta.", "en": "No such value; pick one from the list."}


@dataclass
class Site:
    out: Path  # the folder written
    base: str  # its URL, ending in /
    stderr: str  # what `kasograph publish` said


def publish(out: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kasograph", "publish", "--out", str(out), *options],
                          capture_output=True, text=True, timeout=180, check=False)


@contextlib.contextmanager
def static_host(root: Path, not_found: Path, port: int, ready_path: str, log: Path):
    """`root` served on `port` of 127.0.0.1; a missing file is answered with `not_found` (404)."""
    command = [sys.executable, str(Path(__file__).with_name("static_host.py")), str(port), str(root), str(not_found)]
    base = f"http://127.0.0.1:{port}/"
    with running(command, log, base + ready_path, lambda response: response.status == 200):
        yield base


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    """Published with no option (no --site-url, no endpoint), served at a host's root."""
    out = tmp_path_factory.mktemp("plain") / "site"
    result = publish(out)
    assert result.returncode == 0, result.stderr
    with static_host(out, out / "404.html", free_port(), "download/kasograph.nq", out.parent / "host.log") as base:
        yield Site(out, base, result.stderr)


@pytest.fixture(scope="module")
def prefixed(tmp_path_factory, server):  # noqa: F811 - the imported fixture
    """Published for http://127.0.0.1:PORT/sub/, naming the live server's endpoint, and served under /sub/."""
    root = tmp_path_factory.mktemp("prefixed")
    out, port = root / "sub", free_port()
    result = publish(out, "--site-url", f"http://127.0.0.1:{port}/sub/", "--sparql-endpoint", f"{server}/sparql")
    assert result.returncode == 0, result.stderr
    with static_host(root, out / "404.html", port, "sub/download/kasograph.nq", root / "host.log") as base:
        yield Site(out, base + "sub/", result.stderr)


@pytest.fixture
def tab(browser):  # noqa: F811 - the imported fixture
    opened = Tab(browser, locale="fi-FI")
    yield opened
    opened.close()


class Targets(HTMLParser):
    """Where a page's links, sources and forms lead (href, src, action)."""

    def __init__(self):
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.targets += [value for name, value in attrs if name in ("href", "src", "action") and value]


def targets(page: Path, site: Site) -> list[str]:
    """Every link of a published page, as an absolute URL."""
    parser = Targets()
    parser.feed(page.read_text(encoding="utf-8"))
    url = site.base + page.relative_to(site.out).as_posix()
    return [urljoin(url, target) for target in parser.targets]


def is_sparql(url: str) -> bool:
    return urlsplit(url).path.rstrip("/").endswith("/sparql")


# Publishing --------------------------------------------------------------------------------------------
def test_publish_warns_without_a_site_url_and_succeeds(plain, prefixed):
    warnings = [line for line in plain.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, plain.stderr  # (and the fixture saw exit status 0)
    assert "--site-url" in warnings[0] and "http://localhost/" in warnings[0]
    assert re.search(r"wrote \d+ files", plain.stderr)
    assert "warning:" not in prefixed.stderr  # given --site-url


def test_no_page_names_or_links_an_endpoint_that_is_not_there(plain):
    pages = sorted(plain.out.rglob("*.html"))
    assert len(pages) > 200
    for page in pages:
        assert [url for url in targets(page, plain) if is_sparql(url)] == [], page.relative_to(plain.out)
    for file in plain.out.rglob("*"):
        if file.is_file() and file.suffix in (".html", ".ttl", ".jsonld", ".nt", ".rdf", ".json"):
            assert "localhost/sparql" not in file.read_text(encoding="utf-8"), file.relative_to(plain.out)


def test_links_to_an_endpoint_lead_only_to_the_one_named(prefixed, server):  # noqa: F811 - the imported fixture
    linked = {page.relative_to(prefixed.out).as_posix(): {url for url in targets(page, prefixed) if is_sparql(url)}
              for page in prefixed.out.rglob("*.html")}
    assert set().union(*linked.values()) == {f"{server}/sparql"}
    assert linked["query.html"] == linked["query.en.html"] == {f"{server}/sparql"}  # the query page sends queries there
    assert fetch(f"{server}/sparql")[0] == 200  # the live server's endpoint (its page, to a browser)


# Saved questions ---------------------------------------------------------------------------------------
def live_rows(base: str, question: saved.SavedQuery, value: str) -> int:
    """How many rows the live server answers the question with for `value` (asked in its query string)."""
    status, _, body = fetch(f"{base}/questions/{question.name}.json?" + urlencode({question.parameters[0].name: value}))
    assert status == 200
    return len(json.loads(body)["results"]["bindings"])


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.name)
def test_a_saved_question_answers_another_value_and_says_when_there_is_none(plain, server, tab, question):  # noqa: F811 - the imported fixture
    page, parameter = tab.page, question.parameters[0]
    page.goto(f"{plain.base}questions/{question.name}.html")
    form = page.locator("form.parameters")
    box = form.locator(f"input[name={parameter.name}]")
    expect(form).to_be_visible()
    expect(box).to_have_value(parameter.default)
    values = page.locator("nav.answers a").evaluate_all("links => links.map(a => a.dataset.value)")
    assert parameter.default in values
    for value in [v for v in values if v != parameter.default][-1:]:  # a question whose data holds one value has no other
        box.fill(value)
        form.locator("button[type=submit]").click()
        page.wait_for_url(re.compile(rf"/questions/{question.name}/[a-z0-9-]+\.html$"))
        expect(box).to_have_value(value)
        expect(page.locator("pre.source")).to_contain_text(f'"{value}"')  # the query it answers asked for this value
        expect(page.locator("table.results tbody tr")).to_have_count(live_rows(server, question, value))
        expect(page.locator("nav.answers a[aria-current]")).to_have_attribute("data-value", value)
    shown = page.url
    box.fill(UNKNOWN)
    form.locator("button[type=submit]").click()
    expect(page.locator("#no-such-value")).to_have_text(NO_SUCH_VALUE["fi"])
    expect(page.locator("#no-such-value")).to_be_visible()
    expect(page.locator("table.results")).to_be_hidden()  # not another value's answer
    assert page.url == shown
    assert tab.failures == []


def test_an_address_with_a_value_shows_that_value_or_says_there_is_none(plain, tab):
    page = tab.page
    page.goto(f"{plain.base}questions/goals-of-person.en.html?person=Ari+Ranki")  # a link made for the live server
    page.wait_for_url("**/questions/goals-of-person/ari-ranki.en.html")
    expect(page.locator("form.parameters input[name=person]")).to_have_value("Ari Ranki")
    expect(page.locator("table.results tbody tr")).to_have_count(3)
    page.goto(f"{plain.base}questions/goals-of-person.en.html?person=Nobody")
    expect(page.locator("#no-such-value")).to_have_text(NO_SUCH_VALUE["en"])
    expect(page.locator("form.parameters input[name=person]")).to_have_value("Nobody")
    expect(page.locator("table.results")).to_be_hidden()
    assert tab.failures == []


def test_a_value_is_found_by_its_label_in_the_pages_language(plain, tab):
    page = tab.page
    page.goto(f"{plain.base}questions/goals-of-theme.en.html")
    other = page.locator("nav.answers a:not([aria-current])").first
    label, value = other.inner_text(), other.get_attribute("data-value")
    assert label != value  # the theme's English name
    page.locator("form.parameters input[name=theme]").fill(label)
    page.locator("form.parameters button[type=submit]").click()
    page.wait_for_url(re.compile(r"/questions/goals-of-theme/[a-z0-9-]+\.en\.html$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("form.parameters input[name=theme]")).to_have_value(value)
    assert tab.failures == []


def test_without_script_each_value_is_a_link_to_its_answer(plain, browser):  # noqa: F811 - the imported fixture
    tab = Tab(browser, locale="fi-FI", java_script_enabled=False)
    try:
        page = tab.page
        page.goto(f"{plain.base}questions/goals-of-person.html")
        expect(page.locator("form.parameters")).to_be_hidden()  # a form no server answers is not offered
        page.locator("nav.answers").get_by_role("link", name="Ari Ranki").click()
        page.wait_for_url("**/questions/goals-of-person/ari-ranki.html")
        expect(page.locator("table.results tbody tr")).to_have_count(3)
        expect(page.locator("nav.answers a[aria-current]")).to_have_text("Ari Ranki")
        status, _, body = fetch(urljoin(page.url, page.locator("p.formats a").first.get_attribute("href")))
        assert status == 200 and body.decode("utf-8-sig").count("\n") == 4  # that value's answer as CSV, too
        assert tab.failures == []
    finally:
        tab.close()


# The query page ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".html", ".en.html"])
def test_the_query_page_says_that_queries_need_the_server(plain, tab, suffix):
    page = tab.page
    page.goto(f"{plain.base}query{suffix}")
    note = page.locator("#static-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("kasograph serve")
    expect(page.locator("#query-form")).to_have_count(0)  # no form that would only reload the page
    expect(page.locator("#endpoint-url")).to_have_count(0)
    assert tab.failures == []


def test_the_query_page_sends_the_query_to_the_endpoint_named(prefixed, server, tab):  # noqa: F811 - the imported fixture
    page = tab.page
    page.goto(f"{prefixed.base}questions/goals-of-person.en.html")
    page.locator("details summary").first.click()
    page.get_by_role("link", name=re.compile("editor", re.IGNORECASE)).click()
    page.wait_for_url(re.compile(r"/sub/query\.en\.html\?query="))
    expect(page.locator("#static-note").get_by_role("link", name=f"{server}/sparql")).to_be_visible()
    editor = page.locator("#query-form textarea[name=query]")
    expect(editor).to_have_value(re.compile('foaf:name "Tuija Harakka"'))  # the question's query, opened from it
    expect(page.locator("#query-form")).to_have_attribute("action", f"{server}/sparql")
    editor.fill("SELECT (COUNT(*) AS ?n) WHERE { ?goal a kg:Goal }")
    with page.expect_response(lambda response: response.url.startswith(f"{server}/sparql?")) as answer:
        page.locator("#query-form button[type=submit]").click()
    assert answer.value.status == 200
    status, _, body = fetch(answer.value.url)  # the browser may save the answer as a download: ask again
    assert status == 200 and re.search(rb'\b10\b', body), body[:300]
    assert tab.failures == []


# 404.html ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("which", ["plain", "prefixed"])
def test_a_deep_404_has_its_styles_and_working_links(request, tab, which):
    site = request.getfixturevalue(which)
    page = tab.page
    response = page.goto(site.base + DEEP_404)
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Sivua ei löydy")
    expect(page.locator('[lang="en"] h2')).to_have_text("Not found")  # one page answers every address: both languages
    assert page.locator("header.top").evaluate("e => getComputedStyle(e).display") == "flex"  # style.css applies
    links = page.evaluate("""() => [...document.querySelectorAll("[href], [src], form[action]")]
                                   .map(e => e.href || e.src || e.action)""")
    assert len(links) > 15
    for url in links:
        assert url.startswith(site.base), url
        assert fetch(url)[0] == 200, url
    assert [f for f in tab.failures if not f.endswith(DEEP_404)] == []


# Accessibility -----------------------------------------------------------------------------------------
STATIC_PAGES = ["questions/goals-of-person.html", "questions/goals-of-theme/edistamme-asukkaiden-hyvinvointia.en.html",
                "query.html", "query.en.html", DEEP_404]


def answer(url: str) -> tuple[int, bytes]:
    """Status and body, also of an error."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_the_static_sites_own_pages_have_no_serious_accessibility_violation(plain, prefixed, browser):  # noqa: F811
    """What only the static site has (the answers by value, the query page's note, 404.html), checked by axe-core
    as tests/test_accessibility.py checks the live pages."""
    if not AXE.exists():
        pytest.fail("axe-core is not installed: scripts/test installs it (npm ci --prefix tests/browser)")
    found = {}
    for url in [plain.base + path for path in STATIC_PAGES] + [prefixed.base + "query.en.html"]:
        status, body = answer(url)
        assert (status, b'class="top"' in body) == (404 if url.endswith(DEEP_404) else 200, True), url  # the viewer's page
        for width, viewport in WIDTHS.items():
            if problems := violations(browser, url, viewport):
                found[f"{url} ({width})"] = problems
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)

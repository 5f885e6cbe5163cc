"""The viewer in a real browser: Debian's chromium, driven by Playwright, against `kasograph serve`."""

from __future__ import annotations

import re
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect, sync_playwright

from .servers import free_port, wait_for_kasograph

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
GOAL = "goal/vantaa-kaso-2021/mielenterveysosaaminen"
GOAL_LABEL = ("Vahvistetaan ja syvennetään mielenterveysosaamista opiskeluhuollossa, varhaiskasvatuksessa, "
              "perusopetuksessa ja toisella asteella")
PERSON = "person/vantaa/tuija-harakka"
TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`kasograph serve` on a free port of 127.0.0.1; yields its base URL (no trailing slash)."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen([sys.executable, "-m", "kasograph", "serve", "--host", "127.0.0.1", "--port", str(port)],
                                   stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_kasograph(base + "/", process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Tab:
    """A fresh browser context with one page, recording every failed request of the page."""

    def __init__(self, browser, **context_options):
        self.context = browser.new_context(**context_options)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.failures: list[str] = []
        self.page.on("response", lambda r: r.status >= 400 and self.failures.append(f"{r.status} {r.url}"))
        # A request cut short because the page moved on (ERR_ABORTED) is no failure of the server.
        self.page.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "") and self.failures.append(f"{r.failure} {r.url}"))

    def close(self):
        self.context.close()


@pytest.fixture
def tab(browser):
    """A Finnish-speaking visitor: the browser asks for Finnish first."""
    opened = Tab(browser, locale="fi-FI")
    yield opened
    opened.close()


@pytest.fixture
def phone(browser):
    opened = Tab(browser, locale="fi-FI", viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield opened
    opened.close()


def test_search_a_goal_follow_its_person_and_come_back(server, tab):
    page = tab.page
    page.goto(server + "/")
    expect(page).to_have_title("Toimialan tavoitteet vuodelle 2021 · kasograph")
    expect(page.locator("h1")).to_have_text("Toimialan tavoitteet vuodelle 2021")
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.locator("ul.goals li")).to_have_count(10)

    page.locator("form.search input[name=q]").fill("mielenterveys")
    page.locator("form.search input[name=q]").press("Enter")
    page.wait_for_url("**/search.html?q=mielenterveys")
    expect(page.locator("h1")).to_contain_text("mielenterveys")
    results = page.locator("ol.results li")
    expect(results).to_have_count(1)

    results.get_by_role("link", name=GOAL_LABEL).click()
    page.wait_for_url(f"**/{GOAL}.html")
    expect(page.locator("h1")).to_have_text(GOAL_LABEL)
    expect(page.locator("ul.parties li")).to_have_count(2)

    page.locator("ul.parties").get_by_role("link", name="Tuija Harakka").click()
    page.wait_for_url(f"**/{PERSON}.html")
    expect(page.locator("h1")).to_have_text("Tuija Harakka")
    her_goals = page.locator("ul.goals li")
    expect(her_goals).to_have_count(3)
    expect(page.locator(f'ul.goals a[href$="{GOAL.rsplit("/", 1)[1]}.html"]')).to_have_text(GOAL_LABEL)

    page.go_back()
    page.wait_for_url(f"**/{GOAL}.html")
    expect(page.locator("h1")).to_have_text(GOAL_LABEL)
    assert tab.failures == []


def test_the_stylesheet_applies_also_at_the_content_negotiated_url(server, tab):
    page = tab.page
    response = page.goto(f"{server}/{GOAL}")
    assert response.status == 200 and response.headers["content-type"].startswith("text/html")
    expect(page.locator("h1")).to_have_text(GOAL_LABEL)
    # style.css gives the header a flex layout; without the stylesheet it would be a block
    assert page.locator("header.top").evaluate("e => getComputedStyle(e).display") == "flex"
    page.locator("ul.parties").get_by_role("link", name="Tuija Harakka").click()
    page.wait_for_url(f"**/{PERSON}.html")
    expect(page.locator("h1")).to_have_text("Tuija Harakka")
    assert tab.failures == []


def test_the_bare_urls_follow_the_browser_language(server, browser):
    english = Tab(browser, locale="en-GB")
    try:
        page = english.page
        page.goto(server + "/")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page).to_have_title("Goals of the division for 2021 · kasograph")
        page.goto(f"{server}/{GOAL}")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_role("heading", name="Responsible")).to_be_visible()
        assert english.failures == []
    finally:
        english.close()


def test_switch_to_english_and_back(server, tab):
    page = tab.page
    page.goto(server + "/")
    page.locator('nav.languages a[hreflang="en"]').click()
    page.wait_for_url("**/index.en.html")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("section.themes h2")).to_have_text("Goals")
    expect(page.locator("form.search button")).to_have_text("Search")

    page.goto(f"{server}/{GOAL}.html")
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.get_by_role("heading", name="Vastuutahot")).to_be_visible()
    page.locator('nav.languages a[hreflang="en"]').click()
    page.wait_for_url(f"**/{GOAL}.en.html")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Responsible")).to_be_visible()
    expect(page.locator('nav.languages a[hreflang="en"]')).to_have_attribute("aria-current", "true")

    page.locator('nav.languages a[hreflang="fi"]').click()
    page.wait_for_url(f"**/{GOAL}.html")
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.get_by_role("heading", name="Vastuutahot")).to_be_visible()
    assert tab.failures == []


def test_search_in_english_keeps_the_language_and_the_query(server, tab):
    page = tab.page
    page.goto(server + "/index.en.html")
    page.locator("form.search input[name=q]").fill("mielenterveys")
    page.locator("form.search button").click()
    page.wait_for_url("**/search.en.html?q=mielenterveys")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("ol.results li")).to_have_count(1)
    page.locator('nav.languages a[hreflang="fi"]').click()
    page.wait_for_url("**/search.html?q=mielenterveys")
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.locator("form.search input[name=q]")).to_have_value("mielenterveys")
    expect(page.locator("ol.results li")).to_have_count(1)
    assert tab.failures == []


def test_full_page_screenshots(server, tab, tmp_path):
    page = tab.page
    page.set_viewport_size({"width": 1200, "height": 800})
    shots = {"home.png": "/", "goal.png": f"/{GOAL}.html"}
    for name, path in shots.items():
        page.goto(server + path)
        page.screenshot(path=tmp_path / name, full_page=True)
    for name in shots:
        png = (tmp_path / name).read_bytes()
        assert png.startswith(b"\x89PNG\r\n\x1a\n"), name
        assert len(png) > 20_000, (name, len(png))
        height = int.from_bytes(png[20:24], "big")  # the IHDR chunk: full page, so taller than the viewport
        assert height > 800, (name, height)


@pytest.mark.parametrize("path", ["index.html", f"{GOAL}.html", f"{GOAL}.en.html", f"{PERSON}.html",
                                  "search.html?q=mielenterveys"])
def test_no_horizontal_scrolling_on_a_phone(server, phone, path):
    page = phone.page
    page.goto(f"{server}/{path}")
    expect(page.locator("h1")).to_be_visible()
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[1] == 375
    assert widths[0] <= widths[1] + 1, f"{path}: page is {widths[0]} px wide on a {widths[1]} px screen"
    assert phone.failures == []


GOALS_AND_NAMES = ("SELECT ?goal ?name WHERE { ?goal a kg:Goal ; prov:wasAttributedTo ?p . ?p foaf:name ?name } "
                   "ORDER BY ?name")  # no PREFIX lines: the endpoint supplies its default prefixes


def test_run_a_query_with_ctrl_enter_follow_a_result_and_download_the_csv(server, tab, tmp_path):
    page = tab.page
    page.goto(server + "/query.en.html")
    editor = page.locator("#query-form textarea[name=query]")
    expect(editor).to_have_value(re.compile(r"^PREFIX kg: "))  # pre-filled with the prefixes and an example
    editor.fill(GOALS_AND_NAMES)
    editor.press("Control+Enter")
    page.wait_for_url(re.compile(r"/query\.en\.html\?query="))
    assert parse_qs(urlsplit(page.url).query) == {"query": [GOALS_AND_NAMES]}  # a shareable URL
    expect(page.locator("html")).to_have_attribute("lang", "en")
    results = page.locator("table.results")
    expect(results.locator("thead th")).to_have_text(["Goal", "Name"])  # the variables ?goal ?name, named
    expect(results.locator("thead th").first).to_have_attribute("data-variable", "goal")
    expect(results.locator("tbody tr")).to_have_count(20)
    expect(editor).to_have_value(GOALS_AND_NAMES)

    first = results.locator("tbody tr").first.locator("td").first.get_by_role("link")
    label = first.inner_text()
    href = first.get_attribute("href")
    assert re.fullmatch(r"goal/vantaa-kaso-2021/[a-z0-9-]+\.en\.html", href), href
    first.click()
    page.wait_for_url(f"**/{href}")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("h1")).to_have_text(label)

    page.go_back()
    page.wait_for_url(re.compile(r"/query\.en\.html\?query="))
    expect(results.locator("tbody tr")).to_have_count(20)
    formats = page.locator("p.formats")
    expect(formats.get_by_role("link")).to_have_text(["json", "xml", "csv", "tsv", "csv (Excel)"])
    with page.expect_download() as info:
        formats.get_by_role("link", name="csv", exact=True).click()
    download = info.value
    assert parse_qs(urlsplit(download.url).query) == {"query": [GOALS_AND_NAMES], "format": ["csv"]}
    saved = tmp_path / "goals.csv"
    download.save_as(saved)
    lines = saved.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "goal,name"
    assert len(lines) == 21
    assert all(line.startswith("https://w3id.org/kasograph/id/goal/vantaa-kaso-2021/") for line in lines[1:])
    assert tab.failures == []


def test_a_malformed_query_shows_the_error_and_keeps_the_text(server, tab):
    page = tab.page
    page.goto(server + "/query.en.html")
    editor = page.locator("#query-form textarea[name=query]")
    broken = "SELECT ?x WHERE { ?x a }"
    editor.fill(broken)
    editor.press("Control+Enter")
    page.wait_for_url(re.compile(r"/query\.en\.html\?query="))
    expect(page.locator("p.error")).to_be_visible()
    expect(page.locator("p.error")).to_contain_text("Error")
    expect(page.locator("table.results")).to_have_count(0)
    expect(editor).to_have_value(broken)
    assert tab.failures == []


def test_a_saved_question_with_another_person(server, tab):
    page = tab.page
    page.goto(server + "/questions.en.html")
    page.locator("ul.questions").get_by_role("link", name="Goals of a person", exact=True).click()
    page.wait_for_url("**/questions/goals-of-person.en.html")
    expect(page.locator("h1")).to_have_text("Goals of a person")
    person = page.locator("form.parameters input[name=person]")
    expect(person).to_have_value("Tuija Harakka")  # the question's default
    person.fill("Ari Ranki")
    page.locator("form.parameters button[type=submit]").click()
    page.wait_for_url("**/questions/goals-of-person.en.html?person=Ari+Ranki")
    expect(person).to_have_value("Ari Ranki")
    rows = page.locator("table.results tbody tr")
    expect(rows).to_have_count(3)
    for link in rows.locator("td:first-child a").all():
        assert re.fullmatch(r"\.\./goal/vantaa-kaso-2021/[a-z0-9-]+\.en\.html", link.get_attribute("href"))
    expect(page.locator("p.formats").get_by_role("link", name="csv", exact=True)).to_have_attribute(
        "href", "goals-of-person.csv?person=Ari+Ranki")
    assert tab.failures == []


@pytest.mark.parametrize("suffix", [".html", ".en.html"])
def test_click_a_person_in_the_collaboration_picture(server, tab, suffix):
    page = tab.page
    page.goto(f"{server}/graphs/collaboration{suffix}")
    picture = page.locator("svg.picture.collaboration")
    expect(picture).to_be_visible()
    # The node is a link around the person's circle and name; the click goes to the circle, as a visitor's would.
    node = picture.locator("a").filter(has=page.locator("g.node.person")).filter(has_text="Tuija Harakka")
    expect(node).to_have_count(1)
    node.locator("circle").click()
    page.wait_for_url(f"**/{PERSON}{suffix}")
    assert urlsplit(page.url).path == f"/{PERSON}{suffix}"
    expect(page.locator("h1")).to_have_text("Tuija Harakka")
    expect(page.locator("html")).to_have_attribute("lang", "en" if suffix == ".en.html" else "fi")
    assert tab.failures == []


CSP_LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", e => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""
CSP_PAGES = ["/", "/index.en.html", f"/{GOAL}.html", f"/{GOAL}.en.html", f"/{PERSON}.html", "/search.html?q=huoltaja",
             "/graphs/responsibility.html", "/graphs/collaboration.html", "/analytics.html", "/compare.html",
             "/questions/goals-of-person.en.html", "/void.html", "/def.html"]


def test_no_page_breaks_its_content_security_policy(server, tab):
    """The main pages under the policy every response carries: nothing refused, nothing in the console."""
    page = tab.page
    problems: list[str] = []
    page.on("console", lambda message: message.type in ("error", "warning") and problems.append(f"{page.url}: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    page.add_init_script(CSP_LISTENER)
    for path in CSP_PAGES:
        response = page.goto(server + path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        expect(page.locator("h1")).to_be_visible()
        assert page.locator("header.top").evaluate("e => getComputedStyle(e).display") == "flex", path  # the stylesheet applies
        assert page.evaluate("window.__csp") == [], path
    # The goal page's description is there as a JSON-LD data block, which the policy does not touch.
    page.goto(f"{server}/{GOAL}.html")
    jsonld = page.locator('script[type="application/ld+json"]').first.text_content()
    assert GOAL in jsonld
    # The query page's script (a file of the server's own) runs: Ctrl+Enter submits the query.
    page.goto(server + "/query.en.html")
    editor = page.locator("#query-form textarea[name=query]")
    editor.fill(GOALS_AND_NAMES)
    editor.press("Control+Enter")
    page.wait_for_url(re.compile(r"/query\.en\.html\?query="))
    expect(page.locator("table.results tbody tr")).to_have_count(20)
    assert page.evaluate("window.__csp") == []
    assert problems == [], problems
    assert tab.failures == []
    # And the policy is enforced, not merely sent: an injected inline script does not run.
    ran = page.evaluate("""() => { const s = document.createElement("script"); s.textContent = "window.__ran = true";
                                    document.head.appendChild(s); return window.__ran === true; }""")
    assert ran is False
    assert any(v.startswith("script-src") for v in page.evaluate("window.__csp"))


@pytest.mark.parametrize(("suffix", "heading"), [(".html", "Sivua ei löydy"), (".en.html", "Not found")])
def test_a_deep_404_has_its_styles_and_links_that_answer(server, tab, suffix, heading):
    page = tab.page
    missing = f"/goal/vantaa-kaso-2021/no-such-goal{suffix}"
    response = page.goto(server + missing)
    assert response.status == 404
    expect(page.locator("h1")).to_have_text(heading)
    expect(page.locator("html")).to_have_attribute("lang", "en" if suffix == ".en.html" else "fi")
    assert page.locator("header.top").evaluate("e => getComputedStyle(e).display") == "flex"  # style.css applies
    links = page.evaluate("""() => [...document.querySelectorAll("[href], [src], form[action]")]
                                   .map(e => e.href || e.src || e.action)""")
    assert len(links) > 15
    for url in links:
        assert page.request.get(url).status == 200, url
    assert [f for f in tab.failures if not f.endswith(missing)] == []
